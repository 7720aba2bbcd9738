from django.core.management.base import BaseCommand

from inspection.management.arguments import file_write, inspection_by_slug
from judgements.exports import answers_csv, answers_xlsx

EXPORTERS = {"csv": answers_csv, "xlsx": answers_xlsx}


class Command(BaseCommand):
    help = (
        "Write an inspection's answers in long format (case_ref, question, item, value, note), "
        "sorted by case, then framework order; the format import_answers reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The inspection, e.g. durham-2016.")
        parser.add_argument("file", help="Where to write, e.g. answers.csv or answers.xlsx.")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=sorted(EXPORTERS),
            help="Default: xlsx for a file ending .xlsx, otherwise csv.",
        )

    def handle(self, *args, slug: str, file: str, file_format: str | None, **options):
        inspection = inspection_by_slug(slug)
        file_format = file_format or ("xlsx" if file.lower().endswith(".xlsx") else "csv")
        file_write(file, EXPORTERS[file_format](inspection))
        self.stdout.write(self.style.SUCCESS(f"Wrote the answers of {inspection.slug} to {file}."))
