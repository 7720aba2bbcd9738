"""Writes to answers. Every change to an answer passes through here.

Later work (autosave, the offline queue, answer history, quality assurance locks) hangs off
these functions, so no view, import or admin action writes an Answer any other way. One
answer goes through answer_record; a whole file through answers_import, which applies the
same checks (answer_refusal, Question.clean_value) and writes in bulk.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cases.descriptors import DESCRIPTORS
from cases.models import Case, CaseStatus
from cases.services import case_update
from inspection.lib.moves import moves_for, moves_from
from inspection.lib.spreadsheets import ImportRefused, SheetRow, formula_unguard
from inspection.models import Inspection, PublishedError, Role
from inspection.permissions import role_of
from inspection.services import inspection_data_changed, inspection_locked_for_data, refuse_stale
from judgements.findings import case_progress
from judgements.framework import framework_questions, items_by_set
from judgements.models import (
    Answer,
    Domain,
    Framework,
    Item,
    ItemSet,
    Question,
    Theme,
    answer_services_writing,
)
from judgements.scoring import gate_description_words

BATCH_SIZE = 500  # rows per INSERT or UPDATE, well inside SQLite's limit on parameters

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


def answer_refusal(slot: AnswerSlot, answers: GateAnswers | None = None) -> str | None:
    """Why this case may not be given an answer to this question (and item), or None.

    `answers` are the case's answers the gate looks at; without them they are read from the
    database (a bulk import passes the answers it has already checked, so gates see them).
    """
    question, case, item = slot.question, slot.case, slot.item
    if case.inspection.is_read_only:
        return f"{slot.label}: the inspection is published, so its answers cannot change."
    if case.status == CaseStatus.QUALITY_ASSURED:
        return (
            f"{slot.label}: the case is quality assured, so its answers cannot change until "
            "the lead inspector reopens it."
        )
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


@transaction.atomic
@answer_services_writing()
def answer_record(
    *, slot: AnswerSlot, value: str, note: str = "", user=None, expected_version: int | None = None
) -> Answer:
    """Validate and save one answer, refusing anything that does not fit.

    `expected_version` is the version the person's form was built from: if the stored answer
    has moved on since, their write is refused with AnswerConflict rather than overwriting.
    """
    _lock_for_answers(slot)
    # The case's status as it stands now (a page may hold a copy from before a review).
    slot.case.status = Case.objects.values_list("status", flat=True).get(pk=slot.case.pk)
    refusal = answer_refusal(slot)
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
    existing = (
        Answer.objects.select_for_update()
        .filter(case=slot.case, question=slot.question, item=slot.item)
        .order_by("pk")  # the default ordering joins Item, which PostgreSQL cannot lock
        .first()
    )
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
    answer.value, answer.note = stored_value, note
    answer.answered_by, answer.answered_at = user, timezone.now()
    answer._history_user = user
    answer.save()
    # A changed gate answer may shut the gate of later questions: their answers go, and the
    # caller can say which (`cleared_behind_gates`).
    _cases_started([slot.case], user)
    answer.cleared_behind_gates = (
        answers_behind_shut_gates_clear(slot.case, user) if _is_a_gate(slot.question) else []
    )
    inspection_data_changed(slot.case.inspection_id)
    return answer


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


def _lock_for_answers(slot: AnswerSlot) -> None:
    try:
        inspection_locked_for_data(slot.case.inspection_id)
    except PublishedError:
        raise AnswerRefused(
            f"{slot.label}: the inspection is published, so its answers cannot change.",
            code="published",
        ) from None


@transaction.atomic
@answer_services_writing()
def answer_clear(*, slot: AnswerSlot, user=None, expected_version: int | None = None) -> list[str]:
    """Remove an answer (the question goes back to unanswered); returns every answer cleared,
    this one first, then those whose gate it shut."""
    _lock_for_answers(slot)
    existing = (
        Answer.objects.select_for_update()
        .filter(case=slot.case, question=slot.question, item=slot.item)
        .order_by("pk")
        .first()
    )
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
    inspection_data_changed(slot.case.inspection_id)
    return cleared


def case_change_clears(case: Case, changes: dict) -> list[str]:
    """The answers a change of descriptors would clear (for a page to ask for confirmation)."""
    changed = Case(**{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields})
    for name, value in changes.items():
        setattr(changed, name, value)
    changed.inspection = case.inspection
    answers = list(Answer.objects.filter(case=case).select_related("question", "item"))
    return [_answer_label(answer) for answer in _shut_gate_answers(changed, answers)]


@transaction.atomic
@answer_services_writing()
def case_change(
    *, case: Case, changes: dict, by, expected_version: int | None = None
) -> tuple[Case, list[str]]:
    """Change a case (cases.services.case_update) and, in the same transaction, clear the
    answers whose gates the change shut (a court report type edited to "none" shuts the court
    report questions). Returns the case and the labels of the answers cleared. A quality-
    assured case keeps its details, as it keeps its answers, until the lead reopens it."""
    stored = Case.objects.get(pk=case.pk)
    descriptors_changed = any(
        getattr(stored, name) != value for name, value in changes.items() if name in DESCRIPTORS
    )
    if stored.status == CS.QUALITY_ASSURED and descriptors_changed:
        raise ValidationError(
            f"Case {case.case_ref} is quality assured, so its details cannot change until the "
            "lead inspector reopens it."
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


@dataclass(frozen=True)
class AnswersImported:
    created: int
    replaced: int
    unchanged: int
    # Answers whose gate a replaced answer shut ("case X, RR-P1 [alcohol]"), now cleared.
    cleared: list[str] = field(default_factory=list)


@dataclass
class _ImportRow:
    """A file row whose case, question and item are known; its value is checked later."""

    row: SheetRow
    slot: AnswerSlot
    value: str
    note: str

    @property
    def key(self) -> tuple[int, int, int | None]:
        return (
            self.slot.case.id,
            self.slot.question.id,
            self.slot.item.id if self.slot.item else None,
        )

    @property
    def framework_order(self) -> tuple:
        item_order = self.slot.item.order if self.slot.item else -1
        return (self.slot.case.case_ref, self.slot.question.order, item_order, self.row.number)


class _AnswerFile:
    """The lookups an import checks its rows against, each read once for the whole file."""

    def __init__(self, inspection: Inspection):
        self.inspection = inspection
        framework = inspection.framework
        self.framework_code = framework.code
        # Read through the reverse manager, so each case already holds its inspection.
        self.cases = {case.case_ref: case for case in inspection.cases.all()}
        self.questions = {question.code: question for question in framework_questions(framework.id)}
        self.items = {
            item_set_id: {item.code: item for item in items}
            for item_set_id, items in items_by_set(framework.id).items()
        }
        # Locked until the import commits, so no one changes an answer it has checked.
        existing = (
            Answer.objects.select_for_update(of=("self",))
            .filter(case__inspection=inspection)
            .order_by("pk")
        )
        self.existing = {(a.case_id, a.question_id, a.item_id): a for a in existing}
        self.gate_answers: dict[int, GateAnswers] = defaultdict(dict)
        for (case_id, question_id, item_id), answer in self.existing.items():
            self.gate_answers[case_id][(question_id, item_id)] = answer.value

    def resolve(self, row: SheetRow) -> tuple[_ImportRow | None, list[str]]:
        """The row's case, question and item, or why they cannot be found."""
        ref, code = row["case_ref"].strip(), row["question"].strip()
        where = f"Row {row.number}: case {ref}" if ref else f"Row {row.number}"
        errors = []
        case = self.cases.get(ref)
        if not ref:
            errors.append(f"{where}: column case_ref is empty; give the case reference.")
        elif case is None:
            errors.append(
                f"{where}: there is no such case in inspection {self.inspection.slug} "
                "(column case_ref)."
            )
        question = self.questions.get(code)
        if question is None:
            errors.append(
                f"{where}, column question: “{code}” is not a question of framework "
                f"{self.framework_code} (export_framework lists them)."
                if code
                else f"{where}, column question is empty; give a question code."
            )
        item, item_error = self._item(row, question) if question else (None, None)
        if item_error:
            errors.append(f"{where}, {question.code}, column item: {item_error}")
        if errors:
            return None, errors
        slot = AnswerSlot(case, question, item)
        note = formula_unguard(row["note"])
        return _ImportRow(row, slot, formula_unguard(row["value"]), note), []

    def _item(self, row: SheetRow, question: Question) -> tuple[Item | None, str | None]:
        code = row["item"].strip()
        if question.item_set_id is None:
            if code:
                return (
                    None,
                    f"{question.code} has no items, so leave item empty (it says “{code}”).",
                )
            return None, None
        items = self.items[question.item_set_id]
        expected = ", ".join(items)
        if not code:
            return None, f"{question.code} is asked per item; give one of {expected}."
        if code not in items:
            return None, f"“{code}” is not an item of {question.code}; expected one of {expected}."
        return items[code], None

    def check(self, answer: _ImportRow, replace: bool) -> str | None:
        """Why this answer cannot be imported, or None; an accepted answer opens its gates."""
        slot, number = answer.slot, answer.row.number
        case_answers = self.gate_answers[slot.case.id]
        refusal = answer_refusal(slot, case_answers)
        if refusal:
            return f"Row {number}: {refusal}"
        try:
            answer.value = slot.question.clean_value(answer.value)
        except ValidationError as error:
            return f"Row {number}: case {slot.case.case_ref}, {error.messages[0]}"
        note_problem = Answer.note_problem(answer.note)
        if note_problem:
            return f"Row {number}: {slot.label}, column note: {note_problem}."
        existing = self.existing.get(answer.key)
        if existing is not None and not replace:
            return (
                f"Row {number}: {slot.label}: already answered “{existing.value}”; the file "
                f"gives “{answer.value}”. Import with --replace to overwrite it."
            )
        case_answers[answer.key[1:]] = answer.value
        return None


