"""inspection_writing, the one block every write to an inspection's data runs in: it refuses a
published inspection and a person without the capability before anything is written, moves the
data revision on once a write however many services it passes through (and not at all when
nothing changed), and keeps nothing of a write that fails."""

import pytest
from django.core.exceptions import ValidationError

from inspection.models import Inspection, PublishedError, Role, TeamMembership
from inspection.permissions import Capability
from inspection.services import membership_save
from inspection.writing import inspection_writing
from judgements.models import Answer
from judgements.services import AnswerEntry, AnswersNotSaved, answers_save, case_change
from reports.charts.services import chart_create
from reports.document.services import PartContent, report_part_add
from reports.models import Chart, ReportPart, TableRow
from reports.tables.services import table_row_add
from tests.factories import UserFactory
from tests.helpers import question, record


def revision(inspection: Inspection) -> int:
    return Inspection.objects.values_list("data_revision", flat=True).get(pk=inspection.pk)


def team(inspection: Inspection) -> dict[str, str]:
    memberships = TeamMembership.objects.filter(inspection=inspection)
    return dict(memberships.values_list("user__username", "role"))


@pytest.fixture
def published(inspection):
    Inspection.objects.filter(pk=inspection.pk).update(status="published")
    return inspection


def test_a_published_inspection_is_refused_before_anything_is_written(published):
    before, reached = revision(published), []

    with pytest.raises(PublishedError) as refused, inspection_writing(published.pk, what="team"):
        reached.append("the write")

    assert refused.value.messages == [
        "Inspection northshire is published, so its team cannot change."
    ]
    assert reached == []
    assert revision(published) == before


def test_a_published_inspection_is_refused_in_the_services_words_when_it_has_them(published):
    own_words = ValidationError("The sample is fixed.", code="fixed")

    with (
        pytest.raises(ValidationError) as refused,
        inspection_writing(published.pk, published_refusal=own_words),
    ):
        pass

    assert refused.value is own_words


def test_a_person_without_the_capability_is_refused_and_nothing_is_written(
    inspection, inspector, lead
):
    before, reached = revision(inspection), []

    with (
        pytest.raises(ValidationError) as refused,
        inspection_writing(
            inspection.pk, what="charts", by=inspector, capability=Capability.EDIT_TABLES
        ) as write,
    ):
        reached.append("the write")
        write.changed()

    assert refused.value.messages == [
        "ivy may not change the charts of northshire: only its lead inspector and editor do."
    ]
    assert refused.value.code == "not_allowed"
    assert reached == []
    assert revision(inspection) == before


@pytest.mark.parametrize("writer", ["lead", None], ids=["the lead", "a command"])
def test_a_person_with_the_capability_or_a_command_writes(inspection, lead, writer):
    by = lead if writer else None
    before = revision(inspection)

    with inspection_writing(inspection.pk, by=by, capability=Capability.EDIT_TABLES) as write:
        write.changed()

    assert revision(inspection) == before + 1


def test_services_called_inside_one_write_move_the_revision_on_once(inspection, lead):
    before = revision(inspection)

    with inspection_writing(inspection.pk, what="team") as write:
        membership_save(
            inspection=inspection, user=UserFactory(username="una"), role="inspector", by=lead
        )
        membership_save(
            inspection=inspection, user=UserFactory(username="eve"), role="editor", by=lead
        )
        assert revision(inspection) == before  # not yet: the write is still going on
        assert write.inspection.pk == inspection.pk

    assert team(inspection) == {
        "lena": Role.LEAD_INSPECTOR,
        "una": Role.INSPECTOR,
        "eve": Role.EDITOR,
    }
    assert revision(inspection) == before + 1


def test_a_write_that_changes_nothing_leaves_the_revision_alone(inspection, lead):
    before = revision(inspection)

    membership_save(inspection=inspection, user=lead, role=Role.LEAD_INSPECTOR, by=lead)
    with inspection_writing(inspection.pk):
        pass

    assert revision(inspection) == before


def test_an_error_inside_the_write_rolls_back_everything_it_wrote(inspection, lead):
    before = revision(inspection)

    with pytest.raises(RuntimeError), inspection_writing(inspection.pk, what="team") as write:
        membership_save(
            inspection=inspection, user=UserFactory(username="una"), role="inspector", by=lead
        )
        write.changed()
        raise RuntimeError("the disk is full")

    assert team(inspection) == {"lena": Role.LEAD_INSPECTOR}
    assert revision(inspection) == before


