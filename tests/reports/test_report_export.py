"""Exporting the report PDF through the background job, watching it, downloading it and
publishing it; what an editor types is printed as text in the preview and the PDF."""

import hashlib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from inspection.models import InspectionStatus, PublishedError
from inspection.services import inspection_correction_open
from reports.charts.services import chart_confirm_figures
from reports.document.compose import build_document
from reports.document.services import (
    PartContent,
    report_part_add,
    report_part_confirm_figures,
    report_part_update,
)
from reports.export.pdf import render_report_pdf, report_html
from reports.export.services import (
    report_export_request,
    report_exports,
    report_publish,
)
from reports.models import ExportStatus, PartKind, PublishedReport, ReportExport, ReportPart
from tests.factories import CaseFactory
from tests.helpers import finished_export, record
from tests.reports.exporting import done_export, run_worker
from tests.reports.report_skeleton import IMAGE, SCRIPT, build_report

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_editor_exports_the_pdf_watches_the_job_and_downloads_it(drafting, editor, client):
    client.force_login(editor)
    page = reverse("report-export", args=[drafting.slug])
    response = client.post(reverse("report-export-start", args=[drafting.slug]))
    assert response.url == page

    queued = client.get(page)
    assert "Queued" in queued.text
    assert 'data-refresh-seconds="3"' in queued.text and "Check progress" in queued.text
    assert DBTaskResult.objects.filter(task_path__endswith="render_report_export").count() == 1

    run_worker()

    done = client.get(page)
    assert "Done" in done.text and "data-refresh-seconds" not in done.text
    export = ReportExport.objects.get(inspection=drafting)
    assert (export.status, export.requested_by) == (ExportStatus.DONE, editor)
    assert export.checksum == hashlib.sha256(bytes(export.pdf)).hexdigest()
    assert export.checksum in done.text
    download = client.get(reverse("report-export-download", args=[drafting.slug, export.pk]))
    assert download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    assert pdf == bytes(export.pdf)
    assert "We inspected 1 cases, 1 of them the CRC's." in pdf_text(pdf)


def test_an_inspector_cannot_export(drafting, inspector, client):
    client.force_login(inspector)
    response = client.post(reverse("report-export-start", args=[drafting.slug]))
    assert response.status_code == 403
    assert not ReportExport.objects.exists()
    assert "Export PDF" not in client.get(reverse("report-export", args=[drafting.slug])).text


def test_the_methodologys_sample_numbers_follow_the_data(drafting, inspector):
    assert "We inspected 1 cases, 1 of them" in pdf_text(render_report_pdf(drafting).pdf)
    CaseFactory(inspection=drafting, case_ref="NS-002", assigned_inspector=inspector)
    assert "We inspected 2 cases, 2 of them" in pdf_text(render_report_pdf(drafting).pdf)


def test_the_export_page_names_the_urls_the_pdf_refused(drafting, editor, client):
    ReportExport.objects.create(
        inspection=drafting,
        status=ExportStatus.DONE,
        pdf=b"%PDF",
        pages=1,
        refused_urls=["file:///etc/passwd"],
    )
    client.force_login(editor)
    page = client.get(reverse("report-export", args=[drafting.slug]))
    assert "refused to fetch <code>file:///etc/passwd</code>" in page.text


def test_a_pdf_that_left_out_what_it_may_not_fetch_is_not_published(drafting, editor):
    export = finished_export(drafting, refused_urls=["file:///etc/passwd"])
    with pytest.raises(ValidationError, match=r"left out 1 image.*first: file:///etc/passwd"):
        report_publish(inspection=drafting, export=export, by=editor)
    assert not PublishedReport.objects.exists()
    drafting.refresh_from_db()
    assert drafting.status != InspectionStatus.PUBLISHED


