"""Scoring under load: simulated inspectors on gunicorn and PostgreSQL, over loopback.

    .venv/bin/python benchmarks/scoring.py [--inspectors 20] [--requests 2000] [--runs 15]
                                           [--workers 5] [--port 8731] [--rebuild]
    .venv/bin/python benchmarks/scoring.py --database sqlite [--sqlite-file PATH]
                                           [--inspectors 20] [--requests 2000] [--port 8731]

On its own PostgreSQL database (DATABASE_URL, default qi_scorebench) it builds or reuses a
fieldwork inspection of 150 part-answered cases (the findings benchmark's builder, then put in
fieldwork with the cases in progress and shared among the inspectors) and a fully answered one
(the case list benchmark's), starts the app under gunicorn with DEBUG off (production settings
but for HTTPS: SECURE_SSL_REDIRECT=0 on loopback), and then, as a browser does it (cookies,
CSRF tokens, the section page's hidden versions):

1. times interleaved, one request at a time: the sign-in page (the floor: no query, no
   session), a section of questions, the factor grid, and the case list at 150 cases;
2. lets the inspectors loose together, each in its own thread with its own connection, for a
   fixed number of requests: each step opens a section of one of the inspector's cases, saves
   two answers through the autosave endpoint as the page's script does, one more through "Save
   and continue" without JavaScript, and moves on to the next section; an anonymous sign-in
   page is fetched each step too, the floor under the same load;
3. checks that every answer sent is stored as last sent.

With `--database sqlite` it runs only 2 and 3, against the server `make run` serves: on a
SQLite file of its own (migrated and loaded with the demo as `make demo` does, once, then
reused) it puts the Durham demo in fieldwork with its cases shared among the inspectors, and
starts `make serve` (runserver, a thread and a connection per request, DEBUG on, the report
worker beside it).

It prints requests per second, the median and 95th percentile of each kind of request, the
errors (must be 0) and the check (must be all). It is a report: it exits 0 whatever the
figures. See benchmarks/README.md.
"""

import argparse
import contextlib
import html
import http.client
import os
import platform
import random
import re
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import django  # noqa: E402

