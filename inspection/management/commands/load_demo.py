from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fixtures import durham_2016
from inspection.services import demo_durham_load
from judgements.models import Answer


class Command(BaseCommand):
    help = "Load the Durham 2016 demo: its team of demo users, 47 cases and their answers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (the demo users have published passwords).",
        )
        parser.add_argument(
            "--without-answers",
            action="store_true",
            help="Only the users, the inspection and its cases (as at the start of fieldwork).",
        )

    def handle(self, *args, allow_production=False, without_answers=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: the demo users have passwords printed in the README. "
                "Pass --allow-production if you really mean to load them here."
            )
        inspection = demo_durham_load(with_answers=not without_answers)
        cases = inspection.cases.count()
        answers = Answer.objects.filter(case__inspection=inspection).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {inspection.title} ({inspection.slug}), {cases} cases, "
                f"{answers} answers. "
                f"Sign in as admin, lead, editor or inspector1..inspector6 "
                f"with the password {durham_2016.DEMO_PASSWORD}."
            )
        )
