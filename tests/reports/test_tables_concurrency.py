"""Two people at once (PostgreSQL locks the rows, SQLite the file): the same edit or the same
move pressed at the same moment from the same page is done once, and the other person is told
why not."""

import threading

import pytest
from django.db import connection

from inspection.services import StaleWrite
from reports.models import TableRow
from reports.tables.services import table_row_add, table_row_move, table_row_update

pytestmark = [
    # On SQLite too, where a team's saves once failed: on a file, as `make run` serves.
    pytest.mark.usefixtures("database_for_threads"),
    pytest.mark.django_db(transaction=True),
]


def at_once(*writes) -> list[str]:
    """Run the writes in threads released together; each one's outcome."""
    barrier = threading.Barrier(len(writes))
    outcomes = [""] * len(writes)

    def run(index, write):
        barrier.wait()
        try:
            write()
            outcomes[index] = "done"
        except StaleWrite:
            outcomes[index] = "stale"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def rows(inspection):
    return [
        table_row_add(
            inspection=inspection,
            domain="PP",
            perspective="CRC",
            column="barrier",
            text=text,
            by=None,
        )
        for text in ("First", "Second", "Third")
    ]


def test_two_edits_from_the_same_version_never_both_win(rows, lead, editor):
    row = rows[0]

    outcomes = at_once(
        lambda: table_row_update(row=row, text="Lena's", by=lead, expected_version=1),
        lambda: table_row_update(row=row, text="Ed's", by=editor, expected_version=1),
    )

    assert sorted(outcomes) == ["done", "stale"]
    stored = TableRow.objects.get(pk=row.pk)
    assert stored.version == 2
    assert stored.history.first().history_user.username == (
        "lena" if stored.text == "Lena's" else "ed"
    )


def test_the_same_move_pressed_twice_at_once_moves_the_row_once(rows):
    _first, second, third = rows

    def move():
        table_row_move(row=third, direction="up", by=None, expected_neighbour=second.pk)

    outcomes = at_once(move, move)

    assert sorted(outcomes) == ["done", "stale"]
    order = TableRow.objects.order_by("position", "pk").values_list("text", flat=True)
    assert list(order) == ["First", "Third", "Second"]
