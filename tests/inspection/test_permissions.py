"""The URL × persona table: every URL in the URLconf has a rule for every persona.

A new URL without a row here fails `test_every_url_has_a_permission_rule`, so no page ships
without someone deciding who may see it (NetBox's ViewTestCases, in miniature).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.helpers import PERSONAS

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405
TEAM = {"inspector": OK, "lead": OK, "editor": OK, "admin_user": OK, "other_inspector": NOT_FOUND}

# url name → (kwargs, {persona: status}); "anonymous" is everyone not logged in.
RULES = {
    "home": ({}, {**dict.fromkeys(PERSONAS, REDIRECT), "anonymous": REDIRECT}),
    "login": ({}, {**dict.fromkeys(PERSONAS, REDIRECT), "anonymous": OK}),
    "logout": ({}, {**dict.fromkeys(PERSONAS, NOT_ALLOWED), "anonymous": REDIRECT}),
    "my-inspections": ({}, {**dict.fromkeys(PERSONAS, OK), "anonymous": REDIRECT}),
    "inspection-overview": ({"slug": "northshire"}, {**TEAM, "anonymous": REDIRECT}),
    "case-list": ({"slug": "northshire"}, {**TEAM, "anonymous": REDIRECT}),
    "case-detail": ({"slug": "northshire", "case_ref": "NS-001"}, {**TEAM, "anonymous": REDIRECT}),
    # Staff only. 403, not 404: the page hides nothing (the admin has the same form), and a
    # team member who follows a shared link learns that it needs an administrator.
    "inspection-new": (
        {},
        {**dict.fromkeys(PERSONAS, FORBIDDEN), "admin_user": OK, "anonymous": REDIRECT},
    ),
    "answers-csv": ({"slug": "northshire"}, {**TEAM, "anonymous": REDIRECT}),
    "answers-xlsx": ({"slug": "northshire"}, {**TEAM, "anonymous": REDIRECT}),
    "framework-json": ({"slug": "northshire"}, {**TEAM, "anonymous": REDIRECT}),
    "findings-json": ({"slug": "northshire"}, {**TEAM, "anonymous": REDIRECT}),
    "findings-csv": ({"slug": "northshire"}, {**TEAM, "anonymous": REDIRECT}),
}


def _named_urls(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin has its own staff gate, tested in test_admin.py
            yield from _named_urls(pattern.url_patterns, pattern.namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_a_permission_rule():
    missing = sorted(set(_named_urls(get_resolver().url_patterns)) - set(RULES))
    assert missing == [], f"URLs without a row in RULES: {missing}"


@pytest.mark.parametrize("persona", [*PERSONAS, "anonymous"])
@pytest.mark.parametrize("url_name", sorted(RULES))
def test_each_persona_gets_what_the_table_says(url_name, persona, case, client, as_persona):
    kwargs, expected = RULES[url_name]
    browser = client if persona == "anonymous" else as_persona(persona)
    response = browser.get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == expected[persona]
    if persona == "anonymous" and expected[persona] == REDIRECT and url_name != "logout":
        assert response.url.startswith(reverse("login"))


def test_inspector_cannot_see_another_inspections_case(inspector, other_case, as_persona):
    browser = as_persona("inspector")
    url = reverse("case-detail", kwargs={"slug": "southshire", "case_ref": other_case.case_ref})
    assert browser.get(url).status_code == NOT_FOUND


def test_another_inspections_case_ref_is_not_found_under_your_own_inspection(
    case, other_case, as_persona
):
    url = reverse("case-detail", kwargs={"slug": "northshire", "case_ref": other_case.case_ref})
    assert as_persona("inspector").get(url).status_code == NOT_FOUND


def test_my_inspections_lists_only_the_inspections_you_are_on(
    inspector, other_inspection, as_persona
):
    page = as_persona("inspector").get(reverse("my-inspections")).content.decode()
    assert "Northshire" in page
    assert "Southshire" not in page


def test_an_administrator_sees_every_inspection(inspection, other_inspection, as_persona):
    page = as_persona("admin_user").get(reverse("my-inspections")).content.decode()
    assert "Northshire" in page and "Southshire" in page


def test_nothing_about_cases_is_visible_signed_out(case, client):
    response = client.get(reverse("case-list", kwargs={"slug": "northshire"}), follow=True)
    page = response.content.decode()
    assert "Sign in" in page
    assert case.case_ref not in page