def test_an_inner_write_that_fails_is_rolled_back_and_counts_for_nothing(inspection, lead):
    before = revision(inspection)

    with inspection_writing(inspection.pk, what="team"):
        with pytest.raises(ValidationError):
            membership_save(
                inspection=inspection, user=UserFactory(username="una"), role="judge", by=lead
            )
        with pytest.raises(RuntimeError), inspection_writing(inspection.pk, what="team"):
            membership_save(
                inspection=inspection, user=UserFactory(username="eve"), role="editor", by=lead
            )
            raise RuntimeError("the disk is full")

    assert team(inspection) == {"lena": Role.LEAD_INSPECTOR}
    assert revision(inspection) == before


def test_each_inspection_written_moves_on_its_own_revision(inspection, other_inspection, lead):
    before, other_before = revision(inspection), revision(other_inspection)

    with inspection_writing(inspection.pk) as write:
        with inspection_writing(other_inspection.pk):
            pass
        write.changed()

    assert (revision(inspection), revision(other_inspection)) == (before + 1, other_before)


# The answer services: a page's answers, a case's descriptors


def entry(code: str, value: str, note: str = "") -> AnswerEntry:
    return AnswerEntry(question=question(code), item=None, value=value, note=note, version=0)


def test_a_page_of_answers_saved_together_moves_the_revision_on_once(case, inspector):
    before = revision(case.inspection)

    answers_save(
        case=case,
        entries=[entry("RR-A1", "yes", "Assessed on time."), entry("RR-A3", "no")],
        user=inspector,
    )

    assert Answer.objects.filter(case=case).count() == 2
    assert revision(case.inspection) == before + 1


def test_a_case_change_that_clears_answers_behind_a_gate_moves_the_revision_on_once(case, lead):
    case, _cleared = case_change(case=case, changes={"mappa_level": "2"}, by=lead)
    record(case, "PP-D6", "yes", user=lead)  # asked of a case managed at MAPPA level 2 or 3
    before = revision(case.inspection)

    _case, cleared = case_change(case=case, changes={"mappa_level": "1"}, by=lead)

    assert cleared == ["PP-D6"]
    assert revision(case.inspection) == before + 1


def test_an_answer_saved_again_unchanged_leaves_the_revision_alone(case, inspector):
    record(case, "RR-A1", "yes", note="Assessed on time.", user=inspector)
    before = revision(case.inspection)

    record(case, "RR-A1", "yes", note="Assessed on time.", user=inspector)
    answers_save(case=case, entries=[entry("RR-A1", "yes", "Assessed on time.")], user=inspector)

    assert revision(case.inspection) == before


def test_a_page_refused_for_one_answer_keeps_none_of_the_others(case, inspector):
    before = revision(case.inspection)

    with pytest.raises(AnswersNotSaved):
        answers_save(
            case=case, entries=[entry("RR-A1", "yes"), entry("CD-2", "seven")], user=inspector
        )

    assert not Answer.objects.filter(case=case).exists()
    assert revision(case.inspection) == before


# The report: its parts, tables and charts


def test_a_part_added_before_others_moves_the_revision_on_once_for_all_it_renumbers(
    inspection, editor
):
    for kind, heading in (("foreword", "Foreword"), ("local_context", "Local context")):
        report_part_add(
            inspection=inspection, kind=kind, content=PartContent(heading=heading), by=editor
        )
    before = revision(inspection)

    report_part_add(
        inspection=inspection,
        kind="executive_summary",
        content=PartContent(heading="Summary"),
        position=1,
        by=editor,
    )

    parts = ReportPart.objects.filter(inspection=inspection).order_by("position")
    assert [part.heading for part in parts] == ["Summary", "Foreword", "Local context"]
    assert [part.version for part in parts] == [1, 2, 2]  # each renumbered part saved again
    assert revision(inspection) == before + 1


def test_a_chart_is_refused_to_an_inspector_and_nothing_is_written(inspection, inspector):
    before = revision(inspection)

    with pytest.raises(ValidationError) as refused:
        chart_create(inspection=inspection, title="Risk of harm", by=inspector)

    assert refused.value.messages == [
        "ivy may not change the charts of northshire: only its lead inspector and editor do."
    ]
    assert not Chart.objects.filter(inspection=inspection).exists()
    assert revision(inspection) == before


def test_a_published_inspections_tables_are_refused_and_nothing_is_written(published):
    before = revision(published)

    with pytest.raises(PublishedError) as refused:
        table_row_add(
            inspection=published,
            domain="RR",
            perspective="CRC",
            column="enabler",
            text="Good supervision.",
            by=None,
        )

    assert refused.value.messages == [
        "Inspection northshire is published, so its tables cannot change."
    ]
    assert not TableRow.objects.filter(inspection=published).exists()
    assert revision(published) == before
