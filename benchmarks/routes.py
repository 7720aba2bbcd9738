"""The routes to the same counts that the benchmark times against each other.

- engine: judgements.findings counting (`findings_for`), what every page, export, chart and
  the PDF get when the cache misses;
- cached: `inspection_findings` while the inspection's data revision stands (one inspection);
- floor: one raw GROUP BY over the answers, fetched whole: no route can count with less work;
- pandas: what an analyst does with the answers export, read_csv and groupby.

The floor and the pandas route count every answer of the inspections (the one number question,
CD-2, included); the engine counts the yes/no, yes/no/not applicable and choice questions only.
`counts_agree` checks that the three give the same counts where they overlap.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.db import connection

from cases.models import Case
from inspection.models import Inspection
from judgements.findings import COUNTED_KINDS, Findings, findings_for, inspection_findings
from judgements.models import Answer, Item, Question

GROUP_COLUMNS = ["question", "item", "organisation", "value"]
LABELS = {
    "engine_one": "engine, one inspection",
    "cached_one": "engine cached, one inspection",
    "floor_one": "SQL floor, one inspection",
    "pandas_one": "pandas on CSV, one inspection",
    "engine_all": "engine, national roll-up",
    "floor_all": "SQL floor, national roll-up",
    "pandas_all": "pandas on CSV, national roll-up",
}


@dataclass(frozen=True)
class Route:
    """One measured operation: a call that does all its work before returning."""

    name: str
    call: Callable[[], object]

    @property
    def label(self) -> str:
        return LABELS[self.name]


def _tables() -> dict[str, str]:
    return {
        "answer": Answer._meta.db_table,
        "case": Case._meta.db_table,
        "question": Question._meta.db_table,
        "item": Item._meta.db_table,
    }


def floor_sql() -> str:
    """The whole of the counting, in one statement: no route can do less."""
    tables = _tables()
    return (
        "SELECT a.question_id, a.item_id, c.organisation, a.value, COUNT(*) "
        f"FROM {tables['answer']} a JOIN {tables['case']} c ON c.id = a.case_id "
        "WHERE c.inspection_id IN %s "
        "GROUP BY a.question_id, a.item_id, c.organisation, a.value"
    )


def floor_counts(inspection_ids: tuple[int, ...]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(), [inspection_ids])
        return cursor.fetchall()


def answers_export(inspection_ids: tuple[int, ...], path: Path) -> int:
    """Write the long-format answers export (one row per answer) that analysts load."""
    tables = _tables()
    sql = (
        "COPY (SELECT c.case_ref, q.code AS question, i.code AS item, a.value, a.note, "
        "c.organisation "
        f"FROM {tables['answer']} a JOIN {tables['case']} c ON c.id = a.case_id "
        f"JOIN {tables['question']} q ON q.id = a.question_id "
        f"LEFT JOIN {tables['item']} i ON i.id = a.item_id "
        "WHERE c.inspection_id IN ({ids}) ORDER BY c.id, q.order, i.order) "
        "TO STDOUT WITH (FORMAT csv, HEADER)"
    ).format(ids=", ".join(str(int(pk)) for pk in inspection_ids))
    with path.open("w", encoding="utf-8", newline="") as out, connection.cursor() as cursor:
        cursor.copy_expert(sql, out)
    with path.open(encoding="utf-8") as lines:
        return sum(1 for _ in lines) - 1


def pandas_counts(path: Path) -> pd.Series:
    """The spreadsheet analyst's route. dropna=False keeps the answers that have no item."""
    answers = pd.read_csv(path)
    return answers.groupby(GROUP_COLUMNS, dropna=False).size()


def routes(inspections: list[Inspection], csv_one: Path, csv_all: Path) -> list[Route]:
    one, ids_one, ids_all = inspections[0], (inspections[0].id,), tuple(i.id for i in inspections)
    return [
        Route("engine_one", lambda: findings_for([one])),
        Route("cached_one", lambda: inspection_findings(one)),
        Route("floor_one", lambda: floor_counts(ids_one)),
        Route("pandas_one", lambda: pandas_counts(csv_one)),
        Route("engine_all", lambda: findings_for(inspections)),
        Route("floor_all", lambda: floor_counts(ids_all)),
        Route("pandas_all", lambda: pandas_counts(csv_all)),
    ]


def _engine_by_value(findings: Findings) -> dict[tuple, int]:
    counts = {}
    for row in findings.yes_no:
        if row.group != "all" and not row.pooled:
            values = {"yes": row.yes, "no": row.no, "na": row.not_applicable}
            counts.update({(row.question, row.item, row.group, v): n for v, n in values.items()})
    for row in findings.choices:
        if row.group != "all":
            counts.update(
                {(row.question, row.item, row.group, v): n for v, n in row.counts.items()}
            )
    return {key: n for key, n in counts.items() if n}


def _engine_answered_numbers(findings: Findings) -> dict[tuple, int]:
    return {
        (row.question, row.item, row.group): row.answered
        for row in findings.numbers
        if row.group != "all" and row.answered
    }


def counts_agree(findings: Findings, floor_rows: list[tuple], pandas_sizes: pd.Series) -> bool:
    """Whether engine, floor and pandas count the same answers (each organisation's counts),
    like with like: a yes/no or choice question's count of each answer; a number question's
    answers in all (the engine gives their median, not a count of each value)."""
    questions = {q.id: (q.code, q.kind) for q in Question.objects.all()}
    items = dict(Item.objects.values_list("id", "code"))
    floor = {
        (questions[q][0], items.get(i), organisation, value): n
        for q, i, organisation, value, n in floor_rows
    }
    by_value = {q[0] for q in questions.values() if q[1] in COUNTED_KINDS and q[1] != "number"}
    numbers = {q[0] for q in questions.values() if q[1] == "number"}
    floor_counted = {key: n for key, n in floor.items() if key[0] in by_value}
    floor_numbers: dict[tuple, int] = {}
    for (question, item, organisation, _value), n in floor.items():
        if question in numbers:
            key = (question, item, organisation)
            floor_numbers[key] = floor_numbers.get(key, 0) + n
    from_pandas = {
        (q, None if pd.isna(i) else i, organisation, str(value)): int(n)
        for (q, i, organisation, value), n in pandas_sizes.items()
    }
    return (
        _engine_by_value(findings) == floor_counted
        and _engine_answered_numbers(findings) == floor_numbers
        and from_pandas == floor
    )
