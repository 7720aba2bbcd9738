"""The report PDF's exports and published versions: every write to ReportExport and
PublishedReport goes through here.

An export is queued by the editor and rendered by the worker (reports/export/tasks.py calls
`report_export_run`). A worker that dies mid-render leaves its export "rendering"; every read
of the exports first calls `report_exports_expire`, which marks such an export failed once
REPORT_EXPORT_TIMEOUT_SECONDS have passed, so the editor never watches a job that will never end.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from inspection.lib.text import refuse_text
from inspection.models import Inspection, InspectionStatus
from inspection.permissions import may_publish
from inspection.services import inspection_status_change
from inspection.writing import inspection_writing
from reports.charts.figures import ChartFigures, charts_needing_confirmation
from reports.document.compose import Document, build_document
from reports.export.models import ExportStatus, PublishedReport, ReportExport
from reports.export.pdf import render_report_pdf

# Who may export and publish the report: the team roles that may move an inspection from
# drafting to published (inspection/services.py STATUS_MOVES).

# What the published version's note column holds.
PUBLISH_NOTE_MAX_CHARS = PublishedReport._meta.get_field("note").max_length

STOPPED = "The worker stopped before the PDF was finished (it was restarted or it failed)."
NOT_STARTED = "No worker picked the export up in time: is `manage.py db_worker` running?"


def _checksum(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


@transaction.atomic
def report_export_request(*, inspection: Inspection, by) -> ReportExport:
    """Queue a PDF export of the report as it is now; the worker renders it."""
    from reports.export.tasks import render_report_export

    export = ReportExport.objects.create(
        inspection=inspection,
        requested_by=by,
        data_revision=Inspection.objects.get(pk=inspection.pk).data_revision,
    )
    # With the database backend the worker sees the job once this transaction commits; with
    # the immediate backend (tests, TASKS_BACKEND=immediate) it is rendered here and now.
    render_report_export.enqueue(export.pk)
    export.refresh_from_db()
    return export


def report_export_run(export_id: int) -> None:
    """Render one queued export (the worker's job). A failure is recorded on the export with
    its reason rather than raised, so the editor reads why."""
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != ExportStatus.QUEUED:
            return  # already taken, or marked failed by the timeout
        export.status = ExportStatus.RENDERING
        export.started_at = timezone.now()
        export.save(update_fields=["status", "started_at"])
    try:
        result = render_report_pdf(export.inspection)
    except Exception as error:  # any failure is the editor's to read, not a crash
        _finish(export_id, status=ExportStatus.FAILED, reason=f"{type(error).__name__}: {error}")
        return
    _finish(
        export_id,
        status=ExportStatus.DONE,
        pdf=result.pdf,
        checksum=_checksum(result.pdf),
        pages=result.pages,
        refused_urls=result.refused_urls,
    )


def _finish(export_id: int, **fields) -> None:
    """Record the outcome unless the timeout already called the export failed: a worker that
    comes back after that does not undo what the editor was told."""
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().get(pk=export_id)
        if export.status != ExportStatus.RENDERING:
            return
        for name, value in fields.items():
            setattr(export, name, value)
        export.finished_at = timezone.now()
        export.save()


def report_exports_expire(inspection: Inspection) -> int:
    """Mark failed every export of the inspection whose job has run (or waited) past the
    timeout. Returns how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.REPORT_EXPORT_TIMEOUT_SECONDS)
    expired = 0
    for status, started, reason in [
        (ExportStatus.RENDERING, "started_at__lt", STOPPED),
        (ExportStatus.QUEUED, "requested_at__lt", NOT_STARTED),
    ]:
        with transaction.atomic():
            stale = ReportExport.objects.select_for_update().filter(
                inspection=inspection, status=status, **{started: cutoff}
            )
            for export in stale:
                export.status = ExportStatus.FAILED
                export.reason = reason
                export.finished_at = timezone.now()
                export.save()
                expired += 1
    return expired


def report_exports(inspection: Inspection) -> QuerySet[ReportExport]:
    """The inspection's exports, newest first, with none left "rendering" past the timeout.
    The PDF bytes are not loaded: a list never needs them."""
    report_exports_expire(inspection)
    return ReportExport.objects.filter(inspection=inspection).defer("pdf")


def refuse_unsettled_figures(document: Document, charts: list[ChartFigures]) -> None:
    """The report goes out only when its live figures are settled: none names nothing (it
    would print as typed), none has changed since the editor confirmed its part, and, where
    the report prints the charts, no chart's bar has (`charts`: those needing confirmation)."""
    problems = []
    if errors := document.errors():
        problems.append(f"{len(errors)} placeholders name no figure (first: {errors[0]}).")
    if flagged := document.flagged():
        problems.append(
            f"{len(flagged)} parts hold figures changed since they were confirmed (first: "
            f"{flagged[0].location}). Confirm them on the report's figures page."
        )
    if charts and any(node.charts for node in document.walk()):
        names = ", ".join(figures.heading for figures in charts)
        one = len(charts) == 1
        counted = "1 chart shows" if one else f"{len(charts)} charts show"
        problems.append(
            f"{counted} figures changed since they were confirmed ({names}). Confirm "
            f"{'it' if one else 'them'} on the charts page."
        )
    if problems:
        raise ValidationError(problems)


def report_publish(
    *, inspection: Inspection, export: ReportExport, by, note: str = ""
) -> PublishedReport:
    """Publish the PDF of a finished export as the report's next version.

    The first version moves the inspection to published through the status service (which
    checks the move and who makes it, and freezes the inspection). The export must show the
    data as it is now (same data revision), so what goes out is what the app holds.

    A published inspection's data cannot change (the freeze; published is final in
    STATUS_MOVES), so a later version re-publishes the same data, as rendered now: a
    correction of the typesetting or of the rendering, with a note saying what it corrects.
    Every earlier version is kept.
    """
    with inspection_writing(inspection.pk, refuse_published=False) as write:
        current = write.inspection
        if by is not None and not may_publish(by, current):
            raise ValidationError("Only the lead inspector or the editor may publish the report.")
        if export.inspection_id != current.pk or export.status != ExportStatus.DONE:
            raise ValidationError("Only a finished export of this inspection's report can go out.")
        if export.data_revision != current.data_revision:
            raise ValidationError(
                "The report's data changed after this PDF was made: export it again and publish "
                "the new PDF."
            )
        if export.refused_urls:
            raise ValidationError(
                f"This PDF left out {len(export.refused_urls)} image(s) or stylesheet(s) it may "
                f"not fetch (first: {export.refused_urls[0]}): take them out of the report and "
                "export it again."
            )
        refuse_unsettled_figures(build_document(current), charts_needing_confirmation(current))
        previous = PublishedReport.objects.filter(inspection=current).aggregate(last=Max("version"))
        version = (previous["last"] or 0) + 1
        note = note.strip()
        refuse_text("note", note, what="the note", max_chars=PUBLISH_NOTE_MAX_CHARS)
        if version > 1 and not note:
            raise ValidationError({"note": "Say what this version corrects."}, code="required")
        if current.status != InspectionStatus.PUBLISHED:
            inspection_status_change(
                inspection=current, to_status=InspectionStatus.PUBLISHED, by=by
            )
        published = PublishedReport(
            inspection=current,
            version=version,
            published_by=by,
            export=export,
            note=note,
            pdf=bytes(export.pdf),
            checksum=export.checksum,
            pages=export.pages,
        )
        published._history_user = by
        published.save()
    return published
