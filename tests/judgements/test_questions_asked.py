"""The case list's "asked" count (`QuestionsAsked`) is what `open_slots` lists, for any case.

`open_slots` walks every question's gate for every item of a case; `QuestionsAsked` counts the
same slots from a table of the framework's gates built once. The property below compares the
two on the real Q&I 2016 questions with their gates rewired at random (descriptor gates, gates
on any other question, chains through both, questions for one organisation only) and any
answers at all; the test after it compares them on cases answered through the services, a
descriptor gate that opens a question gate included.
"""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.descriptors import DESCRIPTORS, NOT_RECORDED
from cases.models import Case, Organisation
from judgements.framework import QuestionsAsked, framework_questions, items_by_set, open_slots
from judgements.models import Answer, Question
from judgements.progress import case_progress
from judgements.services import case_change
from tests.factories import CaseFactory
from tests.helpers import record

EXAMPLES = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JUNK = "not-a-code"


@pytest.fixture
def framework(inspection) -> tuple[list[Question], dict]:
    framework_id = inspection.framework_id
    return framework_questions(framework_id), items_by_set(framework_id)


def _codes(question: Question) -> list[str]:
    return [*question.choice_codes(), JUNK]


def _rewired(questions: list[Question], data) -> list[Question]:
    """Copies of the questions, some given other organisations or another gate (or none)."""
    copies = [copy.copy(question) for question in questions]
    for question in data.draw(st.lists(st.sampled_from(copies), max_size=15, unique=True)):
        question.applies_to_crc, question.applies_to_nps = data.draw(
            st.sampled_from([(True, True), (True, False), (False, True)])
        )
        change = data.draw(st.sampled_from(["keep", "none", "descriptor", "question"]))
        if change == "none":
            question.gate_question, question.gate_descriptor, question.gate_values = None, "", []
        elif change == "descriptor":
            descriptor = data.draw(st.sampled_from(sorted(DESCRIPTORS)))
            codes = [*DESCRIPTORS[descriptor].codes, NOT_RECORDED]
            question.gate_question, question.gate_descriptor = None, descriptor
            question.gate_values = data.draw(st.lists(st.sampled_from(codes), min_size=1))
        elif change == "question":
            gate = data.draw(st.sampled_from([c for c in copies if c is not question]))
            question.gate_question, question.gate_descriptor = gate, ""
            question.gate_values = data.draw(st.lists(st.sampled_from(_codes(gate)), min_size=1))
    return copies


def _case(data) -> Case:
    case = Case(organisation=data.draw(st.sampled_from(Organisation.values)))
    for name, descriptor in DESCRIPTORS.items():
        code = data.draw(st.sampled_from([*descriptor.codes, NOT_RECORDED]))
        setattr(case, name, descriptor.stored_values([code])[0])
    return case


def _answers(questions: list[Question], items: dict, data) -> dict:
    """Any answers to any slot of any question, behind shut gates or not, codes or not."""
    answers = {}
    for question in data.draw(st.lists(st.sampled_from(questions), max_size=30, unique=True)):
        item_ids = [i.id for i in items.get(question.item_set_id, [])] or [None]
        for item_id in data.draw(st.lists(st.sampled_from(item_ids), min_size=1, unique=True)):
            answers[(question.id, item_id)] = data.draw(st.sampled_from(_codes(question)))
    return answers


@EXAMPLES
@given(data=st.data())
def test_questions_asked_counts_the_slots_open_slots_lists_whatever_the_gates_and_answers(
    framework, data
):
    questions, items = framework
    rewired = _rewired(questions, data) if data.draw(st.booleans()) else questions
    case, answers = _case(data), _answers(rewired, items, data)

    expected = len(open_slots(case, rewired, items, answers))
    assert QuestionsAsked(rewired, items).count(case, answers) == expected


