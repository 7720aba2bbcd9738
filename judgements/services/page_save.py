"""A page's answers saved together: the section pages' Save and the autosave.

`answers_save` saves what a page sent all or none: an answer equal to the stored one is left
alone, one changed from an older version is refused as a conflict, one whose gate was shut
since the page was built is refused by name, and a change that would clear answers behind a
gate waits for the person's confirmation (AnswersNotSaved says which).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from cases.models import Case
from inspection.models import Role
from inspection.permissions import role_of
from judgements.models import (
    Answer,
    Item,
    Question,
)
from judgements.scoring import gate_description_words
from judgements.services.answers import (
    AnswerConflict,
    AnswerRefused,
    AnswerSlot,
    GateAnswers,
    answer_clear,
    answer_record,
    case_status_refusal,
)
from judgements.writing import answers_writing


@dataclass(frozen=True)
class AnswerEntry:
    """What a page sent for one answer: the value and note typed, and the version of the
    answer the page was built from (0 when it was unanswered then)."""

    question: Question
    item: Item | None
    value: str
    note: str
    version: int
    # After a conflict the person chose to keep the answer someone else saved.
    keep_theirs: bool = False

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.question.id, self.item.id if self.item else None)

    @property
    def label(self) -> str:
        return f"{self.question.code}{f' [{self.item.code}]' if self.item else ''}"


@dataclass
class AnswersSaved:
    # The answers as stored now, by (question id, item id): changed and unchanged alike.
    answers: dict[tuple[int, int | None], Answer]
    changed: list[str]
    # Answers cleared because a changed answer shut their gate ("RR-P1 [alcohol]"), and keys.
    cleared: list[str]
    cleared_keys: list[tuple[int, int | None]]


class AnswersNotSaved(Exception):
    """Nothing of a page's answers was saved: some could not be, or saving them would clear
    other answers that the person has not yet agreed to clear."""

    def __init__(
        self,
        *,
        errors: dict[tuple[int, int | None], str] | None = None,
        conflicts: dict[tuple[int, int | None], Answer | None] | None = None,
        would_clear: list[str] | None = None,
        not_asked: set[tuple[int, int | None]] | None = None,
    ):
        self.errors = errors or {}
        # Which of the errors are answers to questions no longer asked (a gate shut meanwhile).
        self.not_asked = not_asked or set()
        # The answer as someone else saved it since the page was built (None: they cleared it).
        self.conflicts = conflicts or {}
        self.would_clear = would_clear or []
        super().__init__(
            f"{len(self.errors)} errors, {len(self.conflicts)} conflicts, "
            f"{len(self.would_clear)} answers to clear"
        )


def answer_writer_refusal(user, case: Case) -> str | None:
    """Why this person may not change the case's answers from a page, or None: the inspector
    the case is assigned to and the inspection's lead may (and an administrator with the
    cases.change_case permission); commands and imports, run with no user, are not asked."""
    if user is None or case.assigned_inspector_id == user.pk:
        return None
    if role_of(user, case.inspection) == Role.LEAD_INSPECTOR or user.has_perm("cases.change_case"):
        return None
    return (
        f"Only the inspector case {case.case_ref} is assigned to, or the lead inspector, can "
        "change its answers."
    )


def _entry_write(
    case: Case, entry: AnswerEntry, current: Answer | None, user
) -> tuple[Answer | None, list[str]] | None:
    """Write one entry: the answer saved (None if cleared) and the answers its change cleared
    behind gates; None if there was nothing to write."""
    value = entry.value if entry.question.kind == "text" else entry.value.strip()
    if not value and current is None:
        if entry.note.strip():
            raise AnswerRefused(
                f"{entry.label}: choose an answer, so that its evidence note is kept."
            )
        return None
    if value and current is not None and (current.value, current.note) == (value, entry.note):
        return None
    slot = AnswerSlot(case, entry.question, entry.item)
    if not value:
        return None, answer_clear(slot=slot, user=user, expected_version=entry.version)[1:]
    answer = answer_record(
        slot=slot, value=value, note=entry.note, user=user, expected_version=entry.version
    )
    return answer, answer.cleared_behind_gates


def _shut_unseen(case: Case, entry: AnswerEntry, values_before: GateAnswers, sent: set) -> bool:
    """Whether an entry behind a shut gate carries words the person would lose without knowing:
    its gate was shut before this save (a descriptor changed, or the lead or another tab
    answered the gate) and the page did not send the gate's answer itself. A gate this save
    shuts is the person's own doing, its answers listed to clear; a blank entry loses nothing.
    """
    if entry.keep_theirs or not (entry.value.strip() or entry.note.strip()):
        return False
    item_id = entry.item.id if entry.item else None
    if entry.question.gate_opens(case, values_before, item_id):
        return False
    gate = entry.question.gate
    if gate is None or gate.question is None:
        return True
    return (gate.question, item_id if gate.per_item else None) not in sent


def _refuse_writer(case: Case, user) -> None:
    """Refuse a person who may not change the case's answers, or may not now (its status)."""
    refusal = answer_writer_refusal(user, case)
    if refusal:
        raise AnswerRefused(refusal, code="not_allowed")
    # The status as it stands now: the page may have been built before the case was submitted.
    case.status = Case.objects.values_list("status", flat=True).get(pk=case.pk)
    refusal = case_status_refusal(case, user)
    if refusal:
        raise AnswerRefused(f"Case {case.case_ref}: {refusal}", code="locked")


