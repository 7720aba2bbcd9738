"""The report PDF's pages: export (through the background job), its progress, downloads, and
publishing. Thin: every write is a service of reports/export/services.py.

Reading (the exports, their PDFs, the published versions) needs Capability.VIEW. Exporting and
publishing are for the roles that may publish the inspection (the lead inspector and the
editor). Exporting writes nothing of the report, so it stays open once the inspection is
published. A correction reopens the published inspection to drafting (with a reason, in its
history); what is then published is a new version, and every earlier version is kept.
"""

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from inspection.models import Inspection
from inspection.permissions import get_inspection_for_user
from inspection.services import (
    CORRECTION_REASON_MAX,
    inspection_correction_open,
    inspection_corrections,
)
from reports.document.compose import build_document
from reports.export.models import ExportStatus, PublishedReport, ReportExport
from reports.export.services import (
    PUBLISH_NOTE_MAX_CHARS,
    charts_to_confirm,
    may_publish,
    publish_blockers,
    publish_problems,
    report_export_request,
    report_exports,
    report_publish,
)

# While a job is queued or rendering, the page's script (static/js/report-export.js) asks for
# the latest export's status this often; without JavaScript a "Check progress" link does.
REFRESH_SECONDS = 3


def _publisher_inspection(request: HttpRequest, slug: str) -> Inspection:
    inspection = get_inspection_for_user(request.user, slug)
    if not may_publish(request.user, inspection):
        raise PermissionDenied("Only the lead inspector or the editor exports the report.")
    return inspection


def _filename(inspection: Inspection, suffix: str) -> str:
    return f"{inspection.slug}-report-{suffix}.pdf"


def _pdf_response(pdf: bytes, filename: str) -> FileResponse:
    return FileResponse(
        BytesIO(pdf), as_attachment=True, filename=filename, content_type="application/pdf"
    )


@require_safe
def report_export(request: HttpRequest, slug: str) -> HttpResponse:
    return _export_page(request, get_inspection_for_user(request.user, slug))


def _export_page(
    request: HttpRequest, inspection: Inspection, *, status: int = 200, **extra
) -> HttpResponse:
    exports = list(report_exports(inspection)[:10])
    published = list(PublishedReport.objects.filter(inspection=inspection).defer("pdf"))
    latest = exports[0] if exports else None
    latest_published_as = next(
        (p.version for p in published if latest and p.export_id == latest.pk), None
    )
    can_export = may_publish(request.user, inspection)
    done = latest is not None and latest.status == ExportStatus.DONE
    # Nothing is built while a job runs, so the page's refreshes every few seconds build
    # nothing; beside a finished PDF, the report as it prints, to compare it with.
    active = latest is not None and latest.is_active
    document = None if active else build_document(inspection, printing=done)
    blockers = publish_blockers(document) if document and can_export else []
    charts = charts_to_confirm(inspection, document) if document and can_export else []
    asked = done and can_export and not latest_published_as
    problems = publish_problems(inspection, latest, document) if asked else []
    return render(
        request,
        "reports/export/export.html",
        {
            "inspection": inspection,
            "exports": exports,
            "latest": latest,
            "published": published,
            "can_export": can_export,
            "refresh_seconds": REFRESH_SECONDS if latest and latest.is_active else None,
            # Why the latest PDF cannot go out (it no longer prints what the report prints, say),
            # and what of the report must be settled first: Publish is offered only when
            # neither has anything (the rules report_publish refuses with).
            "problems": problems,
            "blockers": blockers,
            "charts_to_confirm": charts,
            "can_publish": asked and not problems and not blockers and not charts,
            "corrections": inspection_corrections(inspection),
            # The version the latest export went out as, if it did.
            "latest_published_as": latest_published_as,
            "correction_reason_max": CORRECTION_REASON_MAX,
            "note_max_chars": PUBLISH_NOTE_MAX_CHARS,
            **extra,
        },
        status=status,
    )


@require_POST
def report_export_start(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = _publisher_inspection(request, slug)
    try:
        report_export_request(inspection=inspection, by=request.user)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    return redirect("report-export", slug=inspection.slug)


@require_safe
def report_export_download(request: HttpRequest, slug: str, export_id: int) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    export = ReportExport.objects.filter(
        inspection=inspection, pk=export_id, status=ExportStatus.DONE
    ).first()
    if export is None:
        raise Http404("No such PDF")
    return _pdf_response(bytes(export.pdf), _filename(inspection, f"export-{export.pk}"))


@require_POST
def report_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = _publisher_inspection(request, slug)
    export_id = request.POST.get("export", "")
    export = ReportExport.objects.filter(
        inspection=inspection, pk=int(export_id) if export_id.isdecimal() else None
    ).first()
    if export is None:
        messages.error(request, "Choose a finished PDF export to publish.")
        return redirect("report-export", slug=inspection.slug)
    note = request.POST.get("note", "")
    try:
        published = report_publish(inspection=inspection, export=export, by=request.user, note=note)
    except ValidationError as refused:
        # A refusal of the note goes beside the field; any other is a message.
        problems = refused.message_dict if hasattr(refused, "error_dict") else {}
        if "note" in problems:
            return _export_page(
                request, inspection, status=400, publish_error=problems["note"][0], note=note
            )
        for message in refused.messages:
            messages.error(request, message)
        return redirect("report-export", slug=inspection.slug)
    messages.success(request, f"Version {published.version} of the report is published.")
    return redirect(reverse("report-export", args=[inspection.slug]) + "#published")


@require_POST
def report_correction_open(request: HttpRequest, slug: str) -> HttpResponse:
    """Reopen the published report for a correction (the lead inspector or the editor)."""
    inspection = _publisher_inspection(request, slug)
    reason = request.POST.get("reason", "")
    try:
        inspection_correction_open(inspection=inspection, by=request.user, reason=reason)
    except ValidationError as refused:
        # A refusal of the reason goes beside the field; any other (not published, not
        # theirs, the freeze) is a message, whether or not it names a field.
        problems = refused.message_dict if hasattr(refused, "error_dict") else {}
        if "reason" not in problems:
            for message in refused.messages:
                messages.error(request, message)
            return redirect("report-export", slug=inspection.slug)
        return _export_page(
            request,
            inspection,
            status=400,
            correction_error=problems["reason"][0],
            correction_reason=reason,
        )
    messages.success(
        request,
        "The report is open for a correction: edit it, export it again and publish the new "
        "version. The versions already published are kept.",
    )
    return redirect("report-export", slug=inspection.slug)


@require_safe
def report_published_download(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    published = PublishedReport.objects.filter(inspection=inspection, version=version).first()
    if published is None:
        raise Http404("No such version")
    return _pdf_response(bytes(published.pdf), _filename(inspection, f"v{published.version}"))
