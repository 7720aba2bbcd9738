"""The report PDF's exports and published versions: every write to ReportExport and
PublishedReport goes through here.

An export is queued by the editor and rendered by the worker (reports/export/tasks.py calls
`report_export_run`), one at a time for an inspection. While it renders, a thread of the
rendering process beats every REPORT_EXPORT_HEARTBEAT_SECONDS (`heartbeat_at`). A process that
dies mid-render (killed, restarted, out of memory) leaves its export "rendering" and stops
beating: every read of the exports first calls `report_exports_expire`, which marks it failed
once REPORT_EXPORT_DEAD_AFTER_SECONDS pass without a beat, so the editor is told within a
minute and may export again. A job that waits for a worker, or renders, longer than
REPORT_EXPORT_TIMEOUT_SECONDS is failed too.

An export is current while the report prints what it printed: its fingerprint
(reports/export/pdf.py `printed_fingerprint`) against the report's now (`export_is_current`).
"""

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from inspection.lib.text import refuse_text
from inspection.models import Inspection, InspectionStatus
from inspection.permissions import may_publish
from inspection.services import inspection_status_change
from inspection.writing import inspection_writing
from reports.charts.figures import ChartFigures, charts_needing_confirmation
from reports.document.compose import Document, Node, build_document
from reports.document.models import PartKind
from reports.export.models import (
    ACTIVE_STATUSES,
    ExportStatus,
    PublishedReport,
    ReportExport,
)
from reports.export.pdf import document_html, printed_fingerprint, render_report_pdf
from reports.export.version_mark import version_mark

logger = logging.getLogger(__name__)

# Who may export and publish the report: the team roles that may move an inspection from
# drafting to published (inspection/services.py STATUS_MOVES).

# An inspection's report is published from drafting (inspection.services.STATUS_MOVES); once
# published, a correction is published as a new version.
PUBLISHABLE = {InspectionStatus.DRAFTING, InspectionStatus.PUBLISHED}
# What the published version's note column holds.
PUBLISH_NOTE_MAX_CHARS = PublishedReport._meta.get_field("note").max_length

STOPPED = "The export stopped: the process making it ended. Export again."
TOO_LONG = "The export took longer than the time allowed and was given up. Export again."
NOT_STARTED = "No worker picked the export up in time: is `manage.py db_worker` running?"
UNDER_WAY = (
    "A PDF of this report is already being made: wait for it to finish (this page shows when "
    "it has), then export again if you need to."
)


def _checksum(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


@transaction.atomic
def report_export_request(*, inspection: Inspection, by) -> ReportExport:
    """Queue a PDF export of the report as it is now; the worker renders it. Refused while
    another export of the inspection is queued or rendering (with a live heartbeat): the
    editor waits for it, or exports again once it has failed."""
    from reports.export.tasks import render_report_export

    # The inspection's row locked, so two clicks cannot both find no export under way. Not an
    # inspection write: exporting changes nothing of the report, and a published one exports.
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    report_exports_expire(inspection)
    if ReportExport.objects.filter(inspection=inspection, status__in=ACTIVE_STATUSES).exists():
        raise ValidationError(UNDER_WAY, code="under_way")
    export = ReportExport.objects.create(inspection=inspection, requested_by=by)
    # With the database backend the worker sees the job once this transaction commits; with
    # the immediate backend (tests, TASKS_BACKEND=immediate) it is rendered here and now.
    render_report_export.enqueue(export.pk)
    export.refresh_from_db()
    return export


def report_export_beat(export_id: int) -> None:
    """Say that the export is still rendering (the heartbeat's one write)."""
    ReportExport.objects.filter(pk=export_id, status=ExportStatus.RENDERING).update(
        heartbeat_at=timezone.now()
    )


def _beat_until(stopped: threading.Event, export_id: int) -> None:
    try:
        while not stopped.wait(settings.REPORT_EXPORT_HEARTBEAT_SECONDS):
            try:
                report_export_beat(export_id)
            except DatabaseError:
                # A beat held up (the database busy a moment) is not the end of the render:
                # the next one may get through, and three must fail before the export does.
                logger.warning("Heartbeat of PDF export %s not recorded", export_id, exc_info=True)
    finally:
        connection.close()  # this thread's own connection


@contextmanager
def heartbeat(export_id: int) -> Iterator[None]:
    """Beat for the export from a thread of this process while the block runs: when the process
    ends, so do the beats. Inside a transaction (the immediate backend renders within the
    request that queued the export) nobody else sees the export before it is finished, so
    there is nothing to beat for."""
    if connection.in_atomic_block:
        yield
        return
    stopped = threading.Event()
    beats = threading.Thread(
        target=_beat_until, args=(stopped, export_id), name=f"export-{export_id}-heartbeat"
    )
    beats.start()
    try:
        yield
    finally:
        stopped.set()
        beats.join()


def report_export_run(export_id: int) -> None:
    """Render one queued export (the worker's job). A failure is recorded on the export with
    its reason rather than raised, so the editor reads why."""
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != ExportStatus.QUEUED:
            return  # already taken, or marked failed by the timeout
        export.status = ExportStatus.RENDERING
        export.started_at = export.heartbeat_at = timezone.now()
        export.save(update_fields=["status", "started_at", "heartbeat_at"])
    try:
        with heartbeat(export_id):
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
        version=result.version,
        fingerprint=result.fingerprint,
        static_files=result.static_files,
    )


