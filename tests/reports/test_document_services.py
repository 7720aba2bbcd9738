"""The services that write the report as a document: the place of each part, the fields it
keeps, its live figures (refused when they name nothing), the order and its moves, removal
with what is under it, stale copies refused, history, the data revision and the published
freeze."""

import pytest
from django.core.exceptions import ValidationError

from inspection.models import Inspection, PublishedError
from inspection.services import StaleWrite
from reports.document.compose import build_document
from reports.document.services import (
    PartContent,
    part_destinations,
    report_front_save,
    report_part_add,
    report_part_confirm_figures,
    report_part_move,
    report_part_move_to,
    report_part_remove,
    report_part_update,
)
from reports.models import Report, ReportPart
from tests.factories import CaseFactory
from tests.helpers import record


def revision(inspection) -> int:
    return Inspection.objects.values_list("data_revision", flat=True).get(pk=inspection.pk)


def add(inspection, kind, by=None, parent=None, position=None, **content):
    return report_part_add(
        inspection=inspection,
        kind=kind,
        content=PartContent(**content),
        parent=parent,
        position=position,
        by=by,
    )


def headings(inspection, parent=None) -> list[str]:
    parts = ReportPart.objects.filter(inspection=inspection, parent=parent)
    return list(parts.order_by("position", "pk").values_list("heading", flat=True))


@pytest.fixture
def chapters(inspection, editor):
    return [
        add(inspection, "chapter", editor, heading=name, domain=code)
        for name, code in (("Reducing", "RR"), ("Protecting", "PP"), ("Abiding", "AB"))
    ]


# Adding


def test_a_part_is_added_at_the_end_with_who_added_it_and_the_revision_moves_on(inspection, editor):
    before = revision(inspection)
    add(inspection, "foreword", editor, heading="Foreword", body="Our words.")
    part = add(inspection, "overall_judgements", editor, body="The CRC did well.")

    assert headings(inspection) == ["Foreword", ""]
    assert part.position == 2
    first = part.history.get()
    assert (first.history_type, first.history_user, first.version) == ("+", editor, 1)
    assert revision(inspection) > before


def test_a_part_added_at_a_position_moves_the_later_ones_down(inspection, editor, chapters):
    add(inspection, "local_context", editor, heading="Context", position=2)

    assert headings(inspection) == ["Reducing", "Context", "Protecting", "Abiding"]


def test_a_part_must_stand_where_the_report_can_print_it(inspection, editor, chapters):
    with pytest.raises(ValidationError) as refused:
        add(inspection, "glossary", editor)
    assert refused.value.message_dict["kind"] == ["A glossary cannot stand at the top."]

    quote = add(inspection, "prose", editor, parent=chapters[0], body="Text.")
    with pytest.raises(ValidationError) as refused:
        add(inspection, "section", editor, parent=quote, perspective="CRC")
    assert refused.value.message_dict["kind"] == ["A section cannot stand under Prose."]

    with pytest.raises(ValidationError, match="is not a kind of part"):
        add(inspection, "poem", editor)


def test_a_part_cannot_go_under_another_inspections_part(inspection, other_inspection, editor):
    theirs = add(other_inspection, "chapter", None, domain="RR")

    with pytest.raises(ValidationError) as refused:
        add(inspection, "section", editor, parent=theirs, perspective="CRC")

    assert refused.value.message_dict["parent"] == ["Choose a part of this report."]
    assert not ReportPart.objects.filter(inspection=inspection).exists()


def test_chapters_and_sections_name_their_domain_and_perspective(inspection, editor):
    with pytest.raises(ValidationError) as refused:
        add(inspection, "chapter", editor, heading="Court work", domain="CS")
    assert "“CS” is not an outcome domain" in refused.value.message_dict["domain"][0]

    with pytest.raises(ValidationError) as refused:
        add(inspection, "chapter", editor)
    assert refused.value.message_dict["domain"] == [
        "Choose the outcome domain of the domain chapter."
    ]

    chapter = add(inspection, "chapter", editor, domain="rr")
    assert chapter.domain == "RR"
    with pytest.raises(ValidationError) as refused:
        add(inspection, "section", editor, parent=chapter, perspective="HMPPS")
    assert refused.value.message_dict["perspective"] == ["“hmpps” is not one of CRC, NPS, joint."]
    section = add(inspection, "section", editor, parent=chapter, perspective="crc")
    assert section.perspective == "CRC"


