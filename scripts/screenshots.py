"""Screenshots of the main pages as a demo user, for looking at the product as users do.

Usage: .venv/bin/python scripts/screenshots.py [username] [outdir]   (with `make run` serving;
SCREENSHOTS_BASE=http://127.0.0.1:PORT for a server elsewhere)
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser.chromium import launch

BASE = os.environ.get("SCREENSHOTS_BASE", "http://127.0.0.1:8000")
PAGES = {
    "my-inspections": "/inspections/",
    "overview": "/inspections/durham-2016/",
    "cases": "/inspections/durham-2016/cases/",
    "cases-filtered": "/inspections/durham-2016/cases/?organisation=NPS",
    "case": "/inspections/durham-2016/cases/DUR-CRC-01/",
    "sample-profile": "/inspections/durham-2016/sample-profile/",
    "enablers-barriers": "/inspections/durham-2016/enablers-and-barriers/",
    "recommendations": "/inspections/durham-2016/recommendations/",
}


def main(username: str = "inspector1", outdir: str = "artifacts/screenshots") -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{BASE}/accounts/login/")
        page.screenshot(path=out / "login.png", full_page=True)
        page.fill("#id_username", username)
        page.fill("#id_password", "durham-demo-2016")
        page.click("button[name=submit]")
        for name, path in PAGES.items():
            page.goto(BASE + path)
            page.screenshot(path=out / f"{username}-{name}.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
