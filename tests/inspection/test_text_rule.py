"""One rule for every text a person submits (issue 14, item 3): at most what its field holds,
and no control character (inspection.lib.text). The services apply it, so a page, an import,
the admin and a command are refused alike, with a ValidationError keyed by the field that the
page shows beside it; PostgreSQL never sees the text (a NUL, or a note longer than its column,
was a server error there). Run on SQLite and PostgreSQL alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case
from inspection.lib.text import COMMENT_MAX_CHARS
from inspection.models import Inspection, InspectionStatus
from inspection.services import (
    inspection_correction_open,
    inspection_create,
    inspection_status_change,
    inspection_update,
)
from judgements.services import case_change, case_status_change
from reports.charts.services import chart_bar_create, chart_create
from reports.document.services import PartContent, report_part_add
from reports.export.services import PUBLISH_NOTE_MAX_CHARS, report_publish
from reports.models import PublishedReport
from tests.helpers import finished_export
from tests.markup import read

pytestmark = pytest.mark.django_db

NUL = "Pasted from a database\x00"
WORD_LINE_BREAK = "Word's manual\x0bline break"


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refusal:
        call()
    return refusal.value.message_dict


def submitted(case, inspector) -> Case:
    return case_status_change(case=case, to_status="submitted", by=inspector, comment="Left")


def in_drafting(inspection) -> Inspection:
    for status in [InspectionStatus.ANALYSIS, InspectionStatus.DRAFTING]:
        inspection = inspection_status_change(inspection=inspection, to_status=status, by=None)
    return inspection


def published(inspection, editor) -> Inspection:
    inspection = in_drafting(inspection)
    report_publish(inspection=inspection, export=finished_export(inspection), by=editor)
    inspection.refresh_from_db()
    return inspection


# The services


@pytest.mark.parametrize(
    ("comment", "problem"),
    [
        (NUL, "The comment holds a control character, U+0000 (NUL) at character 23; remove it."),
        (WORD_LINE_BREAK, "The comment holds a control character, U+000B (vertical tab, Word's"),
        (
            "x" * 20_000,
            f"The comment has 20,000 characters; it may have {COMMENT_MAX_CHARS:,} at most.",
        ),
    ],
)
def test_the_leads_review_comment_is_refused_beside_its_field(
    case, inspector, lead, comment, problem
):
    submitted(case, inspector)

    errors = refused(
        lambda: case_status_change(case=case, to_status="returned", by=lead, comment=comment)
    )

    assert errors["review_comment"][0].startswith(problem)
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_the_inspectors_reason_for_questions_left_is_refused_beside_its_field(case, inspector):
    errors = refused(
        lambda: case_status_change(case=case, to_status="submitted", by=inspector, comment=NUL)
    )

    assert errors == {
        "submission_note": [
            "The reason holds a control character, U+0000 (NUL) at character 23; remove it."
        ]
    }
    assert Case.objects.get(pk=case.pk).submission_note == ""


@pytest.mark.parametrize(
    ("office", "problem"),
    [
        (WORD_LINE_BREAK, "The office or hub holds a control character, U+000B"),
        (NUL, "The office or hub holds a control character, U+0000 (NUL)"),
        ("x" * 121, "The office or hub has 121 characters; it may have 120 at most."),
    ],
)
def test_a_cases_office_is_refused_beside_its_field(case, inspector, office, problem):
    errors = refused(lambda: case_change(case=case, changes={"office": office}, by=inspector))

    assert errors["office"][0].startswith(problem)
    assert Case.objects.get(pk=case.pk).office == "Central hub"


def test_an_inspections_names_are_refused_beside_their_fields(inspection, admin_user):
    errors = refused(
        lambda: inspection_create(
            slug="eastshire",
            area_name=NUL,
            framework_code="qi-2016",
            crc_name="x" * 201,
            by=admin_user,
        )
    )
    assert errors["area_name"] == [
        "The probation area holds a control character, U+0000 (NUL) at character 23; remove it."
    ]
    assert errors["crc_name"] == [
        "The Community Rehabilitation Company's name has 201 characters; it may have 200 at most."
    ]
    assert not Inspection.objects.filter(slug="eastshire").exists()

    errors = refused(
        lambda: inspection_update(
            inspection=inspection, changes={"title": WORD_LINE_BREAK}, by=admin_user
        )
    )
    assert list(errors) == ["title"]


@pytest.mark.parametrize(
    ("note", "problem"),
    [
        (
            "x" * (PUBLISH_NOTE_MAX_CHARS + 1),
            "The note has 501 characters; it may have 500 at most.",
        ),
        (NUL, "The note holds a control character, U+0000 (NUL) at character 23; remove it."),
    ],
)
def test_a_published_versions_note_is_refused_beside_its_field(inspection, editor, note, problem):
    inspection = in_drafting(inspection)

    errors = refused(
        lambda: report_publish(
            inspection=inspection, export=finished_export(inspection), by=editor, note=note
        )
    )

    assert errors == {"note": [problem]}
    assert not PublishedReport.objects.exists()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DRAFTING


def test_a_corrections_reason_with_a_control_character_is_refused(inspection, editor):
    inspection = published(inspection, editor)

    errors = refused(
        lambda: inspection_correction_open(inspection=inspection, by=editor, reason=NUL)
    )

    assert errors == {
        "reason": ["The reason holds a control character, U+0000 (NUL) at character 23; remove it."]
    }
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PUBLISHED


def test_codes_a_command_passes_are_refused_before_any_query(inspection, lead, case):
    chart = chart_create(inspection=inspection, title="Public protection", by=lead)
    assert "question" in refused(
        lambda: chart_bar_create(chart=chart, question_code="PP\x00D8a", label="Bar", by=lead)
    )
    assert "case_ref" in refused(
        lambda: report_part_add(
            inspection=inspection,
            kind="foreword",
            content=PartContent(body="Words", case_ref="NS\x00001"),
            by=lead,
        )
    )


# The pages: the message beside the field, and in the error summary


def test_the_submit_page_shows_a_bad_reason_beside_the_field(case, inspector, as_persona):
    client = as_persona("inspector")

    response = client.post(
        reverse("case-check", args=["northshire", "NS-001"]),
        {"comment": NUL, "version": case.version},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#comment">The reason holds a control character, U+0000 (NUL)' in page
    assert 'id="comment-error"' in page and "govuk-textarea--error" in page
    assert Case.objects.get(pk=case.pk).status == "not_started"


@pytest.mark.parametrize("comment", [NUL, WORD_LINE_BREAK + "x" * 20_000])
def test_the_review_answers_a_bad_comment_with_a_message_never_a_server_error(
    case, inspector, lead, as_persona, comment
):
    submitted(case, inspector)

    response = as_persona("lead").post(
        reverse("case-review", args=["northshire", "NS-001"]),
        {"to_status": "returned", "comment": comment, "version": case.version + 1},
        follow=True,
    )

    assert response.status_code in (200, 400)
    assert "The comment " in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_the_publish_page_shows_a_note_too_long_beside_the_field(inspection, editor, as_persona):
    inspection = in_drafting(inspection)
    export = finished_export(inspection)

    response = as_persona("editor").post(
        reverse("report-publish", args=["northshire"]), {"export": export.pk, "note": "x" * 501}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#note">The note has 501 characters; it may have 500 at most.</a>' in page
    assert 'id="note-error"' in page and "govuk-input--error" in page
    assert read(page).elements == []
    assert not PublishedReport.objects.exists()


def test_the_correction_page_shows_a_bad_reason_beside_the_field_and_in_the_summary(
    inspection, editor, as_persona
):
    published(inspection, editor)

    response = as_persona("editor").post(
        reverse("report-correction-open", args=["northshire"]), {"reason": NUL}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#correction-reason">The reason holds a control character' in page
    assert 'id="correction-reason-error"' in page


def test_the_descriptors_page_shows_a_bad_office_beside_the_field(case, as_persona):
    data = {
        "sentence_type": "community_order",
        "offence_type": "",
        "gender": "male",
        "ethnicity": "white",
        "office": WORD_LINE_BREAK,
        "rosh_level": "medium",
        "mappa_level": "none",
        "likelihood_of_reoffending": "",
        "court_report": "none",
        "interviewed": "no",
        "version": case.version,
    }

    response = as_persona("inspector").post(
        reverse("case-descriptors", args=["northshire", "NS-001"]), data
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_office"' in page and "The office or hub holds a control character" in page
    assert 'id="id_office_1_error"' in page
    assert Case.objects.get(pk=case.pk).office == "Central hub"


def test_the_new_inspection_page_shows_a_bad_name_beside_the_field(admin_user, client):
    client.force_login(admin_user)

    response = client.post(
        reverse("inspection-new"),
        {"area_name": WORD_LINE_BREAK, "slug": "eastshire", "framework": "qi-2016"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_area_name"' in page
    assert "The probation area holds a control character, U+000B" in page
    assert not Inspection.objects.filter(slug="eastshire").exists()
