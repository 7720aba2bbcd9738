"""The rules every answer passes through (judgements.services.answer_record).

All against the real Q&I 2016 framework, as the data migration loads it.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from inspection.models import Inspection
from judgements.models import Answer, Question
from judgements.services import (
    AnswerConflict,
    AnswerRefused,
    AnswerSlot,
    answer_clear,
    answer_record,
)
from judgements.writing import answer_services_writing
from tests.factories import CaseFactory
from tests.helpers import item, question, record, slot


def refusal(answer_slot: AnswerSlot, value: str, **kwargs) -> str:
    """Record an answer that must be refused; return the message the person would see.

    Every refusal names the case and the question, and saves nothing.
    """
    answers_before = list(Answer.objects.values_list("id", "value", "version").order_by("id"))
    with pytest.raises(AnswerRefused) as refused:
        answer_record(slot=answer_slot, value=value, **kwargs)
    message = refused.value.messages[0]
    assert answer_slot.question.code in message
    assert answer_slot.case.case_ref in message
    assert list(Answer.objects.values_list("id", "value", "version").order_by("id")) == (
        answers_before
    )
    return message


def stored_value(case: Case, code: str, item_code: str | None = None) -> str:
    answer_slot = slot(case, code, item_code)
    return Answer.objects.get(case=case, question=answer_slot.question, item=answer_slot.item).value


# Values and kinds


def test_yes_no_question_refuses_not_applicable(case):
    assert question("RR-A1").kind == "yes_no"

    message = refusal(slot(case, "RR-A1"), "na")

    assert "“na”" in message


def test_yes_no_na_question_accepts_not_applicable(case):
    assert question("PP-D8b").kind == "yes_no_na"

    record(case, "PP-D8b", "na")

    assert stored_value(case, "PP-D8b") == "na"


@pytest.mark.parametrize(("typed", "stored"), [("Yes", "yes"), ("YES", "yes"), ("No", "no")])
def test_yes_no_answers_are_stored_in_lower_case_whatever_the_case_typed(case, typed, stored):
    record(case, "RR-A1", typed)

    assert stored_value(case, "RR-A1") == stored


def test_choice_question_accepts_one_of_its_codes(case):
    record(case, "RR-O2", "charged")

    assert stored_value(case, "RR-O2") == "charged"


def test_choice_question_refuses_a_code_it_does_not_list(case):
    message = refusal(slot(case, "RR-O2"), "acquitted")

    assert "“acquitted”" in message
    assert "convicted_or_cautioned" in message


def test_number_question_accepts_a_number(case):
    number_question = Question.objects.filter(framework__code="qi-2016", kind="number").first()

    answer_record(slot=AnswerSlot(case, number_question), value="6")

    assert Answer.objects.get(case=case, question=number_question).value == "6"


@pytest.mark.parametrize("value", ["six", "", "NaN"])
def test_number_question_refuses_anything_that_is_not_a_finite_number(case, value):
    number_question = Question.objects.filter(framework__code="qi-2016", kind="number").first()

    message = refusal(AnswerSlot(case, number_question), value)

    assert "not a number" in message


@pytest.mark.parametrize(
    "text",
    [
        "  leading and trailing spaces kept  ",
        "=SUM(A1)",
        "<script>alert('x')</script>",
        "Line one\nline two",
    ],
)
def test_text_question_keeps_the_text_exactly_as_given(case, text_question, text):
    answer_record(slot=AnswerSlot(case, text_question), value=text)

    assert Answer.objects.get(case=case, question=text_question).value == text


def test_refused_value_leaves_the_earlier_answer_as_it_was(case):
    record(case, "RR-A1", "yes", note="Assessment on file")

    refusal(slot(case, "RR-A1"), "maybe")

    answer = Answer.objects.get(case=case, question=question("RR-A1"))
    assert (answer.value, answer.note, answer.version) == ("yes", "Assessment on file", 1)


# Items


def test_item_question_accepts_an_item_from_its_own_item_set(case):
    record(case, "RR-A2", "yes", item_code="alcohol")

    assert stored_value(case, "RR-A2", "alcohol") == "yes"


def test_item_question_refuses_an_answer_without_an_item(case):
    item_question = question("RR-A2")

    message = refusal(AnswerSlot(case, item_question), "yes")

    assert item_question.item_set.name in message


def test_item_question_refuses_an_item_from_another_item_set(case):
    refusal(AnswerSlot(case, question("RR-A2"), item("rosh_targets", "public")), "yes")


def test_question_without_items_refuses_an_item(case):
    message = refusal(
        AnswerSlot(case, question("RR-A1"), item("priority_factors", "alcohol")), "yes"
    )

    assert "no items" in message


# Gates


def test_planning_for_a_priority_factor_is_refused_until_it_is_assessed_as_a_priority(case):
    message = refusal(slot(case, "RR-P1", "alcohol"), "yes")

    assert "RR-A2" in message


def test_assessing_a_factor_as_not_a_priority_keeps_its_planning_question_closed(case):
    record(case, "RR-A2", "no", item_code="alcohol")

    refusal(slot(case, "RR-P1", "alcohol"), "yes")


def test_assessing_alcohol_as_a_priority_opens_alcohol_planning_but_not_drugs_planning(case):
    record(case, "RR-A2", "yes", item_code="alcohol")

    record(case, "RR-P1", "yes", item_code="alcohol")

    assert stored_value(case, "RR-P1", "alcohol") == "yes"
    refusal(slot(case, "RR-P1", "drugs"), "yes")


@pytest.mark.parametrize("mappa_level", ["none", "1"])
def test_mappa_question_is_refused_for_a_case_not_managed_at_mappa_level_2_or_3(
    inspection, mappa_level
):
    case = CaseFactory(inspection=inspection, mappa_level=mappa_level)

    message = refusal(slot(case, "PP-D6"), "yes")

    assert "mappa_level" in message


@pytest.mark.parametrize("mappa_level", ["2", "3"])
def test_mappa_question_is_accepted_for_a_case_managed_at_mappa_level_2_or_3(
    inspection, mappa_level
):
    case = CaseFactory(inspection=inspection, mappa_level=mappa_level)

    record(case, "PP-D6", "yes")

    assert stored_value(case, "PP-D6") == "yes"


def test_question_not_asked_of_an_organisation_is_refused_for_its_cases(inspection):
    crc_only = question("RR-A1")
    crc_only.applies_to_nps = False
    crc_only.save()
    nps_case = CaseFactory(inspection=inspection, organisation="NPS")
    crc_case = CaseFactory(inspection=inspection, organisation="CRC")

    message = refusal(AnswerSlot(nps_case, crc_only), "yes")
    answer_record(slot=AnswerSlot(crc_case, crc_only), value="yes")

    assert "NPS" in message
    assert stored_value(crc_case, "RR-A1") == "yes"


# The inspection


def test_published_inspection_refuses_every_answer(inspection, case, text_question):
    record(case, "RR-A1", "yes")
    record(case, "RR-A2", "yes", item_code="alcohol")
    inspection.status = "published"
    inspection.save()
    published_case = Case.objects.get(pk=case.pk)

    slots_and_values = [
        (slot(published_case, "RR-A1"), "no"),
        (slot(published_case, "RR-A2", "alcohol"), "no"),
        (slot(published_case, "RR-P1", "alcohol"), "yes"),
        (slot(published_case, "RR-O2"), "charged"),
        (slot(published_case, "CD-2"), "6"),
        (AnswerSlot(published_case, text_question), "A late note"),
    ]
    for answer_slot, value in slots_and_values:
        assert "published" in refusal(answer_slot, value)
    assert stored_value(published_case, "RR-A1") == "yes"


# Two people editing at once


def test_recording_an_answer_again_changes_it_and_increments_its_version(case, inspector):
    first = record(case, "RR-A1", "yes", user=inspector)
    second = record(case, "RR-A1", "no", user=inspector, expected_version=first.version)

    assert (first.version, second.version) == (1, 2)
    assert second.pk == first.pk
    assert stored_value(case, "RR-A1") == "no"


def test_stale_write_is_refused_and_keeps_the_other_persons_answer(case, inspector, lead):
    loaded_version = record(case, "RR-A1", "yes", user=inspector).version
    record(case, "RR-A1", "no", user=lead, expected_version=loaded_version)

    with pytest.raises(AnswerConflict) as conflict:
        record(case, "RR-A1", "yes", user=inspector, expected_version=loaded_version)

    message = conflict.value.messages[0]
    assert "“no”" in message
    assert "RR-A1" in message
    assert case.case_ref in message
    answer = Answer.objects.get(case=case, question=question("RR-A1"))
    assert (answer.value, answer.version, answer.answered_by) == ("no", 2, lead)


def test_write_from_the_current_version_is_saved(case, inspector, lead):
    record(case, "RR-A1", "yes", user=inspector)
    current_version = record(case, "RR-A1", "no", user=lead, expected_version=1).version

    record(case, "RR-A1", "yes", user=inspector, expected_version=current_version)

    assert stored_value(case, "RR-A1") == "yes"


def test_write_to_an_answer_someone_else_removed_is_refused(case, inspector, lead):
    record(case, "RR-A1", "yes", user=inspector)
    answer_clear(slot=slot(case, "RR-A1"), user=lead)

    with pytest.raises(AnswerConflict):
        record(case, "RR-A1", "no", user=inspector, expected_version=1)

    assert not Answer.objects.filter(case=case).exists()


# The database's own guard


def _raw_answer(case: Case, answer_slot: AnswerSlot, value: str) -> Answer:
    """A row written as a service would write it, but with none of the services' checks."""
    with answer_services_writing():
        return Answer.objects.create(
            case=case,
            question=answer_slot.question,
            item=answer_slot.item,
            value=value,
            answered_at=timezone.now(),
        )


