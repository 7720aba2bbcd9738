"""The Durham lead reads the protecting the public findings, follows the CRC's "19 of 31" for
all reasonable action by the responsible officer (PP-D8a) to its 31 cases, and filters to
women's cases; every findings page is clean for axe-core and fits a 390 px phone."""

import pytest

from fixtures.durham_2016 import DEMO_PASSWORD
from tests.browser.test_charts import PHONE, scrolls_sideways, sign_in_as_lead

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

REASONABLE_ACTION = "all reasonable action to keep the person's risk of harm"


@pytest.fixture
def durham(demo_loader):
    demo_loader()


def crc_cell(page, text: str):
    """The CRC cell of the row whose heading holds `text`."""
    row = page.locator("tr", has=page.locator("th", has_text=text))
    return row.locator('td[data-label="CRC"]')


def check_page(page, axe_violations) -> None:
    """Clean for axe, and the page never scrolls sideways: on a phone, a tablet (768 px) or a
    small desktop (1024 px), where a wide table scrolls in its own region instead."""
    assert axe_violations(page) == []
    size = page.viewport_size
    for width in (PHONE, {"width": 768, "height": 1024}, {"width": 1024, "height": 768}):
        page.set_viewport_size(width)
        assert not scrolls_sideways(page), (page.url, width)
    page.set_viewport_size(size)


def test_lead_drills_down_from_19_of_31_and_filters_to_women(
    durham, live_server, page, axe_violations
):
    sign_in_as_lead(page, live_server)
    page.get_by_role("link", name="Quality & Impact inspection: Durham").click()
    page.get_by_role("link", name="Protecting the public").click()

    page.get_by_role("heading", name="Protecting the public", level=1).wait_for()
    cell = crc_cell(page, REASONABLE_ACTION)
    assert cell.get_by_role("link", name="19 of 31").is_visible()
    assert "(61%)" in cell.inner_text() and "three-fifths" in cell.inner_text()
    check_page(page, axe_violations)

    cell.get_by_role("link", name="19 of 31").click()
    page.get_by_role("heading", name="31 cases relevant (answered yes or no)").wait_for()
    rows = page.locator("table tbody tr")
    assert rows.count() == 31
    assert page.locator("tbody td[data-label=Answer]", has_text="Yes").count() == 19
    check_page(page, axe_violations)

    page.get_by_role("link", name="Back to protecting the public findings").click()
    page.get_by_label("Count only the cases where").select_option("gender:female")
    page.get_by_role("button", name="Show the findings").click()
    page.get_by_text("Counting only the cases where Gender: Female").wait_for()
    cell = crc_cell(page, REASONABLE_ACTION)
    assert cell.get_by_role("link", name="4 of 6").is_visible()
    check_page(page, axe_violations)

    cell.get_by_role("link", name="4 of 6").click()
    page.get_by_role("heading", name="6 cases relevant (answered yes or no)").wait_for()
    assert page.locator("table tbody tr").count() == 6
    check_page(page, axe_violations)


def test_every_findings_page_is_clean_and_fits_a_phone(durham, live_server, page, axe_violations):
    sign_in_as_lead(page, live_server)
    page.get_by_role("link", name="Quality & Impact inspection: Durham").click()
    page.get_by_role("link", name="Report tables").click()
    page.get_by_role("heading", name="Findings", level=1).wait_for()
    assert page.get_by_role("heading", name="Priority offending-related factors").is_visible()
    check_page(page, axe_violations)
    names = ["Court stage", "Case descriptors", "Reducing reoffending", "Abiding by the sentence",
             "Leadership and management"]  # fmt: skip
    for name in names:
        page.get_by_role("navigation", name="Findings pages").get_by_role("link", name=name).click()
        page.get_by_role("heading", name=name, level=1).wait_for()
        check_page(page, axe_violations)


def test_staff_read_a_years_inspections_together(durham, live_server, page, axe_violations):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Findings across inspections").click()
    page.get_by_label("Or every inspection of a year").select_option("2016")
    page.get_by_label("The inspections added together, by organisation").check()
    page.get_by_role("button", name="Show the findings").click()
    page.get_by_text("47 cases from 1 inspection (31 CRC, 16 NPS)").wait_for()
    check_page(page, axe_violations)
    page.get_by_role("link", name="Protecting the public").click()
    page.get_by_role("heading", name="Protecting the public", level=2).wait_for()
    assert "19 of 31" in crc_cell(page, REASONABLE_ACTION).inner_text()
    check_page(page, axe_violations)