from benchmarks.findings import (  # noqa: E402
    Timing,
    database_ready,
    dataset_ready,
    django_start,
    ratio_of_medians,
    verdict,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/qi_scorebench"
SECTION_TARGET = 3.0  # section page ÷ sign-in page (issue 7)
LIST_TARGET = 3.0  # case list at 150 cases ÷ sign-in page (issue 7)
USERNAME = "scorebench-inspector-{:02d}"
# Only ever in the benchmark's own database, for inspectors nobody else signs in as.
PASSWORD = "scoring-benchmark-only-password"
AUTOSAVES_PER_STEP = 2
FORM_SAVES_PER_STEP = 1
# The sign-in page, the section page, its autosaves and "Save and continue".
REQUESTS_PER_STEP = 3 + AUTOSAVES_PER_STEP
LOGIN = "/accounts/login/"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inspectors", type=int, default=20, help="simulated inspectors")
    parser.add_argument(
        "--requests", type=int, default=2000, help="requests under load, sign-ins apart"
    )
    parser.add_argument("--runs", type=int, default=15, help="timed runs, one at a time")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the data sets")
    parser.add_argument(
        "--database",
        choices=["postgresql", "sqlite"],
        default="postgresql",
        help="postgresql: gunicorn on DATABASE_URL; sqlite: make run's server on a SQLite file",
    )
    parser.add_argument(
        "--sqlite-file",
        type=Path,
        default=Path(tempfile.gettempdir()) / "qi-scorebench.sqlite3",
        help="with --database sqlite: the benchmark's own database file",
    )
    args = parser.parse_args()
    args.inspections, args.cases = 1, 150
    return args


def environment_set() -> None:
    """DEBUG off, as in production, for this process and the server it starts: a fresh key,
    the loopback host, and no redirect to HTTPS (nothing on loopback terminates TLS)."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_HSTS_PRELOAD="0",
    )


# --- the data ------------------------------------------------------------------------------


@dataclass
class Plan:
    """What the inspectors work on: each one's cases, the sections they score, and which
    questions open others (a simulated inspector changes only answers that open nothing, so
    every save it makes is one the app must store, and none asks to clear another)."""

    slug: str
    complete_slug: str
    cases: dict[str, list[str]]  # username → case references
    sections: list[str]
    grid: str
    gates: set[int]


def data_ready(args: argparse.Namespace) -> Plan:
    from benchmarks.dataset import slug_prefix

    fieldwork = dataset_ready(args)[0]
    complete = dataset_ready(args, complete=True)[0]
    assert fieldwork.slug.startswith(slug_prefix(1, args.cases))
    inspectors = inspectors_ready(args.inspectors)
    cases = fieldwork_ready(fieldwork, inspectors)
    team_join(complete, inspectors[:1])
    return Plan(
        slug=fieldwork.slug,
        complete_slug=complete.slug,
        cases=cases,
        sections=question_sections(fieldwork),
        grid="rr-priority-factors",
        gates=gate_questions(fieldwork),
    )


def inspectors_ready(count: int) -> list:
    from django.contrib.auth import get_user_model

    users = []
    for number in range(1, count + 1):
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME.format(number),
            defaults={"first_name": "Scoring", "last_name": f"Benchmark {number}"},
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        users.append(user)
    return users


def team_join(inspection, users: list) -> None:
    from inspection.models import Role, TeamMembership

    for user in users:
        TeamMembership.objects.get_or_create(
            inspection=inspection, user=user, defaults={"role": Role.INSPECTOR}
        )


def fieldwork_ready(inspection, users: list) -> dict[str, list[str]]:
    """Put the inspection in fieldwork, its cases in progress (their answers kept) and shared
    among the inspectors in turn. Benchmark set-up, written round the services as the data
    set's builder is (benchmarks/dataset.py): nothing here is a change a person makes."""
    from cases.models import Case, CaseStatus
    from inspection.models import Inspection, InspectionStatus

    team_join(inspection, users)
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.FIELDWORK)
    Case.objects.filter(inspection=inspection).exclude(status=CaseStatus.NOT_STARTED).update(
        status=CaseStatus.IN_PROGRESS
    )
    references = list(
        Case.objects.filter(inspection=inspection)
        .order_by("case_ref")
        .values_list("pk", "case_ref")
    )
    shared: dict[str, list[str]] = {user.username: [] for user in users}
    for number, (pk, reference) in enumerate(references):
        user = users[number % len(users)]
        Case.objects.filter(pk=pk).update(assigned_inspector=user)
        shared[user.username].append(reference)
    return shared


def question_sections(inspection) -> list[str]:
    """The sections of questions (not the item grids) that ask something of most cases."""
    from judgements.scoring import scoring_sheet

    case = inspection.cases.order_by("case_ref").first()
    return [section.slug for section in scoring_sheet(case).sections if not section.is_grid]


def gate_questions(inspection) -> set[int]:
    from judgements.models import Question

    return set(
        Question.objects.filter(framework=inspection.framework, gate_question__isnull=False)
        .values_list("gate_question_id", flat=True)
        .distinct()
    )


