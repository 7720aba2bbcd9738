"""One answer at a time, and the rules every answer write obeys.

`answer_record` saves one answer and `answer_clear` removes one; `case_change` changes a
case's descriptors and clears the answers whose gates that shuts. Every write here runs in the
answer services' block (judgements.writing.answers_writing), checks `answer_refusal` (the gate
is open, the value fits the question, the case's status lets this person write:
`case_status_refusal`), checks the version the writer read (no lost update) and records the
history (one entry for a note being typed: `note_saves_folding`). The file import
(answer_file), the page save (page_save) and review (review) build on these rules.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from cases.descriptors import DESCRIPTORS
from cases.models import Case, CaseStatus
from cases.services import case_update
from inspection.models import Role
from inspection.permissions import role_of
from judgements.framework import framework_questions
from judgements.models import (
    Answer,
    Item,
    Question,
)
from judgements.writing import answers_writing

BATCH_SIZE = 500  # rows per INSERT or UPDATE, well inside SQLite's limit on parameters

# A note is saved many times as it is typed (autosave on every pause): one person's saves of
# one answer's note, each within this time of the one before, are one history entry.
NOTE_SAVES_FOLD_WITHIN = timedelta(minutes=5)

# A case's answers as gates read them: (question id, item id or None) → stored value.
GateAnswers = dict[tuple[int, int | None], str]


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


def _gate_answers(slot: AnswerSlot) -> GateAnswers:
    gate = slot.question.gate_question
    if gate is None:
        return {}
    rows = Answer.objects.filter(case=slot.case, question=gate).values_list(
        "question_id", "item_id", "value"
    )
    return {(question_id, item_id): value for question_id, item_id, value in rows}


def case_status_refusal(case: Case, user) -> str | None:
    """Why the case's status keeps this person from changing its answers and descriptors, or
    None. A quality-assured case is locked for everyone until the lead reopens it. A submitted
    case is with the lead inspector for review: the lead (or an administrator with the
    cases.change_case permission) may still change it, its inspector not until the lead
    returns it, so nothing changes under the lead's eyes; an import or command naming no one
    is refused too. Every write asks: answer_record, answer_clear, answers_save (pages and
    autosave), answers_import and case_change (the descriptors page and the admin)."""
    if case.status == CaseStatus.QUALITY_ASSURED:
        return (
            "the case is quality assured, so its answers cannot change until the lead "
            "inspector reopens it."
        )
    if case.status != CaseStatus.SUBMITTED or _reviews_case(user, case):
        return None
    return (
        "the case is with the lead inspector for review, so its answers cannot change now; "
        "they can be changed again when the lead inspector returns the case."
    )


def _reviews_case(user, case: Case) -> bool:
    if user is None:
        return False
    return role_of(user, case.inspection) == Role.LEAD_INSPECTOR or user.has_perm(
        "cases.change_case"
    )


def answer_refusal(slot: AnswerSlot, answers: GateAnswers | None = None, user=None) -> str | None:
    """Why this case may not be given an answer to this question (and item) by this person
    (None: an import or command naming no one), or None.

    `answers` are the case's answers the gate looks at; without them they are read from the
    database (a bulk import passes the answers it has already checked, so gates see them).
    """
    question, case, item = slot.question, slot.case, slot.item
    if case.inspection.is_read_only:
        return f"{slot.label}: the inspection is published, so its answers cannot change."
    status_refusal = case_status_refusal(case, user)
    if status_refusal:
        return f"{slot.label}: {status_refusal}"
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
    if answers is None:
        answers = _gate_answers(slot)
    if not question.gate_opens(case, answers, item.id if item else None):
        return (
            f"{slot.label}: the question is not asked of this case ({gate_description(question)})."
        )
    return None


def gate_description(question: Question) -> str:
    values = " or ".join(question.gate_values)
    if question.gate_descriptor:
        return f"asked only where {question.gate_descriptor} is {values}"
    return f"asked only where {question.gate_question.code} is {values}"


def _published(slot: AnswerSlot) -> AnswerRefused:
    """A published inspection's refusal, as an answer service words it: naming the answer."""
    return AnswerRefused(
        f"{slot.label}: the inspection is published, so its answers cannot change.",
        code="published",
    )


def _status_now(case: Case) -> None:
    """Read the case's status as it stands now: a page may hold a copy from before a review."""
    case.status = Case.objects.values_list("status", flat=True).get(pk=case.pk)


