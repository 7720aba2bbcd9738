from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from inspection.lib.spreadsheets import ImportRefused, read_sheet, refusal_report
from inspection.management.arguments import file_bytes, inspection_by_slug
from judgements.exports import ANSWER_COLUMNS
from judgements.services import answers_import

# A note may be as long as an XLSX cell holds; a value, even a text answer, as any other cell.
SHEET_COLUMNS = {
    "required": ANSWER_COLUMNS[:4],
    "optional": ANSWER_COLUMNS[4:],
    "long_text": ["note"],
}


class Command(BaseCommand):
    help = (
        "Import answers from a CSV or XLSX file in long format (case_ref, question, item, "
        "value, note). All the answers are saved or, if any row has a problem, none; every "
        "problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The inspection, e.g. durham-2016.")
        parser.add_argument("file", help="answers.csv or answers.xlsx (its first sheet).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite answers the cases already have (otherwise each one is a problem).",
        )
        parser.add_argument(
            "--answered-by", metavar="USERNAME", help="Record this user as giving the answers."
        )

    def handle(self, *args, slug: str, file: str, replace: bool, answered_by: str, **options):
        inspection = inspection_by_slug(slug)
        user = None
        if answered_by:
            user = get_user_model().objects.filter(username=answered_by).first()
            if user is None:
                raise CommandError(f"There is no user “{answered_by}”.")
        try:
            rows = read_sheet(file_bytes(file), **SHEET_COLUMNS)
            imported = answers_import(inspection=inspection, rows=rows, user=user, replace=replace)
        except ImportRefused as refused:
            raise CommandError(refusal_report(refused, file)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported answers into {inspection.slug}: {imported.created} new, "
                f"{imported.replaced} replaced, {imported.unchanged} unchanged."
            )
        )
