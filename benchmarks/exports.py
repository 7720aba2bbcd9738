"""How fast the answers download is: against the findings of the same inspection, and before
and after a change to judgements/exports.py.

    .venv/bin/python benchmarks/exports.py [--runs 7] [--compare-with REV]
                                           [--inspections 200] [--cases 150] [--rebuild]

On the findings benchmark's database (DATABASE_URL, PostgreSQL only) and data set, plus the
Durham 2016 demo (loaded if missing), it times interleaved, for Durham (4,697 answers) and the
data set's first inspection (10,362): the findings counting and its SQL floor, the least work
the export's rows could take (its query fetched whole), the answers CSV and XLSX as functions
and as downloads through the views, and, with --compare-with, the CSV and XLSX as
judgements/exports.py wrote them at that git revision, after checking both give the same
files. It is a report: it exits 0 whatever the figures. See benchmarks/README.md.
"""

import argparse
import io
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.findings import (  # noqa: E402
    Timing,
    database_ready,
    dataset_ready,
    django_start,
    ratio_of_medians,
    verdict,
)

CSV_TARGET = 3.0  # answers CSV time ÷ findings counting time, one inspection


@dataclass(frozen=True)
class Route:
    name: str
    label: str
    call: Callable[[], object]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each route")
    parser.add_argument(
        "--compare-with", metavar="REV", help="also time judgements/exports.py at this revision"
    )
    parser.add_argument("--inspections", type=int, default=200, help="the data set to reuse")
    parser.add_argument("--cases", type=int, default=150, help="cases per inspection")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the data set")
    return parser.parse_args()


