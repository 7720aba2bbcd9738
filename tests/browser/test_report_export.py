"""The Durham editor adds a sentence with a live figure to the overall judgements, reads it in
the report preview, exports the PDF through the background job, watches the page follow the
job (its status changes in place) until it is done, and downloads the PDF."""

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from fixtures.durham_2016 import DEMO_PASSWORD
from fixtures.durham_2016_document_loader import load_durham_document
from reports.models import PartKind, ReportPart
from tests.browser.scoring_steps import DATABASE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SENTENCE = "In all, [[sample cases]] cases were inspected, [[sample CRC]] of them the CRC's."
PRINTED = "In all, 47 cases were inspected, 31 of them the CRC's."


@pytest.fixture
def durham(demo_loader):
    inspection = demo_loader()
    if not ReportPart.objects.filter(inspection=inspection).exists():
        load_durham_document(inspection)
    return inspection


def run_worker() -> None:
    """The worker `make run` starts, run once over the queue: every job, then stop. On SQLite
    the worker shares the live server's one in-memory database, so it runs while no request is
    being served (the page polls the job's status): under the lock the server takes for each
    request (served_one_at_a_time); otherwise its exclusive transaction found a table locked."""
    with DATABASE:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO()
        )


def test_editor_previews_a_live_figure_exports_the_pdf_and_downloads_it(
    durham, served_one_at_a_time, page, axe_violations
):
    live_server = served_one_at_a_time
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My inspections").wait_for()

    judgements = ReportPart.objects.get(inspection=durham, kind=PartKind.OVERALL_JUDGEMENTS)
    page.goto(f"{live_server.url}/inspections/{durham.slug}/report/parts/{judgements.pk}/")
    text = page.get_by_label("Text")
    text.fill(f"{text.input_value()}\n\n{SENTENCE}")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="1 Overall judgements", exact=True).wait_for()

    page.goto(f"{live_server.url}/inspections/{durham.slug}/")
    page.get_by_role("link", name="Report preview").click()
    page.get_by_role("heading", name="1 Overall judgements").wait_for()
    assert PRINTED in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Appendix 4: Data analysis from inspected cases")
    assert page.get_by_role("img", name=re.compile("^Chart 1: ")).count() == 1
    assert axe_violations(page) == []

    page.get_by_role("link", name="Export the PDF").click()
    page.get_by_role("button", name="Export PDF").click()
    status = page.locator("#export-status")
    assert status.inner_text().startswith("Queued")
    assert axe_violations(page) == []

    run_worker()
    # The page follows the job by itself: no reload here.
    page.locator("#export-status", has_text="Done").wait_for(timeout=15_000)
    # Every signed-in page also has the (empty) live region of changes kept in this browser.
    announcement = page.get_by_role("status").filter(has_text="PDF export")
    assert announcement.inner_text() == "PDF export: Done"
    # Durham is in analysis: its report is published from drafting.
    assert "its report is published from drafting" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = PdfReader(waiting.value.path())
    assert len(pdf.pages) >= 40
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages[:8]).split())
    assert PRINTED in text