def static_files_ready() -> None:
    """With DEBUG off the pages name their CSS and scripts by the manifest's hashed names."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


# --- the server ----------------------------------------------------------------------------


def server_start(args: argparse.Namespace, log) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "inspection.wsgi:application",
        f"--bind=127.0.0.1:{args.port}",
        f"--workers={args.workers}",
        "--preload",
        "--timeout=120",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ, stdout=log, stderr=log)
    return server_ready(args.port, server, log, "gunicorn")


def server_ready(port: int, server: subprocess.Popen, log, name: str) -> subprocess.Popen:
    # Generous: on a shared machine under load, runserver's checks alone can take minutes.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{name} stopped (exit {server.returncode}); see {log.name}")
        try:
            if Browser(port).get(LOGIN).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.25)
    server.terminate()
    sys.exit(f"{name} did not answer {LOGIN} within five minutes; see {log.name}")


# --- a browser, as far as these pages need one ---------------------------------------------


@dataclass
class Response:
    status: int
    body: str
    location: str
    seconds: float


class Browser:
    """One person's browser: its own connection (gunicorn's sync workers close it after each
    response, so http.client opens another), its own cookies. Cookies are kept by hand: the
    app marks them Secure with DEBUG off, which a cookie jar would not send over plain HTTP on
    loopback, where a browser would (a loopback origin counts as secure)."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Response:
        return self.send("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Response:
        form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", "")} | form
        return self.send("POST", path, urlencode(form))

    def send(self, method: str, path: str, body: str | None = None) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            reply = self.connection.getresponse()
            content = reply.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            raise
        seconds = time.perf_counter() - started
        for cookie in reply.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return Response(reply.status, content.decode(), reply.headers.get("Location", ""), seconds)

    def sign_in(self, username: str) -> None:
        self.get(LOGIN)
        signed = self.post(LOGIN, {"username": username, "password": PASSWORD})
        if signed.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in (HTTP {signed.status})")


# A section page's answer slots, as its form carries them (templates/judgements/includes/
# question.html): the slot's box (hidden while its gate is shut), radios, note, version.
SLOT = re.compile(r'<div class="app-slot[^"]*" id="slot-(\d+-\d+)" data-slot="\1"([^>]*)>')
RADIO = r'name="a-{key}" type="radio" value="([^"]+)"( checked)?'
NOTE = r'<textarea[^>]*name="n-{key}"[^>]*>(.*?)</textarea>'
VERSION = r'name="v-{key}" value="(\d+)"'


@dataclass
class Slot:
    key: str
    is_open: bool
    choices: list[str]
    value: str
    note: str
    version: str

    @property
    def question_id(self) -> int:
        return int(self.key.split("-")[0])


def slots_on(page: str) -> list[Slot]:
    slots = []
    for match in SLOT.finditer(page):
        key = match.group(1)
        radios = re.findall(RADIO.format(key=re.escape(key)), page)
        if not radios:
            continue  # a number or text answer: the simulated inspectors answer radios
        note = re.search(NOTE.format(key=re.escape(key)), page, re.S)
        version = re.search(VERSION.format(key=re.escape(key)), page)
        slots.append(
            Slot(
                key=key,
                is_open=" hidden" not in match.group(2),
                choices=[value for value, _ in radios],
                value=next((value for value, checked in radios if checked), ""),
                note=html.unescape(note.group(1)) if note else "",
                version=version.group(1) if version else "0",
            )
        )
    return slots


def error_detail(body: str) -> str:
    """An error response in a line: its error summary, else its title (where Django's debug
    page names the exception), else its start."""
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', body, re.S) or re.search(
        r"<title>(.*?)</title>", body, re.S
    )
    return " ".join((found.group(1) if found else body[:200]).split())


# --- one inspector at work -----------------------------------------------------------------


