"""How fast, and in how little memory, the findings engine counts: one inspection and nationally.

    .venv/bin/python benchmarks/findings.py [--inspections 200] [--cases 150] [--runs 7]
                                            [--rebuild] [--profile]

Builds (or reuses) a synthetic set of inspections on PostgreSQL (its own database, DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/qi_benchmark), then times the engine, counting and
from its cache (CACHE=memory or database, as the app's settings read it), against the floor
(one raw GROUP BY) and against pandas on the answers CSV, and prints PASS or FAIL for each
target. It is a report: it exits 0 whatever the figures. See benchmarks/README.md.
"""

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import dj_database_url  # noqa: E402
import django  # noqa: E402
import psycopg2  # noqa: E402
from psycopg2 import sql  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/qi_benchmark"
ONE_INSPECTION_TARGET = 1.5  # engine time ÷ floor time, one inspection
NATIONAL_TARGET = 2.0  # engine time ÷ floor time, the national roll-up
# What "far below the pandas route" and "roughly independent of the number of answers" mean
# for the roll-up's peak memory, so the report can say PASS or FAIL on them too: at most a tenth
# of pandas' peak, and from one inspection to all growing by at most a tenth of the answers'
# growth (answers ×180 allows memory ×18.9).
MEMORY_SHARE_OF_PANDAS = 0.1
MEMORY_GROWTH_SHARE = 0.1
# A first call's RSS growth under this is the allocator reusing pages freed at start-up (it is
# often 0 for one inspection), not the route's memory: no growth ratio is drawn from it.
MEMORY_RESOLUTION = 256 * 1024
MB = 1024 * 1024
ROUTE_KINDS = ("engine", "floor", "pandas")
# Timed after the engine and floor of their scope; the cache's memory is not probed (its first
# call in a fresh process is the engine's).
LATER_ROUTES = ("cached", "pandas")


@dataclass(frozen=True)
class Timing:
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inspections", type=int, default=200)
    parser.add_argument("--cases", type=int, default=150, help="cases per inspection")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each route")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the data set")
    parser.add_argument(
        "--profile", action="store_true", help="show where the engine's time goes, afterwards"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory probes")
    # Internal: measure one route's memory in this fresh process and print it as JSON.
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--csv-dir", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def database_ensure(url: str) -> None:
    """Create the benchmark's own database if it is missing; refuse anything but PostgreSQL."""
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit(f"DATABASE_URL must name a PostgreSQL database, not {config['ENGINE']}.")
    server = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"Created database {config['NAME']}.")
    server.close()


def django_start() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "inspection.settings"
    database_ensure(os.environ["DATABASE_URL"])
    django.setup()


def main() -> None:
    args = parse_args()
    django_start()
    if args.probe:
        memory_probe(args)
        return
    report(args)


# --- memory -------------------------------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise KeyError(field)


def _rss_peak_reset() -> int:
    """Reset the kernel's peak-RSS mark to now (Linux) and return the RSS in bytes."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS") * 1024


def memory_probe(args: argparse.Namespace) -> None:
    """In a fresh process: the RSS growth of the first call, then the traced peak of a second.

    RSS counts everything (libpq buffers, pandas' C parser, numpy); a fresh process keeps
    earlier runs' freed memory out of it; being a first call it includes one-off costs, so it is
    an upper bound. tracemalloc counts Python allocations (numpy's included) during a warm call.
    """
    from django.db import connection

    from benchmarks.dataset import bench_inspections
    from benchmarks.routes import routes

    inspections = bench_inspections(args.inspections, args.cases)
    csv_one, csv_all = args.csv_dir / "answers-one.csv", args.csv_dir / "answers-all.csv"
    route = {r.name: r for r in routes(inspections, csv_one, csv_all)}[args.probe]
    connection.ensure_connection()
    gc.collect()
    try:
        before = _rss_peak_reset()
        route.call()
        rss_growth = _status_kb("VmHWM") * 1024 - before
    except OSError:  # no /proc: fall back to the process's lifetime peak
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        route.call()
        rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    gc.collect()
    tracemalloc.start()
    route.call()
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps({"rss_growth": rss_growth, "traced_peak": traced_peak}))


def memory_measure(args: argparse.Namespace, name: str, csv_dir: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--probe", name]
    command += ["--inspections", str(args.inspections), "--cases", str(args.cases)]
    command += ["--csv-dir", str(csv_dir)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if result.returncode:
        sys.exit(f"The memory probe for {name} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the report ---------------------------------------------------------------------------


def database_ready() -> None:
    """Refuse anything but PostgreSQL, migrate, and say what the figures were measured on."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL only.")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # for CACHE=database; nothing otherwise
    print_environment(connection)


def report(args: argparse.Namespace) -> None:
    database_ready()
    inspections = dataset_ready(args)
    with tempfile.TemporaryDirectory(prefix="qi-benchmark-") as folder:
        csv_dir = Path(folder)
        answers = print_sizes(inspections, csv_dir)
        timed = time_routes(args, inspections, csv_dir)
        probed = [name for name in timed if not name.startswith("cached")]
        memory = {} if args.no_memory else {n: memory_measure(args, n, csv_dir) for n in probed}
    print_timings(timed, memory)
    print_targets(timed)
    if memory:
        print_memory_targets(memory, answers_growth=answers[1] / answers[0])
    if args.profile:
        profile_engine(inspections)


def print_environment(connection) -> None:
    import pandas as pd
    from django.conf import settings

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    name = connection.settings_dict["NAME"]
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"pandas {pd.__version__}, PostgreSQL {server} (database {name}), "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"Cache: {backend} (CACHE={settings.CACHE}), DEBUG={settings.DEBUG}; load {load}")


