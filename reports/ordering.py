"""The report's ordered records (table rows, recommendation groups and recommendations, parts,
charts and their bars) move and renumber here, one way, and every save or deletion of the
report's records records who made it.

These run inside the calling service's write (inspection.writing): they write, the service's
block guards the inspection and moves its data revision on.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max

from inspection.services import StaleWrite

UP, DOWN = "up", "down"


def save_as(record: models.Model, by) -> None:
    """Save the record with `by` in its history (django-simple-history)."""
    record._history_user = by
    record.save()


def delete_as(record: models.Model, by) -> None:
    """Delete the record with `by` in its history."""
    record._history_user = by
    record.delete()


def next_position(queryset) -> int:
    """The position after the last of `queryset`: where a new record goes."""
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def renumber(records: Sequence[models.Model], by) -> None:
    """Give the records positions 1, 2, 3 … in their order, saving only those that move."""
    for position, record in enumerate(records, start=1):
        if record.position != position:
            record.position = position
            save_as(record, by)


def move_one_place(
    siblings: Sequence[models.Model],
    record: models.Model,
    direction: str,
    *,
    by,
    expected_neighbour: int | None = None,
    refuse_at_end: bool = True,
) -> models.Model:
    """Swap `record` with the sibling above or below it (`siblings` in their order, locked by
    the caller) and return the record as it now stands.

    `expected_neighbour` is the sibling the person saw beside it: when someone has reordered
    the list since, nothing moves, so a second click moves nothing it did not mean to. None
    when the caller holds no copy of the page (a command), or guards the whole list with a
    version of its own, as a chart does for its bars. At an end, the move is refused, or with
    `refuse_at_end` False (the charts' buttons) the record simply stays where it is."""
    if direction not in (UP, DOWN):
        raise ValidationError(
            f"“{direction}” is not a direction. Move {UP} or {DOWN}.", code="direction"
        )
    index = next((i for i, other in enumerate(siblings) if other.pk == record.pk), None)
    if index is None:
        raise ValidationError(f"“{record}” is no longer there: someone removed it.", code="gone")
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(siblings):
        if not refuse_at_end:
            return siblings[index]
        where = "first" if direction == UP else "last"
        raise ValidationError(f"{record} is already {where}.", code="at_end")
    neighbour = siblings[other]
    if expected_neighbour is not None and expected_neighbour != neighbour.pk:
        raise StaleWrite(
            f"The order changed since you opened the page (someone moved, added or deleted an "
            f"entry); {record} was not moved. Look at the order as it is now and move it again.",
            code="stale",
        )
    mine = siblings[index]
    mine.position, neighbour.position = neighbour.position, mine.position
    save_as(mine, by)
    save_as(neighbour, by)
    return mine
