"""The test database's rows, kept and put back: how the suite loads the Durham demo once per
process and how a flushed database gets its migrated rows back.

`load_demo` (tests/helpers.py) runs the demo loader for real the first time a process loads it
onto a given database state, keeps every row it leaves, and the next time the database is in
that same state puts those rows back instead of loading again: the same rows, ids and all, as
the loader wrote them in this process from this code (about 20 s a load, against well under a
second to put back). A state is every row of every table, so a test that made anything of its
own first (a persona, an inspection) gets a real load.

A transactional test (a browser test, a live server) ends by emptying every table; Django then
makes new content types and permissions under new ids, and the data migration's framework is
gone. `database_baseline_keep` keeps the migrated rows before the first such test and
`database_baseline_restore` puts them back after each, so the database every test starts from
is the migrated one, ids and all, whichever tests ran before it in the process.

Rows are read and written in SQL, below the models, so no model's `save` (and no service) runs
twice: on PostgreSQL with COPY, which keeps every type as it is; on SQLite with SELECT and
INSERT, whose values come back as they went in.
"""

import hashlib
import io
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: object  # PostgreSQL: the COPY text; SQLite: a tuple of row tuples

    @property
    def digest(self) -> str:
        if isinstance(self.rows, str):
            lines = sorted(self.rows.splitlines())
        else:
            lines = sorted(repr(row) for row in self.rows)
        text = "\n".join([self.name, *self.columns, *lines])
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Snapshot:
    tables: tuple[Table, ...]

    @property
    def state(self) -> str:
        """One digest of every row: equal for two databases holding the same rows."""
        return hashlib.sha256("".join(t.digest for t in self.tables).encode()).hexdigest()


def _table_names() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def snapshot_take() -> Snapshot:
    """Every row of every table of the installed models, as the database holds them now."""
    quote = connection.ops.quote_name
    tables = []
    with connection.cursor() as cursor:
        for name in _table_names():
            cursor.execute(f"SELECT * FROM {quote(name)} WHERE 1 = 0")
            columns = tuple(column[0] for column in cursor.description)
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                cursor.copy_expert(f"COPY {quote(name)} TO STDOUT", buffer)
                rows = buffer.getvalue()
            else:
                cursor.execute(f"SELECT * FROM {quote(name)}")
                rows = tuple(tuple(row) for row in cursor.fetchall())
            tables.append(Table(name, columns, rows))
    return Snapshot(tuple(tables))


def database_state() -> str:
    return snapshot_take().state


def snapshot_restore(snapshot: Snapshot) -> None:
    """Make the database hold the snapshot's rows and no others, in one transaction (foreign
    keys are checked at its end, so the tables' order does not matter)."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(
            no_style(), [table.name for table in snapshot.tables]
        ):
            cursor.execute(statement)
        for table in snapshot.tables:
            if not table.rows:
                continue
            columns = ", ".join(quote(column) for column in table.columns)
            if connection.vendor == "postgresql":
                cursor.copy_expert(
                    f"COPY {quote(table.name)} ({columns}) FROM STDIN", io.StringIO(table.rows)
                )
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", table.rows
                )
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    ContentType.objects.clear_cache()


# The migrated database, for after a transactional test's flush

_baseline: list[Snapshot] = []


def database_baseline_keep() -> None:
    """Keep the migrated rows, once a process, before the first test that flushes them; only
    outside a transaction, where nothing a test made is in the way."""
    if not _baseline and not connection.in_atomic_block:
        _baseline.append(snapshot_take())


def database_baseline_restore() -> bool:
    """Put the migrated rows back after a flush; False when none were kept."""
    if not _baseline:
        return False
    snapshot_restore(_baseline[0])
    return True


# Loads kept, by what was loaded onto which state

_kept: dict[tuple, Snapshot] = {}


def loaded_once(key: tuple, load) -> None:
    """Run `load()` onto the database as it is now, or, when a load with this key was run
    onto a database holding the same rows before, put back the rows that load left."""
    before = database_state()
    kept = _kept.get((key, before))
    if kept is not None:
        snapshot_restore(kept)
        return
    load()
    _kept[(key, before)] = snapshot_take()
