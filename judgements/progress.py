"""Each case's progress: how many of the questions asked of it are answered.

The case list, My cases and the case page show "answered of asked" for every case. Asked is
what the framework's gates leave open for the case (judgements.framework.QuestionsAsked);
answered is its answers. Both are kept per case (KeptProgress) by the answer services as they
write (`progress_keep`, called as their outermost block ends: judgements.writing), so a list
of 150 cases reads them with its own query of the cases (`listed_progress`); a case with
nothing kept under the framework's revision and this code is counted afresh (`case_progress`).
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F

from cases.models import Case
from judgements.framework import LoadedFramework, framework_loaded
from judgements.models import Answer, KeptProgress

logger = logging.getLogger(__name__)

# In every kept row (KeptProgress.counted_by): this module's digest with the framework's gate
# tables and the gate rule it counts by, so rows counted by earlier code are counted afresh.
PROGRESS_CODE = hashlib.sha256(
    b"".join(
        (Path(__file__).parent / name).read_bytes()
        for name in ("progress.py", "framework.py", "rules.py")
    )
).hexdigest()[:12]


@dataclass(frozen=True)
class CaseProgress:
    answered: int
    asked: int

    @property
    def to_answer(self) -> int:
        return max(self.asked - self.answered, 0)


# What the case list's query of its cases reads of each case's kept progress (`listed_progress`).
KEPT_PROGRESS_FIELDS = {
    "kept_answered": F("kept_progress__answered"),
    "kept_opened": F("kept_progress__opened_by_answers"),
    "kept_revision": F("kept_progress__framework_revision"),
    "kept_organisation": F("kept_progress__organisation"),
    "kept_counted_by": F("kept_progress__counted_by"),
}


def progress_fields(framework: LoadedFramework) -> list[str]:
    """The case fields `listed_progress` reads beside KEPT_PROGRESS_FIELDS: the id, the
    organisation and the descriptors the framework's gates read."""
    return ["id", "organisation", *framework.gate_descriptors]


def listed_progress(framework: LoadedFramework, rows: Iterable[dict]) -> dict[int, CaseProgress]:
    """Progress for rows of a `values()` query of cases that has `progress_fields` and
    KEPT_PROGRESS_FIELDS: no query while every listed case's kept progress stands (what the
    answer services keep, `progress_keep`)."""
    return _progress(
        framework,
        [
            (
                SimpleNamespace(**row),
                (
                    row["kept_revision"],
                    row["kept_organisation"],
                    row["kept_counted_by"],
                    row["kept_answered"],
                    row["kept_opened"],
                ),
            )
            for row in rows
        ],
    )


def case_progress(cases: list[Case]) -> dict[int, CaseProgress]:
    """Answered and asked counts for each case of one inspection: from each case's kept
    progress (the answer services keep it as they write) plus what its descriptors open,
    counted afresh for a case with none kept under the framework's revision and this code.

    "Asked" is what `open_slots` would list for the case, counted from a table of the
    framework's gates built once (`QuestionsAsked`): a few lookups a case, not every gate of
    every question for every item.
    """
    if not cases:
        return {}
    kept = {
        row.case_id: (
            row.framework_revision,
            row.organisation,
            row.counted_by,
            row.answered,
            row.opened_by_answers,
        )
        for row in _kept_rows(cases)
    }
    return _progress(
        framework_loaded(cases[0].inspection.framework_id),
        [(case, kept.get(case.id)) for case in cases],
    )


def _kept_rows(cases: list[Case]) -> list[KeptProgress]:
    """The cases' kept progress: from the cases when they were read with it (select_related),
    otherwise one query."""
    if all(Case.kept_progress.related.is_cached(case) for case in cases):
        # A case without a row raises RelatedObjectDoesNotExist, an AttributeError.
        kept = (getattr(case, "kept_progress", None) for case in cases)
        return [row for row in kept if row is not None]
    return list(KeptProgress.objects.filter(case_id__in=[case.id for case in cases]))


def _progress(framework: LoadedFramework, cases: list[tuple]) -> dict[int, CaseProgress]:
    """Each (case, its kept progress as (framework revision, organisation, code, answered,
    opened by answers) or None) as a CaseProgress; cases whose kept progress is missing or
    was counted under another revision, organisation or code are counted afresh."""
    asked = framework.questions_asked
    names = framework.gate_descriptors
    # What a case's descriptors open, once for each organisation and set of descriptors the
    # cases have (a sample has a few dozen, not one per case).
    by_descriptors: dict[tuple, int] = {}

    def opened_by_case(case) -> int:
        key = (case.organisation, *(getattr(case, name) for name in names))
        if key not in by_descriptors:
            by_descriptors[key] = asked.opened_by_case(case)
        return by_descriptors[key]

    progress, missing = {}, []
    for case, kept in cases:
        if kept is not None and kept[:3] == (framework.revision, case.organisation, PROGRESS_CODE):
            progress[case.id] = CaseProgress(answered=kept[3], asked=opened_by_case(case) + kept[4])
        else:
            missing.append(case)
    if missing:
        counted = _kept_counted(framework, missing)
        for row, case in zip(counted, missing, strict=True):
            progress[case.id] = CaseProgress(
                answered=row.answered, asked=opened_by_case(case) + row.opened_by_answers
            )
        _keep_where_stale(counted)
    return progress


