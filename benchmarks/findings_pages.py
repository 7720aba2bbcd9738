"""How fast the findings pages are at 150 fully answered cases, against the findings
computation itself (`findings_for`, uncached: the floor).

    .venv/bin/python benchmarks/findings_pages.py [--cases 150] [--runs 9] [--rebuild]

On its own PostgreSQL database (DATABASE_URL, as the findings benchmark), it builds or reuses
the case list benchmark's inspection of fully answered cases (`bench-complete-1x150-001`),
then times interleaved, through Django's whole request path in this process as one of the
team: `findings_for` for the inspection with no cache (the floor), each findings page (the
report tables and each domain), a domain page filtered to women's cases, and two drill-downs
(the CRC cases relevant to PP-D8a, and every case answered yes or no to RR-A1, the longest
list there is). The pages read the findings from the cache as a second reader does; a last
route times the protecting the public page with its findings taken out of the cache before
each request (the first reader after a change; only that entry goes, so the other routes keep
theirs). Issue 8's target: each page and drill-down within 3× the floor. It is
a report: it exits 0 whatever the figures. See benchmarks/README.md.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.exports import Route, page_reader, print_timings, time_interleaved  # noqa: E402
from benchmarks.findings import (  # noqa: E402
    Timing,
    database_ready,
    dataset_ready,
    django_start,
    ratio_of_medians,
    verdict,
)

PAGE_TARGET = 3.0  # a findings page's time ÷ findings_for uncached, 150 cases (issue 8)
SHORT = "bench"
FLOOR = f"floor_{SHORT}"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=150, help="cases in the inspection")
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each route")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the data set")
    args = parser.parse_args()
    args.inspections = 1
    return args


def uncached(inspection, read):
    """`read`, with the inspection's findings first taken out of the cache (only those: the
    other pages' entries, the filtered one among them, stay), so the page counts them."""
    from django.core.cache import cache

    from judgements.findings import findings_cache_key

    def call():
        inspection.refresh_from_db(fields=["data_revision"])
        cache.delete(findings_cache_key(inspection.pk, inspection.data_revision, None, None))
        return read()

    return call


def routes(inspection) -> list[Route]:
    from django.urls import reverse

    from judgements.findings import findings_for

    member = inspection.team.select_related("user").first().user
    slug = inspection.slug

    def page(name, label, url):
        return Route(f"{name}_{SHORT}", label, page_reader(url, member))

    domain = lambda code: reverse("findings-domain", args=[slug, code])  # noqa: E731
    drill = lambda code: reverse("finding-cases", args=[slug, code])  # noqa: E731
    pages = [
        page("tables", "report tables page", reverse("findings", args=[slug])),
        *(
            page(code, f"{code.upper()} domain page", domain(code))
            for code in ["cs", "rr", "pp", "ab"]
        ),
        page("women", "PP page, women's cases", f"{domain('pp')}?cases=gender:female"),
        page("cases", "drill-down, PP-D8a CRC relevant", f"{drill('PP-D8a')}?group=CRC"),
        page("every", "drill-down, RR-A1 all relevant", drill("RR-A1")),
    ]
    return [
        Route(FLOOR, "findings_for uncached (the floor)", lambda: findings_for([inspection])),
        *pages,
        Route(
            f"afresh_{SHORT}",
            "PP domain page, counted afresh",
            uncached(inspection, page_reader(domain("pp"), member)),
        ),
    ]


def pages_check(by_name: dict[str, Route]) -> None:
    """Warm every route up, and check the pages show what they should."""
    outputs = {name: route.call() for name, route in by_name.items()}
    for name, output in outputs.items():
        if isinstance(output, bytes):
            assert b"govuk-table" in output, name
    print(f"  {len(outputs) - 1} pages served, each with its tables")


def print_targets(timed: dict[str, Timing], by_name: dict[str, Route]) -> None:
    print()
    for name, route in by_name.items():
        if name == FLOOR:
            continue
        ratio, paired = ratio_of_medians(timed, name, FLOOR)
        ok = verdict(ratio <= PAGE_TARGET) if not name.startswith("afresh") else "    "
        print(
            f"{ok}  {route.label}: {ratio:.2f}× findings_for uncached "
            f"(target ≤ {PAGE_TARGET}×; run by run median {paired:.2f}×)"
        )


def report(args: argparse.Namespace) -> None:
    from judgements.models import Answer

    database_ready()
    inspection = dataset_ready(args, complete=True)[0]
    answers = Answer.objects.filter(case__inspection=inspection).count()
    print(f"{SHORT}: {inspection.slug}, {inspection.cases.count()} cases, {answers:,} answers")
    by_name = {route.name: route for route in routes(inspection)}
    pages_check(by_name)
    timed = time_interleaved(by_name, args.runs)
    print_timings(by_name, timed, {SHORT: answers})
    print_targets(timed, by_name)


def main() -> None:
    args = parse_args()
    django_start()
    report(args)


if __name__ == "__main__":
    main()
