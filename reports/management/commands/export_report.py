"""`manage.py export_report <inspection-slug> --out report.pdf`: the report PDF from the command
line, the same PDF as the editor's "Export PDF" (reports.export.pdf.render_report_pdf), recorded as
an export of the inspection like theirs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspection.models import Inspection
from reports.export.models import ExportStatus, ReportExport
from reports.export.services import report_export_run


class Command(BaseCommand):
    help = "Render an inspection's report as a PDF; print its pages and any refused URLs."

    def add_arguments(self, parser):
        parser.add_argument("inspection", help="The inspection's slug, e.g. durham-2016.")
        parser.add_argument("--out", required=True, type=Path, help="Where to write the PDF.")

    def handle(self, *args, inspection: str, out: Path, **options):
        found = Inspection.objects.filter(slug=inspection).first()
        if found is None:
            known = ", ".join(Inspection.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"There is no inspection “{inspection}”; known: {known}.")
        # Recorded and rendered as the worker would, but here and now: no worker needed.
        export = ReportExport.objects.create(inspection=found)
        report_export_run(export.pk)
        export.refresh_from_db()
        if export.status != ExportStatus.DONE:
            raise CommandError(f"The PDF could not be made: {export.reason}")
        out.write_bytes(bytes(export.pdf))
        self.stdout.write(f"Wrote {out}: {export.pages} pages, SHA-256 {export.checksum}.")
        for url in export.refused_urls:
            self.stdout.write(self.style.WARNING(f"Refused to fetch {url}"))
