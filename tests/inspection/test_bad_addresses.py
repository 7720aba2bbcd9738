"""An address or a filter holding a control character is a 404 or a message, never a server
error (issue 14, item 3): no slug, case reference, question code or filter value holds one, and
PostgreSQL cannot even compare a NUL. The addresses are the issue's own, on Northshire. Run on
SQLite and PostgreSQL alike."""

import pytest
from django.urls import reverse

from inspection.models import InspectionStatus
from inspection.services import inspection_status_change
from judgements.findings_pages import parse_filter
from reports.models import PublishedReport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/inspections/northshire/cases/NS%00001/",
        "/inspections/northshire/cases/NS%00001/sections/rr-assessment/",
        "/inspections/northshire/findings/questions/RR%00A1/",
        "/inspections/northshire/findings/pp/?cases=office:a%00b",
        "/inspections/northshire/findings/questions/RR-A2/?item=alcohol%00",
        "/inspections/northshire/cases/?status=%0b",
        "/inspections/north%1bshire/",
        "/my-cases/?x%00=1",
    ],
)
def test_an_address_holding_a_control_character_is_not_found(case, as_persona, address):
    response = as_persona("lead").get(address)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_one_is_not_found_before_signing_in_too(case, client):
    assert client.get("/inspections/northshire/cases/NS%00001/").status_code == 404


def test_the_same_addresses_without_the_character_are_found(case, as_persona):
    client = as_persona("lead")
    for address in [
        "/inspections/northshire/cases/NS-001/",
        "/inspections/northshire/findings/questions/RR-A1/",
        "/inspections/northshire/findings/pp/?cases=office:Central%20hub",
        "/inspections/northshire/cases/?status=submitted",
    ]:
        assert client.get(address).status_code == 200, address


def test_the_findings_filter_refuses_an_office_holding_a_control_character():
    with pytest.raises(ValueError, match=r"U\+0000 \(NUL\) at character 2"):
        parse_filter("office:a\x00b")
    assert parse_filter("office:Central hub") == ("office", "Central hub")


@pytest.mark.parametrize("export", ["\x00", "abc", "", "\u00b2", "99999999999999999999"])
def test_publishing_an_export_that_is_no_number_is_a_message(
    inspection, lead, editor, as_persona, export
):
    for status in [InspectionStatus.ANALYSIS, InspectionStatus.DRAFTING]:
        inspection_status_change(inspection=inspection, to_status=status, by=lead)

    response = as_persona("editor").post(
        reverse("report-publish", args=["northshire"]), {"export": export}, follow=True
    )

    assert response.status_code == 200
    assert "Choose a finished PDF export to publish." in response.content.decode()
    assert not PublishedReport.objects.exists()
