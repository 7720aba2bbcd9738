from argparse import ArgumentTypeError
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from inspection.services import inspection_create

# The service names the model's fields; the person typed these.
OPTION_OF_FIELD = {"area_name": "--area", "slug": "slug", "framework": "--framework"}


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"“{text}” is not a date; write it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Create an empty inspection (no team, no cases) for an area, on a framework."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Its address, e.g. durham-2016.")
        parser.add_argument("--area", required=True, help="The probation area, e.g. Durham.")
        parser.add_argument("--framework", required=True, help="Framework code, e.g. qi-2016.")
        parser.add_argument(
            "--title", default="", help="Default: “Quality & Impact inspection: <area>”."
        )
        parser.add_argument(
            "--crc-name", default="", help="Default: “<area> Community Rehabilitation Company”."
        )
        parser.add_argument(
            "--nps-name", default="", help="Default: “National Probation Service, <area>”."
        )
        parser.add_argument("--fieldwork-start", type=iso_date, help="YYYY-MM-DD")
        parser.add_argument("--fieldwork-end", type=iso_date, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        try:
            inspection = inspection_create(
                slug=options["slug"],
                area_name=options["area"],
                framework_code=options["framework"],
                title=options["title"],
                crc_name=options["crc_name"],
                nps_name=options["nps_name"],
                fieldwork_start=options["fieldwork_start"],
                fieldwork_end=options["fieldwork_end"],
            )
        except ValidationError as refused:
            problems = [
                f"{OPTION_OF_FIELD.get(field, '--' + field.replace('_', '-'))}: {message}"
                for field, messages in refused.message_dict.items()
                for message in messages
            ]
            raise CommandError("\n".join(["No inspection was created:", *problems])) from None
        self.stdout.write(
            self.style.SUCCESS(f"Created {inspection.title} ({inspection.slug}), empty, in set-up.")
        )
