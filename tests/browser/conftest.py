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
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]

    return run


@pytest.fixture
def demo_loader(settings):
    """Load the Durham demo, and serve it, as `make run` does (DEBUG on); pass
    "--without-answers" for the bare sample."""
    settings.DEBUG = True
    return load_demo
