"""Findings count an answer only while its gate is open, whatever wrote the rows."""

from cases.models import Case
from judgements.findings import inspection_findings
from judgements.models import Answer, Item, Question
from judgements.services import AnswerSlot, answer_record


def _slot(case, code, item_code=None):
    question = Question.objects.get(framework__code="qi-2016", code=code)
    item = Item.objects.get(item_set=question.item_set_id, code=item_code) if item_code else None
    return AnswerSlot(case, question, item)


def test_an_answer_behind_a_gate_shut_outside_the_services_is_not_counted(inspection, case):
    answer_record(slot=_slot(case, "RR-A2", "alcohol"), value="yes")
    answer_record(slot=_slot(case, "RR-P1", "alcohol"), value="yes")
    assert inspection_findings(inspection).yes_no_finding("RR-P1", "alcohol", "CRC").yes == 1

    # A raw write (a database console, a bug) shuts the gate without clearing RR-P1.
    Answer.objects.filter(question__code="RR-A2").update(value="no")

    finding = inspection_findings(inspection).yes_no_finding("RR-P1", "alcohol", "CRC")
    assert (finding.yes, finding.relevant) == (0, 0)


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