def test_a_gate_without_items_opens_every_item_of_the_question_behind_it(framework):
    """The shape the property meets least often: a per-item question (RR-P1, ten priority
    factors) behind a question asked once (C5)."""
    questions, items = framework
    rewired = [copy.copy(question) for question in questions]
    by_code = {question.code: question for question in rewired}
    by_code["RR-P1"].gate_question, by_code["RR-P1"].gate_values = by_code["C5"], ["yes"]
    case = Case(organisation="CRC", court_report="none")
    asked = QuestionsAsked(rewired, items)
    shut = asked.count(case, {(by_code["C5"].id, None): "no"})
    opened = asked.count(case, {(by_code["C5"].id, None): "yes"})

    assert len(items[by_code["RR-P1"].item_set_id]) == 10
    assert opened - shut == 10 + 1  # RR-P1 for each factor, and C5b (behind C5 already)
    assert opened == len(open_slots(case, rewired, items, {(by_code["C5"].id, None): "yes"}))


def _reference(cases: list[Case]) -> dict[int, int]:
    """What the case list counted before `QuestionsAsked`: open_slots over every answer."""
    framework_id = cases[0].inspection.framework_id
    questions, items = framework_questions(framework_id), items_by_set(framework_id)
    reference = {}
    for case in cases:
        answers = {
            (question_id, item_id): value
            for question_id, item_id, value in Answer.objects.filter(case=case).values_list(
                "question_id", "item_id", "value"
            )
        }
        reference[case.id] = len(open_slots(case, questions, items, answers))
    return reference


def _asked(cases: list[Case]) -> dict[int, int]:
    return {case_id: progress.asked for case_id, progress in case_progress(cases).items()}


def test_case_progress_asks_what_open_slots_lists_of_cases_answered_through_the_services(
    inspection, lead, django_assert_num_queries
):
    # A descriptor gate in front of a question gate: C5 asked only with a full written court
    # report, C5b only when C5 is yes. (Editable: the framework has no answers yet.)
    c5 = Question.objects.get(framework=inspection.framework, code="C5")
    c5.gate_descriptor, c5.gate_values = "court_report", ["full_written"]
    c5.save()
    plain = CaseFactory(inspection=inspection, court_report="none")
    chained = CaseFactory(inspection=inspection, organisation="NPS", court_report="full_written")
    record(chained, "C5", "yes")
    record(chained, "C5b", "no")
    for factor in ("alcohol", "drugs"):
        record(chained, "RR-A2", "yes", factor)
        record(chained, "RR-D5", "yes", factor)
    record(chained, "RR-D5b", "yes", "alcohol")
    record(chained, "RR-A2", "no", "accommodation")
    varied = CaseFactory(inspection=inspection, gender="female", mappa_level="2", interviewed=True)
    record(varied, "PP-A0", "yes", "children")
    record(varied, "CD-1", "yes")
    record(varied, "RR-D1", "no")
    cases = [plain, chained, varied]
    # The framework's revision (the process keeps its questions and items) and the progress
    # the answer services kept for the cases they wrote...
    with django_assert_num_queries(2):
        kept = _asked([chained, varied])
    assert kept == _reference([chained, varied])
    # ...and for a case without any (no answer written yet), its answered count and gate
    # answers counted afresh, then kept (an upsert in a savepoint) for the next read.
    with django_assert_num_queries(4 + 3):
        before = _asked(cases)
    assert before == _reference(cases)
    with django_assert_num_queries(2):
        assert _asked(cases) == before

    chained, cleared = case_change(case=chained, changes={"court_report": "none"}, by=lead)
    assert sorted(cleared) == ["C5", "C5b"]
    cases = [plain, chained, varied]
    after = _asked(cases)
    assert after == _reference(cases)
    # C2 and C4 (court report questions), C5 and, behind it, C5b are no longer asked.
    assert after[chained.id] == before[chained.id] - 4
    assert after[plain.id] == before[plain.id]


# The case list's "answered of asked", counted by case_progress


def test_case_progress_counts_answers_and_the_questions_open_for_each_case(inspection):
    assert case_progress([]) == {}
    untouched, answered = CaseFactory.create_batch(2, inspection=inspection)
    before = case_progress([untouched, answered])
    record(answered, "RR-A1", "yes")
    record(answered, "C5", "yes")  # opens C5b
    after = case_progress([untouched, answered])
    assert before[untouched.id] == before[answered.id] == after[untouched.id]
    assert before[untouched.id].answered == 0 and before[untouched.id].asked > 0
    assert after[answered.id].answered == 2
    assert after[answered.id].asked == before[answered.id].asked + 1
