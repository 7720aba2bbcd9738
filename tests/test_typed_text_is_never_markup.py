"""Text typed by one person is never markup for another (issue 14, item 2).

Markup goes into every free-text field a person can set, each through its service as a page,
an import or the admin would write it: the inspection's names, the team's names, a case's
office, notes and a text answer, the submission reason and the review comment, the area
caseload's office, the enablers and barriers, the recommendations, the charts, every field of
the report and its title page, the published version's note and the correction's reason.
Then every page of the URLconf (the walk of tests/test_url_permissions.py, so a new page is
read too), every section of the case, every part's edit page, the findings filtered by the
office and a few forms posted back with errors are read with an HTML parser: none may make an
element of what someone typed, every field must be printed somewhere as the text typed, and
every download is a file to save, never a page to render.
"""

from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from cases.services import case_create, caseload_proportions_save
from inspection.models import InspectionStatus, Role
from inspection.services import (
    inspection_correction_open,
    inspection_create,
    inspection_status_change,
    membership_save,
)
from judgements.models import Domain, Question, Theme
from judgements.scoring import scoring_sheet
from judgements.services import (
    AnswerSlot,
    answer_record,
    case_status_change,
    combination_save,
)
from reports.charts.services import chart_bar_create, chart_create
from reports.document.services import PartContent, report_front_save, report_part_add
from reports.export.services import report_publish
from reports.models import ReportPart
from reports.tables.services import (
    FindingLink,
    recommendation_add,
    recommendation_group_add,
    table_row_add,
)
from tests.factories import UserFactory
from tests.helpers import csv_rows, finished_export, item, question
from tests.markup import read, typed_markup
from tests.test_url_permissions import URLS, url_for

typed = typed_markup
# Prose is Markdown: a link to a script must print as its words, never as a link.
SCRIPT_LINK = " [words](javascript:alert(1))"


def _people(inspection) -> dict:
    people = {}
    for username, role in [
        ("lena", Role.LEAD_INSPECTOR),
        ("ed", Role.EDITOR),
        ("ivy", Role.INSPECTOR),
    ]:
        people[username] = UserFactory(
            username=username,
            first_name=typed(f"first_name_{username}", 150),
            last_name=typed(f"last_name_{username}", 150),
        )
        membership_save(inspection=inspection, user=people[username], role=role, by=None)
    return people


def _text_question(framework) -> Question:
    """qi-2016 asks nothing in free text, so the framework gets one (as an administrator can
    add one to a new version of it) before it has answers."""
    return Question.objects.create(
        framework=framework,
        code="RR-N1",
        domain=Domain.objects.get(framework=framework, code="RR"),
        theme=Theme.objects.get(framework=framework, code="assessment"),
        text="Anything else the inspector noticed about the assessment?",
        kind="text",
        order=999,
    )


def _case(inspection, inspector, lead):
    case = case_create(
        inspection=inspection,
        by=None,
        case_ref="TX-001",
        organisation="CRC",
        sentence_type="community_order",
        gender="female",
        ethnicity="white",
        office=typed("office", 120),
        rosh_level="medium",
        offence_type="violence",  # needed to submit the case
        assigned_inspector=inspector,
    )
    for code, item_code, value, note in [
        ("RR-A1", None, "yes", typed("note")),
        ("RR-A2", "alcohol", "yes", typed("grid_note")),
        ("PP-D8a", None, "yes", typed("drill_down_note")),
        ("RR-N1", None, typed("text_answer", 500), ""),
    ]:
        asked = question(code)
        chosen = item(asked.item_set.code, item_code) if item_code else None
        answer_record(slot=AnswerSlot(case, asked, chosen), value=value, note=note, user=inspector)
    for to_status, by, comment in [
        ("submitted", inspector, typed("submission_note")),
        ("returned", lead, typed("review_comment")),
    ]:
        case = case_status_change(case=case, to_status=to_status, by=by, comment=comment)
    return case