def test_every_problem_with_a_parts_fields_is_named_at_once(inspection, editor, other_case):
    appendix = add(inspection, "appendix", editor, heading="Background data")

    with pytest.raises(ValidationError) as refused:
        add(
            inspection,
            "background_table",
            editor,
            parent=appendix,
            heading="x" * 201,
            body="Bad\x0bbreak",
            columns=["Area", "People"],
            rows=[["Durham", "500,000"], ["Darlington"]],
        )
    errors = refused.value.message_dict
    assert errors["heading"] == ["The heading has 201 characters; it may have 200 at most."]
    assert errors["body"] == [
        "The text holds a control character, U+000B (vertical tab, Word's manual line break) at "
        "character 4; remove it."
    ]
    assert errors["rows"] == ["Row 2 has 1 cells; the table has 2 columns."]

    with pytest.raises(ValidationError) as refused:
        add(
            inspection,
            "practice_example",
            editor,
            parent=appendix,
            body="An example.",
            case_ref="SS-001",
        )
    assert refused.value.message_dict["case_ref"] == ["Not a case of northshire: SS-001."]


def test_a_practice_example_links_its_case_and_keeps_whether_it_is_good_practice(
    inspection, editor, case
):
    chapter = add(inspection, "chapter", editor, domain="RR")
    example = add(
        inspection,
        "practice_example",
        editor,
        parent=chapter,
        body="Mary's officer met her at the hub.",
        good=True,
        case_ref="ns-001",
    )

    assert (example.case, example.good) == (case, True)


# Live figures


def test_an_unknown_placeholder_is_refused_with_its_place_and_its_text(inspection, editor):
    chapter = add(inspection, "chapter", editor, domain="PP", heading="Protecting the public")

    with pytest.raises(ValidationError) as refused:
        add(
            inspection,
            "section",
            editor,
            parent=chapter,
            perspective="CRC",
            heading="The CRC",
            body="Officers acted in [[PP-Z9 CRC]] cases; [[PP-O1 CRC]]; [[PP-D8a HMPPS]].",
        )

    assert refused.value.message_dict["body"] == [
        "Section “The CRC”: [[PP-Z9 CRC]]: there is no question PP-Z9 in framework qi-2016",
        "Section “The CRC”: [[PP-O1 CRC]]: PP-O1 is asked item by item; name one in brackets "
        "(children, known_victims, prisoners, public, staff), or [all] for every item together",
        "Section “The CRC”: [[PP-D8a HMPPS]]: the group is one of CRC, NPS or all",
    ]
    assert not ReportPart.objects.filter(kind="section").exists()


def test_saving_confirms_the_figures_an_answer_later_changes_flags_them_and_confirming_clears(
    inspection, editor, lead
):
    crc = [CaseFactory(inspection=inspection) for _ in range(3)]
    for case, value in zip(crc, ["yes", "yes", "no"], strict=True):
        record(case, "PP-D8a", value)
    part = add(inspection, "overall_judgements", editor, body="Action in [[PP-D8a CRC]].")
    assert part.confirmed_figures == {"[[PP-D8a CRC]]": "2 out of 3"}
    assert build_document(inspection).flagged() == []

    record(crc[2], "PP-D8a", "yes")

    flagged = build_document(inspection).flagged()
    assert [node.flags for node in flagged] == [("[[PP-D8a CRC]] was 2 out of 3, now 3 out of 3",)]

    confirmed = report_part_confirm_figures(part=part, by=editor, expected_version=part.version)
    assert confirmed.confirmed_figures == {"[[PP-D8a CRC]]": "3 out of 3"}
    assert confirmed.history.first().history_user == editor
    assert build_document(inspection).flagged() == []


def test_saving_a_part_again_unchanged_confirms_figures_that_moved_since(inspection, editor):
    """README: "Saving a part confirms its figures as they read then" — also when its words
    are as they were, so pressing save again is a way to say the new figures were read."""
    crc = [CaseFactory(inspection=inspection) for _ in range(3)]
    for case, value in zip(crc, ["yes", "yes", "no"], strict=True):
        record(case, "PP-D8a", value)
    part = add(inspection, "overall_judgements", editor, body="Action in [[PP-D8a CRC]].")
    record(crc[2], "PP-D8a", "yes")
    assert len(build_document(inspection).flagged()) == 1

    saved = report_part_update(
        part=part,
        content=PartContent(body="Action in [[PP-D8a CRC]]."),
        by=editor,
        expected_version=part.version,
    )

    assert saved.confirmed_figures == {"[[PP-D8a CRC]]": "3 out of 3"}
    assert (saved.version, saved.history.first().history_user) == (2, editor)
    assert build_document(inspection).flagged() == []


