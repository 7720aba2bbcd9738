"""Every person changes their own password; an administrator sets a temporary one, which its
holder must change before any other page opens. Each password set is in the history."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from inspection.account_services import CHOSEN_REASON, TEMPORARY_REASON, password_set
from inspection.models import Account

PASSWORD = "correct horse battery staple"  # tests/factories.py
NEW_PASSWORD = "a-new-pass-phrase-for-ivy"
TEMPORARY = "temporary-pass-phrase-7"


def text(response) -> str:
    return html.unescape(response.content.decode())


def sign_in(username: str, password: str) -> tuple[Client, object]:
    """Sign in through the sign-in page, as a person does."""
    browser = Client()
    response = browser.post(
        reverse("login"), {"username": username, "password": password}, follow=True
    )
    return browser, response


def change(browser, current: str, new: str, again: str | None = None, **kwargs):
    return browser.post(
        reverse("password_change"),
        {"old_password": current, "new_password1": new, "new_password2": again or new},
        **kwargs,
    )


def account_of(user) -> Account:
    return Account.objects.get(user=user)


# A person's own password


def test_the_header_offers_every_signed_in_person_their_password_page(inspector, as_persona):
    page = text(as_persona("inspector").get(reverse("my-inspections")))

    assert f'href="{reverse("password_change")}">Change password</a>' in page


def test_a_person_changes_their_password_and_stays_signed_in(inspector, client):
    client.force_login(inspector)

    response = change(client, PASSWORD, NEW_PASSWORD, follow=True)

    assert "Your password is changed" in text(response)
    assert client.get(reverse("my-inspections")).status_code == 200
    inspector.refresh_from_db()
    assert inspector.check_password(NEW_PASSWORD)
    record = account_of(inspector).history.latest()
    assert (record.history_user, record.history_change_reason) == (inspector, CHOSEN_REASON)


def test_changing_it_ends_the_persons_other_sessions(inspector, client):
    elsewhere = Client()
    elsewhere.force_login(inspector)
    client.force_login(inspector)

    change(client, PASSWORD, NEW_PASSWORD)

    assert elsewhere.get(reverse("my-inspections")).status_code == 302  # to sign in again


def test_a_wrong_current_password_is_refused_beside_the_field(inspector, client):
    client.force_login(inspector)

    response = change(client, "not my password", NEW_PASSWORD)

    page = text(response)
    assert "govuk-error-summary" in page
    assert "Your current password is not right" in page
    assert response.context["form"].errors["old_password"]
    inspector.refresh_from_db()
    assert inspector.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "again", "expected"),
    [
        (PASSWORD, PASSWORD, "it must differ from the one you signed in with"),
        ("12345678901", "12345678901", "entirely numeric"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The new passwords do not match"),
    ],
)
def test_a_new_password_the_rules_refuse_is_not_kept(inspector, client, new, again, expected):
    client.force_login(inspector)

    page = text(change(client, PASSWORD, new, again))

    assert "There is a problem" in page
    assert expected in page
    inspector.refresh_from_db()
    assert inspector.check_password(PASSWORD)
    assert not Account.history.exists()


# A temporary password


@pytest.fixture
def temporary(inspector, admin_user):
    password_set(user=inspector, password=TEMPORARY, by=admin_user)
    return inspector


def test_an_administrator_sets_a_temporary_password_in_the_admin(inspector, as_persona, admin_user):
    response = as_persona("admin_user").post(
        reverse("admin:auth_user_password_change", args=[inspector.pk]),
        {"password1": TEMPORARY, "password2": TEMPORARY},
        follow=True,
    )

    assert "Set a temporary password for ivy" in text(response)
    inspector.refresh_from_db()
    assert inspector.check_password(TEMPORARY)
    assert account_of(inspector).must_change_password
    record = account_of(inspector).history.latest()
    assert (record.history_user, record.history_change_reason) == (admin_user, TEMPORARY_REASON)


def test_the_admins_password_page_says_the_password_is_temporary(inspector, as_persona):
    page = text(
        as_persona("admin_user").get(
            reverse("admin:auth_user_password_change", args=[inspector.pk])
        )
    )

    assert "Set a temporary password for <strong>ivy</strong>" in page
    assert 'value="Set temporary password"' in page


def test_a_temporary_password_the_validators_refuse_is_not_set(inspector, as_persona):
    page = text(
        as_persona("admin_user").post(
            reverse("admin:auth_user_password_change", args=[inspector.pk]),
            {"password1": "ivy", "password2": "ivy"},
        )
    )

    assert "too short" in page
    inspector.refresh_from_db()
    assert inspector.check_password(PASSWORD)
    assert not Account.objects.exists()


def test_an_administrator_setting_their_own_password_in_the_admin_is_not_temporary(
    admin_user, as_persona
):
    browser = as_persona("admin_user")

    browser.post(
        reverse("admin:auth_user_password_change", args=[admin_user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert not account_of(admin_user).must_change_password
    assert browser.get(reverse("my-inspections")).status_code == 200  # still signed in


def test_a_person_an_administrator_adds_must_choose_their_own_password(as_persona, admin_user):
    as_persona("admin_user").post(
        reverse("admin:auth_user_add"),
        {
            "username": "nina",
            "usable_password": "true",
            "password1": TEMPORARY,
            "password2": TEMPORARY,
        },
    )

    nina = get_user_model().objects.get(username="nina")
    assert account_of(nina).must_change_password
    assert account_of(nina).history.latest().history_user == admin_user


def test_a_temporary_password_opens_only_the_page_to_change_it(temporary, inspection):
    browser, response = sign_in("ivy", TEMPORARY)

    assert response.request["PATH_INFO"] == reverse("password_change")
    page = text(response)
    assert "An administrator set a temporary password for you" in page
    for url in (
        reverse("my-inspections"),
        reverse("inspection-overview", args=["northshire"]),
        reverse("answers-csv", args=["northshire"]),
        reverse("admin:index"),
    ):
        refused = browser.get(url)
        assert (refused.status_code, refused.url) == (302, reverse("password_change")), url
    assert browser.post(reverse("logout")).url == reverse("login")


def test_once_changed_every_page_opens_and_the_flag_is_cleared(temporary, inspection):
    browser, _response = sign_in("ivy", TEMPORARY)

    response = change(browser, TEMPORARY, NEW_PASSWORD, follow=True)

    assert "Your password is changed" in text(response)
    assert browser.get(reverse("my-inspections")).status_code == 200
    assert not account_of(temporary).must_change_password
    _browser, again = sign_in("ivy", NEW_PASSWORD)
    assert again.request["PATH_INFO"] == reverse("my-inspections")


def test_the_temporary_password_cannot_be_kept_as_ones_own(temporary):
    browser, _response = sign_in("ivy", TEMPORARY)

    change(browser, TEMPORARY, TEMPORARY)

    assert account_of(temporary).must_change_password
    assert browser.get(reverse("my-inspections")).status_code == 302


def test_a_temporary_password_set_while_signed_in_ends_the_session(inspector, admin_user, client):
    client.force_login(inspector)

    password_set(user=inspector, password=TEMPORARY, by=admin_user)

    assert client.get(reverse("my-inspections")).url.startswith(reverse("login"))


def test_a_password_set_by_a_command_is_temporary(inspector):
    password_set(user=inspector, password=TEMPORARY, by=None)

    assert account_of(inspector).must_change_password


def test_the_service_refuses_a_password_the_validators_refuse(inspector, admin_user):
    with pytest.raises(ValidationError):
        password_set(user=inspector, password="123", by=admin_user)

    inspector.refresh_from_db()
    assert inspector.check_password(PASSWORD)


def test_the_admins_own_change_password_link_leads_to_the_sites_page(admin_user, as_persona):
    response = as_persona("admin_user").get(reverse("admin:password_change"))

    assert (response.status_code, response.url) == (302, reverse("password_change"))
