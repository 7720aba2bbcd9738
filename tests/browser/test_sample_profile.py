"""The Durham lead opens the sample profile from the overview, enters the caseload's share of
women and sees it beside the sample's; both pages are clean for axe-core and fit a phone."""

import pytest

from fixtures.durham_2016 import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def durham(demo_loader):
    demo_loader()


def sign_in_as_lead(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My inspections").wait_for()


def gender_row(page, label: str) -> list[str]:
    table = page.locator("#profile-gender table")
    row = table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=label))
    return [cell.inner_text().strip() for cell in row.locator("th, td").all()]


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_lead_enters_the_caseloads_share_of_women_and_sees_it_beside_the_samples(
    durham, live_server, page, axe_violations
):
    sign_in_as_lead(page, live_server)
    page.get_by_role("link", name="Quality & Impact inspection: Durham").click()
    page.get_by_role("link", name="Sample profile").click()

    page.get_by_role("heading", name="Sample profile").wait_for()
    assert gender_row(page, "Female") == ["Female", "6 (19%)", "2 (13%)", "8 (17%)", "15%"]
    warning = page.locator(".govuk-warning-text").inner_text()
    assert "the sample has 2 people from black and minority ethnic groups" in warning
    assert axe_violations(page) == []

    page.get_by_role("link", name="Enter the area's caseload by gender").click()
    page.get_by_role("heading", name="The area's caseload by gender").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Female (per cent)").fill("140")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    assert (
        "expected a percentage from 0 to 100" in page.locator(".govuk-error-summary").inner_text()
    )
    assert axe_violations(page) == []

    page.get_by_label("Female (per cent)").fill("14")
    page.get_by_role("button", name="Save").click()

    page.get_by_text("The area's caseload by gender saved.").wait_for()
    assert gender_row(page, "Female") == ["Female", "6 (19%)", "2 (13%)", "8 (17%)", "14%"]
    assert page.get_by_text(
        "Women are 14% of the area's caseload; 8 of 47 (17%) of the sample."
    ).is_visible()


def test_the_profile_and_its_form_fit_a_phone(durham, live_server, page, axe_violations):
    page.set_viewport_size(PHONE)
    sign_in_as_lead(page, live_server)

    page.goto(f"{live_server.url}/inspections/durham-2016/sample-profile/")
    page.get_by_role("heading", name="Sample profile").wait_for()
    assert not scrolls_sideways(page)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Enter the area's caseload by office or hub").click()
    page.get_by_role("heading", name="The area's caseload by office or hub").wait_for()
    assert not scrolls_sideways(page)
    assert axe_violations(page) == []