@dataclass
class Tally:
    """What one inspector's thread measured and sent."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # (case reference, slot key) → (value, note) as last sent and acknowledged.
    sent: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def took(self, kind: str, response: Response) -> None:
        self.seconds.setdefault(kind, []).append(response.seconds)


@dataclass
class Inspector:
    username: str
    cases: list[str]
    plan: Plan
    port: int
    steps: int
    rng: random.Random
    tally: Tally = field(default_factory=Tally)

    def work(self, browser: "Browser", ready: threading.Barrier) -> None:
        anonymous = Browser(self.port)
        ready.wait()
        for step in range(self.steps):
            try:
                self.step(browser, anonymous, step)
            except (http.client.HTTPException, OSError, RuntimeError) as error:
                self.tally.errors.append(f"{self.username} step {step}: {error!r}")

    def step(self, browser: Browser, anonymous: Browser, step: int) -> None:
        sections = self.plan.sections
        case_ref = self.cases[(step // len(sections)) % len(self.cases)]
        section = sections[step % len(sections)]
        case_url = f"/inspections/{self.plan.slug}/cases/{case_ref}/"
        self.expect(anonymous.get(LOGIN), "sign-in page", 200)
        page = browser.get(f"{case_url}sections/{section}/")
        if not self.expect(page, "section page", 200):
            return
        slots = slots_on(page.body)
        changeable = [
            slot
            for slot in slots
            if slot.is_open and slot.question_id not in self.plan.gates and len(slot.choices) > 1
        ]
        chosen = self.rng.sample(
            changeable, min(len(changeable), AUTOSAVES_PER_STEP + FORM_SAVES_PER_STEP)
        )
        for slot in chosen[FORM_SAVES_PER_STEP:]:
            self.autosave(browser, case_url, case_ref, slot, step)
        # Posted even when the page has nothing this inspector may change: it is saved as is.
        changed = chosen[:FORM_SAVES_PER_STEP]
        self.save_and_continue(browser, case_url, section, case_ref, slots, changed, step)

    def change(self, slot: Slot, step: int) -> None:
        slot.value = self.rng.choice([choice for choice in slot.choices if choice != slot.value])
        slot.note = f"Benchmark: {self.username}, step {step}, {slot.value}."

    def autosave(self, browser: Browser, case_url: str, case_ref: str, slot: Slot, step: int):
        self.change(slot, step)
        key = slot.key
        form = {"key": key, f"a-{key}": slot.value, f"n-{key}": slot.note, f"v-{key}": slot.version}
        response = browser.post(f"{case_url}answers/", form)
        if not self.expect(response, "autosave", 200) or '"state": "saved"' not in response.body:
            self.tally.errors.append(f"autosave {case_ref} {key}: {error_detail(response.body)}")
            return
        # As the page's script does: the saved version goes in the form for its next save.
        slot.version = re.search(r'"version": (\d+)', response.body).group(1)
        self.tally.sent[(case_ref, key)] = (slot.value, slot.note)

    def save_and_continue(self, browser, case_url, section, case_ref, slots, changed, step):
        for slot in changed:
            self.change(slot, step)
        form = {}
        for slot in slots:  # as a browser sends the form: a radio only if one is chosen
            if slot.value:
                form[f"a-{slot.key}"] = slot.value
            form |= {f"n-{slot.key}": slot.note, f"v-{slot.key}": slot.version}
        response = browser.post(f"{case_url}sections/{section}/", form)
        if not self.expect(response, "save and continue", 302):
            detail = error_detail(response.body)
            self.tally.errors.append(f"save {case_ref} {section}: {detail}")
            return
        for slot in changed:
            self.tally.sent[(case_ref, slot.key)] = (slot.value, slot.note)

    def expect(self, response: Response, kind: str, status: int) -> bool:
        self.tally.took(kind, response)
        if response.status != status:
            self.tally.errors.append(f"{kind}: HTTP {response.status}, expected {status}")
            return False
        return True


def load_run(args: argparse.Namespace, plan: Plan) -> tuple[list[Inspector], float]:
    steps = max(1, args.requests // (args.inspectors * REQUESTS_PER_STEP))
    inspectors = [
        Inspector(
            username=username,
            cases=cases,
            plan=plan,
            port=args.port,
            steps=steps,
            rng=random.Random(f"{args.seed}-{username}"),
        )
        for username, cases in plan.cases.items()
    ]
    browsers = []
    for person in inspectors:  # one after another, before the clock: each costs a hash
        browsers.append(Browser(args.port))
        browsers[-1].sign_in(person.username)
    ready = threading.Barrier(len(inspectors) + 1)
    threads = [
        threading.Thread(target=person.work, args=(browser, ready))
        for person, browser in zip(inspectors, browsers, strict=True)
    ]
    for thread in threads:
        thread.start()
    ready.wait()  # every inspector is signed in and ready: the clock starts
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return inspectors, time.perf_counter() - started


def stored_check(plan: Plan, sent: dict[tuple[str, str], tuple[str, str]]) -> tuple[int, list]:
    """How many of the answers sent are stored as last sent, and the first few that are not."""
    from judgements.models import Answer

    stored = {
        (case_ref, f"{question_id}-{item_id or 0}"): (value, note)
        for case_ref, question_id, item_id, value, note in Answer.objects.filter(
            case__inspection__slug=plan.slug
        ).values_list("case__case_ref", "question_id", "item_id", "value", "note")
    }
    wrong = [key for key, answer in sent.items() if stored.get(key) != answer]
    return len(sent) - len(wrong), wrong[:5]


# --- one request at a time -----------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    browser: Browser
    path: str
    # Before the request, untimed: for the case list, a change to the inspection's data, as
    # every save makes, so its progress is counted afresh rather than read from the cache.
    before: Callable[[], None] | None = None

    def fetch(self) -> float:
        if self.before:
            self.before()
        response = self.browser.get(self.path)
        if response.status != 200:
            raise RuntimeError(f"GET {self.path}: HTTP {response.status}")
        return response.seconds


def answer_saved(slug: str) -> Callable[[], None]:
    """A save, as an inspector's makes it: one answer of one case changed through the answer
    service (RR-A1, which opens no other question, between yes and no), so the case list
    after it finds one case's answers moved and the inspection's data revision with them."""
    from cases.models import Case
    from judgements.models import Answer, Question
    from judgements.services import AnswerSlot, answer_record

    case = Case.objects.filter(inspection__slug=slug).order_by("case_ref").first()
    question = Question.objects.get(framework_id=case.inspection.framework_id, code="RR-A1")

    def save() -> None:
        stored = Answer.objects.filter(case=case, question=question, item=None).first()
        value = "no" if stored is not None and stored.value == "yes" else "yes"
        answer_record(slot=AnswerSlot(case, question, None), value=value, note="Benchmark save.")

    return save


def quiet_pages(args: argparse.Namespace, plan: Plan) -> dict[str, Page]:
    username, cases = next(iter(plan.cases.items()))
    inspector, anonymous = Browser(args.port), Browser(args.port)
    inspector.sign_in(username)
    case_url = f"/inspections/{plan.slug}/cases/{cases[0]}/"
    fieldwork_list = f"/inspections/{plan.slug}/cases/"
    complete_list = f"/inspections/{plan.complete_slug}/cases/"
    pages = [
        Page("signin", "sign-in page (the floor)", anonymous, LOGIN),
        Page("section", "section page", inspector, f"{case_url}sections/rr-assessment/"),
        Page("grid", "section page, factor grid", inspector, f"{case_url}sections/{plan.grid}/"),
        Page("list", "case list, after a save", inspector, fieldwork_list, answer_saved(plan.slug)),
        # Nothing writes to the fully answered inspection: the list between writes (each
        # case's kept progress read with it, as after a save; judgements.models.KeptProgress).
        Page("list_cached", "case list, all answered, no write", inspector, complete_list),
    ]
    return {page.name: page for page in pages}


def time_pages(pages: dict[str, Page], runs: int) -> dict[str, Timing]:
    """Every page once a run, the order reversed every other run (benchmarks/exports.py's
    time_interleaved), each timed from its request sent to its last byte read."""
    samples: dict[str, list[float]] = {name: [] for name in pages}
    names = list(pages)
    for run in range(runs):
        for name in names if run % 2 == 0 else reversed(names):
            samples[name].append(pages[name].fetch())
    return {name: Timing(values) for name, values in samples.items()}


# --- the report ----------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def print_quiet(by_name: dict[str, Page], timed: dict[str, Timing]) -> None:
    runs = len(next(iter(timed.values())).samples)
    print()
    print(f"One request at a time: median of {runs} interleaved runs after warm-ups, ms [min–max].")
    for name, timing in timed.items():
        spread = f"[{min(timing.samples) * 1000:.1f}–{max(timing.samples) * 1000:.1f}]"
        print(f"  {by_name[name].label:<38}{timing.median * 1000:>8.1f}  {spread}")
    print()
    for name, target in (
        ("section", SECTION_TARGET),
        ("grid", SECTION_TARGET),
        ("list", LIST_TARGET),
        ("list_cached", LIST_TARGET),
    ):
        ratio, paired = ratio_of_medians(timed, name, "signin")
        print(
            f"{verdict(ratio <= target)}  {by_name[name].label} {ratio:.2f}× the sign-in page "
            f"(target ≤ {target}×; run by run median {paired:.2f}×)"
        )


def print_load(inspectors: list[Inspector], seconds: float, plan: Plan, server: str) -> None:
    seconds_by_kind: dict[str, list[float]] = {}
    errors: list[str] = []
    sent: dict = {}
    for person in inspectors:
        for kind, samples in person.tally.seconds.items():
            seconds_by_kind.setdefault(kind, []).extend(samples)
        errors += person.tally.errors
        sent |= person.tally.sent
    requests = sum(len(samples) for samples in seconds_by_kind.values())
    print()
    print(
        f"Under load: {len(inspectors)} inspectors at once, {server}, "
        f"{requests:,} requests (their sign-ins apart) in {seconds:.1f} s: "
        f"{requests / seconds:.1f} requests per second."
    )
    print(f"  {'request':<38}{'count':>6}{'median':>9}{'95th':>9}  ms")
    for kind in ("sign-in page", "section page", "autosave", "save and continue"):
        samples = seconds_by_kind.get(kind, [])
        if samples:
            print(
                f"  {kind:<38}{len(samples):>6}{statistics.median(samples) * 1000:>9.1f}"
                f"{percentile(samples, 0.95) * 1000:>9.1f}"
            )
    print()
    print(f"{verdict(not errors)}  errors: {len(errors)}")
    refused = Counter(error.partition(", expected")[0] for error in errors if ": HTTP " in error)
    if refused:
        print(f"      {', '.join(f'{kind} × {count}' for kind, count in refused.most_common())}")
    for error in errors[:5]:
        print(f"      {error}")
    stored, wrong = stored_check(plan, sent)
    print(f"{verdict(stored == len(sent))}  answers stored as sent: {stored:,} of {len(sent):,}")
    for key in wrong:
        print(f"      not as sent: {key}")
    floor = statistics.median(seconds_by_kind.get("sign-in page", [0.0])) or float("nan")
    section = statistics.median(seconds_by_kind.get("section page", [0.0]))
    print(
        f"      under load, the section page's median is {section / floor:.2f}× the sign-in "
        "page's (the same requests' queueing in both)"
    )


def report(args: argparse.Namespace) -> None:
    database_ready()
    plan = data_ready(args)
    static_files_ready()
    print(
        f"Fieldwork inspection {plan.slug}: {sum(map(len, plan.cases.values()))} cases shared "
        f"among {len(plan.cases)} inspectors; {len(plan.sections)} sections of questions; "
        f"case list also at {plan.complete_slug}."
    )
    # Kept after the run, for the traceback of any error the figures count.
    with tempfile.NamedTemporaryFile(
        "w", prefix="qi-scoring-gunicorn-", suffix=".log", delete=False
    ) as log:
        print(f"gunicorn's log: {log.name}")
        server = server_start(args, log)
        try:
            by_name = quiet_pages(args, plan)
            for _warm_up in range(2 * args.workers):  # each worker's first of each kind
                for page in by_name.values():
                    page.fetch()
            timed = time_pages(by_name, args.runs)
            print_quiet(by_name, timed)
            inspectors, seconds = load_run(args, plan)
            print_load(inspectors, seconds, plan, f"gunicorn {args.workers} sync workers")
        finally:
            server.terminate()
            server.wait(timeout=30)


# --- the embedded database: make run's own server on SQLite ----------------------------------

# The demo inspection with cases enough for every simulated inspector to have their own.
SQLITE_DEMO_SLUG = "durham-2016"


def sqlite_files(database: Path) -> list[Path]:
    """The database and what SQLite keeps beside it (the write-ahead log, the rollback journal)."""
    return [
        database,
        *(database.with_name(database.name + end) for end in ("-wal", "-shm", "-journal")),
    ]


def sqlite_demo_ready(database: Path, rebuild: bool) -> None:
    """Migrated and loaded with the demo as `make demo` does, once; reused after that, with
    the answers as the last run's inspectors left them."""
    if rebuild:
        for path in sqlite_files(database):
            path.unlink(missing_ok=True)
    if database.exists():
        print(f"Database: reusing {database}.")
        return
    started = time.perf_counter()
    for command in (["migrate", "--noinput"], ["load_demo"]):
        made = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=os.environ,
            capture_output=True,
            text=True,
        )
        if made.returncode:
            for path in sqlite_files(database):
                path.unlink(missing_ok=True)
            sys.exit(f"manage.py {' '.join(command)} failed:\n{made.stderr}")
    print(
        f"Database: {database}, migrated and the demo loaded in "
        f"{time.perf_counter() - started:.0f} s."
    )


