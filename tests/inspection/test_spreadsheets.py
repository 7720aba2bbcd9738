"""Reading the research team's files and guarding cells against spreadsheet formulas."""

import codecs

import pytest

from inspection.lib import spreadsheets
from inspection.lib.spreadsheets import (
    ImportRefused,
    csv_bytes,
    formula_guard,
    formula_unguard,
    read_sheet,
    refusal_report,
    xlsx_bytes,
)
from inspection.lib.text import CELL_MAX_CHARS, MAX_IMPORT_BYTES, NOTE_MAX_CHARS

COLUMNS = {"required": ["case_ref", "value"], "optional": ["note"], "long_text": ["note"]}
NOT_UTF16 = "The file is not UTF-8 text (it looks like UTF-16, Excel's “Unicode text”)."


def refusal(data: bytes, **limits) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read_sheet(data, **COLUMNS, **limits)
    return refused.value.messages


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 191", "'+44 191"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("'already quoted", "'already quoted"),
        ("'=1+1", "''=1+1"),
        ("plain, with comma", "plain, with comma"),
        ("", ""),
        ("'", "'"),
        ("\tindented", "'\tindented"),
        ("\rstray carriage return", "'\rstray carriage return"),
        ("'\t", "''\t"),
        ("a tab\tinside", "a tab\tinside"),
    ],
)
def test_formula_guard_adds_one_apostrophe_that_unguard_removes_again(text, written):
    assert formula_guard(text) == written
    assert formula_unguard(written) == text


@pytest.mark.parametrize("text", ["'already quoted", "'", "''", "'5", "' \t"])
def test_unguard_leaves_an_apostrophe_that_is_not_a_guard(text):
    assert formula_unguard(text) == text


def test_csv_cells_are_read_exactly_as_written_with_na_and_empty_kept_as_text():
    rows = read_sheet(b'case_ref,value,note\nNS-001,na,"  NULL, ""quoted""\n"\n', **COLUMNS)

    assert rows[0].values == {"case_ref": "NS-001", "value": "na", "note": '  NULL, "quoted"\n'}


def test_csv_with_a_byte_order_mark_reads_its_first_column_by_name():
    rows = read_sheet("\ufeffcase_ref,value\nNS-001,yes\n".encode(), **COLUMNS)

    assert rows[0]["case_ref"] == "NS-001"


def test_row_numbers_match_the_spreadsheet_even_past_blank_and_multi_line_rows():
    data = b'case_ref,value,note\nNS-001,yes,"two\nlines"\n\n,,\nNS-002,no,\n'

    rows = read_sheet(data, **COLUMNS)

    assert [(row.number, row["case_ref"]) for row in rows] == [(2, "NS-001"), (5, "NS-002")]


def test_xlsx_first_sheet_is_read_as_text_with_row_numbers():
    data = xlsx_bytes(
        ["case_ref", "value"], [["NS-001", "6"], ["", ""], ["NS-002", "-5"]], sheet_name="s"
    )

    rows = read_sheet(data, **COLUMNS)

    assert [(row.number, row["case_ref"], row["value"]) for row in rows] == [
        (2, "NS-001", "6"),
        (4, "NS-002", "-5"),
    ]


def test_csv_bytes_are_utf8_without_a_byte_order_mark():
    data = csv_bytes(["case_ref", "note"], [["NS-001", "ünïcode"]])

    assert data == "case_ref,note\r\nNS-001,ünïcode\r\n".encode()


def test_missing_and_unknown_columns_are_all_named_on_row_one():
    messages = refusal(b"case_ref,valeu,colour\nNS-001,yes,red\n")

    assert len(messages) == 3
    assert all(message.startswith("Row 1 (the header)") for message in messages)
    assert "required column value is missing" in messages[0]
    assert "“valeu”" in messages[1] and "“colour”" in messages[2]


def test_a_column_given_twice_is_refused():
    assert "value appears more than once" in refusal(b"case_ref,value,value\nNS-001,yes,no\n")[0]


def test_a_row_longer_than_the_header_is_refused_rather_than_shifted():
    assert "cannot be read as CSV" in refusal(b"case_ref,value\nNS-001,yes\nNS-002,no,extra\n")[0]


