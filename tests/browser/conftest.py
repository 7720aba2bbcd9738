"""Playwright driving the system Chromium against Django's live server.

Playwright cannot download its own browsers here, so it drives /usr/bin/chromium. Without
Chromium these tests skip with a reason, unless REQUIRE_BROWSER=1 (as CI sets), where they fail.
"""

import os
from pathlib import Path

import pytest

from tests.browser.chromium import CHROMIUM, launch
from tests.helpers import load_demo

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return f"axe-core is not installed at {AXE} (npm ci)"
    return None


@pytest.fixture(scope="session")
def browser(django_db_setup):
    reason = _missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
    # still synchronous, so Django's guard against ORM use inside a loop does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core on the page and return its violations (WCAG 2.2 AA and best practice)."""
    source = AXE.read_text(encoding="utf-8")

    def run(page) -> list[dict]:
        # Evaluated by the browser's DevTools, not injected as an inline <script>, which the
        # site's Content Security Policy (rightly) refuses.
        page.evaluate(source)
        # Only the violations, boiled down in the browser: axe's whole result (every rule
        # passed, with its nodes' HTML) runs to megabytes on a findings page, and reading it
        # through Playwright's protocol took longer than axe's own run.
        return page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {
                    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
                });
                return result.violations.map((v) => (
                    {id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target)}
                ));
            }""",
            AXE_TAGS,
        )

    return run


@pytest.fixture
def demo_loader(settings):
    """Load the Durham demo, and serve it, as `make run` does (DEBUG on); pass
    "--without-answers" for the bare sample."""
    settings.DEBUG = True
    return load_demo


# Scoring a case (tests/browser/test_scoring_*.py): the personas of tests/conftest.py in a
# fieldwork inspection, each signed in in a browser context of their own.


@pytest.fixture
def qi_framework(transactional_db):
    """The Q&I 2016 framework, loaded again when an earlier transactional test flushed the
    database (and with it the data migration's copy), as the demo loader does."""
    from judgements.framework_loader import load_framework, read_framework_file
    from judgements.models import Framework

    return Framework.objects.filter(code="qi-2016").first() or load_framework(
        read_framework_file("qi-2016")
    )


@pytest.fixture
def inspection(qi_framework, inspection):
    """Northshire (tests/conftest.py), built after its framework is back in the database."""
    return inspection


@pytest.fixture
def served_one_at_a_time(live_server):
    """On SQLite the live server's threads share the test's one in-memory connection, which
    cannot run two requests at once; a page that autosaves sends several. There, requests are
    served one at a time, under the lock the tests' own reads of the database take too
    (scoring_steps.DATABASE). PostgreSQL gives each thread its own connection: nothing changes.
    """
    from django.conf import settings
    from django.db import connection

    from tests.browser.scoring_steps import DATABASE

    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if connection.vendor != "sqlite" or getattr(app, "one_at_a_time", False):
        return live_server

    def one_at_a_time(environ, start_response):
        if environ["PATH_INFO"].startswith(settings.STATIC_URL):
            return app(environ, start_response)  # a file, served without the database
        with DATABASE:
            response = app(environ, start_response)
            try:
                return list(response)
            finally:
                getattr(response, "close", lambda: None)()

    one_at_a_time.one_at_a_time = True
    httpd.set_app(one_at_a_time)
    return live_server


@pytest.fixture
def sign_in(browser, served_one_at_a_time):
    """Sign a persona in, in a new browser context of their own (their own cookies and
    localStorage, as on their own laptop), and return its page at My inspections. Options:
    javascript=False, width (the viewport's, 1280 by default)."""
    from tests.browser.scoring_steps import signed_in

    contexts = []

    def sign(username: str, *, javascript: bool = True, width: int = 1280):
        context = browser.new_context(
            base_url=served_one_at_a_time.url,
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
        )
        contexts.append(context)
        return signed_in(context.new_page(), username)

    yield sign
    for context in contexts:
        context.close()


@pytest.fixture
def part_scored(case, inspector):
    """NS-001 half scored by Ivy through the answer service: a full written court report (so
    C2 is asked) answered, an answer changed (for its history), a priority factor with part of
    its chain, and a review that opens RR-R2 and RR-R3."""
    from judgements.services import case_change
    from tests.helpers import record

    case, _cleared = case_change(case=case, changes={"court_report": "full_written"}, by=inspector)
    record(case, "C2", "yes", note="PSR of 3 March quotes OASys.", user=inspector)
    record(case, "RR-A1", "yes", note="OASys of 4 April.", user=inspector)
    record(case, "RR-A1", "no", note="OASys of 4 April is late.", user=inspector)
    record(case, "RR-A2", "yes", "accommodation", note="Sofa-surfing at sentence.", user=inspector)
    record(case, "RR-P1", "yes", "accommodation", user=inspector)
    record(case, "RR-R1", "yes", user=inspector)
    case.refresh_from_db()
    return case
