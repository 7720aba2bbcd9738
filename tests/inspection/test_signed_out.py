"""What a person's work meets when their session has ended: a page's script is told in JSON
(never sent a sign-in page it cannot follow), a form posted without JavaScript is kept for the
person who opened it and shown back after they sign in (never saved, never shown to anyone
else), and a page built for one person is never saved as another."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from inspection.kept_posts import FIELD, signed_in_as_token
from inspection.middleware import REFRESHED_AT
from judgements.models import Answer
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import question

PASSWORD = "correct horse battery staple"
SECTION = "/inspections/northshire/cases/NS-001/sections/rr-assessment/"
AUTOSAVE = "/inspections/northshire/cases/NS-001/answers/"
JSON = {"HTTP_ACCEPT": "application/json"}


def key(code: str) -> str:
    return f"{question(code).id}-0"


def section_post(user, **extra) -> dict:
    """What the section's form posts: RR-A1 answered with a note, and whom the page was for."""
    rr_a1 = key("RR-A1")
    return {
        f"a-{rr_a1}": "no",
        f"n-{rr_a1}": "OASys of 4 April is late.",
        f"v-{rr_a1}": "0",
        FIELD: signed_in_as_token(user),
        **extra,
    }


def signed_in(client: Client, username: str) -> Client:
    """Sign in through the sign-in page, as a person does (the session keeps what it held)."""
    client.post(reverse("login"), {"username": username, "password": PASSWORD})
    return client


@pytest.fixture
def ivy(inspector):
    inspector.set_password(PASSWORD)
    inspector.save()
    return inspector


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_signed_out_autosave_is_answered_in_json_with_a_401_and_saves_nothing(case, client):
    rr_a1 = key("RR-A1")
    response = client.post(AUTOSAVE, {"key": rr_a1, f"a-{rr_a1}": "yes", f"v-{rr_a1}": "0"}, **JSON)
    assert response.status_code == 401
    assert response.json() == {
        "state": "signed-out",
        "message": "Signed out: sign in again; your changes are kept in this browser",
        "sign_in_url": reverse("login"),
    }
    assert not Answer.objects.exists()


def test_a_signed_out_page_still_goes_to_the_sign_in_page(case, client):
    response = client.get(SECTION)
    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={SECTION}")


def test_a_save_posted_signed_out_is_shown_back_unsaved_after_signing_in_again(ivy, case, client):
    response = client.post(SECTION, section_post(ivy))
    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={SECTION}")
    assert not Answer.objects.exists()
    sign_in_page = text(client.get(response.url))
    assert "You were signed out, so your changes were not saved." in sign_in_page

    page = text(signed_in(client, "ivy").get(SECTION))
    assert "You were signed out before this page was saved." in page
    assert "check it, then save" in page
    assert f'name="a-{key("RR-A1")}" type="radio" value="no" checked' in page
    assert "OASys of 4 April is late." in page
    assert not Answer.objects.exists()
    # Shown once: the page opened again shows what is stored.
    assert "OASys of 4 April is late." not in text(client.get(SECTION))


def test_a_save_posted_signed_out_is_never_shown_to_someone_else_who_signs_in(
    ivy, case, inspection, client
):
    other = UserFactory(username="iris")
    other.set_password(PASSWORD)
    other.save()
    MembershipFactory(inspection=inspection, user=other)
    client.post(SECTION, section_post(ivy), follow=True)  # on to the sign-in page

    page = text(signed_in(client, "iris").get(SECTION))
    assert "OASys of 4 April is late." not in page
    assert "You were signed out" not in page
    assert "OASys of 4 April is late." not in text(signed_in(client, "ivy").get(SECTION))


def test_a_form_that_does_not_say_whom_it_was_for_is_not_kept(ivy, case, client):
    client.post(SECTION, section_post(ivy, **{FIELD: "forged"}))
    page = text(signed_in(client, "ivy").get(SECTION))
    assert "OASys of 4 April is late." not in page


def test_the_descriptors_and_the_submission_reason_are_kept_the_same_way(ivy, case, client):
    descriptors = reverse("case-descriptors", args=["northshire", "NS-001"])
    check = reverse("case-check", args=["northshire", "NS-001"])
    client.post(descriptors, {"office": "Harbour Street", FIELD: signed_in_as_token(ivy)})
    client.post(
        check, {"comment": "The record holds nothing more.", FIELD: signed_in_as_token(ivy)}
    )

    signed_in(client, "ivy")
    assert 'value="Harbour Street"' in text(client.get(descriptors))
    checked = text(client.get(check))
    assert "You were signed out before the case was submitted: it is not submitted." in checked
    assert "The record holds nothing more.</textarea>" in checked
    case.refresh_from_db()
    assert (case.office, case.status) != ("Harbour Street", "submitted")


def test_a_page_built_for_one_person_is_not_saved_as_another_signed_in_since(
    ivy, lead, case, client
):
    client.force_login(lead)
    page = client.post(SECTION, section_post(ivy))
    assert page.status_code == 403
    assert "This page was opened by someone else" in text(page)
    rr_a1 = key("RR-A1")
    autosave = client.post(AUTOSAVE, {"key": rr_a1} | section_post(ivy), **JSON)
    assert (autosave.status_code, autosave.json()["state"]) == (401, "signed-out")
    assert not Answer.objects.exists()


# The session check behind the timeout warning


def test_the_session_check_says_how_long_is_left_without_pushing_it_back(ivy, client):
    client.force_login(ivy)
    session = client.session
    session[REFRESHED_AT] = int(time.time()) - 60 * 60
    session.save()

    status = client.get(reverse("session"), **JSON).json()
    assert status["state"] == "signed-in" and status["user"] == "ivy"
    assert 7 * 60 * 60 - 5 <= status["seconds_left"] <= 7 * 60 * 60
    assert status["warning_seconds"] == 5 * 60 and status["csrf_token"]
    assert client.get(reverse("session"), **JSON).json()["seconds_left"] <= 7 * 60 * 60


def test_staying_signed_in_pushes_the_session_a_working_day_ahead(ivy, client):
    client.force_login(ivy)
    session = client.session
    session[REFRESHED_AT] = int(time.time()) - 60 * 60
    session.save()
    stayed = client.post(reverse("session"), **JSON).json()
    assert stayed["seconds_left"] == 8 * 60 * 60
    assert client.get(reverse("session"), **JSON).json()["seconds_left"] >= 8 * 60 * 60 - 5


def test_the_session_check_of_someone_signed_out_is_a_401(client):
    response = client.get(reverse("session"))
    assert (response.status_code, response.json()["state"]) == (401, "signed-out")


def test_every_signed_in_page_tells_its_scripts_how_long_the_session_has(ivy, client):
    client.force_login(ivy)
    page = text(client.get(reverse("my-inspections")))
    assert 'data-session-seconds="28800" data-warning-seconds="300"' in page
    assert 'id="timeout-warning"' in page and "Stay signed in" in page