def module_at(revision: str, path: str) -> ModuleType:
    """A module of the project (`path` from its folder) as it was at a git revision, loaded
    beside today's: it imports today's other modules."""
    source = subprocess.run(
        ["git", "show", f"{revision}:{path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = ModuleType(f"{Path(path).stem}_at_{revision}")
    module.__file__ = str(ROOT / path)
    exec(compile(source, f"{revision}:{path}", "exec"), module.__dict__)
    return module


def compared_module(revision: str | None, path: str) -> ModuleType | None:
    """`module_at(revision, path)`, saying so; None without a revision."""
    if not revision:
        return None
    print(f"Compared with {path} at {revision_title(revision)}.")
    return module_at(revision, path)


def revision_title(revision: str) -> str:
    return subprocess.run(
        ["git", "log", "-1", "--format=%h %s", revision],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def rows_floor(inspection_id: int) -> list[tuple]:
    """The export's rows in its order, one raw query fetched whole: the least any export does."""
    from django.db import connection

    sql = (
        "SELECT c.case_ref, q.code, i.code, a.value, a.note "
        "FROM judgements_answer a JOIN cases_case c ON c.id = a.case_id "
        "JOIN judgements_question q ON q.id = a.question_id "
        "LEFT JOIN judgements_item i ON i.id = a.item_id "
        'WHERE c.inspection_id = %s ORDER BY c.case_ref COLLATE "C", q."order", '
        'i."order" NULLS FIRST'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [inspection_id])
        return cursor.fetchall()


def page_reader(url: str, user=None) -> Callable[[], bytes]:
    """A call that GETs the URL through Django's whole request path (middleware, session, view)
    in this process, signed in as `user` (or not signed in), and reads every byte."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)

    def read() -> bytes:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response.getvalue()

    return read


def downloader(inspection, url_name: str) -> Callable[[], bytes]:
    """A call that downloads through the view, as a staff user, and reads every byte."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    staff = get_user_model().objects.filter(is_staff=True).first()
    return page_reader(reverse(url_name, args=[inspection.slug]), staff)


def routes(inspection, short: str, baseline: ModuleType | None, revision: str) -> list[Route]:
    from benchmarks.routes import floor_counts
    from judgements.exports import answers_csv, answers_xlsx
    from judgements.findings import findings_for

    one = [
        Route(f"floor_{short}", "findings SQL floor", lambda: floor_counts((inspection.id,))),
        Route(f"findings_{short}", "findings counting", lambda: findings_for([inspection])),
        Route(f"rows_{short}", "export rows floor", lambda: rows_floor(inspection.id)),
        Route(f"csv_{short}", "answers CSV", lambda: answers_csv(inspection)),
        Route(f"csv_view_{short}", "answers CSV download", downloader(inspection, "answers-csv")),
        Route(f"xlsx_{short}", "answers XLSX", lambda: answers_xlsx(inspection)),
        Route(
            f"xlsx_view_{short}", "answers XLSX download", downloader(inspection, "answers-xlsx")
        ),
    ]
    if baseline is None:
        return one
    return [
        *one,
        Route(
            f"csv_was_{short}",
            f"answers CSV at {revision}",
            lambda: baseline.answers_csv(inspection),
        ),
        Route(
            f"xlsx_was_{short}",
            f"answers XLSX at {revision}",
            lambda: baseline.answers_xlsx(inspection),
        ),
    ]


def xlsx_cells(data: bytes) -> list[tuple]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def files_agree(by_name: dict[str, Route], short: str) -> None:
    """Warm every route up, and check the downloads and the revision's files are today's."""
    outputs = {name: route.call() for name, route in by_name.items() if name.endswith(short)}
    csv_same = outputs[f"csv_view_{short}"] == outputs[f"csv_{short}"]
    xlsx_same = xlsx_cells(outputs[f"xlsx_view_{short}"]) == xlsx_cells(outputs[f"xlsx_{short}"])
    print(f"  download = function: CSV {_yes(csv_same)}, XLSX cells {_yes(xlsx_same)}")
    if f"csv_was_{short}" in outputs:
        csv_same = outputs[f"csv_was_{short}"] == outputs[f"csv_{short}"]
        xlsx_same = xlsx_cells(outputs[f"xlsx_was_{short}"]) == xlsx_cells(outputs[f"xlsx_{short}"])
        print(
            f"  same as at the revision: CSV bytes {_yes(csv_same)}, XLSX cells {_yes(xlsx_same)}"
        )


def _yes(same: bool) -> str:
    return "yes" if same else "NO"


def time_interleaved(by_name: dict[str, Route], runs: int) -> dict[str, Timing]:
    """Every route once per run, the order reversed every other run, so noise hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in by_name}
    names = list(by_name)
    for run in range(runs):
        for name in names if run % 2 == 0 else reversed(names):
            started = time.perf_counter()
            by_name[name].call()
            samples[name].append(time.perf_counter() - started)
    return {name: Timing(values) for name, values in samples.items()}


def print_timings(by_name: dict[str, Route], timed: dict[str, Timing], answers: dict) -> None:
    runs = len(next(iter(timed.values())).samples)
    print()
    print(f"Time in ms: median of {runs} interleaved runs after one warm-up, [min–max].")
    for short, count in answers.items():
        print()
        print(f"{short} ({count:,} answers)")
        for name, timing in timed.items():
            if name.endswith(f"_{short}"):
                spread = f"[{min(timing.samples) * 1000:.1f}–{max(timing.samples) * 1000:.1f}]"
                print(f"  {by_name[name].label:<34}{timing.median * 1000:>10.1f}  {spread}")


def print_targets(timed: dict[str, Timing], answers: dict, revision: str | None) -> None:
    print()
    for short in answers:
        ratio, paired = ratio_of_medians(timed, f"csv_{short}", f"findings_{short}")
        print(
            f"{verdict(ratio <= CSV_TARGET)}  {short}: answers CSV {ratio:.2f}× the findings "
            f"counting (target ≤ {CSV_TARGET}×; run by run median {paired:.2f}×)"
        )
        ratio, paired = ratio_of_medians(timed, f"csv_view_{short}", f"findings_{short}")
        print(
            f"      {short}: answers CSV download {ratio:.2f}× the findings counting "
            f"(run by run median {paired:.2f}×)"
        )
        if revision:
            for kind in ("csv", "xlsx"):
                faster, paired = ratio_of_medians(timed, f"{kind}_was_{short}", f"{kind}_{short}")
                print(
                    f"      {short}: answers {kind.upper()} at {revision} took {faster:.1f}× "
                    f"today's time (run by run median {paired:.1f}×)"
                )


def report(args: argparse.Namespace) -> None:
    from fixtures.demo import demo_durham_load
    from inspection.models import Inspection
    from judgements.models import Answer

    database_ready()
    bench = dataset_ready(args)[0]
    durham = demo_durham_load()
    inspections = {"durham": Inspection.objects.get(pk=durham.pk), "bench": bench}
    answers = {
        short: Answer.objects.filter(case__inspection=inspection).count()
        for short, inspection in inspections.items()
    }
    revision = args.compare_with
    baseline = compared_module(revision, "judgements/exports.py")
    by_name = {
        route.name: route
        for short, inspection in inspections.items()
        for route in routes(inspection, short, baseline, revision)
    }
    for short, inspection in inspections.items():
        print(f"{short}: {inspection.slug}")
        files_agree(by_name, short)
    timed = time_interleaved(by_name, args.runs)
    print_timings(by_name, timed, answers)
    print_targets(timed, answers, revision)


def main() -> None:
    args = parse_args()
    django_start()
    report(args)


if __name__ == "__main__":
    main()
