"""The framework as the pages and services walk it: questions, items and open questions.

A framework is loaded once per process and kept under its revision (`Framework.revision`,
changed by every write to the framework or its parts): a lookup asks the database only for
the revision, and loads the questions and items again when it has moved. The objects are
shared by every caller in the process, so they are read, never changed (a caller that wants
to change one copies it first, as tests/judgements/test_questions_asked.py does).
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from cases.descriptors import DESCRIPTORS
from cases.models import Case
from inspection.models import Inspection
from judgements.models import Framework, Item, Question


@dataclass(frozen=True)
class LoadedFramework:
    questions: tuple[Question, ...]
    items: dict[int, list[Item]]
    # The framework's revision when loaded (None: not kept, the framework was not found).
    revision: object = None

    @cached_property
    def questions_asked(self) -> "QuestionsAsked":
        return QuestionsAsked(list(self.questions), self.items)

    @cached_property
    def gate_descriptors(self) -> tuple[str, ...]:
        """The descriptors the framework's gates read, in a fixed order."""
        return tuple(sorted({q.gate_descriptor for q in self.questions if q.gate_descriptor}))


# framework id -> (revision, what was loaded under it): the latest revision only.
_loaded: dict[int, tuple[object, LoadedFramework]] = {}


def forget_frameworks() -> None:
    """Drop every framework this process keeps (tests do, as their rows and ids come and go)."""
    _loaded.clear()


def framework_loaded(framework_id: int) -> LoadedFramework:
    """The framework's questions and items: one query for its revision, two more when it has
    changed since this process last loaded it."""
    revision = (
        Framework._base_manager.filter(pk=framework_id).values_list("revision", flat=True).first()
    )
    return _loaded_under(framework_id, revision)


def inspection_framework(inspection: Inspection) -> LoadedFramework:
    """The inspection's framework, under the revision read with the inspection when the
    inspection was read with its framework (the permission gate reads it so, in the same
    request): then no query at all while this process keeps that revision."""
    if Inspection.framework.is_cached(inspection):
        return _loaded_under(inspection.framework_id, inspection.framework.revision)
    return framework_loaded(inspection.framework_id)


def _loaded_under(framework_id: int, revision) -> LoadedFramework:
    kept = _loaded.get(framework_id)
    if kept is not None and revision is not None and kept[0] == revision:
        return kept[1]
    questions = tuple(
        Question.objects.filter(framework_id=framework_id).select_related(
            "domain", "theme", "item_set", "gate_question"
        )
    )
    grouped: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(item_set__framework_id=framework_id):
        grouped[item.item_set_id].append(item)
    loaded = LoadedFramework(questions, dict(grouped), revision)
    if revision is not None:
        _loaded[framework_id] = (revision, loaded)
    return loaded


def framework_questions(framework_id: int) -> list[Question]:
    return list(framework_loaded(framework_id).questions)


def items_by_set(framework_id: int) -> dict[int, list[Item]]:
    return defaultdict(list, framework_loaded(framework_id).items)


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
        return self.opened_by_case(case) + self.opened_by_answers(case.organisation, answers)

    def opened_by_case(self, case) -> int:
        """The slots asked of a case whatever its answers: the ungated ones and those its
        descriptors open. `case`: anything with the case's organisation and descriptors as
        attributes (a Case, or a row of the case list's query)."""
        table = self._table(case.organisation)
        asked = table.ungated
        for descriptor, opened in table.by_descriptor.items():
            asked += opened[DESCRIPTORS[descriptor].value_of(case)]
        return asked

    def opened_by_answers(
        self, organisation: str, answers: Mapping[tuple[int, int | None], str]
    ) -> int:
        """The slots a case of `organisation` is asked because of its gate answers."""
        by_answer = self._table(organisation).by_answer
        return sum(
            by_answer[(question_id, item_id, value)]
            for (question_id, item_id), value in answers.items()
        )

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
