from django.core.management.base import BaseCommand, CommandError

from inspection.management.arguments import file_write
from judgements.exports import framework_json
from judgements.models import Framework


class Command(BaseCommand):
    help = "Print a framework's questions (codes, kinds, choices, items, gates) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The framework, e.g. qi-2016.")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--output", metavar="FILE", help="Write to FILE, not to stdout.")

    def handle(self, *args, code: str, output: str | None, **options):
        framework = Framework.objects.filter(code=code).first()
        if framework is None:
            known = ", ".join(Framework.objects.values_list("code", flat=True)) or "none loaded"
            raise CommandError(f"There is no framework “{code}”; known: {known}.")
        data = framework_json(framework)
        if output:
            file_write(output, data)
        else:
            self.stdout.write(data.decode(), ending="")
