"""Running the data-in-and-out commands as a person at a terminal would, and reading files."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def csv_file(path: Path, header: list[str], rows: list[list[str]], *, bom: bool = False) -> Path:
    """Write a CSV as a spreadsheet saves it (csv's excel dialect, optionally with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig" if bom else "utf-8")
    return path


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def refused(command: str, *args: str) -> list[str]:
    """The problems a refused command lists, one per line, after its summary line."""
    with pytest.raises(CommandError) as error:
        call_command(command, *args, stdout=io.StringIO())
    summary, *problems = str(error.value).splitlines()
    assert summary.startswith("Nothing was imported")
    return problems
