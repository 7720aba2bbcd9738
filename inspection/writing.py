"""One write to an inspection's data, entered once: `inspection_writing`.

Every service that writes an inspection's data (its team and status, its cases and caseload,
the answers, the report's tables, recommendations, charts and parts) runs inside this block,
which
- opens one transaction;
- locks the inspection's row and refuses a published inspection, so a write and a publish
  cannot interleave (PostgreSQL; every write bumps the row's data revision anyway, so the lock
  costs no extra waiting);
- refuses a person without the capability the service names (the pages ask the same gate
  first; this keeps a command and the shell honest too);
- hands the service the locked inspection and `changed()`, to say it wrote something;
- as it ends without an error, bumps the inspection's `data_revision` once if anything was
  written, so a cache keyed on it never serves findings older than the data.

A service that calls another for the same inspection (a case's change that clears answers, a
page's answers saved one by one) enters the block again: the inner block is a savepoint of the
outer one, locks nothing more and bumps nothing; what it wrote counts for the block around it,
and the outermost bumps once. An inner block that fails rolls back to its savepoint, and what
it had written counts for nothing.

Who made each change is recorded by django-simple-history on the models (`_history_user`,
`bulk_create_with_history`), in the same transaction; the services run their own rules (the
version the person read, what may be written) inside the block.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from inspection.models import Inspection, PublishedError
from inspection.permissions import ROLE_CAPABILITIES, Capability, user_can


@dataclass
class InspectionWrite:
    """A write under way: the inspection as locked for it, and whether it wrote anything."""

    inspection: Inspection
    wrote: bool = False

    def changed(self) -> None:
        """Say that this write changed the inspection's data: its revision moves on as the
        outermost block ends."""
        self.wrote = True


# The innermost block open for each inspection, by its id.
_OPEN: ContextVar[Mapping[int, InspectionWrite]] = ContextVar(
    "inspection_writes", default=MappingProxyType({})
)


def inspection_data_changed(inspection_id: int) -> None:
    """Move the inspection's data revision on: `inspection_writing` does, once a write."""
    Inspection.objects.filter(pk=inspection_id).update(data_revision=F("data_revision") + 1)


def _who_may(capability: Capability) -> str:
    """The roles with a capability as a sentence says them: “lead inspector and editor”."""
    roles = [role for role, can in ROLE_CAPABILITIES.items() if capability in can]
    *others, last = [role.label.lower() for role in roles]
    return f"{', '.join(others)} and {last}" if others else last


@contextmanager
def inspection_writing(
    inspection_id: int,
    *,
    what: str = "data",
    published_refusal: Exception | None = None,
    refuse_published: bool = True,
    by=None,
    capability: Capability | None = None,
) -> Iterator[InspectionWrite]:
    """Write to the inspection's data in one transaction, under its row's lock.

    A published inspection is refused with PublishedError naming `what` cannot change, or with
    the service's own `published_refusal` (an answer names itself, an import refuses the
    file); the services whose own rules say what becomes of a published inspection (its
    status moves, its details, publishing) pass `refuse_published=False`. With a
    `capability`, a person `by` without it is refused (ValidationError, code "not_allowed");
    `by` None is a command, which is not asked.
    """
    open_writes = _OPEN.get()
    outer = open_writes.get(inspection_id)
    with transaction.atomic():
        inspection = (
            outer.inspection
            if outer is not None
            else Inspection.objects.select_for_update().get(pk=inspection_id)
        )
        if refuse_published and inspection.is_read_only:
            if published_refusal is not None:
                raise published_refusal
            raise PublishedError(
                f"Inspection {inspection.slug} is published, so its {what} cannot change.",
                code="published",
            )
        if capability is not None and by is not None and not user_can(by, inspection, capability):
            raise ValidationError(
                f"{by.get_username()} may not change the {what} of {inspection.slug}: only its "
                f"{_who_may(capability)} do.",
                code="not_allowed",
            )
        write = InspectionWrite(inspection)
        token = _OPEN.set(MappingProxyType({**open_writes, inspection_id: write}))
        try:
            yield write
        finally:
            _OPEN.reset(token)
        if not write.wrote:
            return
        if outer is not None:
            outer.changed()
        else:
            inspection_data_changed(inspection_id)
