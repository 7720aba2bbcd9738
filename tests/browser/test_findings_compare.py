"""Once Durham is published, the lead of Westmoor (in fieldwork) compares its protecting the
public findings with the national figure, Durham's counts and nothing else of Durham's; staff
see both inspections in columns beside it. Both pages clean for axe-core and fit a phone."""

import pytest

from fixtures.durham_2016 import DEMO_PASSWORD
from inspection.models import Inspection
from inspection.services import inspection_status_change
from tests.browser.test_charts import sign_in_as_lead
from tests.browser.test_findings import REASONABLE_ACTION, check_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def durham_published(demo_loader):
    durham = demo_loader()
    Inspection.objects.filter(pk=durham.pk).update(status="drafting")
    inspection_status_change(inspection=durham, to_status="published", by=None)
    return durham


def figure(page, column: str) -> str:
    """The PP-D8a row's figure in one column."""
    row = page.locator("tr", has=page.locator("th", has_text=REASONABLE_ACTION))
    return row.locator(f'td[data-label="{column}"]').inner_text()


def test_the_lead_compares_westmoor_with_the_national_figure(
    durham_published, live_server, page, axe_violations
):
    sign_in_as_lead(page, live_server)
    page.get_by_role("link", name="Quality & Impact inspection: Westmoor").click()
    page.get_by_role("link", name="Report tables").click()
    page.get_by_role("link", name="Compare with the national figure").click()
    page.get_by_role("heading", name="Court stage compared with the national figure").wait_for()
    comparisons = page.get_by_role("navigation", name="Comparison pages")
    comparisons.get_by_role("link", name="Protecting the public").click()
    page.get_by_role("navigation", name="Cases compared").get_by_role("link", name="CRC").click()
    page.get_by_text("1 inspection, 47 cases (31 CRC, 16 NPS)").wait_for()
    assert figure(page, "National").split() == ["61%", "19", "of", "31"]  # Durham's CRC
    assert page.locator(".app-compare-table a").count() == 0  # no way into Durham's cases
    check_page(page, axe_violations)


def test_staff_see_each_inspection_beside_the_national_figure(
    durham_published, live_server, page, axe_violations
):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Findings across inspections").click()
    page.get_by_label("Quality & Impact inspection: Durham").check()
    page.get_by_label("Quality & Impact inspection: Westmoor").check()
    page.get_by_role("button", name="Show the findings").click()
    page.get_by_role("link", name="Protecting the public").click()
    page.get_by_role("link", name="CRC cases").click()
    page.get_by_role("heading", name="Protecting the public", level=2).wait_for()
    assert figure(page, "Durham 2016").split()[:5] == ["61%", "19", "of", "31", "0"]
    assert figure(page, "National").split() == ["61%", "19", "of", "31"]
    assert page.locator('td[data-label="Westmoor 2026"]').count() > 0
    check_page(page, axe_violations)
