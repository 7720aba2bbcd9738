from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fixtures import durham_2016
from inspection.services import demo_durham_load


class Command(BaseCommand):
    help = "Load the Durham 2016 demo inspection, its team of demo users and its 47 cases."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (the demo users have published passwords).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: the demo users have passwords printed in the README. "
                "Pass --allow-production if you really mean to load them here."
            )
        inspection = demo_durham_load()
        cases = inspection.cases.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {inspection.title} ({inspection.slug}), {cases} cases. "
                f"Sign in as admin, lead, editor or inspector1..inspector6 "
                f"with the password {durham_2016.DEMO_PASSWORD}."
            )
        )
