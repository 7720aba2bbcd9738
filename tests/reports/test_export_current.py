"""An export stays current while the report prints what it printed (issue 16: a stage move
alone made the editor export again, and the PDFs were byte for byte the same). Any change to
what prints makes it stale, whatever else moved the inspection's data revision."""

import pytest
from django.urls import reverse

from cases.services import case_create, case_update
from inspection.models import Inspection, InspectionStatus, Role
from inspection.services import inspection_status_change, membership_save
from reports.charts.services import chart_bar_update, chart_update
from reports.document.compose import build_document
from reports.document.services import (
    PartContent,
    report_front_save,
    report_part_confirm_figures,
    report_part_update,
)
from reports.export.pdf import document_html, printed_fingerprint
from reports.export.pdf_fetcher import BASE_URL
from reports.export.services import export_is_current, report_publish
from reports.models import PartKind, PublishedReport, ReportPart
from reports.tables.services import recommendation_add, recommendation_group_add, table_row_add
from tests.factories import UserFactory
from tests.helpers import finished_export, record
from tests.reports.exporting import done_export
from tests.reports.report_skeleton import build_report

pytestmark = pytest.mark.django_db


def data_revision(inspection) -> int:
    return Inspection.objects.values_list("data_revision", flat=True).get(pk=inspection.pk)


def test_a_stage_move_leaves_the_pdf_current_and_the_editor_publishes_it(
    drafting, editor, lead, client
):
    """The worker's own PDF, its fingerprint taken as it was typeset: the lead moves the
    inspection back to analysis and on to drafting again, and the same PDF is published."""
    export = done_export(drafting, editor)
    revision = data_revision(drafting)
    for status in [InspectionStatus.ANALYSIS, InspectionStatus.DRAFTING]:
        drafting = inspection_status_change(inspection=drafting, to_status=status, by=lead)
    assert data_revision(drafting) == revision + 2

    client.force_login(editor)
    page = client.get(reverse("report-export", args=[drafting.slug])).text
    assert "Publish the report with this PDF" in page
    assert "export it again to publish" not in page
    client.post(reverse("report-publish", args=[drafting.slug]), {"export": export.pk})
    published = PublishedReport.objects.get(inspection=drafting)
    assert (published.version, published.checksum) == (1, export.checksum)


def test_a_change_to_the_methodologys_figure_makes_the_pdf_stale_until_exported_again(
    drafting, editor, lead, client
):
    export = done_export(drafting, editor)
    case_create(
        inspection=drafting,
        by=lead,
        case_ref="NS-002",
        organisation="NPS",
        sentence_type="community_order",
        gender="female",
        ethnicity="white",
        office="Central hub",
        rosh_level="low",
    )

    client.force_login(editor)
    page = client.get(reverse("report-export", args=[drafting.slug])).text
    assert "What the report prints changed after this PDF was made" in page
    assert "Publish the report with this PDF" not in page
    with pytest.raises(Exception, match="What the report prints changed"):
        report_publish(inspection=drafting, export=export, by=editor)
    assert not PublishedReport.objects.exists()


# Every kind of write, through its service, on a report with a part of every kind (the
# skeleton), Chart 1 and Northshire's one case.


def _stage_move(inspection, lead, case):
    for status in [InspectionStatus.ANALYSIS, InspectionStatus.FIELDWORK]:
        inspection_status_change(inspection=inspection, to_status=status, by=lead)


def _team_member(inspection, lead, case):
    membership_save(inspection=inspection, user=UserFactory(), role=Role.INSPECTOR, by=lead)


def _case_reassigned(inspection, lead, case):
    case_update(case=case, changes={"assigned_inspector": lead}, by=lead)


def _evidence_note(inspection, lead, case):
    record(case, "PP-D8a", "yes", note="Seen on the file, dated in March.")


def _answer_no_figure_prints(inspection, lead, case):
    record(case, "RR-A1", "no")


NOT_PRINTED = [
    _stage_move,
    _team_member,
    _case_reassigned,
    _evidence_note,
    _answer_no_figure_prints,
]


def _answer_moves_a_figure(inspection, lead, case):
    record(case, "PP-D8a", "no")


def _prose(inspection, lead, case):
    foreword = ReportPart.objects.get(inspection=inspection, kind=PartKind.FOREWORD)
    report_part_update(part=foreword, content=PartContent(body="We read the cases."), by=lead)


def _title_page(inspection, lead, case):
    report_front_save(inspection=inspection, title="Probation work in Northshire", by=lead)


def _chart_title(inspection, lead, case):
    chart_update(chart=inspection.charts.get(), title="Keeping people safe", by=lead)


