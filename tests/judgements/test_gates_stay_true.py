"""An answer stays only while its gate is open: a change that shuts a gate clears the answers
behind it (and theirs, in turn), says which, and leaves data that exports and re-imports cleanly.

The gate chains are the real Q&I 2016 ones: RR-A2 (is this a priority factor?) opens RR-P1,
RR-D2, RR-D5 and RR-O1 for the same factor, and RR-D5 opens RR-D5b; the court report type
opens C2 and C4.
"""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case
from inspection.lib.spreadsheets import csv_bytes, read_sheet
from judgements.exports import answers_csv
from judgements.findings import inspection_findings
from judgements.models import Answer, Item, Question
from judgements.services import (
    AnswerSlot,
    answer_clear,
    answer_record,
    answers_import,
    case_change,
    case_change_clears,
)
from tests.factories import CaseFactory, InspectionFactory
from tests.helpers import csv_file, run

HEADER = ["case_ref", "question", "item", "value", "note"]

ALCOHOL_CHAIN = {
    ("RR-A2", "alcohol"): "yes",
    ("RR-P1", "alcohol"): "yes",
    ("RR-D2", "alcohol"): "no",
    ("RR-D5", "alcohol"): "yes",
    ("RR-D5b", "alcohol"): "no",  # gated on RR-D5, so shut in turn
    ("RR-O1", "alcohol"): "yes",
}
DRUGS_CHAIN = {("RR-A2", "drugs"): "yes", ("RR-P1", "drugs"): "yes"}
CLEARED_WITH_ALCOHOL = [
    "RR-D2 [alcohol]",
    "RR-D5 [alcohol]",
    "RR-D5b [alcohol]",
    "RR-O1 [alcohol]",
    "RR-P1 [alcohol]",
]


def slot(case: Case, code: str, item_code: str | None = None) -> AnswerSlot:
    question = Question.objects.get(framework__code="qi-2016", code=code)
    item = Item.objects.get(item_set=question.item_set, code=item_code) if item_code else None
    return AnswerSlot(case, question, item)


def record(case: Case, answers: dict, user=None) -> None:
    for (code, item_code), value in answers.items():
        answer_record(slot=slot(case, code, item_code), value=value, user=user)


def stored(case: Case) -> dict[tuple[str, str | None], str]:
    return {
        (answer.question.code, answer.item.code if answer.item else None): answer.value
        for answer in Answer.objects.filter(case=case).select_related("question", "item")
    }


@pytest.fixture
def answered_case(case, inspector):
    record(case, ALCOHOL_CHAIN | DRUGS_CHAIN, inspector)
    return case


@pytest.fixture
def court_report_case(inspection, inspector):
    case = CaseFactory(
        inspection=inspection,
        case_ref="NS-002",
        court_report="full_written",
        assigned_inspector=inspector,
    )
    record(case, {("C2", None): "yes", ("C4", None): "no", ("C3", None): "yes"}, inspector)
    return case


# A gate answer changes


def test_a_factor_answered_no_clears_the_answers_it_gated_and_theirs(answered_case, inspector):
    answer = answer_record(slot=slot(answered_case, "RR-A2", "alcohol"), value="no", user=inspector)

    assert sorted(answer.cleared_behind_gates) == CLEARED_WITH_ALCOHOL
    assert stored(answered_case) == {("RR-A2", "alcohol"): "no"} | DRUGS_CHAIN


def test_an_unchanged_gate_answer_clears_nothing(answered_case, inspector):
    answer = answer_record(
        slot=slot(answered_case, "RR-A2", "alcohol"), value="yes", user=inspector
    )

    assert answer.cleared_behind_gates == []
    assert stored(answered_case) == ALCOHOL_CHAIN | DRUGS_CHAIN


def test_a_gate_that_stays_open_keeps_its_answers(answered_case, inspector):
    """Changing RR-D5 from yes to no shuts RR-D5b only: RR-A2 still opens the rest."""
    answer = answer_record(slot=slot(answered_case, "RR-D5", "alcohol"), value="no", user=inspector)

    assert answer.cleared_behind_gates == ["RR-D5b [alcohol]"]
    assert ("RR-P1", "alcohol") in stored(answered_case)


