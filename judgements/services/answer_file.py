"""The answers file import: a research team's spreadsheet of answers, all or nothing.

`answers_import` resolves every row against the framework and the sample, applies the same
checks as one answer (answers.answer_refusal, Question.clean_value), refuses the whole file
with every problem named by row, or writes it in bulk (BATCH_SIZE rows a statement), with
history, in one answer services' block (judgements.writing.answers_writing).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from inspection.lib.spreadsheets import ImportRefused, SheetRow, formula_unguard
from inspection.models import Inspection
from judgements.framework import framework_questions, items_by_set
from judgements.models import (
    Answer,
    Item,
    Question,
)
from judgements.services.answers import (
    BATCH_SIZE,
    AnswerSlot,
    GateAnswers,
    answer_refusal,
    answers_behind_shut_gates_clear,
    cases_started,
    history_entries_fold,
    note_saves_folding,
)
from judgements.writing import answers_writing


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

    def __init__(self, inspection: Inspection, case_refs: set[str], user=None):
        self.inspection = inspection
        self.user = user
        framework = inspection.framework
        self.framework_code = framework.code
        # Read through the reverse manager, so each case already holds its inspection.
        self.cases = {case.case_ref: case for case in inspection.cases.all()}
        self.questions = {question.code: question for question in framework_questions(framework.id)}
        self.items = {
            item_set_id: {item.code: item for item in items}
            for item_set_id, items in items_by_set(framework.id).items()
        }
        # Locked until the import commits, so no one changes an answer it has checked; only
        # the file's own cases, so importing one case's file does not read the whole sample.
        existing = (
            Answer.objects.select_for_update(of=("self",))
            .filter(case__inspection=inspection, case__case_ref__in=case_refs)
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
        refusal = answer_refusal(slot, case_answers, self.user)
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
    """Change the replaced answers in bulk, one history row each (or a note save folded into
    the entry before it, as note_saves_folding says)."""
    changed = []
    for existing, answer in answers:
        existing.value, existing.note = answer.value, answer.note
        existing.answered_by, existing.answered_at = user, now
        existing.version += 1
        changed.append(existing)
    fields = ["value", "note", "answered_by", "answered_at", "version"]
    folds = note_saves_folding(changed, user, now)
    bulk_update_with_history(
        [answer for answer in changed if answer.pk not in folds],
        Answer,
        fields,
        batch_size=BATCH_SIZE,
        default_user=user,
    )
    Answer.objects.bulk_update(
        [answer for answer in changed if answer.pk in folds], fields, batch_size=BATCH_SIZE
    )
    history_entries_fold(folds, changed, now)


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
    cases_started({answer.slot.case.pk: answer.slot.case for answer in answers}.values(), user)
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
    return AnswersImported(
        created=len(created), replaced=len(replaced), unchanged=unchanged, cleared=cleared
    )


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
    published = ImportRefused(
        f"Inspection {inspection.slug} is published, so its answers cannot change."
    )
    with answers_writing(inspection.pk, published_refusal=published) as write:
        answer_file = _AnswerFile(inspection, {row["case_ref"].strip() for row in rows}, user)
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
        imported = _answers_save(answer_file, answers, user)
        if imported.created or imported.replaced:
            write.changed()
    return imported