def answer_record(
    *, slot: AnswerSlot, value: str, note: str = "", user=None, expected_version: int | None = None
) -> Answer:
    """Validate and save one answer, refusing anything that does not fit.

    `expected_version` is the version the person's form was built from: if the stored answer
    has moved on since, their write is refused with AnswerConflict rather than overwriting.
    """
    with answers_writing(slot.case.inspection_id, published_refusal=_published(slot)) as write:
        _status_now(slot.case)
        refusal = answer_refusal(slot, user=user)
        if refusal:
            raise AnswerRefused(refusal, code="not_asked")
        try:
            stored_value = slot.question.clean_value(value)
        except ValidationError as error:
            raise AnswerRefused(
                f"Case {slot.case.case_ref}, {error.messages[0]}", code="invalid"
            ) from None
        note_problem = Answer.note_problem(note)
        if note_problem:
            raise AnswerRefused(f"{slot.label}: {note_problem}.", code="invalid")
        existing = _stored_answer(slot)
        if existing is None:
            if expected_version not in (None, 0):
                raise AnswerConflict(f"{slot.label}: this answer was removed by someone else.")
            answer = Answer(case=slot.case, question=slot.question, item=slot.item)
        else:
            if expected_version is not None and expected_version != existing.version:
                raise AnswerConflict(
                    f"{slot.label}: someone else changed this answer to “{existing.value}” "
                    "since you opened it; your change was not saved."
                )
            if (existing.value, existing.note) == (stored_value, note):
                existing.cleared_behind_gates = []
                return existing
            answer = existing
            answer.version += 1
        now = timezone.now()
        answer.value, answer.note = stored_value, note
        answer.answered_by, answer.answered_at = user, now
        answer._history_user = user
        folds = note_saves_folding([answer], user, now) if existing else {}
        if folds:
            answer.save_without_historical_record()
        else:
            answer.save()
        history_entries_fold(folds, [answer], now)
        # A changed gate answer may shut the gate of later questions: their answers go, and
        # the caller can say which (`cleared_behind_gates`).
        cases_started([slot.case], user)
        answer.cleared_behind_gates = (
            answers_behind_shut_gates_clear(slot.case, user) if _is_a_gate(slot.question) else []
        )
        write.changed()
    return answer


def _stored_answer(slot: AnswerSlot) -> Answer | None:
    """The slot's answer as stored, locked until the write ends."""
    return (
        Answer.objects.select_for_update()
        .filter(case=slot.case, question=slot.question, item=slot.item)
        .order_by("pk")  # the default ordering joins Item, which PostgreSQL cannot lock
        .first()
    )


def note_saves_folding(answers: Sequence[Answer], user, now: datetime) -> dict[int, object]:
    """The history entries these saves fold into, by answer id: an answer's last entry, when
    the same person made it, gave the same value (only the note changes now) and within
    NOTE_SAVES_FOLD_WITHIN. Anything else (another person, another value, a clearing, a gap,
    an import or command run without a user) starts an entry of its own."""
    if user is None or not answers:
        return {}
    recent = Answer.history.filter(
        id__in=[answer.pk for answer in answers], history_date__gte=now - NOTE_SAVES_FOLD_WITHIN
    ).order_by("id", "-history_date", "-history_id")
    latest: dict[int, object] = {}
    for record in recent:
        latest.setdefault(record.id, record)
    values = {answer.pk: answer.value for answer in answers}
    return {
        answer_id: record
        for answer_id, record in latest.items()
        if record.history_type != "-"
        and record.history_user_id == user.pk
        and record.value == values[answer_id]
    }


def history_entries_fold(folds: dict[int, object], answers: Sequence[Answer], now) -> None:
    """Bring each folded history entry up to the answer as saved now: the entry shows the
    note as it ended, and its time is the last save's (the window runs on from there)."""
    records = []
    for answer in answers:
        record = folds.get(answer.pk)
        if record is None:
            continue
        record.note, record.answered_at, record.version = (
            answer.note,
            answer.answered_at,
            answer.version,
        )
        record.history_date = now
        records.append(record)
    Answer.history.model.objects.bulk_update(
        records, ["note", "answered_at", "version", "history_date"], batch_size=BATCH_SIZE
    )


def _is_a_gate(question: Question) -> bool:
    """Whether any question is gated on this one (only then can its answer shut a gate)."""
    return Question.objects.filter(gate_question=question).exists()


def _questions_by_id(framework_id: int) -> dict[int, Question]:
    return {question.id: question for question in framework_questions(framework_id)}


