"""The framework as the pages and services walk it: questions, items and open questions.

Each lookup is one query for the whole framework, so a page or an import never asks per row.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

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


@dataclass(frozen=True)
class _AskedTable:
    """For one organisation: what `QuestionsAsked.count` adds up."""

    ungated: int
    # descriptor -> the descriptor's code -> slots its gates open
    by_descriptor: dict[str, Counter]
    # (gate question id, item id or None, value) -> slots that answer opens
    by_answer: Counter


class QuestionsAsked:
    """How many (question, item) pairs the framework asks of a case: `len(open_slots(...))`,
    without evaluating every question's gate for every item of every case.

    Built once for a framework's questions and items, it tables for each organisation what
    opens which slots (a slot being a question that applies to the organisation, for one of
    its items or for none): the ungated slots are a fixed number; a descriptor gate opens its
    slots for each code among its values; a question gate reads one answer per slot (the
    gate question's answer for the same item, or its one answer for a gate without items),
    so each (gate question, item, value) opens a fixed number of slots. A case's count is then
    a constant, one lookup per gated-on descriptor and one per answer, the same as
    `open_slots` gives for any answers (a chain of gates included: a gate reads only its own
    gate question's answer, there as here).
    """

    def __init__(self, questions: list[Question], items: dict[int, list[Item]]):
        self._questions = questions
        self._items = items
        self._tables: dict[str, _AskedTable] = {}

    def count(self, case: Case, answers: Mapping[tuple[int, int | None], str]) -> int:
        """The slots asked of `case`, given its answers by (question id, item id or None)."""
        table = self._table(case.organisation)
        asked = table.ungated
        for descriptor, opened in table.by_descriptor.items():
            asked += opened[case.descriptor_value(descriptor)]
        for (question_id, item_id), value in answers.items():
            asked += table.by_answer[(question_id, item_id, value)]
        return asked

    def _table(self, organisation: str) -> _AskedTable:
        if organisation not in self._tables:
            self._tables[organisation] = self._table_for(organisation)
        return self._tables[organisation]

    def _table_for(self, organisation: str) -> _AskedTable:
        ungated, by_descriptor, by_answer = 0, defaultdict(Counter), Counter()
        for question in self._questions:
            if not question.applies_to(organisation):
                continue
            slot_items = (
                [item.id for item in self._items.get(question.item_set_id, [])]
                if question.item_set_id
                else [None]
            )
            gate = question.gate
            if gate is None:
                ungated += len(slot_items)
            elif gate.descriptor:
                for code in set(gate.values):
                    by_descriptor[gate.descriptor][code] += len(slot_items)
            else:
                for item_id in slot_items:
                    for value in set(gate.values):
                        by_answer[(gate.question, item_id if gate.per_item else None, value)] += 1
        return _AskedTable(ungated, dict(by_descriptor), by_answer)