def test_figures_that_name_nothing_cannot_be_confirmed(inspection, editor):
    """A part whose placeholder no longer names a figure (written before a rule that now
    refuses it, or changed outside the services) is not marked as read: confirming it is
    refused with the place and the placeholder, and nothing is saved."""
    part = add(inspection, "overall_judgements", editor, body="No figures yet.")
    ReportPart.objects.filter(pk=part.pk).update(body="Action in [[PP-Z9 CRC]].")

    with pytest.raises(ValidationError) as refused:
        report_part_confirm_figures(part=part, by=editor, expected_version=part.version)

    [problem] = refused.value.message_dict["body"]
    assert "[[PP-Z9 CRC]]: there is no question PP-Z9 in framework qi-2016" in problem
    part.refresh_from_db()
    assert (part.version, part.confirmed_figures, part.history.count()) == (1, {}, 1)


# Editing


def test_an_edit_from_a_stale_copy_is_refused_and_the_saved_text_kept(inspection, editor, lead):
    part = add(inspection, "foreword", editor, body="First words.")
    report_part_update(
        part=part, content=PartContent(body="Lead's words."), by=lead, expected_version=1
    )

    with pytest.raises(StaleWrite, match=r"version 1, now 2"):
        report_part_update(
            part=part, content=PartContent(body="Editor's words."), by=editor, expected_version=1
        )

    part.refresh_from_db()
    assert (part.body, part.version) == ("Lead's words.", 2)
    assert part.history.first().history_user == lead


def test_an_edit_that_changes_nothing_leaves_version_and_history_alone(inspection, editor):
    part = add(inspection, "foreword", editor, body="Words.", signatory="A. Person")
    before = revision(inspection)

    report_part_update(
        part=part, content=PartContent(body="Words.", signatory="A. Person"), by=editor
    )

    part.refresh_from_db()
    assert (part.version, part.history.count(), revision(inspection)) == (1, 1, before)


# Order


def test_moving_a_chapter_down_swaps_it_with_the_next_and_renumbers(inspection, editor, chapters):
    report_part_move(
        part=chapters[0], direction="down", by=editor, expected_neighbour=chapters[1].pk
    )

    assert headings(inspection) == ["Protecting", "Reducing", "Abiding"]
    assert [e.label for e in build_document(inspection).outline()] == [
        "1 Protecting",
        "2 Reducing",
        "3 Abiding",
    ]


def test_a_move_from_a_stale_page_or_past_the_end_moves_nothing(inspection, editor, chapters):
    with pytest.raises(StaleWrite, match="The order changed since you opened the page"):
        report_part_move(
            part=chapters[0], direction="down", by=editor, expected_neighbour=chapters[2].pk
        )
    with pytest.raises(ValidationError, match="is already first"):
        report_part_move(part=chapters[0], direction="up", by=editor)

    assert headings(inspection) == ["Reducing", "Protecting", "Abiding"]


def test_a_section_moves_with_its_paragraphs_into_another_chapter_and_both_renumber(
    inspection, editor, chapters
):
    crc = add(inspection, "section", editor, parent=chapters[0], perspective="CRC", heading="A")
    nps = add(inspection, "section", editor, parent=chapters[0], perspective="NPS", heading="B")
    add(inspection, "prose", editor, parent=crc, body="It goes with its section.")
    add(inspection, "section", editor, parent=chapters[1], perspective="CRC", heading="C")
    before = revision(inspection)

    moved = report_part_move_to(
        part=crc, parent=chapters[1], by=editor, expected_version=crc.version
    )

    assert headings(inspection, chapters[0]) == ["B"]
    assert headings(inspection, chapters[1]) == ["C", "A"]
    assert ReportPart.objects.get(pk=nps.pk).position == 1
    assert ReportPart.objects.get(parent=moved).body == "It goes with its section."
    labels = [e.label for e in build_document(inspection).outline()]
    assert labels == ["1 Reducing", "1.1 B", "2 Protecting", "2.1 C", "2.2 A", "3 Abiding"]
    assert revision(inspection) > before
    assert moved.history.first().history_user == editor


