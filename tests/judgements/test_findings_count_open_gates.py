"""Findings count an answer only while its gate is open, whatever wrote the rows."""

import pytest
from django.utils.timezone import now

from cases.models import Case
from judgements.findings import inspection_findings
from judgements.models import Answer, AnswerWrittenRoundTheServices, Item, Question
from judgements.services import AnswerSlot, answer_record


def _slot(case, code, item_code=None):
    question = Question.objects.get(framework__code="qi-2016", code=code)
    item = Item.objects.get(item_set=question.item_set_id, code=item_code) if item_code else None
    return AnswerSlot(case, question, item)


def test_a_gate_answer_cannot_be_changed_round_the_services_so_no_gate_shuts_unseen(
    inspection, case
):
    answer_record(slot=_slot(case, "RR-A2", "alcohol"), value="yes")
    answer_record(slot=_slot(case, "RR-P1", "alcohol"), value="yes")

    with pytest.raises(AnswerWrittenRoundTheServices):
        Answer.objects.filter(question__code="RR-A2").update(value="no")
    gate = Answer.objects.get(question__code="RR-A2")
    gate.value = "no"
    with pytest.raises(AnswerWrittenRoundTheServices):
        gate.save()
    with pytest.raises(AnswerWrittenRoundTheServices):
        gate.delete()

    assert inspection_findings(inspection).yes_no_finding("RR-P1", "alcohol", "CRC").yes == 1


def test_answers_cannot_be_created_round_the_services(case):
    with pytest.raises(AnswerWrittenRoundTheServices):
        Answer.objects.create(
            case=case, question=_slot(case, "RR-A1").question, value="yes", answered_at=now()
        )
    with pytest.raises(AnswerWrittenRoundTheServices):
        Answer.objects.bulk_create(
            [Answer(case=case, question=_slot(case, "RR-A1").question, value="yes")]
        )

    assert not Answer.objects.exists()


def test_a_note_may_still_be_corrected_directly_as_it_opens_or_shuts_nothing(case):
    answer = answer_record(slot=_slot(case, "RR-A1"), value="yes", note="typo")
    answer.note = "corrected"
    answer.save()

    assert Answer.objects.get().note == "corrected"


def test_an_answer_behind_a_descriptor_gate_shut_outside_the_services_is_not_counted(
    inspection, case
):
    Case.objects.filter(pk=case.pk).update(court_report="full_written")
    case.refresh_from_db()
    answer_record(slot=_slot(case, "C2"), value="yes")
    assert inspection_findings(inspection).yes_no_finding("C2", None, "CRC").yes == 1

    Case.objects.filter(pk=case.pk).update(court_report="none")

    assert inspection_findings(inspection).yes_no_finding("C2", None, "CRC").relevant == 0


def test_answers_whose_gates_are_open_are_all_counted(inspection, case):
    answer_record(slot=_slot(case, "RR-A2", "alcohol"), value="yes")
    answer_record(slot=_slot(case, "RR-A2", "drugs"), value="yes")
    answer_record(slot=_slot(case, "RR-P1", "alcohol"), value="no")
    answer_record(slot=_slot(case, "RR-P1", "drugs"), value="yes")

    findings = inspection_findings(inspection)

    assert findings.yes_no_finding("RR-P1", "alcohol", "CRC").no == 1
    assert findings.yes_no_finding("RR-P1", "drugs", "CRC").yes == 1