def _shut_gate_answers(
    case: Case, answers: list[Answer], questions: dict[int, Question] | None = None
) -> list[Answer]:
    """The case's answers whose gate is shut, given the answers that stay (a shut gate shuts
    the questions gated on it in turn, so this repeats until nothing more shuts). `questions`
    by id, when the caller has read the framework already."""
    questions = questions or _questions_by_id(case.inspection.framework_id)
    kept = {(answer.question_id, answer.item_id): answer for answer in answers}
    shut: list[Answer] = []
    changed = True
    while changed:
        changed = False
        values = {key: answer.value for key, answer in kept.items()}
        for key, answer in list(kept.items()):
            question = questions[answer.question_id]
            if question.has_gate and not question.gate_opens(case, values, answer.item_id):
                shut.append(kept.pop(key))
                changed = True
    return shut


def answers_behind_shut_gates_clear(
    case: Case, user, questions: dict[int, Question] | None = None
) -> list[str]:
    """Delete the case's answers whose gates are now shut; the labels of those cleared."""
    answers = list(Answer.objects.filter(case=case).select_related("question", "item"))
    shut = _shut_gate_answers(case, answers, questions)
    for answer in shut:
        answer.case = case  # already loaded: no query per cleared answer
        answer._history_user = user
        answer.delete()
    return [_answer_label(answer) for answer in shut]


def _answer_label(answer: Answer) -> str:
    suffix = f" [{answer.item.code}]" if answer.item_id else ""
    return f"{answer.question.code}{suffix}"


def answer_clear(*, slot: AnswerSlot, user=None, expected_version: int | None = None) -> list[str]:
    """Remove an answer (the question goes back to unanswered); returns every answer cleared,
    this one first, then those whose gate it shut."""
    with answers_writing(slot.case.inspection_id, published_refusal=_published(slot)) as write:
        _status_now(slot.case)
        refusal = case_status_refusal(slot.case, user)
        if refusal:
            raise AnswerRefused(f"{slot.label}: {refusal}", code="locked")
        existing = _stored_answer(slot)
        if existing is None:
            return []
        if expected_version is not None and expected_version != existing.version:
            raise AnswerConflict(
                f"{slot.label}: someone else changed this answer to “{existing.value}” "
                "since you opened it; it was not cleared."
            )
        existing._history_user = user
        existing.delete()
        cleared = [_answer_label(existing), *answers_behind_shut_gates_clear(slot.case, user)]
        write.changed()
    return cleared


def case_change_clears(case: Case, changes: dict) -> list[str]:
    """The answers a change of descriptors would clear (for a page to ask for confirmation)."""
    changed = Case(**{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields})
    for name, value in changes.items():
        setattr(changed, name, value)
    changed.inspection = case.inspection
    answers = list(Answer.objects.filter(case=case).select_related("question", "item"))
    return [_answer_label(answer) for answer in _shut_gate_answers(changed, answers)]


def case_change(
    *, case: Case, changes: dict, by, expected_version: int | None = None
) -> tuple[Case, list[str]]:
    """Change a case (cases.services.case_update) and, in the same write, clear the answers
    whose gates the change shut (a court report type edited to "none" shuts the court report
    questions). Returns the case and the labels of the answers cleared. A quality-assured
    case keeps its details, as it keeps its answers, until the lead reopens it."""
    with answers_writing(case.inspection_id, what="cases"):
        stored = Case.objects.get(pk=case.pk)
        descriptors_changed = any(
            getattr(stored, name) != value for name, value in changes.items() if name in DESCRIPTORS
        )
        refusal = case_status_refusal(stored, by)
        if refusal and descriptors_changed:
            raise ValidationError(
                f"Case {case.case_ref}: {refusal.replace('its answers', 'its details')}"
            )
        cleared: list[str] = []
        current, _old = case_update(
            case=case,
            changes=changes,
            by=by,
            expected_version=expected_version,
            clear_shut_gates=lambda changed: cleared.extend(
                answers_behind_shut_gates_clear(changed, by)
            ),
        )
    return current, cleared


def cases_started(cases, user) -> None:
    """A first answer moves a case that was not started to in progress (in bulk for an
    import, one history row per case)."""
    started = [case for case in cases if case.status == CaseStatus.NOT_STARTED]
    for case in started:
        case.status, case.version = CaseStatus.IN_PROGRESS, case.version + 1
    if started:
        bulk_update_with_history(started, Case, ["status", "version"], default_user=user)
