"""A status machine as data: a table of allowed moves, (from, to) → who may make them.

Pure: knows no models. The inspection's status (inspection.services.STATUS_MOVES) and a case's
review (judgements.services.CASE_MOVES) both read their tables through these two functions.
"""

from collections.abc import Collection, Mapping

Moves = Mapping[tuple[str, str], Collection[str]]


def moves_from(table: Moves, status: str) -> list[str]:
    """Every status the table allows from this one, whoever moves it."""
    return [to for (source, to) in table if source == status]


def moves_for(table: Moves, status: str, movers: Collection[str], *, anyone: bool) -> list[str]:
    """The statuses that someone acting as any of `movers` may move to from this one
    (`anyone`: an administrator who may make every move in the table)."""
    return [
        to
        for (source, to), allowed in table.items()
        if source == status and (anyone or set(movers) & set(allowed))
    ]