def _kept_counted(framework: LoadedFramework, cases: list) -> list[KeptProgress]:
    """The cases' progress counted afresh from their answers, as rows to keep: two queries."""
    counted = _progress_counted(framework, [case.id for case in cases])
    rows = []
    for case in cases:
        answered, opened = counted.get(case.id, (0, _NOTHING_OPENED))
        rows.append(
            KeptProgress(
                case_id=case.id,
                framework_revision=framework.revision,
                organisation=case.organisation,
                counted_by=PROGRESS_CODE,
                answered=answered,
                opened_by_answers=framework.questions_asked.opened_by_answers(
                    case.organisation, opened
                ),
            )
        )
    return rows


_KEPT_TERMS = ("framework_revision", "organisation", "counted_by")
_KEPT_COUNTS = ("answered", "opened_by_answers")


def _keep_where_stale(rows: list[KeptProgress]) -> None:
    """Keep what a read counted afresh (a case with no row yet, or one counted under other
    terms: after a deploy that changes the counting, or an edit of the framework), so the next
    read need not count it again, but never over a row kept under the current terms by now:
    that is the answer services', counted in commit order inside their transaction, while
    this read's counts may be older. One upsert whose update applies only to a stale row
    (PostgreSQL and SQLite: INSERT ... ON CONFLICT ... DO UPDATE ... WHERE). Best effort: a
    case deleted meanwhile, or a database busy writing, leaves the row to the next read."""
    if not rows or rows[0].framework_revision is None:
        return
    table = connection.ops.quote_name(KeptProgress._meta.db_table)
    fields = [KeptProgress._meta.get_field(name) for name in ("case", *_KEPT_TERMS, *_KEPT_COUNTS)]
    columns = [connection.ops.quote_name(field.column) for field in fields]
    stale = " OR ".join(f"{table}.{column} <> excluded.{column}" for column in columns[1:4])
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({columns[0]}) DO UPDATE SET "
        + ", ".join(f"{column} = excluded.{column}" for column in columns[1:])
        + f" WHERE {stale}"
    )
    values = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
        for row in rows
    ]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, values)
    except DatabaseError:
        logger.warning(
            "Kept progress not written for %d case(s); counted again next time.", len(rows)
        )


_NOTHING_OPENED: dict = {}


def _progress_counted(
    framework: LoadedFramework, case_ids: list[int]
) -> dict[int, tuple[int, dict]]:
    """For each case with answers: how many, and its gate answers by (question id, item id):
    two queries."""
    gate_ids = {q.gate_question_id for q in framework.questions if q.gate_question_id}
    answered = dict(
        Answer.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("case_id", "n")
    )
    gate_answers: dict[int, dict] = defaultdict(dict)
    for case_id, question_id, item_id, value in (
        Answer.objects.filter(case_id__in=case_ids, question_id__in=gate_ids)
        .order_by()
        .values_list("case_id", "question_id", "item_id", "value")
    ):
        gate_answers[case_id][(question_id, item_id)] = value
    return {case_id: (n, gate_answers[case_id]) for case_id, n in answered.items()}


def progress_keep(case_ids: Iterable[int]) -> None:
    """Count again and keep what the cases' progress needs from their answers (KeptProgress).

    Called by `answer_services_writing` as the answer services' outermost block ends, inside
    their transaction (after they lock the inspection), for every case whose answers it
    wrote: so the kept rows always follow the answers as committed.
    """
    case_ids = sorted(case_ids)
    for start in range(0, len(case_ids), PROGRESS_KEEP_BATCH):
        _progress_keep(case_ids[start : start + PROGRESS_KEEP_BATCH])


# Cases counted a query at a time (a whole inspection's import, or a benchmark's set-up).
PROGRESS_KEEP_BATCH = 500


def _progress_keep(case_ids: list[int]) -> None:
    cases = list(
        Case.objects.filter(pk__in=case_ids)
        .select_related("inspection")
        .only("id", "organisation", "inspection__framework_id")
        .order_by()
    )
    by_framework: dict[int, list[Case]] = defaultdict(list)
    for case in cases:
        by_framework[case.inspection.framework_id].append(case)
    rows = []
    for framework_id, framework_cases in by_framework.items():
        rows += _kept_counted(framework_loaded(framework_id), framework_cases)
    KeptProgress.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=[*_KEPT_TERMS, *_KEPT_COUNTS],
    )