def test_publishing_stores_the_pdf_freezes_the_inspection_and_a_correction_is_a_new_version(
    drafting, editor, client
):
    first = done_export(drafting, editor)
    client.force_login(editor)
    client.post(reverse("report-publish", args=[drafting.slug]), {"export": first.pk})

    drafting.refresh_from_db()
    assert drafting.status == InspectionStatus.PUBLISHED
    assert drafting.history.first().history_user == editor
    version_1 = PublishedReport.objects.get(inspection=drafting)
    assert (version_1.version, version_1.checksum) == (1, first.checksum)
    assert version_1.checksum == hashlib.sha256(bytes(version_1.pdf)).hexdigest()

    # The first export went out: it cannot go out again as version 2.
    with pytest.raises(ValidationError, match="already published, as version 1"):
        report_publish(inspection=drafting, export=first, by=editor, note="Typesetting")
    # The report's data is frozen, so a correction re-publishes it, as rendered now.
    second = done_export(drafting, editor)
    with pytest.raises(ValidationError, match="Say what this version corrects"):
        report_publish(inspection=drafting, export=second, by=editor)
    client.post(
        reverse("report-publish", args=[drafting.slug]),
        {"export": second.pk, "note": "A chart's caption was cut"},
    )
    versions = list(PublishedReport.objects.filter(inspection=drafting).order_by("version"))
    assert [(v.version, v.note) for v in versions] == [(1, ""), (2, "A chart's caption was cut")]

    page = client.get(reverse("report-export", args=[drafting.slug]))
    for version in versions:
        download = client.get(
            reverse("report-published-download", args=[drafting.slug, version.version])
        )
        assert b"".join(download.streaming_content) == bytes(version.pdf)
        assert version.checksum in page.text


def test_a_report_whose_figures_changed_since_confirmed_is_not_published(drafting, editor, client):
    # A case is added in drafting (the lead reopens analysis, say): the methodology's figures
    # move on from what the editor confirmed.
    methodology = ReportPart.objects.get(inspection=drafting, kind=PartKind.METHODOLOGY)
    CaseFactory(inspection=drafting, case_ref="NS-002")
    export = done_export(drafting, editor)

    client.force_login(editor)
    page = client.get(reverse("report-export", args=[drafting.slug])).text
    # Publish is not offered; the part that stops it is named, with a link to confirm it.
    assert "Publish the report with this PDF" not in page
    assert "You cannot publish this PDF yet" in page
    figures = reverse("report-figures", args=[drafting.slug])
    name = "Methodology in Appendix 1: Methodology"
    assert f'href="{figures}#part-{methodology.pk}">Confirm the figures of {name}</a>' in page
    assert "[[sample cases]] was 1, now 2" in page
    with pytest.raises(
        ValidationError, match=f"1 part of the report has figures to confirm or correct: {name}"
    ):
        report_publish(inspection=drafting, export=export, by=editor)
    assert not PublishedReport.objects.exists()

    # Confirming the figures prints nothing new: the same PDF goes out, not exported again.
    report_part_confirm_figures(part=methodology, by=editor)
    page = client.get(reverse("report-export", args=[drafting.slug])).text
    assert "Publish the report with this PDF" in page and "You cannot publish" not in page
    assert report_publish(inspection=drafting, export=export, by=editor).version == 1


def test_a_report_whose_chart_changed_since_confirmed_is_not_published_and_names_the_chart(
    drafting, case, chart, editor
):
    """Chart 1's first bar printed 1 yes and 0 no when the editor confirmed it; an answer
    changed since makes it 0 and 1, so the report waits for the editor to confirm it."""
    appendix = report_part_add(
        inspection=drafting,
        kind=PartKind.APPENDIX,
        content=PartContent(heading="Charts"),
        by=editor,
    )
    report_part_add(inspection=drafting, kind=PartKind.CHARTS, parent=appendix, by=editor)
    record(case, "PP-D8a", "yes")
    chart_confirm_figures(chart=chart, by=editor)
    record(case, "PP-D8a", "no")
    export = done_export(drafting, editor)

    with pytest.raises(ValidationError) as refused:
        report_publish(inspection=drafting, export=export, by=editor)
    assert refused.value.messages == [
        "1 chart shows figures changed since they were confirmed (Chart 1: Public protection). "
        "Confirm it on the charts page."
    ]
    assert not PublishedReport.objects.exists()

    chart.refresh_from_db()
    chart_confirm_figures(chart=chart, by=editor, expected_version=chart.version)
    export = done_export(drafting, editor)
    assert report_publish(inspection=drafting, export=export, by=editor).version == 1


def test_a_chart_the_report_does_not_print_does_not_hold_it_back(drafting, case, chart, editor):
    record(case, "PP-D8a", "yes")
    export = done_export(drafting, editor)
    assert report_publish(inspection=drafting, export=export, by=editor).version == 1