def dataset_ready(args: argparse.Namespace, complete: bool = False) -> list:
    """The data set of args' size, reused or built; `complete`: every case fully answered."""
    from benchmarks.dataset import (
        bench_inspections,
        dataset_build,
        dataset_present,
        dataset_remove,
        kept_progress_ensure,
        planner_statistics_ensure,
        slug_prefix,
    )

    size = f"{args.inspections} inspections × {args.cases} cases"
    shape = (args.inspections, args.cases, complete)
    if args.rebuild:
        dataset_remove(*shape)
    if dataset_present(*shape):
        print(f"Data set: reusing {size} ({slug_prefix(*shape)}*).")
    else:
        print(f"Data set: building {size}{', fully answered' if complete else ''}…", flush=True)
        built = dataset_build(*shape)
        print(
            f"Data set: built {built.inspections} inspections, {built.cases} cases, "
            f"{built.answers:,} answers in {built.seconds:.1f} s (VACUUM ANALYZE included)."
        )
    analyzed = planner_statistics_ensure()
    if analyzed:
        print(f"Planner statistics were missing, now analyzed: {', '.join(analyzed)}.")
    inspections = bench_inspections(*shape)
    kept = kept_progress_ensure(inspections)
    if kept:
        print(f"Kept progress was missing for {kept:,} answered cases, now kept.")
    return inspections


def print_sizes(inspections: list, csv_dir: Path) -> tuple[int, int]:
    from benchmarks.routes import answers_export

    one = answers_export((inspections[0].id,), csv_dir / "answers-one.csv")
    every = answers_export(tuple(i.id for i in inspections), csv_dir / "answers-all.csv")
    size_one = (csv_dir / "answers-one.csv").stat().st_size / MB
    size_all = (csv_dir / "answers-all.csv").stat().st_size / MB
    print(
        f"Answers: one inspection ({inspections[0].slug}) {one:,} ({size_one:.1f} MB of CSV); "
        f"all {len(inspections)} inspections {every:,} ({size_all:.1f} MB of CSV)."
    )
    return one, every


def time_routes(args: argparse.Namespace, inspections: list, csv_dir: Path) -> dict:
    """Warm up, check the routes agree, then time them interleaved so noise hits them all."""
    from benchmarks.routes import counts_agree, routes

    by_name = {r.name: r for r in routes(inspections, *_csv_paths(csv_dir))}
    for scope in ("one", "all"):
        engine, floor, pandas = (by_name[f"{kind}_{scope}"].call() for kind in ROUTE_KINDS)
        agree = counts_agree(engine, floor, pandas)
        print(f"Counts agree ({scope}): engine = SQL floor = pandas: {'yes' if agree else 'NO'}")
    # The first cached call counts and stores; the timed calls read it back.
    cached, counted = by_name["cached_one"].call(), by_name["engine_one"].call()
    print(f"Cached findings equal the counted ones (one): {'yes' if cached == counted else 'NO'}")
    samples: dict[str, list[float]] = {name: [] for name in by_name}
    for run in range(args.runs):
        for scope in ("one", "all"):
            pair = [f"engine_{scope}", f"floor_{scope}"]
            later = [f"{kind}_{scope}" for kind in LATER_ROUTES if f"{kind}_{scope}" in by_name]
            for name in [*(pair if run % 2 == 0 else reversed(pair)), *later]:
                started = time.perf_counter()
                by_name[name].call()
                samples[name].append(time.perf_counter() - started)
    return {name: Timing(values) for name, values in samples.items()}