def test_a_file_that_is_not_utf8_is_refused_with_how_to_save_it():
    assert refusal("case_ref,value\nNS-001,café\n".encode("cp1252")) == [
        "The file is not UTF-8 text. Save it as “CSV UTF-8” (or as XLSX) and try again."
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_with_or_without_byte_order_mark_gets_one_message_not_one_per_cell(
    encoding,
):
    data = "case_ref,value,note\nNS-001,yes,café\nNS-002,no,\n".encode(encoding)

    assert refusal(data) == [f"{NOT_UTF16} Save it as “CSV UTF-8” (or as XLSX) and try again."]


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_a_utf32_file_gets_one_message_too(encoding):
    data = "case_ref,value,note\nNS-001,yes,café\n".encode(encoding)

    (problem,) = refusal(data)

    assert problem.startswith("The file is not UTF-8 text")
    assert problem.endswith("Save it as “CSV UTF-8” (or as XLSX) and try again.")


def test_utf16_without_a_byte_order_mark_is_refused_although_it_decodes_as_utf8():
    data = "case_ref,value\nNS-001,yes\n".encode("utf-16-le")
    data.decode("utf-8")  # a NUL after every letter is valid UTF-8

    assert refusal(data)[0].startswith(NOT_UTF16)


def test_an_old_excel_workbook_is_refused_with_what_to_save_it_as():
    assert refusal(codecs.decode("d0cf11e0a1b11ae1", "hex") + bytes(500)) == [
        "The file is an Excel 97-2003 workbook (.xls); save it as XLSX or “CSV UTF-8”."
    ]


def test_a_damaged_workbook_is_refused():
    (problem,) = refusal(b"PK\x03\x04 not really a zip archive")

    assert problem.startswith("The file cannot be read as an XLSX workbook")


def test_an_empty_file_is_refused():
    assert "empty" in refusal(b"")[0]


# Control characters


@pytest.mark.parametrize(
    ("cell", "character"),
    [
        (b"bad\x00note", "U+0000 (NUL) at character 4"),
        (b"Word\x0bbreak", "U+000B (vertical tab, Word's manual line break) at character 5"),
        (b"\x7f", "U+007F (delete) at character 1"),
        ("next\x85line".encode(), "U+0085 at character 5"),
    ],
)
def test_a_control_character_in_a_cell_is_refused_naming_row_column_and_character(cell, character):
    data = b"case_ref,value,note\nNS-001,yes,fine\nNS-002,no," + cell + b"\n"

    assert refusal(data) == [
        f"Row 3, column note: it holds the control character {character}, which cannot be "
        "imported; delete it (most spreadsheets do not show it)."
    ]


def test_every_control_character_is_listed_at_once():
    data = b"case_ref,value,note\nNS-\x01,yes\x02,\nNS-002,no,\x1f\n"

    problems = refusal(data)

    assert [problem.split(": it holds")[0] for problem in problems] == [
        "Row 2, column case_ref",
        "Row 2, column value",
        "Row 3, column note",
    ]


def test_a_control_character_in_the_header_is_refused_naming_its_column():
    assert refusal(b"case_ref,val\x00ue\nNS-001,yes\n") == [
        "Row 1 (the header), column 2: it holds the control character U+0000 (NUL) at "
        "character 4, which cannot be imported; delete it (most spreadsheets do not show it)."
    ]


def test_tabs_and_line_breaks_in_a_cell_are_kept():
    rows = read_sheet(b'case_ref,value,note\nNS-001,yes,"a\ttab\r\nand\rbreaks\n"\n', **COLUMNS)

    assert rows[0]["note"] == "a\ttab\r\nand\rbreaks\n"


def test_a_control_character_xml_allows_is_refused_in_an_xlsx_workbook_too():
    data = xlsx_bytes(
        ["case_ref", "value"], [["NS-001", "yes"], ["NS-002", "no\x9b"]], sheet_name="s"
    )

    (problem,) = refusal(data)

    assert problem.startswith("Row 3, column value: it holds the control character U+009B")


# Limits


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    oversized = b"\xff" * (MAX_IMPORT_BYTES + 1)  # not UTF-8 either: that is never reached

    assert refusal(oversized) == [
        "The file is larger than 20.0 MB, the most an import reads; split it into smaller files."
    ]


def test_a_file_with_more_rows_than_the_limit_is_refused():
    data = b"case_ref,value\n" + b"NS-001,yes\n" * 4

    assert read_sheet(data[: -len(b"NS-001,yes\n")], **COLUMNS, max_rows=3)
    assert refusal(data, max_rows=3) == [
        "The file has more than 3 rows below the header, the most an import reads; "
        "split it into smaller files."
    ]


def test_a_workbook_that_unpacks_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_XLSX_UNPACKED_BYTES", 1024)
    data = xlsx_bytes(["case_ref", "value"], [["NS-001", "yes"]], sheet_name="s")

    (problem,) = refusal(data)

    assert problem.startswith("The workbook unpacks to ")
    assert problem.endswith("an import reads; split it into smaller files.")


def test_a_note_as_long_as_an_xlsx_cell_holds_is_read_whole():
    note = "é" * NOTE_MAX_CHARS

    rows = read_sheet(f"case_ref,value,note\nNS-001,yes,{note}\n".encode(), **COLUMNS)

    assert rows[0]["note"] == note


def test_a_note_longer_than_an_xlsx_cell_holds_is_refused_naming_the_limit():
    note = "x" * (NOTE_MAX_CHARS + 1)

    assert refusal(f"case_ref,value,note\nNS-001,yes,{note}\n".encode()) == [
        "Row 2, column note: it is 32,768 characters long; this column holds at most 32,767 "
        "(the most an XLSX cell holds)."
    ]


def test_other_cells_hold_at_most_a_thousand_characters():
    value = "y" * (CELL_MAX_CHARS + 1)
    fits = "y" * CELL_MAX_CHARS

    assert read_sheet(f"case_ref,value\nNS-001,{fits}\n".encode(), **COLUMNS)
    assert refusal(f"case_ref,value\nNS-001,{value}\n".encode()) == [
        "Row 2, column value: it is 1,001 characters long; this column holds at most 1,000."
    ]


# What a command prints


def test_a_refusal_report_lists_every_problem_of_a_short_list():
    report = refusal_report(ImportRefused(["Row 2: one", "Row 3: two"]), "answers.csv")

    assert report == "Nothing was imported from answers.csv (2 problems):\nRow 2: one\nRow 3: two"


@pytest.mark.parametrize(
    ("count", "last_line"), [(51, "1 more problem"), (1234, "1,184 more problems")]
)
def test_a_refusal_report_lists_fifty_problems_then_counts_the_rest(count, last_line):
    problems = [f"Row {number}: wrong" for number in range(2, count + 2)]

    summary, *lines = refusal_report(ImportRefused(problems), "answers.csv").splitlines()

    assert summary == f"Nothing was imported from answers.csv ({count:,} problems):"
    assert lines[:50] == problems[:50]
    assert lines[50:] == [f"… and {last_line}."]
