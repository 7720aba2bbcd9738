"""A case's history as a person reads it: every change to the case and to its answers, with
who made it, when, and what was there before. Read from the history rows that
django-simple-history records on every save and delete (the services write them all)."""

from dataclasses import dataclass
from datetime import datetime

from cases.descriptors import DESCRIPTORS
from cases.models import Case
from judgements.framework import framework_questions, items_by_set
from judgements.models import Answer

# The case's own fields worth a line in its history, with the words a person reads.
CASE_FIELD_LABELS = {
    "status": "Status",
    "review_comment": "Lead inspector's comment",
    "submission_note": "Reason for unanswered questions",
    "assigned_inspector": "Inspector",
    "office": "Office or hub",
    **{name: descriptor.label for name, descriptor in DESCRIPTORS.items()},
}


@dataclass(frozen=True)
class Change:
    at: datetime
    by: str
    what: str  # "RR-A1", "RR-P1 [Alcohol misuse]", "Status"
    action: str  # "answered", "changed", "cleared", "case changed"
    old: str
    new: str
    old_note: str = ""
    new_note: str = ""

    @property
    def note_changed(self) -> bool:
        return self.old_note != self.new_note


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "An import or the system"
    return user.get_full_name() or user.get_username()


def answer_changes(case: Case) -> list[Change]:
    framework_id = case.inspection.framework_id
    questions = {question.id: question for question in framework_questions(framework_id)}
    items = {item.id: item for group in items_by_set(framework_id).values() for item in group}
    records = (
        Answer.history.filter(case_id=case.id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    last: dict[int, object] = {}
    changes = []
    for record in records:
        question = questions.get(record.question_id)
        item = items.get(record.item_id) if record.item_id else None
        what = (question.code if question else "A question") + (f" [{item.label}]" if item else "")
        label = question.choice_label if question else str
        before = last.get(record.id)
        old, old_note = (label(before.value), before.note) if before is not None else ("", "")
        if record.history_type == "-":
            action, new, new_note = "cleared", "", ""
            last.pop(record.id, None)
        else:
            action = "changed" if before is not None else "answered"
            new, new_note = label(record.value), record.note
            last[record.id] = record
        changes.append(
            Change(record.history_date, _who(record), what, action, old, new, old_note, new_note)
        )
    return changes


def _field_text(case_record, name: str, value) -> str:
    if value in (None, ""):
        return ""
    if name == "assigned_inspector":
        user = getattr(case_record, "assigned_inspector", None)
        return (user.get_full_name() or user.get_username()) if user else str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    display = getattr(case_record, f"get_{name}_display", None)
    return display() if display else str(value)


def case_record_changes(case: Case) -> list[Change]:
    records = list(
        case.history.select_related("history_user", "assigned_inspector").order_by(
            "history_date", "history_id"
        )
    )
    changes = []
    for before, record in zip([None, *records], records, strict=False):
        if before is None:
            changes.append(Change(record.history_date, _who(record), "Case", "added", "", ""))
            continue
        delta = record.diff_against(before, included_fields=list(CASE_FIELD_LABELS))
        for change in delta.changes:
            name = change.field
            changes.append(
                Change(
                    record.history_date,
                    _who(record),
                    CASE_FIELD_LABELS[name],
                    "case changed",
                    _field_text(before, name, change.old),
                    _field_text(record, name, change.new),
                )
            )
    return changes


def case_changes(case: Case) -> list[Change]:
    """Every change to the case and its answers, newest first."""
    changes = [*answer_changes(case), *case_record_changes(case)]
    return sorted(changes, key=lambda change: change.at, reverse=True)
