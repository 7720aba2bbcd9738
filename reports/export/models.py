"""The report PDF: exports rendered by a background job, and the published versions
(reports/export/services.py writes both; reports/export/pdf.py renders).

- Not inspection data: exporting changes nothing in the report, so a published inspection's
  report can still be exported.
- Publishing takes only an export that prints what the report would print now: an export keeps
  the fingerprint of what it printed (reports/export/pdf.py `printed_fingerprint`), so a write
  that prints nothing (a stage move, a figure confirmed) leaves it current.
- The process rendering an export beats every REPORT_EXPORT_HEARTBEAT_SECONDS; an export whose
  beat stops is failed on the next read (reports/export/services.py `report_exports_expire`).
- A published version is never changed or removed: a correction is a new version.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


# An export still under way: another of the same inspection waits until it ends.
ACTIVE_STATUSES = (ExportStatus.QUEUED, ExportStatus.RENDERING)


class ReportExport(models.Model):
    """One "Export PDF": queued by the editor, rendered by the worker, then downloaded (and
    perhaps published). Not inspection data: exporting changes nothing in the report, so a
    published inspection's report can still be exported."""

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="report_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ExportStatus, default=ExportStatus.QUEUED)
    # Why it failed, in words for the editor (the exception, or "the process ended").
    reason = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The last time the process rendering it said it was still going.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    checksum = models.CharField("SHA-256", max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    # The version the PDF says it is (reports/export/version_mark.py): it is published only as
    # that version.
    version = models.PositiveIntegerField(null=True, blank=True)
    # Every URL the restricted fetcher refused (reports/export/pdf_fetcher.py), for the editor to
    # fix.
    refused_urls = models.JSONField(default=list, blank=True)
    # A SHA-256 of what the PDF prints (its HTML and `static_files`), taken as it was made:
    # publishing takes only an export whose fingerprint the report still has.
    fingerprint = models.CharField(max_length=64, blank=True)
    # The static files the PDF read (its stylesheet), by URL, to take the fingerprint again.
    static_files = models.JSONField(default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["pdf", "heartbeat_at"])

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"PDF export {self.pk} of {self.inspection_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class PublishedReport(models.Model):
    """A published version of the report: the PDF as it went out, with its checksum and date.
    A later version (a correction) is a new row; an old one is never changed or removed."""

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.PROTECT, related_name="published_reports"
    )
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    export = models.ForeignKey(
        ReportExport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True, help_text="What this version corrects.")
    pdf = models.BinaryField(editable=False)
    checksum = models.CharField("SHA-256", max_length=64)
    pages = models.PositiveIntegerField()
    history = HistoricalRecords(excluded_fields=["pdf"])

    class Meta:
        ordering = ["inspection", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "version"], name="published_report_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Published report of {self.inspection_id}, version {self.version}"