def _tables(inspection, lead) -> dict:
    barrier = table_row_add(
        inspection=inspection,
        domain="PP",
        perspective="CRC",
        column="barrier",
        text=typed("barrier"),
        findings=[FindingLink("PP-D8a", None, "CRC")],
        case_refs=["TX-001"],
        by=lead,
    )
    table_row_add(
        inspection=inspection,
        domain="PP",
        perspective="CRC",
        column="enabler",
        text=typed("enabler"),
        by=lead,
    )
    group = recommendation_group_add(inspection=inspection, addressee=typed("addressee"), by=lead)
    recommendation = recommendation_add(
        group=group, text=typed("recommendation"), barrier_ids=[barrier.pk], by=lead
    )
    chart = chart_create(
        inspection=inspection,
        title=typed("chart_title", 120),
        subtitle=typed("chart_subtitle", 300),
        by=lead,
    )
    bar = chart_bar_create(
        chart=chart, question_code="PP-D8a", label=typed("bar_label", 80), by=lead
    )
    combination = combination_save(
        inspection=inspection,
        by=lead,
        code="typed-combination",
        name=typed("combination_name", 120),
        question=Question.objects.get(framework=inspection.framework, code="PP-A3"),
        parts=["known_victims", "children"],
    )
    return {
        "row_id": barrier.pk,
        "group_id": group.pk,
        "recommendation_id": recommendation.pk,
        "chart_id": chart.pk,
        "bar_id": bar.pk,
        "code": combination.code,
    }


def _report(inspection, editor) -> list[int]:
    """The title page and a part of every kind that prints typed text; their ids."""
    report_front_save(
        inspection=inspection,
        title=typed("report_title", 200),
        series=typed("series", 200),
        byline=typed("byline", 200),
        published=typed("published", 40),
        copyright=typed("copyright", 200),
        licence=typed("licence") + SCRIPT_LINK,
        publisher=[typed("publisher", 200)],
        by=editor,
    )

    def add(kind, parent=None, **content):
        return report_part_add(
            inspection=inspection,
            kind=kind,
            parent=parent,
            content=PartContent(**content),
            by=editor,
        )

    parts = [add("title_page"), add("copyright"), add("contents")]
    parts.append(
        add(
            "foreword",
            heading=typed("foreword_heading", 200),
            body=typed("foreword_body") + SCRIPT_LINK,
            signatory=typed("signatory", 200),
            signatory_role=typed("signatory_role", 200),
            signed=typed("signed", 40),
        )
    )
    chapter = add("chapter", heading=typed("chapter_heading", 200), domain="PP")
    section = add("section", chapter, heading=typed("section_heading", 200), perspective="CRC")
    parts += [chapter, section]
    parts.append(add("prose", section, body=typed("prose") + SCRIPT_LINK))
    parts.append(add("practice_example", section, heading=typed("example_heading", 200)))
    parts.append(
        add("quotation", section, body=typed("quotation"), attribution=typed("attribution", 200))
    )
    parts.append(add("enablers_barriers", section, body=typed("table_lead_in")))
    appendix = add("appendix", heading=typed("appendix_heading", 200))
    parts.append(appendix)
    parts.append(
        add(
            "background_table",
            appendix,
            heading=typed("caption", 200),
            columns=[typed("column", 200)],
            rows=[[typed("cell", 200)]],
            source=typed("source", 300),
        )
    )
    parts.append(add("glossary", appendix, terms=[[typed("term", 200), typed("definition")]]))
    parts.append(
        add(
            "acknowledgements",
            appendix,
            roles=[[typed("role", 200), [[typed("name", 200), typed("job_title", 200)]]]],
        )
    )
    parts.append(add("charts", appendix, body=typed("charts_intro")))
    return [part.pk for part in parts]


def _published_and_reopened(inspection, editor) -> dict:
    for status in ["analysis", "drafting"]:
        inspection_status_change(inspection=inspection, to_status=status, by=None)
    inspection.refresh_from_db()
    export = finished_export(inspection)
    published = report_publish(
        inspection=inspection, export=export, by=editor, note=typed("publish_note", 500)
    )
    inspection_correction_open(
        inspection=inspection, by=editor, reason=typed("correction_reason", 100)
    )
    return {"export_id": export.pk, "version": published.version}