def _stored_answers(case: Case) -> dict[tuple[int, int | None], Answer]:
    rows = Answer.objects.filter(case=case).select_related("answered_by").order_by("pk")
    return {(answer.question_id, answer.item_id): answer for answer in rows}


def answers_save(
    *, case: Case, entries: Sequence[AnswerEntry], user, confirm_clear: bool = False
) -> AnswersSaved:
    """Save what a page sent, all of it or none (a section on "Save and continue", one answer
    on autosave), through answer_record and answer_clear.

    An entry equal to the stored answer is left alone, whatever version the page had; one
    changed from an older version than the stored is a conflict, never an overwrite. An entry
    whose gate the page's other answers shut is skipped (its answer is cleared with the gate);
    one whose gate was shut before the save, by a descriptor or an answer the page did not
    send, is refused by name, never dropped unseen (see _shut_unseen).
    If saving would clear answers behind a shut gate, nothing is saved until the person
    confirms (`confirm_clear`). Raises AnswersNotSaved with every problem at once.
    """
    published = AnswerRefused(
        f"Case {case.case_ref}: the inspection is published, so its answers cannot change.",
        code="published",
    )
    with answers_writing(case.inspection_id, published_refusal=published):
        _refuse_writer(case, user)
        stored = _stored_answers(case)
        before = set(stored)
        values = {key: answer.value for key, answer in stored.items()}
        values_before = dict(values)
        sent = {entry.key for entry in entries}
        errors: dict[tuple[int, int | None], str] = {}
        not_asked: dict[tuple[int, int | None], str] = {}
        conflicts: dict[tuple[int, int | None], Answer | None] = {}
        changed: list[str] = []
        cleared: list[str] = []
        ordered = sorted(entries, key=lambda e: (e.question.order, e.item.order if e.item else -1))
        for entry in ordered:
            item_id = entry.item.id if entry.item else None
            if entry.keep_theirs or not entry.question.gate_opens(case, values, item_id):
                if _shut_unseen(case, entry, values_before, sent):
                    not_asked[entry.key] = (
                        f"{entry.label}: no longer asked of this case "
                        f"({gate_description_words(entry.question)}), not saved."
                    )
                continue
            current = stored.get(entry.key)
            try:
                written = _entry_write(case, entry, current, user)
            except AnswerConflict:
                conflicts[entry.key] = current
                continue
            except AnswerRefused as error:
                errors[entry.key] = error.messages[0]
                continue
            if written is None:
                continue
            answer, result = written
            changed.append(entry.label)
            cleared += result
            if result or answer is None:
                stored = _stored_answers(case)
            else:
                stored[entry.key] = answer
            values = {key: answer.value for key, answer in stored.items()}
        errors |= not_asked
        if cleared and not confirm_clear and not errors and not conflicts:
            raise AnswersNotSaved(would_clear=cleared)
        if errors or conflicts:
            raise AnswersNotSaved(errors=errors, conflicts=conflicts, not_asked=set(not_asked))
        return AnswersSaved(
            answers=stored,
            changed=changed,
            cleared=cleared,
            cleared_keys=sorted(before - set(stored), key=str),
        )
