"""The header's service navigation: "My cases" for anyone who scores or reviews cases, marked
as the current page there; not for people with no inspection role, who have no cases."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspection.models import Role, TeamMembership

PASSWORD = "correct horse battery staple"  # tests/factories.py gives every user this password
MY_CASES = re.compile(
    r'<a class="govuk-service-navigation__link" href="/my-cases/"[^>]*>My cases</a>'
)


def navigation(response) -> str:
    page = response.content.decode()
    return page[page.index('<nav aria-label="Menu"') : page.index("</nav>")]


@pytest.mark.parametrize("persona", ["inspector", "lead"])
def test_inspectors_and_leads_find_my_cases_in_the_header(persona, as_persona, inspection):
    header = navigation(as_persona(persona).get(reverse("my-inspections")))
    assert MY_CASES.search(header)
    assert 'href="/my-cases/" aria-current="page"' not in header


def test_my_cases_is_marked_as_the_page_you_are_on(as_persona, inspector):
    header = navigation(as_persona("inspector").get(reverse("my-cases")))
    assert '<a class="govuk-service-navigation__link" href="/my-cases/" aria-current="page">' in (
        header
    )
    active = re.findall(r'govuk-service-navigation__item--active">\s*<a[^>]*>([^<]+)<', header)
    assert active == ["My cases"]


@pytest.mark.parametrize("persona", ["editor", "admin_user"])
def test_people_without_an_inspection_role_are_not_offered_my_cases(
    persona, as_persona, inspection
):
    header = navigation(as_persona(persona).get(reverse("my-inspections")))
    assert "My inspections" in header
    assert "My cases" not in header


def test_the_link_costs_no_query_once_the_session_remembers_it(as_persona, inspector):
    browser = as_persona("inspector")
    browser.get(reverse("my-inspections"))
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(reverse("my-inspections"))
    assert MY_CASES.search(navigation(page))
    assert not [
        q for q in queries if "inspection_teammembership" in q["sql"] and "IN (" in q["sql"]
    ]


def test_a_person_added_to_a_team_is_offered_my_cases_when_the_session_is_next_refreshed(
    as_persona, inspection, editor, settings
):
    """Taken from the session until it is next refreshed (every few minutes), then asked."""
    browser = as_persona("editor")
    assert "My cases" not in navigation(browser.get(reverse("my-inspections")))
    TeamMembership.objects.filter(user=editor).update(role=Role.INSPECTOR)
    assert "My cases" not in navigation(browser.get(reverse("my-inspections")))
    settings.SESSION_REFRESH_SECONDS = 0
    assert MY_CASES.search(navigation(browser.get(reverse("my-inspections"))))


def test_signing_in_remembers_the_link_so_the_first_page_asks_nothing(client, inspector):
    signed_in = client.post(
        reverse("login"), {"username": inspector.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("my-inspections"))
    assert MY_CASES.search(navigation(page))
    assert not [
        q for q in queries if "inspection_teammembership" in q["sql"] and "IN (" in q["sql"]
    ]
