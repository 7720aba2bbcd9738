"""Reading and writing the research team's spreadsheets (CSV and XLSX), with pandas.

Pure: knows no models. The imports and exports of cases and answers share it, so the rules
about encodings, blank rows, row numbers and formula guards live in one place.
"""

import codecs
import io
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
from django.core.exceptions import ValidationError
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from inspection.lib.text import (
    CELL_MAX_CHARS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    NOTE_MAX_CHARS,
    control_character,
)

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets, or
# (tab, carriage return) hides one from a first look: OWASP's list against CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX file is a zip archive
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"  # an Excel 97-2003 workbook (an OLE2 compound file)
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # the first also starts UTF-32 LE
NOT_UTF8 = "The file is not UTF-8 text{detail}. Save it as “CSV UTF-8” (or as XLSX) and try again."
MAX_REPORTED_PROBLEMS = 50  # a command lists these; a wrong file can have thousands


class ImportRefused(ValidationError):
    """A file that cannot be imported; `messages` lists every problem, one per row and column.

    Nothing was saved.
    """


@dataclass(frozen=True)
class SheetRow:
    """One data row of a spreadsheet, numbered as the spreadsheet shows it (header = row 1)."""

    number: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


def formula_guard(text: str) -> str:
    """Prefix one apostrophe to text a spreadsheet would run as a formula.

    Text that already starts with apostrophes before a formula character gets one more, so
    that `formula_unguard` gives back exactly what was written ("'=1" → "''=1" → "'=1").
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def formula_unguard(text: str) -> str:
    """Remove exactly the one apostrophe `formula_guard` adds, and nothing else."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _looks_like_utf16(data: bytes) -> bool:
    """Whether the header row is UTF-16 (or UTF-32): a NUL byte beside every letter.

    Without a byte order mark such a file decodes as UTF-8, and one message about the
    encoding helps where a control-character problem for every cell would not. Only the
    header is looked at: a NUL in a cell of a UTF-8 file is named by its row and column.
    """
    first_line = data[:64].split(b"\n", 1)[0]
    return first_line.count(0) * 3 >= len(first_line) > 0


def _csv_text(data: bytes) -> str:
    if data.startswith(UTF16_BOMS) or _looks_like_utf16(data):
        raise ImportRefused(
            NOT_UTF8.format(detail=" (it looks like UTF-16, Excel's “Unicode text”)")
        )
    try:
        # utf-8-sig reads UTF-8 with or without the byte order mark Excel writes.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(NOT_UTF8.format(detail="")) from None


def _xlsx_frame(data: bytes, options: dict) -> pd.DataFrame:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
        if unpacked <= MAX_XLSX_UNPACKED_BYTES:
            return pd.read_excel(io.BytesIO(data), sheet_name=0, engine="openpyxl", **options)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ImportRefused(f"The file cannot be read as an XLSX workbook: {error}") from None
    raise ImportRefused(
        f"The workbook unpacks to {_megabytes(unpacked)}, more than the "
        f"{_megabytes(MAX_XLSX_UNPACKED_BYTES)} an import reads; split it into smaller files."
    )