def _distinct_rows(answers: list[_ImportRow]) -> tuple[list[_ImportRow], list[tuple[int, str]]]:
    first_row: dict[tuple, int] = {}
    distinct, errors = [], []
    for answer in answers:
        number = answer.row.number
        if answer.key in first_row:
            errors.append(
                (
                    number,
                    f"Row {number}: {answer.slot.label}: also answered in row "
                    f"{first_row[answer.key]}; give each answer once.",
                )
            )
        else:
            first_row[answer.key] = number
            distinct.append(answer)
    return distinct, errors


def _answers_replace(answers: list[tuple[Answer, _ImportRow]], user, now) -> None:
    """Change the replaced answers in bulk, one history row each."""
    changed = []
    for existing, answer in answers:
        existing.value, existing.note = answer.value, answer.note
        existing.answered_by, existing.answered_at = user, now
        existing.version += 1
        changed.append(existing)
    bulk_update_with_history(
        changed,
        Answer,
        ["value", "note", "answered_by", "answered_at", "version"],
        batch_size=BATCH_SIZE,
        default_user=user,
    )


def _answers_save(answer_file: _AnswerFile, answers: list[_ImportRow], user) -> AnswersImported:
    """Add the new answers and change the replaced ones; an identical answer is left alone,
    keeping who gave it and when."""
    now = timezone.now()
    created, replaced, unchanged = [], [], 0
    for answer in answers:
        existing = answer_file.existing.get(answer.key)
        if existing is None:
            created.append(
                Answer(
                    case=answer.slot.case,
                    question=answer.slot.question,
                    item=answer.slot.item,
                    value=answer.value,
                    note=answer.note,
                    answered_by=user,
                    answered_at=now,
                )
            )
        elif (existing.value, existing.note) == (answer.value, answer.note):
            unchanged += 1
        else:
            replaced.append((existing, answer))
    try:
        with transaction.atomic():
            bulk_create_with_history(created, Answer, batch_size=BATCH_SIZE, default_user=user)
    except IntegrityError:
        raise ImportRefused(
            "Someone answered one of these questions while the file was being imported; "
            "nothing was saved. Import the file again."
        ) from None
    _answers_replace(replaced, user, now)
    _cases_started({answer.slot.case.pk: answer.slot.case for answer in answers}.values(), user)
    cleared = []
    # Only a replaced gate answer can shut a gate; the framework is read once for the file.
    questions = {question.id: question for question in answer_file.questions.values()}
    gates = {question.gate_question_id for question in questions.values()}
    shutting = {
        existing.case_id: answer.slot.case
        for existing, answer in replaced
        if existing.question_id in gates
    }
    for case in shutting.values():
        cleared += [
            f"case {case.case_ref}, {label}"
            for label in answers_behind_shut_gates_clear(case, user, questions)
        ]
    if created or replaced:
        inspection_data_changed(answer_file.inspection.pk)
    return AnswersImported(
        created=len(created), replaced=len(replaced), unchanged=unchanged, cleared=cleared
    )


