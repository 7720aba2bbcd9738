"""Hypothesis strategies for the files people should not import, but one day will.

A file is drawn as a header and rows of cells, each cell usually one that fits its column and
sometimes one that does not (a control character, too long, anything at all); then written as
CSV in one of several encodings or as XLSX, and sometimes damaged; or it is random bytes.
"""

import csv
import io
import operator
import warnings
from collections.abc import Callable

from django.db import transaction
from hypothesis import strategies as st

from cases.models import Case
from inspection.lib.spreadsheets import XLSX_SIGNATURE, ImportRefused, refusal_report, xlsx_bytes
from inspection.lib.text import CELL_MAX_CHARS, NOTE_MAX_CHARS
from judgements.models import Answer

CONTROL_CHARACTERS = st.sampled_from(
    [chr(code) for code in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]
)
# Just inside and just past each limit, in a character that costs one byte and one that costs
# two, and in NUL, which is both a control character and too long.
OVER_LONG = st.builds(
    operator.mul,
    st.sampled_from(["x", "é", "\x00"]),
    st.sampled_from([CELL_MAX_CHARS, CELL_MAX_CHARS + 1, NOTE_MAX_CHARS, NOTE_MAX_CHARS + 1]),
)


def _with_character(text: str, character: str, position: int) -> str:
    position = min(position, len(text))
    return text[:position] + character + text[position:]


def cell(fitting: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A cell of a column whose fitting values `fitting` draws, or one in ten that does not.

    Mostly fitting, so that many files pass the reading and reach the import's own checks.
    """
    misfit = st.one_of(
        st.text(max_size=12),
        st.builds(_with_character, fitting, CONTROL_CHARACTERS, st.integers(0, 12)),
        OVER_LONG,
    )
    return st.integers(0, 9).flatmap(lambda roll: misfit if roll == 0 else fitting)


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    with warnings.catch_warnings():
        # An XLSX cell holds 32,767 characters: the file is as Excel would save the text.
        warnings.filterwarnings("ignore", "Cell contents too long")
        return xlsx_bytes(header, rows, sheet_name="sheet")


WRITERS = {
    "utf-8": lambda header, rows: _csv_text(header, rows).encode("utf-8"),
    "utf-8 with BOM": lambda header, rows: _csv_text(header, rows).encode("utf-8-sig"),
    "utf-16": lambda header, rows: _csv_text(header, rows).encode("utf-16"),
    "utf-16 without BOM": lambda header, rows: _csv_text(header, rows).encode("utf-16-le"),
    "windows-1252": lambda header, rows: _csv_text(header, rows).encode("cp1252", "replace"),
    "xlsx": _xlsx,
}


@st.composite
def _damaged(draw, data: bytes) -> bytes:
    """Bytes inserted at one place and the file perhaps cut short, as a bad copy leaves it."""
    position = draw(st.integers(0, len(data)))
    data = data[:position] + draw(st.binary(min_size=1, max_size=8)) + data[position:]
    return data[: draw(st.integers(0, len(data)))] if draw(st.booleans()) else data


@st.composite
def nearly_right_file(draw, columns: dict[str, st.SearchStrategy[str]]) -> bytes:
    """A UTF-8 CSV or XLSX file with the right header, one cell in ten not fitting its column.

    Such files get past the reading, so the import's own checks meet the odd cells.
    """
    header = draw(st.permutations(list(columns)))
    row = st.tuples(*(cell(columns[name]) for name in header)).map(list)
    rows = draw(st.lists(row, max_size=5))
    return WRITERS[draw(st.sampled_from(["utf-8", "utf-8 with BOM", "xlsx"]))](header, rows)


@st.composite
def _any_sheet_file(draw, columns: dict[str, st.SearchStrategy[str]]) -> bytes:
    names = list(columns)
    header = draw(st.lists(st.sampled_from([*names, "colour", ""]), max_size=len(names) + 1))
    row = st.tuples(*(cell(columns.get(name, st.text(max_size=5))) for name in header))
    rows = draw(st.lists(row.map(list), max_size=5))
    return WRITERS[draw(st.sampled_from(sorted(WRITERS)))](header, rows)


def malformed_file(columns: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[bytes]:
    """Any header in any encoding, perhaps damaged, or random bytes (some posing as XLSX)."""
    files = st.one_of(nearly_right_file(columns), _any_sheet_file(columns))
    return st.one_of(
        files,
        files.flatmap(_damaged),
        st.binary(max_size=300),
        st.binary(max_size=300).map(lambda data: XLSX_SIGNATURE + data),
    )


def stored_rows() -> tuple[list[dict], list[dict]]:
    """Every case and every answer, every field: what a refused import must leave as it was."""
    return list(Case.objects.order_by("pk").values()), list(Answer.objects.order_by("pk").values())


def imported_or_refused(import_file: Callable[[], object]) -> str:
    """Run an import: it succeeds, or it is refused with a message and changes nothing.

    Any other exception fails the test. What a successful import wrote is rolled back, so
    every example starts from the same database. Returns which it was, for the statistics.
    """
    with transaction.atomic():
        before = stored_rows()
        try:
            import_file()
        except ImportRefused as refused:
            assert refusal_report(refused, "file.csv").startswith("Nothing was imported")
            assert stored_rows() == before
            return "refused"
        finally:
            transaction.set_rollback(True)
    return "imported"