def test_a_placeholder_that_names_nothing_is_named_with_a_link_to_correct_it(
    drafting, editor, client
):
    appendix = ReportPart.objects.get(inspection=drafting, kind=PartKind.APPENDIX)
    # Written before the framework lost the question, say: the text names no figure now.
    prose = ReportPart.objects.create(
        inspection=drafting, parent=appendix, position=9, kind=PartKind.PROSE, body="[[PP-Q9]]"
    )
    done_export(drafting, editor)

    client.force_login(editor)
    page = client.get(reverse("report-export", args=[drafting.slug])).text

    edit = reverse("report-part-edit", args=[drafting.slug, prose.pk])
    assert f'href="{edit}">Correct the placeholders of prose in Appendix 1: Methodology</a>' in page
    assert "[[PP-Q9]]: there is no question PP-Q9" in page
    assert "Publish the report with this PDF" not in page


def test_a_pdf_older_than_the_data_is_not_offered_for_publishing(drafting, editor, client):
    done_export(drafting, editor)
    CaseFactory(inspection=drafting, case_ref="NS-002")  # the data moves on
    report_part_confirm_figures(
        part=ReportPart.objects.get(inspection=drafting, kind=PartKind.METHODOLOGY), by=editor
    )

    client.force_login(editor)
    page = client.get(reverse("report-export", args=[drafting.slug])).text

    assert "Publish the report with this PDF" not in page
    assert "What the report prints changed after this PDF was made" in page


def test_an_inspection_not_yet_in_drafting_cannot_be_published(inspection, editor):
    export = done_export(inspection, editor)
    with pytest.raises(ValidationError):
        report_publish(inspection=inspection, export=export, by=editor)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.FIELDWORK
    assert not PublishedReport.objects.exists()


def test_the_exports_list_never_loads_the_pdfs(drafting, editor):
    done_export(drafting, editor)
    [export] = report_exports(drafting)
    assert "pdf" in export.get_deferred_fields()
    assert export.pages >= 1


def test_script_and_markup_an_editor_types_print_as_text_in_preview_and_pdf(
    inspection, editor, client
):
    build_report(inspection, marker=SCRIPT + IMAGE)
    client.force_login(editor)
    preview = client.get(reverse("report-preview", args=[inspection.slug])).text
    assert SCRIPT not in preview and IMAGE not in preview
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in preview
    # In every editable field: the title, a heading, a quotation's attribution, a table cell…
    assert preview.count("&lt;script&gt;") >= 20

    result = render_report_pdf(inspection)
    assert result.refused_urls == []  # the image is text, never an image to fetch
    text = pdf_text(result.pdf)
    assert text.count("<script>alert('x')</script>") >= 20


def test_the_preview_is_the_document_the_pdf_is_made_from(inspection, editor, client):
    build_report(inspection)
    client.force_login(editor)
    page = client.get(reverse("report-preview", args=[inspection.slug])).text
    preview, printed = (html.split("<main", 1)[1] for html in (page, report_html(inspection)))

    def headings(html: str) -> list[str]:
        return re.findall(r"<h[1-5][^>]*>(.*?)</h[1-5]>", html, re.S)

    def paragraphs(html: str) -> list[str]:
        return re.findall(r"<p>(.*?)</p>", html, re.S)

    assert len(headings(printed)) > 40
    assert headings(preview) == headings(printed)
    assert paragraphs(preview) == paragraphs(printed)


def test_the_glossary_prints_its_emphasis_and_links_in_preview_and_pdf_as_the_prose_does(
    inspection, editor, client
):
    """The glossary's terms and definitions are prose like the body: the editor's *emphasis*
    prints in italics, never as asterisks (issue 16)."""
    build_report(inspection)
    glossary = ReportPart.objects.get(inspection=inspection, kind=PartKind.GLOSSARY)
    terms = [["*CRC*", "Set up under *Transforming Rehabilitation*, see [the Act](https://a.uk)"]]
    report_part_update(part=glossary, content=PartContent(terms=terms), by=editor)
    client.force_login(editor)
    preview = client.get(reverse("report-preview", args=[inspection.slug])).text

    for html in (preview, report_html(inspection)):
        row = re.search(r'<table class="report-glossary">.*?</table>', html, re.S).group(0)
        assert '<th scope="row"><em>CRC</em></th>' in row
        assert "<em>Transforming Rehabilitation</em>" in row
        assert '<a href="https://a.uk" rel="noopener noreferrer">the Act</a>' in row
        assert "*" not in row
    assert "Transforming Rehabilitation, see the Act" in pdf_text(render_report_pdf(inspection).pdf)