def _finish(export_id: int, **fields) -> None:
    """Record the outcome unless the export was already called failed (its heartbeat late, or
    the timeout): a process that comes back after that does not undo what the editor was
    told."""
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().get(pk=export_id)
        if export.status != ExportStatus.RENDERING:
            return
        for name, value in fields.items():
            setattr(export, name, value)
        export.finished_at = timezone.now()
        export.save()


def _ended(inspection: Inspection) -> list[tuple[Q, str]]:
    """The exports of the inspection to call failed now, each kind with the reason it is told."""
    now = timezone.now()
    timeout = now - timedelta(seconds=settings.REPORT_EXPORT_TIMEOUT_SECONDS)
    silent = now - timedelta(seconds=settings.REPORT_EXPORT_DEAD_AFTER_SECONDS)
    rendering = Q(inspection=inspection, status=ExportStatus.RENDERING)
    return [
        (rendering & Q(started_at__lt=timeout), TOO_LONG),
        # An export rendering since before the heartbeat was kept has no beat: its start counts.
        (
            rendering
            & (Q(heartbeat_at__lt=silent) | Q(heartbeat_at__isnull=True, started_at__lt=silent)),
            STOPPED,
        ),
        (
            Q(inspection=inspection, status=ExportStatus.QUEUED, requested_at__lt=timeout),
            NOT_STARTED,
        ),
    ]


def report_exports_expire(inspection: Inspection) -> int:
    """Mark failed every export of the inspection whose process stopped beating, or whose job
    has run (or waited) past the timeout. Returns how many."""
    expired = 0
    for condition, reason in _ended(inspection):
        with transaction.atomic():
            for export in ReportExport.objects.select_for_update().filter(condition):
                export.status = ExportStatus.FAILED
                export.reason = reason
                export.finished_at = timezone.now()
                export.save()
                expired += 1
    return expired


def report_exports(inspection: Inspection) -> QuerySet[ReportExport]:
    """The inspection's exports, newest first, with none left "rendering" after its process
    ended. The PDF bytes are not loaded: a list never needs them."""
    report_exports_expire(inspection)
    return ReportExport.objects.filter(inspection=inspection).defer("pdf")


def export_is_current(export: ReportExport, document: Document) -> bool:
    """Whether the finished export prints what the report (`document`, built now) would
    print: the fingerprint of its HTML and stylesheet as they are now is the export's. About a
    fiftieth of a second for the Durham report beside the document already built; a write that
    prints nothing (a stage move, a figure confirmed, an evidence note) leaves it current,
    and any change to what prints (a figure, the prose, a chart, a table, the title page, the
    stylesheet) does not."""
    if export.status != ExportStatus.DONE or not export.fingerprint:
        return False
    if export.version is not None and export.version != version_mark(export.inspection).number:
        return False  # another version went out since: this one says the wrong number
    return export.fingerprint == printed_fingerprint(document_html(document), export.static_files)


@dataclass(frozen=True)
class Blocker:
    """A part that keeps the report from going out: `flags`, its figures changed since (or
    never) confirmed, which confirming settles; `errors`, its placeholders that name nothing,
    which only an edit settles."""

    node: Node
    flags: tuple[str, ...]
    errors: tuple[str, ...]


