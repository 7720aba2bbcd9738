"""What the data-in-and-out commands share: finding the inspection and reading the file."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from inspection.lib.spreadsheets import ImportRefused, refusal_report
from inspection.lib.text import MAX_IMPORT_BYTES
from inspection.models import Inspection


def inspection_by_slug(slug: str) -> Inspection:
    inspection = Inspection.objects.select_related("framework").filter(slug=slug).first()
    if inspection is None:
        raise CommandError(f"There is no inspection with the slug “{slug}”.")
    return inspection


def file_bytes(path: str) -> bytes:
    """The file's bytes, reading at most one byte past the import limit: a file too large to
    import is refused by read_sheet without ever being held whole in memory."""
    try:
        with Path(path).open("rb") as file:
            return file.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None


def file_write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror}.") from None


def import_refused(refused: ValidationError, file: str) -> CommandError:
    """The command's error for a refused import: every problem of the file, one a line, or the
    rule of the data that stopped it (the inspection was published meanwhile, say)."""
    if isinstance(refused, ImportRefused):
        return CommandError(refusal_report(refused, file))
    return CommandError(f"Nothing was imported from {file}: {' '.join(refused.messages)}")
