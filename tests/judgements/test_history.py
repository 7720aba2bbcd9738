"""Every change to an answer, a case, the team or an inspection's status leaves a history row:
who made it, when, and the old and new values. Imports leave one row per row they change."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from cases.services import cases_import
from inspection.lib.spreadsheets import csv_bytes, read_sheet
from inspection.models import TeamMembership
from inspection.services import inspection_status_change, membership_delete, membership_save
from judgements.framework import framework_loaded
from judgements.history import case_changes
from judgements.models import Answer, Item, Question
from judgements.services import AnswerSlot, answer_clear, answer_record, answers_import, case_change
from tests.factories import CaseFactory, UserFactory
from tests.helpers import CASES_HEADER

ANSWER_HEADER = ["case_ref", "question", "item", "value", "note"]


def slot(case: Case, code: str, item_code: str | None = None) -> AnswerSlot:
    question = Question.objects.get(framework__code="qi-2016", code=code)
    item = Item.objects.get(item_set=question.item_set, code=item_code) if item_code else None
    return AnswerSlot(case, question, item)


def changes(record) -> dict:
    """A history row's changes from the row before it: field → (old, new)."""
    delta = record.diff_against(record.prev_record)
    return {change.field: (change.old, change.new) for change in delta.changes}


def is_recent(moment) -> bool:
    return timezone.now() - moment < timedelta(minutes=1)


def answers_rows(*rows: list[str]):
    return read_sheet(
        csv_bytes(ANSWER_HEADER, rows), required=ANSWER_HEADER[:4], optional=ANSWER_HEADER[4:]
    )


# Single changes


def test_an_answer_change_records_who_when_and_the_old_and_new_value(case, inspector, lead):
    answer_record(slot=slot(case, "RR-A1"), value="yes", user=inspector)
    answer = answer_record(slot=slot(case, "RR-A1"), value="no", note="Out of date", user=lead)

    latest, first = answer.history.all()[:2]

    assert (first.history_type, first.history_user, first.value) == ("+", inspector, "yes")
    assert (latest.history_type, latest.history_user) == ("~", lead)
    assert is_recent(latest.history_date)
    assert changes(latest) == {
        "value": ("yes", "no"),
        "note": ("", "Out of date"),
        "answered_by": (inspector.pk, lead.pk),
        "answered_at": (first.answered_at, latest.answered_at),
        "version": (1, 2),
    }


def test_an_unchanged_answer_leaves_no_history_row(case, inspector):
    answer_record(slot=slot(case, "RR-A1"), value="yes", user=inspector)

    answer = answer_record(slot=slot(case, "RR-A1"), value="yes", user=inspector)

    assert answer.history.count() == 1


def test_a_cleared_answer_and_those_behind_its_gate_record_who_cleared_them(case, inspector, lead):
    answer_record(slot=slot(case, "RR-A2", "alcohol"), value="yes", user=inspector)
    planning = answer_record(slot=slot(case, "RR-P1", "alcohol"), value="yes", user=inspector)

    answer_clear(slot=slot(case, "RR-A2", "alcohol"), user=lead)

    removed = Answer.history.filter(history_type="-").order_by("history_id")
    assert [(row.question.code, row.history_user) for row in removed] == [
        ("RR-A2", lead),
        ("RR-P1", lead),
    ]
    assert removed[1].id == planning.pk


def test_a_case_change_records_who_and_the_old_and_new_descriptor(case, lead):
    case_change(case=case, changes={"court_report": "full_written", "office": "North"}, by=lead)

    latest = Case.objects.get(pk=case.pk).history.first()

    assert latest.history_user == lead
    assert is_recent(latest.history_date)
    assert changes(latest) == {
        "court_report": ("none", "full_written"),
        "office": ("Central hub", "North"),
        "version": (1, 2),
    }


def test_a_role_change_records_who_and_the_old_and_new_role(inspection, inspector, admin_user):
    membership_save(inspection=inspection, user=inspector, role="lead_inspector", by=admin_user)

    latest = TeamMembership.objects.get(user=inspector).history.first()

    assert latest.history_user == admin_user
    assert changes(latest) == {"role": ("inspector", "lead_inspector")}


def test_joining_and_leaving_the_team_are_recorded(inspection, lead):
    newcomer = UserFactory(username="nia")

    membership = membership_save(inspection=inspection, user=newcomer, role="inspector", by=lead)
    membership_delete(membership=membership, by=lead)

    rows = TeamMembership.history.filter(user=newcomer).order_by("history_id")
    assert [(row.history_type, row.history_user) for row in rows] == [("+", lead), ("-", lead)]


def test_a_status_move_records_who_and_the_old_and_new_status(inspection, lead):
    inspection_status_change(inspection=inspection, to_status="analysis", by=lead)

    latest = inspection.history.first()

    assert latest.history_user == lead
    assert is_recent(latest.history_date)
    assert changes(latest)["status"] == ("fieldwork", "analysis")


# Imports, in bulk


def test_a_cases_import_records_one_history_row_per_case(inspection, lead):
    rows = read_sheet(
        csv_bytes(
            CASES_HEADER,
            [
                [f"NS-10{n}", "CRC", "licence", "male", "white", "Central hub", "low"]
                for n in range(3)
            ],
        ),
        required=CASES_HEADER,
    )

    cases_import(inspection=inspection, rows=rows, by=lead)

    history = Case.history.filter(inspection=inspection)
    assert sorted(history.values_list("case_ref", "history_type")) == [
        ("NS-100", "+"),
        ("NS-101", "+"),
        ("NS-102", "+"),
    ]
    assert {row.history_user for row in history} == {lead}