def test_a_background_tables_figures_are_right_aligned_and_its_words_are_not(
    inspection, editor, client
):
    """Columns of figures align to the right as GOV.UK tables do, in the preview and the PDF;
    a column with words in it, and the column naming the rows, stay left (issue 16)."""
    build_report(inspection)
    table = ReportPart.objects.get(inspection=inspection, kind=PartKind.BACKGROUND_TABLE)
    content = PartContent(
        columns=["Area", "Population", "Rate (%)", "Note"],
        rows=[["County Durham", "517,773", "27.6", "rural"], ["England", "", "25.4", "12"]],
    )
    report_part_update(part=table, content=content, by=editor)
    client.force_login(editor)
    preview = client.get(reverse("report-preview", args=[inspection.slug])).text

    numeric_header = '<th scope="col" class="govuk-table__header--numeric">'
    numeric_cell = '<td class="govuk-table__cell--numeric">'
    for html in (preview, report_html(inspection)):
        assert f"{numeric_header}Population</th>" in html
        assert f"{numeric_header}Rate (%)</th>" in html
        assert '<th scope="col">Area</th>' in html and '<th scope="col">Note</th>' in html
        assert f"{numeric_cell}517,773</td>" in html and f"{numeric_cell}25.4</td>" in html
        assert "<td>rural</td>" in html and "<td>12</td>" in html
        assert '<th scope="row">County Durham</th>' in html


def test_background_tables_print_their_number_in_their_appendix_as_the_text_cites_them(
    inspection, editor, client
):
    """The Durham report's text cites "Appendix 2 Table 5", and Appendix 2 captions its
    tables "Table 1" to "Table 6": the preview and the PDF number them so (issue 16)."""
    build_report(inspection)
    table = ReportPart.objects.get(inspection=inspection, kind=PartKind.BACKGROUND_TABLE)
    second = report_part_add(
        inspection=inspection,
        kind=PartKind.BACKGROUND_TABLE,
        parent=table.parent,
        content=PartContent(heading="Reoffending rate", rows=[["North", "27.6"]]),
        by=editor,
    )
    client.force_login(editor)
    preview = client.get(reverse("report-preview", args=[inspection.slug])).text

    appendix = build_document(inspection).find(table.parent_id).number
    assert [node.cite for node in build_document(inspection).walk() if node.table_number] == [
        f"{appendix}, table 1",
        f"{appendix}, table 2",
    ]
    for html in (preview, report_html(inspection)):
        assert f"<caption>Table 1: {table.heading}</caption>" in html
        assert f"<caption>Table 2: {second.heading}</caption>" in html


def test_the_preview_of_an_inspection_with_no_report_yet_has_its_title_as_heading_one(
    inspection, editor, client
):
    """A page has one h1 (axe's page-has-heading-one): before any part is written the
    preview names the inspection and says there is nothing to print yet."""
    client.force_login(editor)
    page = client.get(reverse("report-preview", args=[inspection.slug])).text

    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S) == [escape(inspection.title)]
    assert "This inspection has no report yet." in page


def test_a_correction_reopens_the_report_changes_its_text_and_keeps_every_version(
    drafting, editor, inspector, client
):
    """Published: frozen. The editor reopens it for a correction, saying why (the history
    keeps it); the text changes; what is published is version 2; version 1 is what went out."""
    first = done_export(drafting, editor)
    version_1 = report_publish(inspection=drafting, export=first, by=editor)
    methodology = ReportPart.objects.get(inspection=drafting, kind=PartKind.METHODOLOGY)
    with pytest.raises(PublishedError):
        report_part_update(part=methodology, content=PartContent(body="Changed"), by=editor)

    client.force_login(inspector)
    refused = client.post(reverse("report-correction-open", args=[drafting.slug]), {"reason": "x"})
    assert refused.status_code == 403
    client.force_login(editor)
    page = reverse("report-export", args=[drafting.slug])
    published = client.get(page).text
    assert "Reopen the report for a correction" in published
    assert "This PDF was published as" in published and "export it again" not in published
    blank = client.post(reverse("report-correction-open", args=[drafting.slug]), {"reason": " "})
    assert blank.status_code == 400 and "Say what the correction is for" in blank.text
    drafting.refresh_from_db()
    assert drafting.status == InspectionStatus.PUBLISHED

    reason = "The methodology miscounts the interviews"
    opened = client.post(
        reverse("report-correction-open", args=[drafting.slug]), {"reason": reason}
    )
    assert opened.url == page
    drafting.refresh_from_db()
    assert drafting.status == InspectionStatus.DRAFTING
    reopening = drafting.history.first()
    assert (reopening.history_user, reopening.history_change_reason) == (editor, reason)
    assert reason in client.get(page).text

    report_part_update(
        part=methodology,
        content=PartContent(body="In all, [[sample cases]] case was inspected."),
        by=editor,
    )
    second = done_export(drafting, editor)
    with pytest.raises(ValidationError, match="Say what this version corrects"):
        report_publish(inspection=drafting, export=second, by=editor)
    version_2 = report_publish(
        inspection=drafting, export=second, by=editor, note="The methodology's count"
    )
    drafting.refresh_from_db()
    assert drafting.status == InspectionStatus.PUBLISHED
    assert version_2.version == 2
    assert "In all, 1 case was inspected." in pdf_text(bytes(version_2.pdf))
    kept = PublishedReport.objects.get(inspection=drafting, version=1)
    assert (kept.checksum, bytes(kept.pdf)) == (version_1.checksum, bytes(version_1.pdf))
    assert "We inspected 1 cases" in pdf_text(bytes(kept.pdf))


