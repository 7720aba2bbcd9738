"""The lead inspector and the editor move an inspection between stages from its overview: a
button for each move STATUS_MOVES allows them, a page that says what the move changes, a
Confirm button, and the history of moves. The rules are the status service's
(tests/inspection/test_status_moves.py)."""

import html
import re

import pytest
from django.urls import reverse

from inspection.models import Inspection, InspectionStatus, Role
from inspection.permissions import user_can
from inspection.stages import WRITE_WORDS, writes_at


def at_status(inspection: Inspection, status: str) -> None:
    """As if someone had moved it there (no history row: a move the page did not make)."""
    Inspection.objects.filter(pk=inspection.pk).update(status=status)


def stored_status(inspection: Inspection) -> str:
    return Inspection.objects.get(pk=inspection.pk).status


def overview(browser) -> str:
    return text(browser.get(reverse("inspection-overview", args=["northshire"])))


def text(response) -> str:
    return html.unescape(response.content.decode())


def stage_url(stage: str) -> str:
    return reverse("inspection-stage-move", args=["northshire", stage])


def stage_panel(page: str) -> str:
    return page.split('id="stage"', 1)[1].split("<h2", 1)[0]


def confirm(browser, stage: str, version: int, **kwargs):
    return browser.post(stage_url(stage), {"version": version}, **kwargs)


# The overview's stage panel


def test_the_lead_sees_a_button_for_each_move_from_fieldwork(inspection, lead, as_persona):
    panel = stage_panel(overview(as_persona("lead")))

    assert "Fieldwork" in panel
    assert f'href="{stage_url("analysis")}">Move on to analysis</a>' in panel
    assert f'href="{stage_url("setup")}">Move back to setting up</a>' in panel


def test_an_inspector_sees_the_stage_and_who_moves_it_but_no_button(
    inspection, inspector, as_persona
):
    panel = stage_panel(overview(as_persona("inspector")))

    assert "Fieldwork" in panel
    assert "govuk-button" not in panel
    assert "The lead inspector moves it on to analysis." in panel
    assert "The lead inspector moves it back to setting up." in panel


def test_the_editor_in_analysis_is_told_the_lead_takes_it_to_drafting(
    inspection, editor, as_persona
):
    at_status(inspection, "analysis")

    panel = stage_panel(overview(as_persona("editor")))

    assert "govuk-button" not in panel
    assert "The lead inspector moves it on to drafting." in panel


def test_in_drafting_the_editor_moves_it_back_and_publishes_from_the_report_pdf_page(
    inspection, editor, as_persona
):
    at_status(inspection, "drafting")

    panel = stage_panel(overview(as_persona("editor")))

    assert "Move back to analysis" in panel
    assert stage_url("published") not in panel  # publishing is the report's, with its checks
    assert f'href="{reverse("report-export", args=["northshire"])}">Report PDF</a>' in panel


def test_an_administrator_on_no_team_sees_the_buttons(inspection, admin_user, as_persona):
    panel = stage_panel(overview(as_persona("admin_user")))

    assert "Move on to analysis" in panel


# The confirmation page


@pytest.mark.parametrize("status", InspectionStatus.values)
def test_what_the_confirmation_says_each_role_may_change_is_what_the_gate_allows(
    inspection, inspector, lead, editor, status
):
    at_status(inspection, status)
    people = {Role.INSPECTOR: inspector, Role.LEAD_INSPECTOR: lead, Role.EDITOR: editor}

    for role, person in people.items():
        stored = Inspection.objects.get(pk=inspection.pk)
        allowed = [words for can, words in WRITE_WORDS.items() if user_can(person, stored, can)]
        assert writes_at(role, status) == allowed, role


def test_the_confirmation_says_what_the_move_changes_and_who_may_write(
    inspection, lead, as_persona
):
    at_status(inspection, "analysis")

    page = text(as_persona("lead").get(stage_url("drafting")))

    assert "Move the inspection on to drafting?" in page
    assert "It is in analysis now." in page
    assert "The report can be published: the lead inspector and the editor publish it" in page
    assert "Nothing is frozen" in page
    assert "The lead inspector and the editor can move it back to analysis." in page
    writers = page.split("Who may change what in drafting", 1)[1]
    assert re.search(r"Inspectors</dt>\s*<dd[^>]*>\s*May score cases", writers)
    assert re.search(r"The editor</dt>\s*<dd[^>]*>\s*May write the report", writers)
    assert f'name="version" value="{inspection.version}"' in page
    assert "Move to drafting</button>" in page