def test_an_answers_import_records_one_history_row_per_answer_it_changes(case, inspector, lead):
    answer_record(slot=slot(case, "RR-A1"), value="yes", user=inspector)
    answer_record(slot=slot(case, "RR-A3"), value="yes", user=inspector)

    answers_import(
        inspection=case.inspection,
        rows=answers_rows(
            ["NS-001", "RR-A1", "", "no", ""],  # replaced
            ["NS-001", "RR-A3", "", "yes", ""],  # unchanged
            ["NS-001", "RR-O2", "", "none", ""],  # new
        ),
        user=lead,
        replace=True,
    )

    by_import = Answer.history.filter(history_user=lead)
    assert sorted(by_import.values_list("question__code", "history_type", "value")) == [
        ("RR-A1", "~", "no"),
        ("RR-O2", "+", "none"),
    ]
    assert Answer.history.filter(question__code="RR-A3").count() == 1
    replaced = Answer.objects.get(question__code="RR-A1").history.first()
    assert changes(replaced)["value"] == ("yes", "no")


def test_an_answers_import_that_shuts_a_gate_records_the_cleared_answers(case, inspector, lead):
    answer_record(slot=slot(case, "RR-A2", "alcohol"), value="yes", user=inspector)
    answer_record(slot=slot(case, "RR-P1", "alcohol"), value="yes", user=inspector)

    answers_import(
        inspection=case.inspection,
        rows=answers_rows(["NS-001", "RR-A2", "alcohol", "no", ""]),
        user=lead,
        replace=True,
    )

    removed = Answer.history.get(question__code="RR-P1", history_type="-")
    assert removed.history_user == lead


def test_the_import_writes_history_in_bulk_not_row_by_row(
    case, inspection, lead, django_assert_max_num_queries
):
    other = CaseFactory(inspection=inspection, case_ref="NS-002")
    one = answers_rows(["NS-001", "RR-A1", "", "yes", ""])
    three = answers_rows(*[["NS-002", code, "", "yes", ""] for code in ["RR-A1", "RR-A3", "RR-D3"]])
    framework_loaded(inspection.framework_id)  # kept by the process for both imports

    with django_assert_max_num_queries(30) as for_one:
        answers_import(inspection=inspection, rows=one, user=lead)
    with django_assert_max_num_queries(30) as for_three:
        answers_import(inspection=inspection, rows=three, user=lead)

    assert len(for_three.captured_queries) == len(for_one.captured_queries)
    assert Answer.history.filter(history_user=lead).count() == 4
    assert other.history.filter(history_user=lead).count() == 1  # not started → in progress


# One person typing one note: successive saves within five minutes are one entry


@pytest.fixture
def clock():
    """A frozen clock (time-machine, as the demo loader uses) that the test moves by hand."""
    with time_machine.travel(timezone.now(), tick=False) as frozen:
        yield lambda **delta: frozen.shift(timedelta(**delta))


def note_entries(case: Case, code: str):
    return list(Answer.history.filter(case=case, question__code=code).order_by("history_date"))


def test_saves_of_one_note_within_five_minutes_are_one_entry_showing_the_final_note(
    case, inspector, clock
):
    answer_record(slot=slot(case, "RR-A1"), value="yes", note="", user=inspector)
    for typed in ["Assess", "Assessment done", "Assessment done on time"]:
        clock(minutes=4)
        answer_record(slot=slot(case, "RR-A1"), value="yes", note=typed, user=inspector)

    (entry,) = note_entries(case, "RR-A1")
    assert (entry.value, entry.note, entry.history_user) == (
        "yes",
        "Assessment done on time",
        inspector,
    )
    (change,) = [c for c in case_changes(case) if c.what == "RR-A1"]
    assert (change.action, change.new, change.new_note) == (
        "answered",
        "Yes",
        "Assessment done on time",
    )


def test_a_note_saved_more_than_five_minutes_after_the_last_save_is_a_new_entry(
    case, inspector, clock
):
    answer_record(slot=slot(case, "RR-A1"), value="yes", note="First", user=inspector)
    clock(minutes=5, seconds=1)
    answer_record(slot=slot(case, "RR-A1"), value="yes", note="First, then more", user=inspector)

    assert [entry.note for entry in note_entries(case, "RR-A1")] == ["First", "First, then more"]


def test_another_persons_note_or_a_changed_value_starts_a_new_entry(case, inspector, lead, clock):
    answer_record(slot=slot(case, "RR-A1"), value="yes", note="Mine", user=inspector)
    clock(minutes=1)
    answer_record(slot=slot(case, "RR-A1"), value="yes", note="Lead's view", user=lead)
    clock(minutes=1)
    answer_record(slot=slot(case, "RR-A1"), value="no", note="Lead's view", user=lead)
    clock(minutes=1)
    answer_record(slot=slot(case, "RR-A1"), value="no", note="Lead's view, kept", user=lead)

    assert [(e.history_user, e.value, e.note) for e in note_entries(case, "RR-A1")] == [
        (inspector, "yes", "Mine"),
        (lead, "yes", "Lead's view"),
        (lead, "no", "Lead's view, kept"),
    ]


def test_an_import_by_the_same_person_folds_a_note_change_into_their_last_entry(case, lead, clock):
    answer_record(slot=slot(case, "RR-A1"), value="yes", note="Draft", user=lead)
    clock(minutes=2)

    answers_import(
        inspection=case.inspection,
        rows=answers_rows(["NS-001", "RR-A1", "", "yes", "Draft, finished"]),
        user=lead,
        replace=True,
    )

    assert [entry.note for entry in note_entries(case, "RR-A1")] == ["Draft, finished"]
    assert Answer.objects.get(question__code="RR-A1").note == "Draft, finished"