def test_clearing_a_gate_answer_clears_the_answers_behind_it(answered_case, inspector):
    cleared = answer_clear(slot=slot(answered_case, "RR-A2", "alcohol"), user=inspector)

    assert cleared[0] == "RR-A2 [alcohol]"
    assert sorted(cleared[1:]) == CLEARED_WITH_ALCOHOL
    assert stored(answered_case) == DRUGS_CHAIN


def test_findings_no_longer_count_the_cleared_answers(answered_case, inspector):
    before = inspection_findings(answered_case.inspection).yes_no_finding(
        "RR-P1", "alcohol", group="CRC"
    )

    answer_record(slot=slot(answered_case, "RR-A2", "alcohol"), value="no", user=inspector)

    after = inspection_findings(answered_case.inspection).yes_no_finding(
        "RR-P1", "alcohol", group="CRC"
    )
    assert (before.yes, before.relevant) == (1, 1)
    assert (after.yes, after.relevant, after.unanswered) == (0, 0, 0)


# A case descriptor changes


def test_a_court_report_changed_to_none_clears_the_court_report_answers(court_report_case, lead):
    case, cleared = case_change(case=court_report_case, changes={"court_report": "none"}, by=lead)

    assert sorted(cleared) == ["C2", "C4"]
    assert case.court_report == "none"
    assert stored(court_report_case) == {("C3", None): "yes"}


def test_the_answers_a_change_would_clear_are_predicted_without_changing_anything(
    court_report_case, lead
):
    before = stored(court_report_case)

    predicted = case_change_clears(court_report_case, {"court_report": "none"})

    assert sorted(predicted) == ["C2", "C4"]
    assert stored(court_report_case) == before
    assert Case.objects.get(pk=court_report_case.pk).court_report == "full_written"
    _case, cleared = case_change(case=court_report_case, changes={"court_report": "none"}, by=lead)
    assert cleared == predicted


def test_a_change_that_keeps_the_gate_open_clears_nothing(court_report_case, lead):
    assert case_change_clears(court_report_case, {"court_report": "short_or_oral"}) == []

    _case, cleared = case_change(
        case=court_report_case, changes={"court_report": "short_or_oral"}, by=lead
    )

    assert cleared == []
    assert len(stored(court_report_case)) == 3


def test_a_refused_case_change_clears_nothing(court_report_case, other_inspector, lead):
    with pytest.raises(ValidationError, match="not on the team"):
        case_change(
            case=court_report_case,
            changes={"court_report": "none", "assigned_inspector": other_inspector},
            by=lead,
        )

    assert len(stored(court_report_case)) == 3


# An import replaces a gate answer


def test_an_import_that_shuts_a_gate_clears_and_reports_the_answers_behind_it(answered_case, lead):
    rows = read_sheet(
        csv_bytes(HEADER, [["NS-001", "RR-A2", "alcohol", "no", ""]]),
        required=HEADER[:4],
        optional=HEADER[4:],
    )

    imported = answers_import(
        inspection=answered_case.inspection, rows=rows, user=lead, replace=True
    )

    assert imported.replaced == 1
    assert sorted(imported.cleared) == [f"case NS-001, {label}" for label in CLEARED_WITH_ALCOHOL]
    assert stored(answered_case) == {("RR-A2", "alcohol"): "no"} | DRUGS_CHAIN


def test_the_import_command_tells_which_answers_it_cleared(answered_case, tmp_path):
    path = csv_file(tmp_path / "answers.csv", HEADER, [["NS-001", "RR-A2", "alcohol", "no", ""]])

    output = run("import_answers", "northshire", str(path), "--replace")

    assert "RR-P1 [alcohol]" in output


def test_the_export_after_a_gate_shut_reimports_cleanly_into_a_fresh_inspection(
    answered_case, court_report_case, inspector, lead, tmp_path
):
    answer_record(slot=slot(answered_case, "RR-A2", "alcohol"), value="no", user=inspector)
    case_change(case=court_report_case, changes={"court_report": "none"}, by=lead)
    exported = answers_csv(answered_case.inspection)
    fresh = InspectionFactory(slug="eastshire")
    for case in (answered_case, court_report_case):
        CaseFactory(inspection=fresh, case_ref=case.case_ref, court_report="none")
    path = tmp_path / "answers.csv"
    path.write_bytes(exported)

    output = run("import_answers", "eastshire", str(path))

    assert f"{Answer.objects.filter(case__inspection=answered_case.inspection).count()} new" in (
        output
    )
    assert answers_csv(fresh) == exported