@transaction.atomic
@answer_services_writing()
def answers_import(
    *, inspection: Inspection, rows: Sequence[SheetRow], user=None, replace: bool = False
) -> AnswersImported:
    """Check every row of an answers file, then save all of them or none.

    The checks are answer_record's own (answer_refusal and Question.clean_value), run over
    lookups read once for the file instead of several queries per row. Rows are checked in
    framework order (case, question, item), so a gate answer anywhere in the file opens the
    questions it gates, wherever they sit; the errors keep the file's row numbers and order.
    An empty value means unanswered: the row imports nothing.
    """
    try:
        inspection_locked_for_data(inspection.pk)
    except PublishedError:
        raise ImportRefused(
            f"Inspection {inspection.slug} is published, so its answers cannot change."
        ) from None
    answer_file = _AnswerFile(inspection)
    errors: list[tuple[int, str]] = []
    resolved = []
    for row in rows:
        answer, row_errors = answer_file.resolve(row)
        errors += [(row.number, message) for message in row_errors]
        if answer is not None and answer.value != "":
            resolved.append(answer)
    answers, duplicate_errors = _distinct_rows(resolved)
    errors += duplicate_errors
    for answer in sorted(answers, key=lambda answer: answer.framework_order):
        error = answer_file.check(answer, replace)
        if error:
            errors.append((answer.row.number, error))
    if errors:
        raise ImportRefused([message for _number, message in sorted(errors)])
    return _answers_save(answer_file, answers, user)


