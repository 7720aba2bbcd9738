"""A person given a temporary password signs in, is taken to choose their own, and carries on."""

import pytest
from playwright.sync_api import expect

from inspection.account_services import password_set
from inspection.models import Account
from tests.browser.scoring_steps import DATABASE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

TEMPORARY = "temporary-pass-phrase-7"


def test_a_temporary_password_is_changed_at_the_first_sign_in(
    inspection, inspector, admin_user, browser, served_one_at_a_time, axe_violations
):
    password_set(user=inspector, password=TEMPORARY, by=admin_user)
    context = browser.new_context(base_url=served_one_at_a_time.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ivy")
    page.get_by_label("Password").fill(TEMPORARY)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    expect(page.get_by_text("An administrator set a temporary password for you")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Current password").fill(TEMPORARY)
    page.get_by_label("New password", exact=True).fill("ivys-own-pass-phrase")
    page.get_by_label("New password again").fill("something else")
    page.get_by_role("button", name="Change password").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("The new passwords do not match")
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
    page.get_by_label("Current password").fill(TEMPORARY)
    page.get_by_label("New password", exact=True).fill("ivys-own-pass-phrase")
    page.get_by_label("New password again").fill("ivys-own-pass-phrase")
    page.get_by_role("button", name="Change password").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Go to your inspections").click()
    expect(page.get_by_role("heading", name="My inspections")).to_be_visible()
    with DATABASE:
        assert not Account.objects.get(user=inspector).must_change_password
    context.close()
