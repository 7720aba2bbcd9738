"""How long the Durham report PDF takes, and how much memory, through the app beside the floor.

    DEBUG=1 .venv/bin/python benchmarks/report.py [--runs 5]

The app's route is `reports.export.pdf.render_report_pdf`: build the document (the findings, every
part resolved), lay it out in the print templates and typeset it with WeasyPrint through the
restricted URL fetcher. The floor is WeasyPrint alone typesetting the very same final HTML with
the same options and its own default fetcher (the stylesheet as a local file): the least any
route to this PDF could do. Runs alternate after a warm-up; the medians and the overhead
(app / floor - 1; target under 10%) are printed, and the app's own part on its own (building
the document and its HTML), which is steadier than a difference of two noisy medians.
Memory: the peak resident memory each route adds, each measured once in a fresh process.
It is a report: it exits 0 whatever the figures.

DATABASE_URL names the database (default: a SQLite file in /tmp, migrated and loaded with the
Durham demo on the first run).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "sqlite:////tmp/qi_report_benchmark.sqlite3"
TARGET = 0.10
STYLESHEET = ROOT / "static" / "css" / "report-print.css"


def django_start() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings")
    import django

    django.setup()


def durham():
    """The Durham demo with its report text, loaded on the first run."""
    from django.core.management import call_command

    from fixtures.durham_2016_document_loader import load_durham_document
    from inspection.models import Inspection
    from reports.models import ReportPart

    call_command("migrate", verbosity=0)
    inspection = Inspection.objects.filter(slug="durham-2016").first()
    if inspection is None:
        call_command("load_demo", verbosity=0)
        inspection = Inspection.objects.get(slug="durham-2016")
    if not ReportPart.objects.filter(inspection=inspection).exists():
        load_durham_document(inspection)
    return inspection


def floor_html(html: str) -> str:
    """The app's HTML with its stylesheet named as the local file, for WeasyPrint's own
    fetcher."""
    return html.replace('href="/static/css/report-print.css"', f'href="{STYLESHEET.as_uri()}"')


def floor_pdf(html: str) -> int:
    import weasyprint

    from reports.export.pdf import PDF_OPTIONS

    rendered = weasyprint.HTML(string=html, base_url=str(ROOT)).render(**PDF_OPTIONS)
    rendered.write_pdf(**PDF_OPTIONS)
    return len(rendered.pages)


def resident_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def memory_probe(route: str) -> None:
    """Run one route once in this (fresh) process; print the peak memory it added, in KiB."""
    django_start()
    from reports.export.pdf import render_report_pdf, report_html

    inspection = durham()
    html = floor_html(report_html(inspection)) if route == "floor" else None
    before = resident_kib()
    render_report_pdf(inspection) if route == "app" else floor_pdf(html)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"added_kib": peak - before}))


def probe(route: str) -> int:
    output = subprocess.run(
        [sys.executable, __file__, "--memory-probe", route],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])["added_kib"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each route")
    parser.add_argument("--memory-probe", choices=["app", "floor"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_probe:
        memory_probe(args.memory_probe)
        return

    django_start()
    from reports.export.pdf import render_report_pdf, report_html

    inspection = durham()
    html = floor_html(report_html(inspection))
    pages = render_report_pdf(inspection).pages  # warm-up: templates, fonts, the findings cache
    assert floor_pdf(html) == pages, "the floor must typeset the same document"
    times: dict[str, list[float]] = {"app": [], "floor": [], "html": []}
    for _ in range(args.runs):
        for route, call in [
            ("app", lambda: render_report_pdf(inspection)),
            ("floor", lambda: floor_pdf(html)),
            ("html", lambda: report_html(inspection)),
        ]:
            start = time.perf_counter()
            call()
            times[route].append(time.perf_counter() - start)
    app, floor = statistics.median(times["app"]), statistics.median(times["floor"])
    overhead = app / floor - 1
    memory = {route: probe(route) for route in ("app", "floor")}

    print(f"Durham report PDF: {pages} pages, {args.runs} runs each, median (min–max)")
    for route, label in [("app", "through the app"), ("floor", "WeasyPrint alone (floor)")]:
        spread = f"{min(times[route]):.2f}–{max(times[route]):.2f}"
        mib = memory[route] / 1024
        print(
            f"  {label:<26} {statistics.median(times[route]):6.2f} s ({spread})"
            f"   peak memory added {mib:6.1f} MiB"
        )
    own = statistics.median(times["html"])
    print(f"  the app's own part          {own:6.2f} s (the document and its HTML, no WeasyPrint)")
    verdict = "within" if overhead < TARGET else "OVER"
    print(f"  overhead over the floor     {overhead:+.1%} ({verdict} the {TARGET:.0%} target)")


if __name__ == "__main__":
    main()
