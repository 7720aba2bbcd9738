"""An edit refused because someone else saved the record since the page was built (the
services' StaleWrite), as every report form shows it.

The person is told who saved it and when, sees what theirs says where it differs from their
own, and keeps their own in the form, not saved. Then they choose, and the page names the two
choices plainly: "Save mine instead of theirs" (the form now carries the saved version, so that
save replaces theirs knowingly) or "Discard mine and keep theirs" (a link back, which saves
nothing). Nothing is lost without being chosen: the refusal never saves, and a third save in
between is refused again the same way.
"""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format


@dataclass(frozen=True)
class Conflict:
    """`by` saved `theirs` at `at` (None when no history says); `differences` are the fields
    where theirs differs from what the person sent, as (label, their value), in the form's
    order."""

    theirs: models.Model
    by: str
    at: datetime | None
    differences: list[tuple[str, str]]

    @property
    def when(self) -> str:
        """ "at 10:42 on 8 December 2026", in the site's time zone."""
        if self.at is None:
            return ""
        local = timezone.localtime(self.at)
        return f"at {date_format(local, 'H:i')} on {date_format(local, 'j F Y')}"

    @property
    def summary(self) -> str:
        """The error summary's line: who saved it, when, and that nothing of theirs was lost."""
        when = f" {self.when}" if self.when else ""
        return f"{self.by} saved this{when}, after you opened it. Your changes are not saved yet."


def _shown(field: forms.Field, value) -> str:
    """A value as the person reads it: a choice by its label, a tick as yes or no."""
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, forms.ChoiceField):
        labels = {str(code): label for code, label in field.choices}
        values = value if isinstance(value, list | tuple) else [value]
        return "; ".join(labels.get(str(v), str(v)) for v in values if v not in ("", None))
    return str(value or "")


def _differs(field: forms.Field, theirs, mine) -> bool:
    # A browser sends a textarea's lines ending \r\n; the stored text ends them \n.
    if isinstance(mine, str):
        mine = mine.replace("\r\n", "\n")
    return field.has_changed(theirs, mine)


def _saver(record: models.Model) -> tuple[str, datetime | None]:
    """Who saved the record last, and when, from its history (django-simple-history)."""
    latest = record.history.first()
    if latest is None:
        return "Someone else", None
    user = latest.history_user
    name = (user.get_full_name() or user.get_username()) if user else "A command or an import"
    return name, latest.history_date


def conflict_shown(form: forms.Form, current: models.Model, theirs_initial: dict) -> Conflict:
    """Show the refusal on `form` (still bound to what the person sent) and let a second save
    replace `current` knowingly: the form's version becomes the saved one's. `theirs_initial`
    is `current` as the form's initial data shows it."""
    by, at = _saver(current)
    differences = [
        (field.label or name.capitalize(), _shown(field, theirs_initial.get(name)))
        for name, field in form.fields.items()
        if name != "version" and _differs(field, theirs_initial.get(name), form[name].data)
    ]
    conflict = Conflict(current, by, at, differences)
    form.add_error(None, conflict.summary)
    form.data = form.data.copy()
    form.data["version"] = current.version
    return conflict
