"""Whatever file it is given, the answers import saves every answer or refuses with a message.

Never another exception (a traceback for the person at the terminal), and a refusal leaves
every answer as it was.
"""

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from inspection.lib.spreadsheets import ImportRefused, read_sheet
from inspection.lib.text import MAX_IMPORT_ROWS
from judgements.management.commands.import_answers import SHEET_COLUMNS
from judgements.models import Question
from judgements.services import AnswerSlot, answer_record, answers_import
from tests.bad_files import imported_or_refused, malformed_file, nearly_right_file
from tests.helpers import csv_file

NUMBERS = st.one_of(
    st.integers().map(str),
    st.floats().map(repr),
    st.decimals(min_value=-(10**12), max_value=10**12, places=4).map(str),
    # Huge and tiny, but short enough written out for PostgreSQL's index on values; the tests
    # at the end of this file take numbers up to and past what the decimal context holds.
    st.builds("{}e{}".format, st.integers(-9, 9), st.integers(-100_000, 100_000)),
    st.sampled_from(["1e-999999999", "0e999999999", "NaN", "-Infinity", "sNaN"]),
)
FITTING_CELLS = {
    "case_ref": st.sampled_from(["NS-001", "NS-002", "NS-999", "", " NS-001 "]),
    "question": st.sampled_from(["RR-A1", "RR-A2", "RR-P1", "CD-2", "RR-O2", "RR-N1", "XX-1"]),
    "item": st.sampled_from(["", "alcohol", "drugs", "beer"]),
    "value": st.one_of(
        st.sampled_from(["yes", "No", "na", "", "charged", "'=1+1", "'-5"]),
        NUMBERS,
        st.text(max_size=10),
    ),
    "note": st.one_of(st.just(""), st.sampled_from(["=1+1", "'-5", "\tx"]), st.text(max_size=20)),
}
# The fixtures are set up once for all the examples; each example rolls back what it wrote.
EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A lowered row limit, so a handful of rows can be too many.
ROW_LIMITS = st.sampled_from([2, MAX_IMPORT_ROWS])


@pytest.fixture
def answered_inspection(case, text_question, inspector):
    """Northshire, whose case NS-001 already has some answers a bad import must not touch."""
    for code, value in [("RR-A1", "yes"), ("CD-2", "6"), ("RR-N1", "Seen at home")]:
        question = Question.objects.get(framework__code="qi-2016", code=code)
        answer_record(slot=AnswerSlot(case, question), value=value, note="before", user=inspector)
    return case.inspection


def import_answers(inspection, data: bytes, max_rows: int = MAX_IMPORT_ROWS) -> None:
    """What import_answers does with a file (--replace, so more files reach the writing)."""
    rows = read_sheet(data, **SHEET_COLUMNS, max_rows=max_rows)
    answers_import(inspection=inspection, rows=rows, replace=True)


@EXAMPLES
@given(data=nearly_right_file(FITTING_CELLS), max_rows=ROW_LIMITS)
def test_a_nearly_right_answers_file_is_saved_whole_or_refused_leaving_the_answers_as_they_were(
    answered_inspection, data, max_rows
):
    event(imported_or_refused(lambda: import_answers(answered_inspection, data, max_rows)))


@EXAMPLES
@given(data=malformed_file(FITTING_CELLS), max_rows=ROW_LIMITS)
def test_any_bytes_as_an_answers_file_are_saved_or_refused_leaving_the_answers_as_they_were(
    answered_inspection, data, max_rows
):
    event(imported_or_refused(lambda: import_answers(answered_inspection, data, max_rows)))


def answers_file_bytes(tmp_path, *row: str) -> bytes:
    header = ["case_ref", "question", "item", "value", "note"]
    return csv_file(tmp_path / "answers.csv", header, [list(row)]).read_bytes()


@pytest.mark.parametrize(
    "value",
    [
        "1e99999",
        "1e999990",  # "1" and 999,990 zeros
        "-1e-999990",
        "1e999999999",
        "1e1000000",
    ],
)
def test_a_huge_number_answer_is_refused_naming_the_range_never_a_traceback(
    answered_inspection, tmp_path, value
):
    data = answers_file_bytes(tmp_path, "NS-001", "CD-2", "", value, "")

    with pytest.raises(ImportRefused) as refused:
        import_answers(answered_inspection, data)

    assert "CD-2" in refused.value.messages[0]
    assert "from 0 to 600" in refused.value.messages[0]


def test_a_thousand_character_text_answer_in_chinese_is_refused_never_a_traceback(
    answered_inspection, tmp_path
):
    # 3,000 bytes of UTF-8 that compress poorly: CJK ideographs in no repeating order.
    text = "".join(chr(0x4E00 + (number * 7919) % 20_000) for number in range(1_000))
    data = answers_file_bytes(tmp_path, "NS-001", "RR-N1", "", text, "")

    with pytest.raises(ImportRefused) as refused:
        import_answers(answered_inspection, data)

    assert "at most 500 characters" in refused.value.messages[0]
