"""When something goes wrong a person sees a GOV.UK page that says what happened and what to
do, never Django's bare or debug page. pytest-django runs every test with DEBUG off, as a
server runs."""

import re
import secrets

import pytest
from django.test import Client
from django.urls import reverse

from judgements.models import Answer
from tests.helpers import question
from tests.inspection.failing_urls import FAILURE


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def assert_govuk_page(response, status: int, heading: str) -> str:
    text = page_text(response)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert 'class="govuk-template"' in text
    assert re.search(rf'<h1 class="govuk-heading-[lx]+">{re.escape(heading)}</h1>', text)
    assert "Traceback" not in text
    return text


def test_a_page_that_does_not_exist_is_a_govuk_page_not_found(as_persona):
    response = as_persona("inspector").get("/inspections/no-such-inspection/")
    text = assert_govuk_page(response, 404, "Page not found")
    assert "If you typed the web address, check it is correct." in text


def test_a_page_the_person_may_not_use_says_why_on_a_govuk_page(as_persona):
    response = as_persona("inspector").get(reverse("inspection-new"))
    text = assert_govuk_page(response, 403, "You cannot do that")
    assert "Only an administrator can create an inspection." in text


def test_a_request_for_another_host_is_a_govuk_bad_request_page(client):
    response = client.get("/accounts/login/", headers={"host": "elsewhere.example.org"})
    assert_govuk_page(response, 400, "Sorry, the service could not read that request")


def test_a_server_error_is_a_govuk_page_that_says_answers_being_saved_are_kept(
    settings, admin_user
):
    settings.ROOT_URLCONF = "tests.inspection.failing_urls"
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get("/fails/")
    text = assert_govuk_page(response, 500, "Sorry, there is a problem with the service")
    assert "keep every answer in this browser until the service has it" in text
    assert "select “Save and continue” again" in text
    assert FAILURE not in text
    # Its stylesheets are named without collectstatic's manifest (templates/error_base.html).
    assert 'href="/static/govuk/govuk-frontend.min.css"' in text


@pytest.fixture
def section(case):
    return reverse("case-section", args=[case.inspection.slug, case.case_ref, "rr-assessment"])


def answer_form(code: str, value: str) -> dict[str, str]:
    key = f"{question(code).id}-0"
    return {f"a-{key}": value, f"n-{key}": "", f"v-{key}": "0"}


def test_a_form_with_an_out_of_date_security_token_saves_nothing_and_says_what_to_do(
    inspector, case, section
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(inspector)
    page = browser.get(section).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    # Signed in again in another tab since: the browser's security cookie is a new one.
    browser.cookies["csrftoken"] = secrets.token_hex(16)
    response = browser.post(section, {"csrfmiddlewaretoken": token} | answer_form("RR-A1", "yes"))
    text = assert_govuk_page(response, 403, "The form could not be sent")
    assert "Nothing from that form was saved." in text
    assert "open too long" in text
    assert not Answer.objects.filter(case=case).exists()


def test_a_form_sent_by_a_browser_that_keeps_no_cookies_is_told_to_allow_them(
    inspector, case, section
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(inspector)  # signed in, but no security cookie was ever kept
    response = browser.post(section, answer_form("RR-A1", "yes"))
    text = assert_govuk_page(response, 403, "The form could not be sent")
    assert "your browser may be blocking cookies" in text
    assert not Answer.objects.filter(case=case).exists()