def _dated_today() -> str:
    return f"dated {dateformat.format(timezone.localdate(), 'j F Y')}"


def test_a_corrected_version_says_so_and_why_on_its_copyright_page_and_in_its_metadata(
    drafting, editor
):
    report_part_add(inspection=drafting, kind=PartKind.COPYRIGHT, position=1, by=editor)
    first = done_export(drafting, editor)
    assert first.version == 1
    assert "Version 1." in pdf_text(bytes(first.pdf))
    report_publish(inspection=drafting, export=first, by=editor)

    reason = "The methodology miscounts the interviews"
    inspection_correction_open(inspection=drafting, by=editor, reason=reason)
    second = done_export(drafting, editor)
    version_2 = report_publish(
        inspection=drafting, export=second, by=editor, note="The methodology's count"
    )

    mark = f"Version 2, {_dated_today()}. Corrected: {reason}."
    reader = PdfReader(io.BytesIO(bytes(version_2.pdf)))
    copyright_page = " ".join(reader.pages[0].extract_text().split())
    assert copyright_page.startswith(mark)
    assert reader.metadata.subject == f"{drafting.title}. {mark}"
    assert reader.metadata["/Keywords"] == "Version 2, Corrected"


def test_a_version_published_again_unreopened_says_so_and_goes_out_only_as_that_version(
    drafting, editor
):
    report_part_add(inspection=drafting, kind=PartKind.COPYRIGHT, position=1, by=editor)
    report_publish(inspection=drafting, export=done_export(drafting, editor), by=editor)
    again, also_again = done_export(drafting, editor), done_export(drafting, editor)
    assert (again.version, also_again.version) == (2, 2)
    assert (
        f"Version 2, {_dated_today()}. Typeset again, with the text and figures of version 1."
        in pdf_text(bytes(again.pdf))
    )

    report_publish(inspection=drafting, export=again, by=editor, note="A caption was cut")
    with pytest.raises(
        ValidationError, match="This PDF says it is version 2, but it would go out as version 3"
    ):
        report_publish(inspection=drafting, export=also_again, by=editor, note="Again")
    assert PublishedReport.objects.filter(inspection=drafting).count() == 2


def test_a_pdf_that_does_not_say_its_version_is_not_published(drafting, editor):
    drafting.refresh_from_db()
    export = finished_export(drafting, version=None)
    with pytest.raises(ValidationError, match="says no version, but it would go out as version 1"):
        report_publish(inspection=drafting, export=export, by=editor)
    assert not PublishedReport.objects.exists()


def test_only_a_published_inspection_is_reopened_for_a_correction(drafting, lead):
    with pytest.raises(ValidationError, match="Only a published inspection"):
        inspection_correction_open(inspection=drafting, by=lead, reason="A typo")
    long = "x" * 101
    export = done_export(drafting, lead)
    report_publish(inspection=drafting, export=export, by=lead)
    with pytest.raises(ValidationError, match="at most 100 characters"):
        inspection_correction_open(inspection=drafting, by=lead, reason=long)
    drafting.refresh_from_db()
    drafting.reopening_for_correction = True  # the service's flag reopens, and nothing else
    drafting.status, drafting.title = InspectionStatus.DRAFTING, "Retitled"
    with pytest.raises(PublishedError):
        drafting.save()


def test_the_page_title_is_text_while_an_export_runs(drafting, editor, client):
    client.force_login(editor)
    report_export_request(inspection=drafting, by=editor)
    page = client.get(reverse("report-export", args=[drafting.slug])).text
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and title.startswith("Report PDF")
    assert page.count("js/report-export.js") == 1
