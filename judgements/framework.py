"""The framework as the pages and services walk it: questions, items and open questions.

Each lookup is one query for the whole framework, so a page or an import never asks per row.
"""

from collections import defaultdict

from cases.models import Case
from judgements.models import Item, Question


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