def sqlite_plan(args: argparse.Namespace) -> Plan:
    """The Durham demo put in fieldwork, its cases shared among the simulated inspectors, as
    the PostgreSQL run's data set is (fieldwork_ready)."""
    from inspection.models import Inspection

    inspection = Inspection.objects.select_related("framework").get(slug=SQLITE_DEMO_SLUG)
    if inspection.cases.count() < args.inspectors:
        sys.exit(f"{SQLITE_DEMO_SLUG} has fewer cases than {args.inspectors} inspectors.")
    return Plan(
        slug=inspection.slug,
        complete_slug="",
        cases=fieldwork_ready(inspection, inspectors_ready(args.inspectors)),
        sections=question_sections(inspection),
        grid="rr-priority-factors",
        gates=gate_questions(inspection),
    )


def sqlite_environment_print(database: Path) -> None:
    """What the figures were measured on, the database's settings among them."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, SQLite "
        f"{sqlite3.sqlite_version} ({database}), {os.cpu_count()} CPUs, {platform.machine()}"
    )
    database = settings.DATABASES["default"]
    print(
        f"DEBUG={settings.DEBUG}; ENGINE {database['ENGINE']}; journal mode {journal_mode}; "
        f"OPTIONS {database.get('OPTIONS') or 'none'}; load {load}"
    )


def sqlite_report(args: argparse.Namespace) -> None:
    database = args.sqlite_file.resolve()
    # As `make run` serves: DEBUG on (`make serve` says so), the database a file.
    os.environ.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="inspection.settings",
    )
    sqlite_demo_ready(database, args.rebuild)
    django.setup()
    from django.db import connection

    plan = sqlite_plan(args)
    sqlite_environment_print(database)
    print(
        f"Fieldwork inspection {plan.slug}: {sum(map(len, plan.cases.values()))} cases shared "
        f"among {len(plan.cases)} inspectors; {len(plan.sections)} sections of questions."
    )
    connection.close()
    with tempfile.NamedTemporaryFile(
        "w", prefix="qi-scoring-make-serve-", suffix=".log", delete=False
    ) as log:
        print(f"make serve's log: {log.name}")
        # The web server and the report worker beside it, in a process group of their own, so
        # that stopping the group stops both and runserver's reloader.
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={args.port}"],
            cwd=ROOT,
            env=os.environ,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        try:
            server_ready(args.port, server, log, "make serve")
            inspectors, seconds = load_run(args, plan)
            print_load(inspectors, seconds, plan, "make serve (runserver, a thread a request)")
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def main() -> None:
    args = parse_args()
    if args.database == "sqlite":
        sqlite_report(args)
        return
    environment_set()
    django_start()
    report(args)


if __name__ == "__main__":
    main()
