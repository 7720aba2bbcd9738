"""Where the engine's time goes (`findings.py --profile`): its queries, then its Python.

Each SQL statement the engine issues is captured with an execute wrapper, with its time and
whether Django ran it on a server-side cursor (`QuerySet.iterator()` on PostgreSQL). The same
SQL is then timed as a plain query, and both plans are printed, because PostgreSQL plans a
cursor differently: for its first `cursor_tuple_fraction` of rows, and never in parallel.
"""

import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

PLAN_LINES = 8
PLAN_HEADINGS = ((True, "as Django runs it (cursor)"), (False, "as a plain query"))


@dataclass(frozen=True)
class Statement:
    sql: str
    params: object
    server_side: bool
    seconds: float


def statements_of(call: Callable[[], object]) -> tuple[list[Statement], float]:
    """Run `call`, returning the statements it executed and its total time."""
    captured: list[Statement] = []

    def capture(execute, sql, params, many, context):
        started = time.perf_counter()
        result = execute(sql, params, many, context)
        server_side = getattr(context["cursor"].cursor, "name", None) is not None
        captured.append(Statement(sql, params, server_side, time.perf_counter() - started))
        return result

    started = time.perf_counter()
    with connection.execute_wrapper(capture):
        call()
    return captured, time.perf_counter() - started


def plain_seconds(statement: Statement, runs: int = 3) -> float:
    samples = []
    for _ in range(runs):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(statement.sql, statement.params)
            cursor.fetchall()
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def plan(statement: Statement, as_cursor: bool) -> list[str]:
    prefix = "EXPLAIN DECLARE benchmark_plan NO SCROLL CURSOR WITH HOLD FOR " if as_cursor else ""
    with connection.cursor() as cursor:
        cursor.execute((prefix or "EXPLAIN ") + statement.sql, statement.params)
        lines = [row[0] for row in cursor.fetchall()]
    return [line[:110] for line in lines[:PLAN_LINES]]


def _first_words(sql: str) -> str:
    from_at = sql.find(" FROM ")
    return ("SELECT … " + sql[from_at + 1 : from_at + 60]) if from_at > 0 else sql[:66]


def engine_breakdown(label: str, call: Callable[[], object]) -> None:
    call()
    statements, total = statements_of(call)
    in_queries = sum(s.seconds for s in statements)
    print(f"\nWhere the time goes: findings_for, {label}: {total * 1000:.1f} ms in all,")
    print(
        f"{in_queries * 1000:.1f} ms in {len(statements)} queries, "
        f"{(total - in_queries) * 1000:.1f} ms in Python around them."
    )
    for statement in statements:
        cursor = "server-side cursor" if statement.server_side else "plain"
        print(f"  {statement.seconds * 1000:9.1f} ms  {cursor:<18}  {_first_words(statement.sql)}")
        if statement.server_side:
            print(
                f"  {plain_seconds(statement) * 1000:9.1f} ms  {'same SQL, plain':<18}  "
                "(what the query costs without the cursor)"
            )
    for statement in (s for s in statements if s.server_side):
        for as_cursor, heading in PLAN_HEADINGS:
            print(f"  Plan {heading}:")
            print("\n".join(f"    {line}" for line in plan(statement, as_cursor)))


def python_profile(label: str, call: Callable[[], object]) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(call)
    print(f"\ncProfile of findings_for, {label} (top 12 by own time):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(12)
