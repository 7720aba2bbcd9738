"""Every count over answers lives here, so pages, exports, charts and the PDF agree.

A constant number of queries whatever the number of cases: GROUP BY in the database, and
Python only for the framework's gates, which depend on other answers.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from cases.models import Case
from judgements.models import Answer, Item, Question


@dataclass(frozen=True)
class CaseProgress:
    answered: int
    asked: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 0


def framework_questions(framework_id: int) -> list[Question]:
    return list(
        Question.objects.filter(framework_id=framework_id).select_related(
            "domain", "theme", "item_set", "gate_question"
        )
    )


def items_by_set(framework_id: int) -> dict[int, list[Item]]:
    grouped: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(item_set__framework_id=framework_id):
        grouped[item.item_set_id].append(item)
    return grouped


def open_slots(case: Case, questions, items, answers) -> list[tuple[Question, Item | None]]:
    """The (question, item) pairs the framework asks of this case, given its answers so far."""
    slots = []
    for question in questions:
        if not question.applies_to(case.organisation):
            continue
        for item in items.get(question.item_set_id, []) if question.item_set_id else [None]:
            if question.gate_opens(case, answers, item.id if item else None):
                slots.append((question, item))
    return slots


def case_progress(cases: list[Case]) -> dict[int, CaseProgress]:
    """Answered and asked counts for each case of one inspection (five queries in all)."""
    if not cases:
        return {}
    framework_id = cases[0].inspection.framework_id
    questions, items = framework_questions(framework_id), items_by_set(framework_id)
    gate_ids = {q.gate_question_id for q in questions if q.gate_question_id}
    case_ids = [case.id for case in cases]
    gate_answers: dict[int, dict] = defaultdict(dict)
    for case_id, question_id, item_id, value in Answer.objects.filter(
        case_id__in=case_ids, question_id__in=gate_ids
    ).values_list("case_id", "question_id", "item_id", "value"):
        gate_answers[case_id][(question_id, item_id)] = value
    answered = dict(
        Answer.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("case_id", "n")
    )
    return {
        case.id: CaseProgress(
            answered=answered.get(case.id, 0),
            asked=len(open_slots(case, questions, items, gate_answers[case.id])),
        )
        for case in cases
    }
