"""The process rendering a PDF export beats while it renders; an export whose beats stop (the
process killed, restarted, out of memory) is shown failed within a minute, not "Rendering"
for ten (issue 16), and the editor may export again. One export of a report runs at a time."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.export.services import (
    NOT_STARTED,
    STOPPED,
    TOO_LONG,
    UNDER_WAY,
    heartbeat,
    report_export_run,
)
from reports.models import ExportStatus, ReportExport

pytestmark = pytest.mark.django_db


def ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def rendering(inspection, *, started: float, beat: float | None) -> ReportExport:
    """An export a worker took `started` seconds ago and last beat for `beat` seconds ago."""
    return ReportExport.objects.create(
        inspection=inspection,
        status=ExportStatus.RENDERING,
        started_at=ago(started),
        heartbeat_at=None if beat is None else ago(beat),
    )


def export_page(client, inspection) -> str:
    return client.get(reverse("report-export", args=[inspection.slug])).text


def test_an_export_whose_process_stopped_beating_is_failed_and_the_editor_exports_again(
    drafting, editor, client, settings
):
    dead = rendering(drafting, started=90, beat=settings.REPORT_EXPORT_DEAD_AFTER_SECONDS + 1)
    client.force_login(editor)

    page = export_page(client, drafting)

    dead.refresh_from_db()
    assert (dead.status, dead.reason) == (ExportStatus.FAILED, STOPPED)
    assert "Failed" in page and "The export stopped: the process making it ended." in page
    assert "Check progress" not in page and "data-refresh-seconds" not in page
    assert "Export PDF</button>" in page
    client.post(reverse("report-export-start", args=[drafting.slug]))
    newest = ReportExport.objects.filter(inspection=drafting).first()
    assert newest != dead and newest.status == ExportStatus.QUEUED


def test_a_live_export_keeps_rendering_and_a_second_export_is_refused(
    drafting, editor, client, settings
):
    """Beating 30 seconds ago, rendering for five minutes: a long render is not a dead one."""
    live = rendering(drafting, started=300, beat=30)
    client.force_login(editor)

    page = export_page(client, drafting)

    live.refresh_from_db()
    assert (live.status, live.reason) == (ExportStatus.RENDERING, "")
    assert "Rendering" in page and "Check progress" in page
    assert "Export PDF</button>" not in page and "A PDF is being made." in page
    refused = client.post(reverse("report-export-start", args=[drafting.slug]), follow=True)
    assert UNDER_WAY.split(":")[0] in refused.text
    assert list(ReportExport.objects.filter(inspection=drafting)) == [live]


def test_an_export_waiting_for_a_worker_is_refused_a_second_too(drafting, editor, client):
    waiting = ReportExport.objects.create(inspection=drafting)
    client.force_login(editor)
    client.post(reverse("report-export-start", args=[drafting.slug]))
    assert list(ReportExport.objects.filter(inspection=drafting)) == [waiting]


def test_a_job_past_the_timeout_is_failed_whether_or_not_it_beats(
    drafting, editor, client, settings
):
    timeout = settings.REPORT_EXPORT_TIMEOUT_SECONDS
    too_long = rendering(drafting, started=timeout + 1, beat=5)
    never_taken = ReportExport.objects.create(inspection=drafting)
    ReportExport.objects.filter(pk=never_taken.pk).update(requested_at=ago(timeout + 1))
    # Taken before the heartbeat was kept: its start stands for its last beat.
    unbeaten = rendering(drafting, started=settings.REPORT_EXPORT_DEAD_AFTER_SECONDS + 1, beat=None)

    client.force_login(editor)
    export_page(client, drafting)

    statuses = {e.pk: (e.status, e.reason) for e in ReportExport.objects.all()}
    assert statuses[too_long.pk] == (ExportStatus.FAILED, TOO_LONG)
    assert statuses[never_taken.pk] == (ExportStatus.FAILED, NOT_STARTED)
    assert statuses[unbeaten.pk] == (ExportStatus.FAILED, STOPPED)
    # A worker that comes back after that does not undo "failed".
    report_export_run(never_taken.pk)
    assert ReportExport.objects.get(pk=never_taken.pk).status == ExportStatus.FAILED


def _beat_seen(export: ReportExport, since, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.heartbeat_at > since:
            return True
        time.sleep(0.02)
    return False


@pytest.mark.usefixtures("database_for_threads")
def test_the_heartbeat_beats_from_its_own_thread_while_the_block_runs_and_stops_after(
    inspection, settings
):
    settings.REPORT_EXPORT_HEARTBEAT_SECONDS = 0.05
    export = rendering(inspection, started=120, beat=120)
    started = export.heartbeat_at

    with heartbeat(export.pk):
        assert _beat_seen(export, started)
    ended = ReportExport.objects.get(pk=export.pk).heartbeat_at
    time.sleep(0.3)
    assert ReportExport.objects.get(pk=export.pk).heartbeat_at == ended


@pytest.mark.usefixtures("database_for_threads")
def test_the_worker_beats_while_it_renders_the_pdf(inspection, settings):
    """The worker's own job, outside any transaction as `db_worker` runs it: the report of
    one case takes WeasyPrint long enough for beats a hundredth of a second apart."""
    settings.REPORT_EXPORT_HEARTBEAT_SECONDS = 0.01
    export = ReportExport.objects.create(inspection=inspection)

    report_export_run(export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.heartbeat_at > export.started_at