def _copy_rows(model, rows, **overrides):
    """Copies of framework rows, saved one by one (a framework has ~100 rows)."""
    copies = {}
    for row in rows:
        old_pk = row.pk
        row.pk = None
        row.id = None
        for name, value in overrides.items():
            setattr(row, name, value(row) if callable(value) else value)
        row.save()
        copies[old_pk] = row
    return copies


@transaction.atomic
def framework_copy(*, framework: Framework, code: str, version: str, title: str = "") -> Framework:
    """A new version of a framework, a copy to change freely: the one in use stays frozen.

    Inspections keep the framework they were set up with; a new inspection chooses the copy.
    """
    if Framework.objects.filter(code=code).exists():
        raise ValidationError({"code": f"A framework with the code “{code}” already exists."})
    copy = Framework(code=code, version=version, title=title or framework.title)
    copy.full_clean()
    copy.save()
    domains = _copy_rows(Domain, framework.domains.all(), framework=copy)
    themes = _copy_rows(Theme, framework.themes.all(), framework=copy)
    item_sets = {}
    for item_set in framework.item_sets.prefetch_related("items"):
        items, old_pk = list(item_set.items.all()), item_set.pk
        item_sets.update(_copy_rows(ItemSet, [item_set], framework=copy))
        _copy_rows(Item, items, item_set=item_sets[old_pk])
    questions = list(framework.questions.order_by("order"))
    gates = {question.pk: question.gate_question_id for question in questions}
    copies = _copy_rows(
        Question,
        questions,
        framework=copy,
        domain=lambda q: domains[q.domain_id],
        theme=lambda q: themes[q.theme_id],
        item_set=lambda q: item_sets.get(q.item_set_id),
        gate_question=None,
    )
    for old_pk, question in copies.items():
        if gates[old_pk]:
            question.gate_question = copies[gates[old_pk]]
            question.save(update_fields=["gate_question"])
    return copy


