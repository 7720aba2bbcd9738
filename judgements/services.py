"""Writes to answers. Every change to an answer passes through here.

Later work (autosave, the offline queue, answer history, quality assurance locks) hangs off
these functions, so no view, import or admin action writes an Answer any other way.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from judgements.models import Answer, Item, Question


class AnswerRefused(ValidationError):
    """An answer that does not fit its question, case or inspection; nothing was saved."""


class AnswerConflict(AnswerRefused):
    """Someone else changed this answer since the editor loaded it; theirs is kept."""


@dataclass(frozen=True)
class AnswerSlot:
    case: Case
    question: Question
    item: Item | None = None

    @property
    def label(self) -> str:
        suffix = f" [{self.item.code}]" if self.item else ""
        return f"case {self.case.case_ref}, {self.question.code}{suffix}"


def _gate_answers(slot: AnswerSlot) -> dict[tuple[int, int | None], str]:
    gate = slot.question.gate_question
    if gate is None:
        return {}
    rows = Answer.objects.filter(case=slot.case, question=gate).values_list(
        "question_id", "item_id", "value"
    )
    return {(question_id, item_id): value for question_id, item_id, value in rows}


def answer_refusal(slot: AnswerSlot) -> str | None:
    """Why this case may not be given an answer to this question (and item), or None."""
    question, case, item = slot.question, slot.case, slot.item
    if case.inspection.is_read_only:
        return f"{slot.label}: the inspection is published, so its answers cannot change."
    if question.framework_id != case.inspection.framework_id:
        return f"{slot.label}: the question is not in this inspection's framework."
    if not question.applies_to(case.organisation):
        return f"{slot.label}: the question is not asked of {case.organisation} cases."
    if question.item_set_id is None and item is not None:
        return f"{slot.label}: the question has no items, so give no item."
    if question.item_set_id is not None and (
        item is None or item.item_set_id != question.item_set_id
    ):
        return f"{slot.label}: give one of the items of “{question.item_set.name}”."
    if not question.gate_opens(case, _gate_answers(slot), item.id if item else None):
        return (
            f"{slot.label}: the question is not asked of this case ({gate_description(question)})."
        )
    return None


def gate_description(question: Question) -> str:
    values = " or ".join(question.gate_values)
    if question.gate_descriptor:
        return f"asked only where {question.gate_descriptor} is {values}"
    return f"asked only where {question.gate_question.code} is {values}"


@transaction.atomic
def answer_record(
    *, slot: AnswerSlot, value: str, note: str = "", user=None, expected_version: int | None = None
) -> Answer:
    """Validate and save one answer, refusing anything that does not fit.

    `expected_version` is the version the person's form was built from: if the stored answer
    has moved on since, their write is refused with AnswerConflict rather than overwriting.
    """
    refusal = answer_refusal(slot)
    if refusal:
        raise AnswerRefused(refusal, code="not_asked")
    try:
        stored_value = slot.question.clean_value(value)
    except ValidationError as error:
        raise AnswerRefused(
            f"Case {slot.case.case_ref}, {error.messages[0]}", code="invalid"
        ) from None
    existing = (
        Answer.objects.select_for_update()
        .filter(case=slot.case, question=slot.question, item=slot.item)
        .order_by("pk")  # the default ordering joins Item, which PostgreSQL cannot lock
        .first()
    )
    if existing is None:
        if expected_version not in (None, 0):
            raise AnswerConflict(f"{slot.label}: this answer was removed by someone else.")
        return Answer.objects.create(
            case=slot.case,
            question=slot.question,
            item=slot.item,
            value=stored_value,
            note=note,
            answered_by=user,
            answered_at=timezone.now(),
        )
    if expected_version is not None and expected_version != existing.version:
        raise AnswerConflict(
            f"{slot.label}: someone else changed this answer to “{existing.value}” "
            "since you opened it; your change was not saved."
        )
    existing.value, existing.note = stored_value, note
    existing.answered_by, existing.answered_at = user, timezone.now()
    existing.version += 1
    existing.save()
    return existing
