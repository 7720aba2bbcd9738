"""A case's framework as an inspector scores it: sections, and the answer slots on each.

A section is one page. Questions without items are grouped by domain and practice theme (the
report's chapters and sub-headings); the questions asked item by item (priority factors, risk
of harm groups, practice stages) are grouped by domain and item set, so the whole chain of an
item (priority? → in the plan? → delivered? → outcome?) is one row of one grid, and its gates
open and shut on the page where they are answered.

Every slot of a section is listed, open or shut: a slot whose gate is on the same page is shut
only until that page's answer opens it, so the page carries it (hidden) for its script to show;
a slot shut by a descriptor or by a question on another page is listed as not asked.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.text import slugify

from cases.descriptors import DESCRIPTORS
from cases.models import Case
from judgements.framework import inspection_framework
from judgements.models import Answer, Domain, Item, Question

# A slot's key in a form and in the browser's saved copy: "<question id>-<item id or 0>".
SlotKey = str


def slot_key(question_id: int, item_id: int | None) -> SlotKey:
    return f"{question_id}-{item_id or 0}"


def parse_slot_key(key: str) -> tuple[int, int | None] | None:
    """The (question id, item id) a key names, or None if it is not a key."""
    parts = key.split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None
    question_id, item_id = int(parts[0]), int(parts[1])
    return question_id, item_id or None


@dataclass
class Slot:
    """One answer a case may be given: a question, for one item or none."""

    question: Question
    item: Item | None
    answer: Answer | None
    is_open: bool
    # The gate is a question on the same page: the page's script opens and shuts the slot.
    gated_here: bool = False
    # What the person typed, when a save was refused and the page is shown again with it.
    typed: tuple[str, str, int] | None = None
    error: str = ""
    # The answer was saved since the person's page was built: theirs (None if cleared), shown
    # beside the person's own so they choose.
    conflict: bool = False
    theirs: Answer | None = None
    # Theirs was saved by this same person, from another tab or window of theirs.
    theirs_mine: bool = False

    @property
    def key(self) -> SlotKey:
        return slot_key(self.question.id, self.item.id if self.item else None)

    @property
    def gate_key(self) -> SlotKey | None:
        """The key of the slot whose answer opens this one, when it is on the same page."""
        if not self.gated_here:
            return None
        gate = self.question.gate_question
        per_item = gate.item_set_id is not None
        return slot_key(gate.id, self.item.id if per_item and self.item else None)

    @property
    def version(self) -> int:
        """The version the page's save is based on: after a conflict, the one now stored."""
        if self.conflict:
            return self.theirs.version if self.theirs else 0
        if self.typed:
            return self.typed[2]
        return self.answer.version if self.answer else 0

    @property
    def value(self) -> str:
        if self.typed:
            return self.typed[0]
        return self.answer.value if self.answer else ""

    @property
    def note(self) -> str:
        if self.typed:
            return self.typed[1]
        return self.answer.note if self.answer else ""

    @property
    def value_label(self) -> str:
        return self.question.choice_label(self.value) if self.value else "No answer"

    @property
    def gate_values(self) -> str:
        """The gate's opening answers, space-separated, for the page's script."""
        return " ".join(self.question.gate_values) if self.gated_here else ""

    @property
    def saved_value(self) -> str:
        return self.answer.value if self.answer else ""

    @property
    def label(self) -> str:
        suffix = f" [{self.item.code}]" if self.item else ""
        return f"{self.question.code}{suffix}"

    @property
    def not_asked_reason(self) -> str:
        return gate_description_words(self.question)

    def choices(self) -> list[tuple[str, str]]:
        return [(code, self.question.choice_label(code)) for code in self.question.choice_codes()]


def gate_description_words(question: Question) -> str:
    """When a gated question is asked, in words an inspector reads ("asked only where C5 is
    Yes", "asked only where the risk of serious harm level is high or very high")."""
    if not question.has_gate:
        return ""
    if question.gate_descriptor:
        descriptor = DESCRIPTORS[question.gate_descriptor]
        labels = dict(descriptor.choices.choices) if descriptor.choices else {}
        values = " or ".join(
            labels.get(value, value.capitalize()).lower() for value in question.gate_values
        )
        return f"asked only where {descriptor.label.lower()} is {values}"
    gate = question.gate_question
    values = " or ".join(gate.choice_label(value) for value in question.gate_values)
    return f"asked only where the answer to {gate.code} is {values}"


@dataclass
class GridRow:
    item: Item
    cells: list[Slot]

    @property
    def open_cells(self) -> list[Slot]:
        return [cell for cell in self.cells if cell.is_open]