CS = CaseStatus
ASSIGNED = "assigned_inspector"
# Where a case's status may go next, and who may move it there: the inspector it is assigned
# to, the lead inspector (a user with the cases.change_case permission, an administrator, may
# make any of these moves too). A first answer moves a case from not started to in progress.
CASE_MOVES: dict[tuple[str, str], set[str]] = {
    (CS.NOT_STARTED, CS.IN_PROGRESS): {ASSIGNED, Role.LEAD_INSPECTOR},
    (CS.NOT_STARTED, CS.SUBMITTED): {ASSIGNED, Role.LEAD_INSPECTOR},
    (CS.IN_PROGRESS, CS.SUBMITTED): {ASSIGNED, Role.LEAD_INSPECTOR},
    (CS.RETURNED, CS.SUBMITTED): {ASSIGNED, Role.LEAD_INSPECTOR},
    (CS.SUBMITTED, CS.RETURNED): {Role.LEAD_INSPECTOR},
    (CS.SUBMITTED, CS.QUALITY_ASSURED): {Role.LEAD_INSPECTOR},
    # Reopening: only the lead, with a comment, and the history keeps it.
    (CS.QUALITY_ASSURED, CS.RETURNED): {Role.LEAD_INSPECTOR},
}


def case_status_moves_for(user, case: Case) -> list[str]:
    """The statuses this user may move the case to now."""
    is_admin = user is not None and user.has_perm("cases.change_case")
    movers = {role_of(user, case.inspection)} if user is not None else set()
    if user is not None and case.assigned_inspector_id == user.pk:
        movers.add(ASSIGNED)
    return moves_for(CASE_MOVES, case.status, movers, anyone=is_admin)


def _status_move_errors(case: Case, to_status: str, by, comment: str) -> dict[str, str]:
    if (case.status, to_status) not in CASE_MOVES:
        allowed = moves_from(CASE_MOVES, case.status)
        return {
            "status": f"A case {case.get_status_display().lower()} can move only to "
            f"{' or '.join(allowed) or 'nothing'}, not to {to_status}."
        }
    if by is not None and to_status not in case_status_moves_for(by, case):
        return {"status": f"{by.get_username()} may not move case {case} to {to_status}."}
    if to_status == CS.RETURNED and not comment:
        return {"review_comment": "Say what the inspector should look at again."}
    return {}


@transaction.atomic
def case_status_change(
    *, case: Case, to_status: str, by, comment: str = "", expected_version: int | None = None
) -> Case:
    """Move a case along CASE_MOVES: submit it (complete, or with the reason for what is left),
    return it with a comment, quality-assure it (which locks its answers) or reopen it."""
    inspection_locked_for_data(case.inspection_id, what="cases")
    current = Case.objects.select_for_update().select_related("inspection").get(pk=case.pk)
    refuse_stale(current, expected_version)
    comment = comment.strip()
    errors = _status_move_errors(current, to_status, by, comment)
    if to_status == CS.SUBMITTED and not errors:
        progress = case_progress([current])[current.pk]
        missing = progress.asked - progress.answered
        if missing and not comment:
            errors["submission_note"] = (
                f"{missing} of the case's {progress.asked} questions are unanswered: answer "
                "them, or say why they are left."
            )
        current.submission_note = comment if missing else ""
    if errors:
        raise ValidationError(errors)
    if to_status == CS.RETURNED:
        current.review_comment = comment
    current.status = to_status
    current._history_user = by
    current.save()
    inspection_data_changed(current.inspection_id)
    return current


def _cases_started(cases, user) -> None:
    """A first answer moves a case that was not started to in progress (in bulk for an
    import, one history row per case)."""
    started = [case for case in cases if case.status == CS.NOT_STARTED]
    for case in started:
        case.status, case.version = CS.IN_PROGRESS, case.version + 1
    if started:
        bulk_update_with_history(started, Case, ["status", "version"], default_user=user)


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


def _lock_for_page(case: Case, user) -> None:
    refusal = answer_writer_refusal(user, case)
    if refusal:
        raise AnswerRefused(refusal, code="not_allowed")
    try:
        inspection_locked_for_data(case.inspection_id)
    except PublishedError:
        raise AnswerRefused(
            f"Case {case.case_ref}: the inspection is published, so its answers cannot change.",
            code="published",
        ) from None


def _stored_answers(case: Case) -> dict[tuple[int, int | None], Answer]:
    rows = Answer.objects.filter(case=case).select_related("answered_by").order_by("pk")
    return {(answer.question_id, answer.item_id): answer for answer in rows}


@transaction.atomic
@answer_services_writing()
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
    _lock_for_page(case, user)
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