def test_a_part_moves_only_where_it_can_print_and_never_under_itself(inspection, editor, chapters):
    section = add(inspection, "section", editor, parent=chapters[0], perspective="CRC")
    prose = add(inspection, "prose", editor, parent=section, body="Text.")
    # A section stands under a chapter, not at the top or under a paragraph.
    assert part_destinations(section) == chapters[1:]
    with pytest.raises(ValidationError, match="cannot stand at the top"):
        report_part_move_to(part=section, parent=None, by=editor)
    with pytest.raises(ValidationError, match="cannot move under itself"):
        report_part_move_to(part=chapters[0], parent=prose, by=editor)
    with pytest.raises(StaleWrite):
        report_part_move_to(part=section, parent=chapters[1], by=editor, expected_version=99)
    assert headings(inspection, chapters[0]) == [""]


# Removing


def test_a_part_with_parts_under_it_is_removed_only_when_confirmed_and_takes_them_with_it(
    inspection, editor, chapters
):
    section = add(inspection, "section", editor, parent=chapters[0], perspective="CRC")
    add(inspection, "prose", editor, parent=section, body="A paragraph.")

    with pytest.raises(ValidationError) as refused:
        report_part_remove(part=chapters[0], by=editor)
    assert refused.value.messages == [
        "Domain chapter “Reducing” has 2 parts under it; confirm that they are removed too."
    ]
    assert ReportPart.objects.filter(inspection=inspection).count() == 5

    removed = report_part_remove(part=chapters[0], by=editor, confirmed=True)

    assert removed == 3
    assert headings(inspection) == ["Protecting", "Abiding"]
    gone = ReportPart.history.filter(history_type="-")
    assert gone.count() == 3
    assert set(gone.values_list("history_user", flat=True)) == {editor.pk}


def test_a_removal_from_a_stale_copy_is_refused(inspection, editor, lead, chapters):
    report_part_update(
        part=chapters[1], content=PartContent(heading="Public", domain="PP"), by=lead
    )

    with pytest.raises(StaleWrite):
        report_part_remove(part=chapters[1], by=editor, expected_version=1)
    assert ReportPart.objects.filter(pk=chapters[1].pk).exists()


# The title page


def test_the_title_page_is_made_on_first_save_and_refused_from_a_stale_copy(inspection, editor):
    report = report_front_save(
        inspection=inspection,
        title="The effectiveness of probation work in Northshire",
        published="May 2026",
        publisher=["HM Inspectorate of Probation", "", "Manchester"],
        by=editor,
    )
    assert report.publisher == ["HM Inspectorate of Probation", "Manchester"]

    report_front_save(inspection=inspection, title="Second title", by=editor, expected_version=1)
    with pytest.raises(StaleWrite):
        report_front_save(inspection=inspection, title="Third", by=editor, expected_version=1)
    with pytest.raises(ValidationError) as refused:
        report_front_save(inspection=inspection, title="  ", by=editor)
    assert refused.value.message_dict["title"] == ["Enter the report's title."]
    assert Report.objects.get().title == "Second title"


# The published freeze


@pytest.mark.parametrize(
    "write",
    [
        lambda i, part: add(i, "local_context", None, body="More."),
        lambda i, part: report_part_update(part=part, content=PartContent(body="New."), by=None),
        lambda i, part: report_part_move(part=part, direction="down", by=None),
        lambda i, part: report_part_remove(part=part, by=None),
        lambda i, part: report_part_confirm_figures(part=part, by=None),
        lambda i, part: report_front_save(inspection=i, title="T", by=None),
    ],
    ids=["add", "update", "move", "remove", "confirm", "title page"],
)
def test_a_published_inspections_report_refuses_every_service(inspection, write):
    part = add(inspection, "foreword", None, body="Words.")
    add(inspection, "overall_judgements", None, body="More words.")
    inspection.status = "published"
    inspection.save()

    with pytest.raises(PublishedError, match="northshire is published, so its report"):
        write(inspection, part)


def test_a_published_inspections_parts_refuse_writes_round_the_services(inspection):
    part = add(inspection, "foreword", None, body="Words.")
    inspection.status = "published"
    inspection.save()

    part.body = "Changed in the shell."
    with pytest.raises(PublishedError):
        part.save()
    with pytest.raises(PublishedError):
        ReportPart.objects.filter(pk=part.pk).delete()
