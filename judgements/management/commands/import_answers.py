from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from inspection.lib.spreadsheets import read_sheet
from inspection.management.arguments import file_bytes, import_refused, inspection_by_slug
from inspection.models import Inspection
from judgements.exports import ANSWER_COLUMNS
from judgements.services import answers_import

# A note may be as long as an XLSX cell holds; a value, even a text answer, as any other cell.
SHEET_COLUMNS = {
    "required": ANSWER_COLUMNS[:4],
    "optional": ANSWER_COLUMNS[4:],
    "long_text": ["note"],
}


def _team_member(inspection: Inspection, username: str) -> AbstractBaseUser:
    """The user on the inspection's team the answers are recorded as given by.

    Only someone on the team may answer its cases in the app, so an import may not record
    anyone else (a mistyped name, or a person from another inspection) as having done so.
    """
    members = {
        membership.user.username: membership.user
        for membership in inspection.team.select_related("user")
    }
    if username not in members:
        team = ", ".join(sorted(members)) or "no one yet"
        raise CommandError(
            f"“{username}” is not on the team of {inspection.slug}, so the answers cannot be "
            f"recorded as theirs; the team is {team}."
        )
    return members[username]


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
            "--answered-by",
            metavar="USERNAME",
            help="Record this member of the inspection's team as giving the answers.",
        )

    def handle(self, *args, slug: str, file: str, replace: bool, answered_by: str, **options):
        inspection = inspection_by_slug(slug)
        user = _team_member(inspection, answered_by) if answered_by else None
        try:
            rows = read_sheet(file_bytes(file), **SHEET_COLUMNS)
            imported = answers_import(inspection=inspection, rows=rows, user=user, replace=replace)
        except ValidationError as refused:
            raise import_refused(refused, file) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported answers into {inspection.slug}: {imported.created} new, "
                f"{imported.replaced} replaced, {imported.unchanged} unchanged."
            )
        )
        if imported.cleared:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(imported.cleared)} answers were cleared because a replaced answer "
                    "shut the gate they sat behind:"
                )
            )
            for label in imported.cleared:
                self.stdout.write(f"  {label}")
