import sys

from django.core.management.base import BaseCommand, CommandError

from cases.descriptors import DESCRIPTORS
from inspection.models import Inspection
from judgements.findings import inspection_findings
from judgements.findings_export import findings_csv, findings_json, findings_workbook

FORMATS = {"json": findings_json, "csv": findings_csv}
# The workbook carries the questions' wording, so it is made from the inspection.
ALL_FORMATS = [*FORMATS, "xlsx"]


class Command(BaseCommand):
    help = "Print an inspection's findings (counts, relevant cases, percentages, phrases)."

    def add_arguments(self, parser):
        parser.add_argument("inspection", help="The inspection's slug, e.g. durham-2016.")
        parser.add_argument("--format", choices=sorted(ALL_FORMATS), default="json")
        parser.add_argument(
            "--cut-by",
            choices=sorted(DESCRIPTORS),
            help="Split every finding by a case descriptor, e.g. gender.",
        )
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, inspection: str, format: str, cut_by=None, output=None, **options):
        found = Inspection.objects.select_related("framework").filter(slug=inspection).first()
        if found is None:
            raise CommandError(f"No inspection with the slug {inspection!r}.")
        if format == "xlsx":
            if cut_by:
                raise CommandError("--cut-by is for the JSON and CSV formats; the XLSX has none.")
            content = findings_workbook(found)
        else:
            content = FORMATS[format](inspection_findings(found, cut_by=cut_by))
        if output:
            with open(output, "wb") as file:
                file.write(content)
            return
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
