"""Whatever file it is given, the cases import adds every case or refuses with a message.

Never another exception (a traceback for the person at the terminal), and a refusal leaves
the sample as it was.
"""

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cases.management.commands.import_cases import SHEET_COLUMNS
from cases.services import cases_import
from inspection.lib.spreadsheets import read_sheet
from inspection.lib.text import MAX_IMPORT_ROWS
from tests.bad_files import imported_or_refused, malformed_file, nearly_right_file

FITTING_CELLS = {
    "case_ref": st.sampled_from(["NS-101", "NS-102", "NS-001", "", "John Smith", "ns 1"]),
    "organisation": st.sampled_from(["CRC", "NPS", "crc", "", "Probation"]),
    "sentence_type": st.sampled_from(["community_order", "licence", "prison"]),
    "gender": st.sampled_from(["male", "female", "other", "f"]),
    "ethnicity": st.sampled_from(["white", "black", "not_stated", "pink"]),
    "office": st.sampled_from(["Northshire hub", "", " spaced ", "=1+1", "'-5"]),
    "rosh_level": st.sampled_from(["low", "very_high", "extreme"]),
    "mappa_level": st.sampled_from(["none", "2", "4", ""]),
    "court_report": st.sampled_from(["full_written", "none", "psr"]),
    "interviewed": st.sampled_from(["yes", "no", "maybe", ""]),
    "likelihood_of_reoffending": st.sampled_from(["low", "high", "very_high"]),
    "assigned_inspector": st.sampled_from(["ivy", "otto", ""]),
    "offence_type": st.sampled_from(["theft", "sexual", "", "burglary"]),
    **{
        requirement: st.sampled_from(["yes", "no", "", "Y"])
        for requirement in ["unpaid_work", "accredited_programme", "rehabilitation_activity"]
    },
    **{
        requirement: st.sampled_from(["yes", "no"])
        for requirement in ["alcohol_treatment", "drug_rehabilitation", "curfew"]
    },
}
# The fixtures are set up once for all the examples; each example rolls back what it wrote.
EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A lowered row limit, so a handful of rows can be too many.
ROW_LIMITS = st.sampled_from([2, MAX_IMPORT_ROWS])


def import_cases(inspection, data: bytes, max_rows: int) -> None:
    """What import_cases does with a file."""
    rows = read_sheet(data, **SHEET_COLUMNS, max_rows=max_rows)
    cases_import(inspection=inspection, rows=rows)


@EXAMPLES
@given(data=nearly_right_file(FITTING_CELLS), max_rows=ROW_LIMITS)
def test_a_nearly_right_cases_file_is_added_whole_or_refused_leaving_the_sample_as_it_was(
    case, other_inspector, data, max_rows
):
    event(imported_or_refused(lambda: import_cases(case.inspection, data, max_rows)))


@EXAMPLES
@given(data=malformed_file(FITTING_CELLS), max_rows=ROW_LIMITS)
def test_any_bytes_as_a_cases_file_are_added_or_refused_leaving_the_sample_as_it_was(
    case, other_inspector, data, max_rows
):
    event(imported_or_refused(lambda: import_cases(case.inspection, data, max_rows)))