@pytest.fixture
def written(db):
    """An inspection whose every free-text field holds markup, written through the services."""
    inspection = inspection_create(
        slug="typed",
        area_name=typed("area_name", 120),
        framework_code="qi-2016",
        title=typed("inspection_title", 200),
        crc_name=typed("crc_name", 200),
        nps_name=typed("nps_name", 200),
        by=None,
    )
    people = _people(inspection)
    _text_question(inspection.framework)
    inspection_status_change(inspection=inspection, to_status="fieldwork", by=None)
    case = _case(inspection, people["ivy"], people["lena"])
    caseload_proportions_save(
        inspection=inspection,
        descriptor="office",
        percents={case.office: Decimal("40")},
        by=people["lena"],
    )
    ids = _tables(inspection, people["lena"])
    part_ids = _report(inspection, people["ed"])
    ids |= _published_and_reopened(inspection, people["ed"])
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DRAFTING
    ids |= {"slug": "typed", "case_ref": case.case_ref, "descriptor": "office", "part_id": 0}
    chapters = list(
        ReportPart.objects.filter(pk__in=part_ids, parent=None)
        .exclude(kind__in=["title_page", "copyright", "contents"])
        .values_list("pk", flat=True)
    )
    return {
        "inspection": inspection,
        "case": case,
        "people": people,
        "ids": ids,
        "parts": part_ids,
        "chapters": chapters,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls(written, request) -> list[str]:
    """Every URL of the URLconf, then the pages that print a typed field and the walk's one
    value of each parameter does not reach."""
    ids, case = written["ids"], written["case"]
    slug, office = ids["slug"], case.office
    # A part's pages take its last part (the charts); a chapter's page, a top-level part. The
    # side-by-side findings are by a coded descriptor: the office is typed, never coded.
    tops = {"report-chapter": written["chapters"][0]}
    coded = {"findings-by-descriptor": {"descriptor": "gender"}}
    urls = [
        url_for(
            name,
            pattern,
            request,
            ids={
                **ids,
                "part_id": tops.get(name, written["parts"][-1]),
                **coded.get(name, {}),
            },
        )
        for name, pattern in URLS.items()
    ]
    urls += [reverse("report-chapter", args=[slug, part_id]) for part_id in written["chapters"]]
    urls += [
        reverse("case-section", args=[slug, case.case_ref, section.slug])
        for section in scoring_sheet(case).sections
        if section.answered
    ]
    urls += [reverse("report-part-edit", args=[slug, part_id]) for part_id in written["parts"]]
    filtered = f"?cases=office:{office}"
    urls += [
        reverse("findings", args=[slug]) + filtered,
        reverse("findings-domain", args=[slug, "pp"]) + filtered,
        reverse("findings-by-descriptor", args=[slug, "pp", "gender"]) + filtered,
        reverse("finding-cases", args=[slug, "PP-D8a"]) + filtered,
        # The national page's columns are headed by each inspection's area.
        reverse("findings-national") + f"?inspection={slug}&domain=pp",
    ]
    return urls


def test_every_page_prints_what_was_typed_as_text_and_every_download_is_a_file(
    written, admin_user, request
):
    lead = _client(written["people"]["lena"])
    # Whoever may do everything, for the pages the lead may not open (creating an
    # inspection, the national findings).
    admin = _client(admin_user)
    printed: set[str] = set()
    problems, downloads = [], {}
    for url in _urls(written, request):
        response = lead.get(url, follow=True)
        if response.status_code in (403, 404):
            response = admin.get(url, follow=True)
        if response.status_code == 405:  # an action, posted only
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        if response.resolver_match.url_name == "session":  # the pages' scripts' JSON: no text
            continue
        if not response["Content-Type"].startswith("text/html"):
            downloads[response.resolver_match.url_name] = response
            continue
        reading = read(response.content.decode())
        printed |= reading.printed
        if reading.elements or reading.escaped_twice or reading.script_links:
            problems.append((url, reading.elements, reading.escaped_twice, reading.script_links))
    inspector = _client(written["people"]["ivy"])
    for url in [reverse("my-cases"), reverse("case-check", args=["typed", "TX-001"])]:
        reading = read(inspector.get(url).content.decode())
        printed |= reading.printed
        assert not reading.elements, (url, reading.elements)

    assert problems == []
    assert printed >= _every_typed_field(written)
    _downloads_are_files_holding_the_text_as_typed(downloads)


def _downloads_are_files_holding_the_text_as_typed(downloads: dict) -> None:
    assert set(downloads) == {
        "answers-csv",
        "answers-xlsx",
        "findings-csv",
        "findings-json",
        "findings-xlsx",
        "framework-json",
        "chart-csv",
        "report-export-download",
        "report-published-download",
    }
    for name, response in downloads.items():
        assert response["Content-Disposition"].startswith("attachment"), name
        assert response["X-Content-Type-Options"] == "nosniff", name
    answers_csv = csv_rows(b"".join(downloads["answers-csv"].streaming_content))
    assert ["TX-001", "RR-A1", "", "yes", typed("note")] in answers_csv
    assert ["TX-001", "RR-N1", "", typed("text_answer", 500), ""] in answers_csv
    sheet = openpyxl.load_workbook(BytesIO(downloads["answers-xlsx"].getvalue())).active
    assert typed("grid_note") in {cell.value for row in sheet.iter_rows() for cell in row}
    findings = openpyxl.load_workbook(BytesIO(downloads["findings-xlsx"].getvalue()))
    sample = findings["Sample descriptors"]
    assert typed("office", 120) in {cell.value for row in sample.iter_rows() for cell in row}
    chart_csv = csv_rows(downloads["chart-csv"].content)
    assert [typed("chart_title", 120), typed("bar_label", 80)] == [chart_csv[1][1], chart_csv[1][3]]


def _every_typed_field(written) -> set[str]:
    people = {
        f"{part}_{username}"
        for part in ("first_name", "last_name")
        for username in written["people"]
    }
    return people | {
        "area_name",
        "inspection_title",
        "crc_name",
        "nps_name",
        "office",
        "note",
        "grid_note",
        "drill_down_note",
        "text_answer",
        "submission_note",
        "review_comment",
        "barrier",
        "enabler",
        "addressee",
        "recommendation",
        "chart_title",
        "chart_subtitle",
        "bar_label",
        "combination_name",
        "report_title",
        "series",
        "byline",
        "published",
        "copyright",
        "licence",
        "publisher",
        "foreword_heading",
        "foreword_body",
        "signatory",
        "signatory_role",
        "signed",
        "chapter_heading",
        "section_heading",
        "prose",
        "example_heading",
        "quotation",
        "attribution",
        "table_lead_in",
        "appendix_heading",
        "caption",
        "column",
        "cell",
        "source",
        "term",
        "definition",
        "role",
        "name",
        "job_title",
        "charts_intro",
        "publish_note",
        "correction_reason",
    }


def test_the_caseload_form_labels_an_office_typed_as_markup_with_its_text(written):
    """The page the issue found: the office became the label of its box, unescaped."""
    page = _client(written["people"]["lena"]).get(
        reverse("caseload-proportions", args=["typed", "office"])
    )

    reading = read(page.content.decode())
    assert reading.elements == []
    assert "office" in reading.printed


def test_forms_posted_back_with_errors_print_what_was_typed_as_text(written):
    lead, ids = _client(written["people"]["lena"]), written["ids"]
    posts = [
        (
            reverse("table-row-add", args=["typed", "pp-crc", "barriers"]),
            {"text": typed("posted_row"), "findings": typed("posted_findings")},
        ),
        (
            reverse("report-part-edit", args=["typed", written["parts"][7]]),
            {"heading": typed("posted_heading", 200), "case_ref": typed("ref", 40), "version": 1},
        ),
        (
            reverse("recommendation-group-delete", args=["typed", ids["group_id"]]),
            {"version": 1},
        ),
    ]
    printed: set[str] = set()
    for url, data in posts:
        response = lead.post(url, data, follow=True)
        assert response.status_code in (200, 400), f"{url}: {response.status_code}"
        reading = read(response.content.decode())
        assert reading.elements == [], url
        printed |= reading.printed

    assert {"posted_row", "posted_findings", "posted_heading", "addressee"} <= printed
