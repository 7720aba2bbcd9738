from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from cases.services import CASE_COLUMNS, OPTIONAL_CASE_COLUMNS, cases_import
from inspection.lib.spreadsheets import read_sheet
from inspection.management.arguments import file_bytes, import_refused, inspection_by_slug

SHEET_COLUMNS = {"required": CASE_COLUMNS, "optional": OPTIONAL_CASE_COLUMNS}


class Command(BaseCommand):
    help = (
        "Add an inspection's sample from a CSV or XLSX file, one case a row. All the cases are "
        "added or, if any row has a problem, none; every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The inspection, e.g. durham-2016.")
        parser.add_argument("file", help="cases.csv or cases.xlsx (its first sheet).")

    def handle(self, *args, slug: str, file: str, **options):
        inspection = inspection_by_slug(slug)
        try:
            rows = read_sheet(file_bytes(file), **SHEET_COLUMNS)
            cases = cases_import(inspection=inspection, rows=rows)
        except ValidationError as refused:
            raise import_refused(refused, file) from None
        self.stdout.write(self.style.SUCCESS(f"Added {len(cases)} cases to {inspection.slug}."))