def _chart_bar_label(inspection, lead, case):
    bar = inspection.charts.get().bars.first()
    chart_bar_update(bar=bar, question_code=bar.question.code, label="Officers", by=lead)


def _background_table(inspection, lead, case):
    table = ReportPart.objects.get(inspection=inspection, kind=PartKind.BACKGROUND_TABLE)
    content = PartContent(columns=["Area", "Population"], rows=[["Northshire", "410,000"]])
    report_part_update(part=table, content=content, by=lead)


def _enabler(inspection, lead, case):
    table_row_add(
        inspection=inspection,
        domain="RR",
        perspective="CRC",
        column="enabler",
        text="Officers knew their cases well.",
        by=lead,
    )


def _recommendation(inspection, lead, case):
    group = recommendation_group_add(
        inspection=inspection, addressee="The National Probation Service should:", by=lead
    )
    recommendation_add(group=group, text="Review plans when circumstances change.", by=lead)


PRINTED = [
    _answer_moves_a_figure,
    _prose,
    _title_page,
    _chart_title,
    _chart_bar_label,
    _background_table,
    _enabler,
    _recommendation,
]


@pytest.fixture
def printed(inspection, chart, case):
    """The skeleton report, with Chart 1 to print in its appendix and PP-D8a answered yes so
    that the summary cells' phrase has a figure to move."""
    build_report(inspection)
    record(case, "PP-D8a", "yes")
    return inspection


@pytest.mark.parametrize("write", NOT_PRINTED, ids=lambda write: write.__name__.strip("_"))
def test_a_write_that_prints_nothing_leaves_the_export_current(printed, lead, case, write):
    export = finished_export(printed)
    revision = data_revision(printed)

    write(printed, lead, case)

    assert data_revision(printed) > revision
    assert export_is_current(export, build_document(printed))


def test_confirming_the_figures_an_answer_moved_leaves_the_export_made_after_it_current(
    printed, lead, case
):
    """The summary cells print PP-D8a's phrase: the answer moves it and flags the cells; the
    editor exports, then confirms the figures, which prints nothing."""
    cells = ReportPart.objects.filter(inspection=printed, kind=PartKind.SUMMARY_CELL)
    for cell in cells:
        report_part_confirm_figures(part=cell, by=lead)
    _answer_moves_a_figure(printed, lead, case)
    export = finished_export(printed)
    flagged = build_document(printed).flagged()
    assert flagged

    for node in flagged:
        report_part_confirm_figures(part=ReportPart.objects.get(pk=node.part_id), by=lead)

    document = build_document(printed)
    assert document.flagged() == []
    assert export_is_current(export, document)


@pytest.mark.parametrize("write", PRINTED, ids=lambda write: write.__name__.strip("_"))
def test_a_change_to_what_the_report_prints_makes_the_export_stale(printed, lead, case, write):
    export = finished_export(printed)
    assert export_is_current(export, build_document(printed))

    write(printed, lead, case)

    assert not export_is_current(export, build_document(printed))


def test_a_change_to_the_stylesheet_the_pdf_read_makes_it_stale(settings, tmp_path):
    """The print stylesheet is part of what prints: a deploy that changes it, or takes it
    away, changes the fingerprint of the same HTML."""
    (tmp_path / "css").mkdir()
    stylesheet = tmp_path / "css" / "print-test.css"
    stylesheet.write_text("@page { size: A4; }")
    settings.STATICFILES_DIRS = [tmp_path]
    url = f"{BASE_URL}static/css/print-test.css"
    html = "<p>The same words.</p>"

    made = printed_fingerprint(html, [url])
    assert printed_fingerprint(html, [url]) == made
    stylesheet.write_text("@page { size: A5; }")
    assert printed_fingerprint(html, [url]) != made
    stylesheet.unlink()
    assert printed_fingerprint(html, [url]) not in {made, printed_fingerprint(html, [])}


def test_an_export_made_before_fingerprints_were_kept_is_not_current(printed):
    export = finished_export(printed, fingerprint="")
    assert not export_is_current(export, build_document(printed))


def test_the_fingerprint_the_worker_takes_is_the_one_the_report_has_now(drafting, editor):
    """What export_is_current compares: the HTML the worker typeset and the document built
    again afterwards, with the stylesheet the PDF read."""
    export = done_export(drafting, editor)
    assert export.static_files == [f"{BASE_URL}static/css/report-print.css"]
    # Of the report without its version mark, which holds the day it was made.
    unmarked = document_html(build_document(drafting))
    assert export.fingerprint == printed_fingerprint(unmarked, export.static_files)
