"""The lead inspector takes an inspection on from fieldwork to analysis from its overview: the
button, the page that says what the move changes, Confirm, and the move in the history."""

import pytest
from playwright.sync_api import expect

from inspection.models import Inspection
from tests.browser.scoring_steps import DATABASE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_lead_moves_the_inspection_on_to_analysis_from_its_overview(
    inspection, lead, sign_in, axe_violations
):
    page = sign_in("lena")
    page.goto("/inspections/northshire/")
    stage = page.locator("#stage + p")
    expect(stage).to_contain_text("Fieldwork")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Move on to analysis").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Move the inspection on to analysis?")
    expect(page.get_by_text("Nothing is frozen")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Move to analysis").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "moved from fieldwork to analysis"
    )
    expect(stage).to_contain_text("Analysis")
    page.get_by_text("Stage history (1 move)").click()
    history = page.locator("details tbody tr").first
    expect(history.locator('[data-label="Who"]')).to_have_text(lead.get_full_name())
    expect(history.locator('[data-label="To"]')).to_have_text("Analysis")
    with DATABASE:
        assert Inspection.objects.get(pk=inspection.pk).status == "analysis"
