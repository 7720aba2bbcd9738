"""Reading the research team's files and guarding cells against spreadsheet formulas."""

import pytest

from inspection.lib.spreadsheets import (
    ImportRefused,
    csv_bytes,
    formula_guard,
    formula_unguard,
    read_sheet,
    xlsx_bytes,
)

COLUMNS = {"required": ["case_ref", "value"], "optional": ["note"]}


def refusal(data: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read_sheet(data, **COLUMNS)
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
    ],
)
def test_formula_guard_adds_one_apostrophe_that_unguard_removes_again(text, written):
    assert formula_guard(text) == written
    assert formula_unguard(written) == text


@pytest.mark.parametrize("text", ["'already quoted", "'", "''", "'5"])
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
    assert "CSV UTF-8" in refusal("case_ref,value\nNS-001,café\n".encode("cp1252"))[0]


def test_an_empty_file_is_refused():
    assert "empty" in refusal(b"")[0]