def publish_blockers(document: Document) -> list[Blocker]:
    """Every part whose live figures are not settled, in the report's order: the report goes
    out only when none is left (a placeholder that names nothing would print as typed; a
    figure that moved since the editor confirmed its words may no longer fit them)."""
    unsettled = [node for node in document.walk() if node.flags or node.errors]
    return [Blocker(node, node.flags, node.errors) for node in unsettled]


def charts_to_confirm(inspection: Inspection, document: Document) -> list[ChartFigures]:
    """The charts whose bars moved since they were confirmed, where the report prints the
    charts: they too keep it from going out."""
    if not any(node.kind == PartKind.CHARTS for node in document.walk()):
        return []
    return charts_needing_confirmation(inspection)


def _names(names: list[str], shown: int = 5) -> str:
    more = len(names) - shown
    return "; ".join(names[:shown]) + (f"; and {more} more" if more > 0 else "")


def unsettled_messages(blockers: list[Blocker], charts: list[ChartFigures]) -> list[str]:
    """The refusals naming the parts, and the charts, whose figures are not settled."""
    messages = []
    if count := len(blockers):
        messages.append(
            f"{count} part{'s' if count != 1 else ''} of the report "
            f"{'have' if count != 1 else 'has'} figures to confirm or correct: "
            f"{_names([blocker.node.name for blocker in blockers])}."
        )
    if charts:
        one = len(charts) == 1
        counted = "1 chart shows" if one else f"{len(charts)} charts show"
        messages.append(
            f"{counted} figures changed since they were confirmed "
            f"({', '.join(figures.heading for figures in charts)}). Confirm "
            f"{'it' if one else 'them'} on the charts page."
        )
    return messages


def publish_problems(inspection: Inspection, export: ReportExport, document: Document) -> list[str]:
    """Why this export cannot be published now, beside the figures to settle
    (`publish_blockers`, `charts_to_confirm`), each reason in words; `document` is the report
    as it prints now. The export page offers Publish only when there is none of either;
    `report_publish` refuses with them."""
    problems = []
    if inspection.status not in PUBLISHABLE:
        problems.append(
            f"The inspection is in {inspection.get_status_display().lower()}: its report is "
            "published from drafting."
        )
    if export.inspection_id != inspection.pk or export.status != ExportStatus.DONE:
        return [*problems, "Only a finished export of this inspection's report can go out."]
    if already := PublishedReport.objects.filter(export=export).first():
        return [*problems, f"This PDF is already published, as version {already.version}."]
    previous = PublishedReport.objects.filter(inspection=inspection).aggregate(last=Max("version"))
    version = (previous["last"] or 0) + 1
    if export.version != version:
        said = f"says it is version {export.version}" if export.version else "says no version"
        problems.append(
            f"This PDF {said}, but it would go out as version {version}: export it again."
        )
    elif not export_is_current(export, document):
        problems.append(
            "What the report prints changed after this PDF was made: export it again and "
            "publish the new PDF."
        )
    if export.refused_urls:
        problems.append(
            f"This PDF left out {len(export.refused_urls)} image(s) or stylesheet(s) it may "
            f"not fetch (first: {export.refused_urls[0]}): take them out of the report and "
            "export it again."
        )
    return problems


def report_publish(
    *, inspection: Inspection, export: ReportExport, by, note: str = ""
) -> PublishedReport:
    """Publish the PDF of a finished export as the report's next version.

    The first version moves the inspection to published through the status service (which
    checks the move and who makes it, and freezes the inspection). The export must print what
    the report prints now (`export_is_current`), so what goes out is what the app holds, must
    not have gone out already, and must say it is the version it goes out as
    (reports/export/version_mark.py): two PDFs made of the same data both say the next version,
    and only the first of them published is that one.

    A published inspection's data cannot change (the freeze; published is final in
    STATUS_MOVES), so a later version re-publishes the same data, as rendered now: a
    correction of the typesetting or of the rendering, with a note saying what it corrects.
    Every earlier version is kept.
    """
    with inspection_writing(inspection.pk, refuse_published=False) as write:
        current = write.inspection
        if by is not None and not may_publish(by, current):
            raise ValidationError("Only the lead inspector or the editor may publish the report.")
        document = build_document(current)
        problems = publish_problems(current, export, document)
        problems += unsettled_messages(
            publish_blockers(document), charts_to_confirm(current, document)
        )
        if problems:
            raise ValidationError(problems)
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
