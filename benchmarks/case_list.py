"""How fast the case list is at 150 fully answered cases, against the sign-in page (the floor).

    .venv/bin/python benchmarks/case_list.py [--cases 150] [--runs 9] [--rebuild]
                                             [--compare-with REV]

On its own PostgreSQL database (DATABASE_URL, as the findings benchmark), it builds or reuses
one inspection of fully answered cases (`bench-complete-1x150-001`: every case submitted or
quality assured, every question its gates leave open answered, a team of seven inspectors),
then times interleaved, through Django's whole request path in this process: the sign-in page
(the floor: a page that reads no inspection data), the case list as one of the team sees it,
the case list filtered to no case (its cost whatever the number of cases) and
`case_progress` alone (the "answered of asked" of cases read without their kept progress;
the list reads it with its cases). With --compare-with, also `case_progress` with
judgements/findings.py as it was at that git revision, after checking both count the same.
It is a report: it exits 0 whatever the figures. See benchmarks/README.md.
"""

import argparse
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.exports import (  # noqa: E402
    Route,
    compared_module,
    page_reader,
    print_timings,
    time_interleaved,
)
from benchmarks.findings import (  # noqa: E402
    Timing,
    database_ready,
    dataset_ready,
    django_start,
    ratio_of_medians,
    verdict,
)

LIST_TARGET = 3.0  # case list page time ÷ sign-in page time, 150 cases (issue 7)
SHORT = "bench"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=150, help="cases in the inspection")
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each route")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the data set")
    parser.add_argument(
        "--compare-with",
        metavar="REV",
        help="also time the case list with judgements/findings.py at this revision",
    )
    args = parser.parse_args()
    args.inspections = 1
    return args


def routes(inspection, cases: list, baseline: ModuleType | None, revision: str) -> list[Route]:
    from django.urls import reverse

    from judgements.progress import case_progress

    member = inspection.team.select_related("user").first().user
    url = reverse("case-list", args=[inspection.slug])
    case_list = page_reader(url, member)
    today = [
        Route(f"signin_{SHORT}", "sign-in page (the floor)", page_reader(reverse("login"))),
        Route(f"list_{SHORT}", "case list page", case_list),
        # Every bench case is assigned, so this filter lists none: what the page costs
        # whatever the number of cases (session, permissions, filters form, layout).
        Route(
            f"empty_{SHORT}",
            "case list page, no case",
            page_reader(f"{url}?inspector=none", member),
        ),
        Route(f"progress_{SHORT}", "case_progress alone", lambda: case_progress(cases)),
    ]
    if baseline is None:
        return today
    # (The list itself no longer calls case_progress: it reads each case's kept progress with
    # its cases, judgements.progress.listed_progress, so only case_progress is compared.)
    return [
        *today,
        Route(
            f"progress_was_{SHORT}",
            f"case_progress at {revision}",
            lambda: baseline.case_progress(cases),
        ),
    ]


def _counts(progress: dict) -> dict[int, tuple[int, int]]:
    return {case_id: (row.answered, row.asked) for case_id, row in progress.items()}


def pages_check(by_name: dict[str, Route], cases: list, baseline: ModuleType | None) -> None:
    """Warm every route up; check the list shows every case and, with a revision, that the
    revision's progress counts are today's."""
    from judgements.progress import case_progress

    outputs = {name: route.call() for name, route in by_name.items()}
    shown = f"Showing <strong>{len(cases)}</strong> of {len(cases)} cases"
    listed = shown in outputs[f"list_{SHORT}"].decode()
    print(f"  the case list shows all {len(cases)} cases: {_yes(listed)}")
    empty = (
        f"Showing <strong>0</strong> of {len(cases)} cases" in outputs[f"empty_{SHORT}"].decode()
    )
    print(f"  filtered to the cases assigned to nobody, it shows none: {_yes(empty)}")
    if baseline is not None:
        same = _counts(case_progress(cases)) == _counts(baseline.case_progress(cases))
        print(f"  progress (answered, asked) the same as at the revision: {_yes(same)}")


def _yes(same: bool) -> str:
    return "yes" if same else "NO"


def print_targets(timed: dict[str, Timing], cases: list, revision: str | None) -> None:
    print()
    ratio, paired = ratio_of_medians(timed, f"list_{SHORT}", f"signin_{SHORT}")
    print(
        f"{verdict(ratio <= LIST_TARGET)}  case list page {ratio:.2f}× the sign-in page "
        f"(target ≤ {LIST_TARGET}×; run by run median {paired:.2f}×)"
    )
    ratio, paired = ratio_of_medians(timed, f"empty_{SHORT}", f"signin_{SHORT}")
    print(
        f"      case list page with no case {ratio:.2f}× the sign-in page "
        f"(run by run median {paired:.2f}×)"
    )
    rows = timed[f"list_{SHORT}"].median - timed[f"empty_{SHORT}"].median
    progress = timed[f"progress_{SHORT}"].median
    print(
        f"      the {len(cases)} cases add {rows * 1000:.1f} ms to the page (their kept progress "
        f"read with them); counted afresh, case_progress alone takes {progress * 1000:.1f} ms"
    )
    if revision:
        slower, paired = ratio_of_medians(timed, f"progress_was_{SHORT}", f"progress_{SHORT}")
        print(
            f"      case_progress at {revision} took {slower:.1f}× today's time "
            f"(run by run median {paired:.1f}×)"
        )


def report(args: argparse.Namespace) -> None:
    from judgements.models import Answer

    database_ready()
    inspection = dataset_ready(args, complete=True)[0]
    cases = list(inspection.cases.select_related("assigned_inspector", "inspection"))
    answers = Answer.objects.filter(case__inspection=inspection).count()
    print(
        f"{SHORT}: {inspection.slug}, {len(cases)} cases, {answers:,} answers "
        f"({answers / len(cases):.0f} a case)"
    )
    revision = args.compare_with
    baseline = compared_module(revision, "judgements/findings.py")
    by_name = {route.name: route for route in routes(inspection, cases, baseline, revision)}
    pages_check(by_name, cases, baseline)
    timed = time_interleaved(by_name, args.runs)
    print_timings(by_name, timed, {SHORT: answers})
    print_targets(timed, cases, revision)


def main() -> None:
    args = parse_args()
    django_start()
    report(args)


if __name__ == "__main__":
    main()