@dataclass
class Section:
    slug: str
    domain: Domain
    title: str
    questions: list[Question]
    slots: list[Slot] = field(default_factory=list)
    item_set_name: str = ""
    items: list[Item] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.domain.name}: {self.title[0].lower()}{self.title[1:]}"

    @property
    def is_grid(self) -> bool:
        return bool(self.items)

    @cached_property
    def rows(self) -> list[GridRow]:
        """For a grid: a row per item, a cell per question of the chain."""
        cells = {(slot.question.id, slot.item.id): slot for slot in self.slots}
        return [
            GridRow(item, [cells[(question.id, item.id)] for question in self.questions])
            for item in self.items
        ]

    @property
    def asked(self) -> int:
        return sum(1 for slot in self.slots if slot.is_open)

    @property
    def answered(self) -> int:
        return sum(1 for slot in self.slots if slot.is_open and slot.answer)

    @property
    def unanswered(self) -> list[Slot]:
        return [slot for slot in self.slots if slot.is_open and not slot.answer]

    @property
    def shown(self) -> list[Slot]:
        """The slots the page has inputs for: open ones and those its own answers may open."""
        return [slot for slot in self.slots if slot.is_open or slot.gated_here]

    @property
    def not_asked(self) -> list[Slot]:
        """Slots shut by a descriptor or by an answer on another page."""
        return [slot for slot in self.slots if not slot.is_open and not slot.gated_here]

    @property
    def state(self) -> str:
        if not self.shown:
            return "not_asked"
        if self.asked and self.answered == self.asked:
            return "completed"
        return "in_progress" if self.answered else "not_started"

    @property
    def state_label(self) -> str:
        return {
            "not_asked": "Not asked",
            "completed": "Completed",
            "in_progress": "In progress",
            "not_started": "Not started",
        }[self.state]


@dataclass
class ScoringSheet:
    case: Case
    sections: list[Section]

    @property
    def asked(self) -> int:
        return sum(section.asked for section in self.sections)

    @property
    def answered(self) -> int:
        return sum(section.answered for section in self.sections)

    @property
    def unanswered(self) -> int:
        return self.asked - self.answered

    def section(self, slug: str) -> Section | None:
        return next((section for section in self.sections if section.slug == slug), None)

    def neighbours(self, section: Section) -> tuple[Section | None, Section | None]:
        """The previous and next sections that ask anything of this case."""
        asking = [s for s in self.sections if s.shown or s is section]
        index = asking.index(section)
        previous = asking[index - 1] if index > 0 else None
        following = asking[index + 1] if index + 1 < len(asking) else None
        return previous, following

    def section_of(self, key: SlotKey) -> Section:
        """The section (the page) that asks a slot."""
        return next(s for s in self.sections if any(slot.key == key for slot in s.slots))

    def slots(self) -> dict[SlotKey, Slot]:
        return {slot.key: slot for section in self.sections for slot in section.slots}

    def answer_names(self, labels: list[str]) -> list[str]:
        """Answers named by the services' labels ("C2", "RR-P1 [alcohol]") as a person reads
        them: the label with its question's words, for a message of answers cleared."""
        questions = {slot.label: slot.question for slot in self.slots().values()}
        return [
            f"{label} “{questions[label].text}”" if label in questions else label
            for label in labels
        ]


def _section_slug(question: Question) -> str:
    part = question.item_set.code if question.item_set_id else question.theme.code
    return slugify(f"{question.domain.code}-{part}".replace("_", "-"))


def scoring_sheet(case: Case, answers: list[Answer] | None = None) -> ScoringSheet:
    """The case's sections in framework order, each with its slots and their answers.

    One query for the case's answers (judgements.framework keeps the framework per process,
    under the revision the permission gate read with the inspection; or one more query for it).
    """
    framework = inspection_framework(case.inspection)
    questions = [q for q in framework.questions if q.applies_to(case.organisation)]
    items = framework.items
    if answers is None:
        # order_by(): the answers' default order joins their inspection, case, question and
        # item only to sort rows that go straight into a dict.
        answers = list(Answer.objects.filter(case=case).select_related("answered_by").order_by())
    by_key = {(answer.question_id, answer.item_id): answer for answer in answers}
    values = {key: answer.value for key, answer in by_key.items()}
    sections: dict[str, Section] = {}
    section_of: dict[int, str] = {}
    for question in questions:
        slug = _section_slug(question)
        section_of[question.id] = slug
        if slug not in sections:
            is_grid = question.item_set_id is not None
            sections[slug] = Section(
                slug=slug,
                domain=question.domain,
                title=question.item_set.name if is_grid else question.theme.name,
                questions=[],
                item_set_name=question.item_set.name if is_grid else "",
                items=list(items.get(question.item_set_id, [])) if is_grid else [],
            )
        sections[slug].questions.append(question)
    for question in questions:
        section = sections[section_of[question.id]]
        gated_here = (
            question.gate_question_id is not None
            and section_of.get(question.gate_question_id) == section.slug
        )
        for item in items.get(question.item_set_id, []) if question.item_set_id else [None]:
            item_id = item.id if item else None
            answer = by_key.get((question.id, item_id))
            if answer is not None:
                answer.question, answer.item = question, item  # loaded: no query per slot
            section.slots.append(
                Slot(
                    question=question,
                    item=item,
                    answer=answer,
                    is_open=question.gate_opens(case, values, item_id),
                    gated_here=gated_here,
                )
            )
    ordered = sorted(
        sections.values(), key=lambda s: (s.domain.order, min(q.order for q in s.questions))
    )
    return ScoringSheet(case=case, sections=ordered)