def _read_frame(data: bytes, max_rows: int) -> pd.DataFrame:
    # header=None: the header is read as row 1 like any other, so pandas neither renames
    # duplicate headings nor turns an over-long first row into an index without a word.
    # nrows: the header, the most rows allowed and one more, to tell that there are too many.
    options = {"header": None, "dtype": str, "keep_default_na": False, "nrows": max_rows + 2}
    if data.startswith(XLSX_SIGNATURE):
        return _xlsx_frame(data, options)
    if data.startswith(XLS_SIGNATURE):
        raise ImportRefused(
            "The file is an Excel 97-2003 workbook (.xls); save it as XLSX or “CSV UTF-8”."
        )
    text = _csv_text(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(io.StringIO(text), skip_blank_lines=False, **options)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (pd.errors.ParserError, pd.errors.ParserWarning) as error:
        raise ImportRefused(f"The file cannot be read as CSV: {error}") from None


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def _header_errors(
    header: list[str], required: Sequence[str], optional: Sequence[str]
) -> list[str]:
    errors = []
    known = [*required, *optional]
    for column in required:
        if column not in header:
            errors.append(
                f"Row 1 (the header): the required column {column} is missing; "
                f"the columns are {', '.join(required)} and optionally {', '.join(optional)}."
            )
    for position, column in enumerate(header, start=1):
        if column and column not in known:
            errors.append(
                f"Row 1 (the header): unknown column “{column}”; expected only {', '.join(known)}."
            )
        elif column and header.index(column) != position - 1:
            errors.append(f"Row 1 (the header): column {column} appears more than once.")
    return errors


def _control_character_error(where: str, text: str) -> str | None:
    character = control_character(text)
    if character is None:
        return None
    return (
        f"{where}: it holds the control character {character}, which cannot be imported; "
        "delete it (most spreadsheets do not show it)."
    )


def _row_errors(row: SheetRow, long_text: Sequence[str]) -> list[str]:
    errors = []
    for column, text in row.values.items():
        where = f"Row {row.number}, column {column}"
        limit, reason = (
            (NOTE_MAX_CHARS, " (the most an XLSX cell holds)")
            if column in long_text
            else (CELL_MAX_CHARS, "")
        )
        if error := _control_character_error(where, text):
            errors.append(error)
        elif len(text) > limit:
            errors.append(
                f"{where}: it is {len(text):,} characters long; "
                f"this column holds at most {limit:,}{reason}."
            )
    return errors


def _header(cells: list[list[str]], required: Sequence[str], optional: Sequence[str]) -> list[str]:
    """The column names of row 1, or ImportRefused naming what is wrong with them."""
    header = [str(heading).strip() for heading in cells[0]]
    errors = [
        error
        for position, heading in enumerate(header, start=1)
        if (error := _control_character_error(f"Row 1 (the header), column {position}", heading))
    ]
    if errors:
        raise ImportRefused(errors)  # a name with a stray character is not worth naming again
    errors = _header_errors(header, required, optional)
    for position, heading in enumerate(header):
        if not heading and any(row[position] for row in cells[1:]):
            errors.append(f"Row 1 (the header): column {position + 1} holds data but has no name.")
    if errors:
        raise ImportRefused(errors)
    return header


def read_sheet(
    data: bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    long_text: Sequence[str] = (),
    max_rows: int = MAX_IMPORT_ROWS,
) -> list[SheetRow]:
    """The data rows of a CSV (UTF-8, with or without BOM) or XLSX file (its first sheet).

    Every cell is text exactly as written: "na" and empty cells stay strings, nothing is
    stripped. Wholly empty rows are skipped but still counted, so row numbers match what the
    spreadsheet shows. Refuses a file whose header lacks a required column or has an unknown
    one, a file too big to read, and cells holding a control character or too long: the
    `long_text` columns hold up to NOTE_MAX_CHARS, the others up to CELL_MAX_CHARS.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(
            f"The file is larger than {_megabytes(MAX_IMPORT_BYTES)}, the most an import reads; "
            "split it into smaller files."
        )
    cells = _read_frame(data, max_rows).to_numpy().tolist()
    if not cells:
        raise ImportRefused("The file is empty: expected a header row and then one row per line.")
    if len(cells) - 1 > max_rows:
        raise ImportRefused(
            f"The file has more than {max_rows:,} rows below the header, the most an import "
            "reads; split it into smaller files."
        )
    header = _header(cells, required, optional)
    columns = [*required, *(column for column in optional if column in header)]
    rows, errors = [], []
    for number, row in enumerate(cells[1:], start=2):
        if any(row):
            values = dict(zip(header, row, strict=True))
            rows.append(SheetRow(number, {column: values[column] for column in columns}))
            errors += _row_errors(rows[-1], long_text)
    if errors:
        raise ImportRefused(errors)
    return rows


def _frame(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(columns), dtype=object)


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 CSV without a byte order mark (the research team's scripts read plain UTF-8)."""
    return _frame(columns, rows).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def xlsx_text(text: str) -> str:
    # XML cannot hold most control characters (openpyxl refuses them), so a stray one pasted
    # into a note shows as � rather than failing the download; CSV keeps it exactly. A line
    # break is written as Excel writes its own, a line feed: left to the XML writer, a CR LF
    # came back as LF without lxml installed and as CR LF with it.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def xlsx_bytes(columns: Sequence[str], rows: Iterable[Sequence[str]], *, sheet_name: str) -> bytes:
    """An XLSX workbook of one sheet; every cell is text, so nothing is read as a number.

    A CR LF line break is written as LF, the break Excel itself writes (xlsx_text). CSV is
    the exact format.
    """
    buffer = io.BytesIO()
    cells = ([xlsx_text(cell) for cell in row] for row in rows)
    _frame(columns, cells).to_excel(buffer, index=False, sheet_name=sheet_name, engine="openpyxl")
    return buffer.getvalue()


def refusal_report(refused: ImportRefused, file_name: str) -> str:
    """The text a command prints for a refused file: a summary, then one problem a line."""
    problems = refused.messages
    shown, hidden = problems[:MAX_REPORTED_PROBLEMS], len(problems) - MAX_REPORTED_PROBLEMS
    more = [f"… and {hidden:,} more {_problems(hidden)}."] if hidden > 0 else []
    count = f"{len(problems):,} {_problems(len(problems))}"
    return "\n".join([f"Nothing was imported from {file_name} ({count}):", *shown, *more])


def _problems(count: int) -> str:
    return "problem" if count == 1 else "problems"
