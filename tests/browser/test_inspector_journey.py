"""A demo inspector signs in, opens the Durham inspection, sees its 47 cases and opens one."""

import pytest

from fixtures.durham_2016 import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def durham(demo_loader):
    demo_loader()


def test_demo_inspector_opens_durham_and_a_case_with_no_accessibility_violations(
    durham, live_server, page, axe_violations
):
    page.goto(f"{live_server.url}/")
    assert page.title().startswith("Sign in")
    assert axe_violations(page) == []

    page.get_by_label("Username").fill("inspector1")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", name="My inspections").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Quality & Impact inspection: Durham").click()

    page.get_by_role("heading", name="Sample").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="View all 47 cases").click()

    page.get_by_role("heading", name="Cases", exact=True).wait_for()
    assert page.locator("#case-count").inner_text() == "Showing 47 of 47 cases"
    assert page.locator("tbody tr").count() == 47
    assert axe_violations(page) == []

    page.get_by_label("Organisation").select_option("NPS")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**organisation=NPS**")
    assert page.locator("tbody tr").count() == 16

    page.get_by_role("link", name="DUR-NPS-03").click()
    page.get_by_role("heading", name="Case DUR-NPS-03").wait_for()
    assert page.get_by_text("Risk of serious harm level", exact=True).is_visible()
    # The demo is a completed inspection: the case is quality assured and its answers show.
    assert page.locator(".govuk-tag", has_text="Quality assured").first.is_visible()
    assert page.locator(".app-answers dt", has_text="RR-A1").is_visible()
    assert "Not answered" not in page.content()
    assert page.get_by_role("heading", name="Reducing reoffending: assessment").is_visible()
    assert axe_violations(page) == []


def test_signed_out_visitor_sees_the_sign_in_page_not_cases(durham, live_server, page):
    page.goto(f"{live_server.url}/inspections/durham-2016/cases/")
    assert page.title().startswith("Sign in")
    assert page.get_by_text("DUR-CRC-01").count() == 0
