"""How fast and how large the editor's report outline pages are, against the sign-in page.

    DEBUG=1 .venv/bin/python benchmarks/outline.py [--runs 15]

The Durham demo's report (248 parts): the outline's index, the longest chapter's page
(5 Reducing reoffending, 111 parts under it), the page of one part of it, all as the editor
sees them, and the sign-in page (the floor: a page that reads no inspection data), timed
interleaved through Django's whole request path in this process. Printed: each page's median
time, its ratio to the sign-in page and its size in bytes; and CPU time beside wall time,
since the machine is shared. It is a report: it exits 0 whatever the figures.

DATABASE_URL names the database (default: the report benchmark's SQLite file in /tmp,
migrated and loaded with the Durham demo on the first run).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.exports import page_reader  # noqa: E402
from benchmarks.report import django_start, durham  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each page")
    return parser.parse_args()


def pages(inspection) -> dict[str, tuple[str, object]]:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from reports.document.compose import build_document

    editor = get_user_model().objects.get(username="editor")
    document = build_document(inspection, printing=False)
    longest = max(document.parts, key=lambda part: sum(1 for _ in part.walk()))
    prose = next(node for node in longest.walk() if node.kind == "prose")
    slug = inspection.slug
    chapter = reverse("report-chapter", args=[slug, longest.part_id])
    return {
        "sign-in page (the floor)": reverse("login"),
        "outline: the index": (reverse("report-outline", args=[slug]), editor),
        f"outline: {longest.name}": (chapter, editor),
        "a part's page (edit)": (reverse("report-part-edit", args=[slug, prose.part_id]), editor),
    }


def measure(readers: dict, runs: int) -> dict[str, tuple[list[float], list[float], int]]:
    """Every page once per run, the order reversed every other run; wall and CPU seconds."""
    samples = {name: ([], [], 0) for name in readers}
    names = list(readers)
    for name in names:
        samples[name] = ([], [], len(readers[name]()))  # warm up, and the size
    for run in range(runs):
        for name in names if run % 2 == 0 else reversed(names):
            wall, cpu = time.perf_counter(), time.process_time()
            readers[name]()
            samples[name][0].append(time.perf_counter() - wall)
            samples[name][1].append(time.process_time() - cpu)
    return samples


def main() -> None:
    args = parse_args()
    django_start()
    inspection = durham()
    readers = {}
    for name, target in pages(inspection).items():
        url, user = target if isinstance(target, tuple) else (target, None)
        readers[name] = page_reader(url, user)
    samples = measure(readers, args.runs)
    floor_wall = statistics.median(samples["sign-in page (the floor)"][0])
    floor_cpu = statistics.median(samples["sign-in page (the floor)"][1])
    print(f"Durham report outline, {args.runs} runs each, median wall (CPU); × the sign-in page")
    for name, (wall, cpu, size) in samples.items():
        wall_median, cpu_median = statistics.median(wall), statistics.median(cpu)
        print(
            f"  {name:<42} {wall_median * 1000:7.1f} ms ({cpu_median * 1000:6.1f} ms)"
            f"  {wall_median / floor_wall:5.1f}× ({cpu_median / floor_cpu:5.1f}×)"
            f"  {size / 1024:7.1f} KiB"
        )


if __name__ == "__main__":
    main()