def test_moving_back_from_drafting_warns_that_publishing_stops(inspection, editor, as_persona):
    at_status(inspection, "drafting")

    page = text(as_persona("editor").get(stage_url("analysis")))

    assert "Move the inspection back to analysis?" in page
    assert "can no longer be published until the inspection is back in drafting" in page
    assert "govuk-warning-text" in page


def test_confirming_moves_the_inspection_and_records_who_moved_it(inspection, lead, as_persona):
    browser = as_persona("lead")

    response = confirm(browser, "analysis", inspection.version, follow=True)

    assert stored_status(inspection) == "analysis"
    assert "moved from fieldwork to analysis" in text(response)
    latest = inspection.history.latest()
    assert (latest.status, latest.history_user) == ("analysis", lead)
    assert Inspection.objects.get(pk=inspection.pk).data_revision == inspection.data_revision + 1


def test_the_overview_lists_every_move_with_who_when_from_and_to(inspection, lead, as_persona):
    browser = as_persona("lead")
    confirm(browser, "analysis", inspection.version)
    confirm(browser, "fieldwork", Inspection.objects.get(pk=inspection.pk).version)

    history = stage_panel(overview(browser)).split("Stage history", 1)[1]

    assert "(2 moves)" in history
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", history, re.S)[1:]
    cells = [re.findall(r'data-label="(?:Who|From|To)">([^<]*)<', row) for row in rows]
    name = lead.get_full_name()
    assert cells == [[name, "Analysis", "Fieldwork"], [name, "Fieldwork", "Analysis"]]


def test_a_confirmation_from_a_page_older_than_someone_elses_change_is_refused(
    inspection, lead, as_persona
):
    opened_at = inspection.version
    Inspection.objects.get(pk=inspection.pk).save()  # someone else's change since

    response = confirm(as_persona("lead"), "analysis", opened_at, follow=True)

    assert stored_status(inspection) == "fieldwork"
    page = text(response)
    assert "changed since the confirmation page was opened (it is in fieldwork now)" in page
    assert "so it was not moved" in page


def test_a_confirmation_after_someone_else_moved_it_says_where_it_is_now(
    inspection, lead, as_persona
):
    opened_at = inspection.version
    at_status(inspection, "analysis")

    response = confirm(as_persona("lead"), "setup", opened_at, follow=True)

    assert stored_status(inspection) == "analysis"
    assert "is in analysis now, so it cannot move to setting up from there" in text(response)


def test_a_confirmation_without_its_version_moves_nothing(inspection, lead, as_persona):
    response = as_persona("lead").post(stage_url("analysis"), {"version": "x"}, follow=True)

    assert stored_status(inspection) == "fieldwork"
    assert "nothing was moved" in text(response)


@pytest.mark.parametrize("persona", ["inspector", "editor"])
def test_a_team_member_the_move_is_not_for_is_refused_and_nothing_moves(
    inspection, inspector, editor, as_persona, persona
):
    browser = as_persona(persona)

    assert browser.get(stage_url("analysis")).status_code == 403
    assert confirm(browser, "analysis", inspection.version).status_code == 403
    assert stored_status(inspection) == "fieldwork"


def test_another_inspections_member_gets_a_404(inspection, other_inspector, as_persona):
    assert as_persona("other_inspector").get(stage_url("analysis")).status_code == 404


@pytest.mark.parametrize("stage", ["published", "archived", "analysis%00"])
def test_publishing_and_unknown_stages_are_not_pages(inspection, lead, as_persona, stage):
    at_status(inspection, "drafting")
    url = reverse("inspection-stage-move", args=["northshire", "x"]).replace("/x/", f"/{stage}/")

    assert as_persona("lead").get(url).status_code == 404
    assert stored_status(inspection) == "drafting"


def test_a_published_inspection_offers_no_move(inspection, lead, as_persona):
    at_status(inspection, "published")

    panel = stage_panel(overview(as_persona("lead")))

    assert "govuk-button" not in panel
    assert "The report is published" in panel
