"""An administrator creates an inspection from My inspections, fixing a taken slug on the way."""

import pytest

from fixtures.durham_2016 import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def durham(demo_loader):
    demo_loader("--without-answers")


def test_admin_creates_an_inspection_with_no_accessibility_violations(
    durham, live_server, page, axe_violations
):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Create an inspection").click()

    page.get_by_role("heading", name="Create an inspection").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Probation area").fill("Cumbria")
    page.get_by_label("Short name for the web address").fill("durham-2016")
    page.get_by_role("group", name="Fieldwork starts").get_by_label("Day").fill("6")
    page.get_by_role("group", name="Fieldwork starts").get_by_label("Month").fill("6")
    page.get_by_role("group", name="Fieldwork starts").get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Create inspection").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "“durham-2016” already exists" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []

    page.get_by_label("Short name for the web address").fill("cumbria-2016")
    page.get_by_role("button", name="Create inspection").click()

    page.get_by_role("heading", name="Quality & Impact inspection: Cumbria").wait_for()
    assert page.get_by_text("6 June 2016").is_visible()
    assert page.get_by_role("link", name="Download the answers (CSV)").is_visible()
    assert axe_violations(page) == []