@pytest.mark.parametrize(
    ("code", "item_code"), [("RR-A2", "alcohol"), ("RR-A1", None)], ids=["item", "no-item"]
)
def test_database_refuses_a_second_answer_row_for_the_same_case_question_and_item(
    case, code, item_code
):
    answer_slot = slot(case, code, item_code)
    _raw_answer(case, answer_slot, "yes")

    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_answer(case, answer_slot, "no")

    assert Answer.objects.filter(case=case, question=answer_slot.question).count() == 1


def test_database_allows_one_answer_row_per_item_of_an_item_question(case, other_case):
    _raw_answer(case, slot(case, "RR-A2", "alcohol"), "yes")
    _raw_answer(case, slot(case, "RR-A2", "drugs"), "no")
    _raw_answer(other_case, slot(other_case, "RR-A2", "alcohol"), "yes")

    assert Answer.objects.filter(question=question("RR-A2")).count() == 3


def test_a_write_from_a_page_opened_before_publication_is_refused(inspection, case, lead):
    loaded_before = Case.objects.select_related("inspection").get(pk=case.pk)
    published = Inspection.objects.get(pk=inspection.pk)
    published.status = "published"
    published.save()

    with pytest.raises(AnswerRefused) as refused:
        record(loaded_before, "RR-A1", "yes", user=lead)

    assert refused.value.code == "published"
    assert refused.value.messages == [
        "case NS-001, RR-A1: the inspection is published, so its answers cannot change."
    ]
    assert not Answer.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks (it locks the database)"
)
def test_an_answer_write_locks_its_inspections_row_before_anything_else(case, lead):
    with CaptureQueriesContext(connection) as queries:
        record(case, "RR-A1", "yes", user=lead)

    first_lock = next(q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"])
    assert '"inspection_inspection"' in first_lock.split("FROM", 1)[1].split("WHERE")[0]


@pytest.mark.parametrize(("rehabilitation_activity", "asked"), [(True, True), (False, False)])
def test_a_question_gated_on_a_requirement_of_the_order_is_asked_only_where_it_was_imposed(
    inspection, rehabilitation_activity, asked
):
    # qi-2016 asks RR-P4 (how the RAR days are used) of every case; a later framework version
    # may ask it only where the order has a rehabilitation activity requirement.
    Question.objects.filter(framework=inspection.framework, code="RR-P4").update(
        gate_descriptor="rehabilitation_activity", gate_values=["yes"]
    )
    case = CaseFactory(inspection=inspection, rehabilitation_activity=rehabilitation_activity)

    if asked:
        assert record(case, "RR-P4", "yes").value == "yes"
    else:
        message = refusal(slot(case, "RR-P4"), "yes")
        assert "asked only where rehabilitation_activity is yes" in message