def _csv_paths(csv_dir: Path) -> tuple[Path, Path]:
    return csv_dir / "answers-one.csv", csv_dir / "answers-all.csv"


def print_timings(timed: dict[str, Timing], memory: dict) -> None:
    from benchmarks.routes import LABELS

    runs = len(next(iter(timed.values())).samples)
    print()
    print(f"Time in ms: median of {runs} interleaved runs after one warm-up, [min–max].")
    print("Memory: 'traced' = tracemalloc peak of Python allocations during a warm call;")
    print("'RSS' = growth of the peak resident set during the first call in a fresh process.")
    print()
    print(f"{'route':<34}{'median':>10}  {'[min–max]':<20}{'traced':>10}{'RSS':>10}")
    for name, timing in timed.items():
        spread = f"[{min(timing.samples) * 1000:.1f}–{max(timing.samples) * 1000:.1f}]"
        traced, rss = (
            (
                f"{memory[name]['traced_peak'] / MB:.1f} MB",
                f"{memory[name]['rss_growth'] / MB:.1f} MB",
            )
            if name in memory
            else ("–", "–")
        )
        print(f"{LABELS[name]:<34}{timing.median * 1000:>10.1f}  {spread:<20}{traced:>10}{rss:>10}")


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB"


def ratio_of_medians(
    timed: dict[str, Timing], numerator: str, denominator: str
) -> tuple[float, float]:
    """Ratio of medians, and the median of the run-by-run ratios (the pairs share the noise)."""
    of_medians = timed[numerator].median / timed[denominator].median
    pairs = zip(timed[numerator].samples, timed[denominator].samples, strict=True)
    return of_medians, statistics.median(a / b for a, b in pairs)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_targets(timed: dict[str, Timing]) -> None:
    print()
    ratio, paired = ratio_of_medians(timed, "cached_one", "floor_one")
    print(
        f"{verdict(ratio <= ONE_INSPECTION_TARGET)}  one inspection: engine cached "
        f"{ratio:.2f}× its SQL floor (target ≤ {ONE_INSPECTION_TARGET}×; "
        f"run by run median {paired:.2f}×)"
    )
    for scope, target, label in (
        ("one", ONE_INSPECTION_TARGET, "one inspection"),
        ("all", NATIONAL_TARGET, "national roll-up"),
    ):
        ratio, paired = ratio_of_medians(timed, f"engine_{scope}", f"floor_{scope}")
        print(
            f"{verdict(ratio <= target)}  {label}: engine counting {ratio:.2f}× its SQL floor "
            f"(target ≤ {target}×; run by run median {paired:.2f}×)"
        )
        faster = timed[f"engine_{scope}"].median / timed[f"pandas_{scope}"].median
        print(
            f"{verdict(faster < 1)}  {label}: engine takes {faster:.2f}× the time of "
            f"pandas on the CSV (target < 1×)"
        )


def print_memory_targets(memory: dict, answers_growth: float) -> None:
    limit = 1 + (answers_growth - 1) * MEMORY_GROWTH_SHARE
    for measure, label in (("traced_peak", "traced"), ("rss_growth", "RSS")):
        engine_all, engine_one = memory["engine_all"][measure], memory["engine_one"][measure]
        share = engine_all / memory["pandas_all"][measure]
        growth = engine_all / max(engine_one, 1)
        print(
            f"{verdict(share <= MEMORY_SHARE_OF_PANDAS)}  national roll-up peak memory "
            f"({label}) {_megabytes(engine_all)} is {share:.1%} of the pandas route's "
            f"(target ≤ {MEMORY_SHARE_OF_PANDAS:.0%})"
        )
        if engine_one < MEMORY_RESOLUTION:
            print(
                f"n/a   national roll-up peak memory ({label}) growth: one inspection's "
                f"{engine_one / 1024:.0f} KB is below what this measure resolves "
                f"({MEMORY_RESOLUTION // 1024} KB), so a ratio to it would mean nothing"
            )
            continue
        print(
            f"{verdict(growth <= limit)}  national roll-up peak memory ({label}) is "
            f"{growth:.1f}× one inspection's for {answers_growth:.0f}× the answers "
            f"(target ≤ {limit:.1f}×)"
        )


def profile_engine(inspections: list) -> None:
    from benchmarks.diagnose import engine_breakdown, python_profile
    from judgements.findings import findings_for

    for label, subset in (("one inspection", inspections[:1]), ("national roll-up", inspections)):
        engine_breakdown(label, lambda subset=subset: findings_for(subset))
        python_profile(label, lambda subset=subset: findings_for(subset))


if __name__ == "__main__":
    main()
