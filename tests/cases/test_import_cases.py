"""manage.py import_cases: an inspection's sample from the research team's spreadsheet."""

import pytest

from cases.models import REQUIREMENTS, Case
from inspection.lib.spreadsheets import xlsx_bytes
from tests.helpers import CASES_HEADER, csv_file, refused, run

OPTIONAL = ["mappa_level", "court_report", "interviewed", "likelihood_of_reoffending"]
CRC_CASE = ["NS-101", "CRC", "community_order", "female", "white", "Northshire hub", "medium"]
NPS_CASE = ["NS-102", "NPS", "licence", "male", "black", "Southgate office", "very_high"]


@pytest.fixture
def cases_file(tmp_path):
    def write(*rows: list[str], header: list[str] = CASES_HEADER, bom: bool = False) -> str:
        return str(csv_file(tmp_path / "cases.csv", header, list(rows), bom=bom))

    return write


def descriptors(case_ref: str) -> dict:
    return Case.objects.filter(case_ref=case_ref).values(
        "organisation",
        "sentence_type",
        "gender",
        "ethnicity",
        "office",
        "rosh_level",
        "mappa_level",
        "court_report",
        "interviewed",
        "likelihood_of_reoffending",
        "offence_type",
        *REQUIREMENTS,
        "assigned_inspector__username",
    )[0]


def problems_with(cases_file, *rows, header=CASES_HEADER) -> list[str]:
    """The problems listed for a refused file; the inspection's sample is as it was."""
    before = set(Case.objects.values_list("case_ref", flat=True))
    problems = refused("import_cases", "northshire", cases_file(*rows, header=header))
    assert set(Case.objects.values_list("case_ref", flat=True)) == before
    return problems


# What is imported


def test_cases_are_added_with_their_descriptors_and_defaults_for_optional_columns(
    inspection, cases_file
):
    output = run("import_cases", "northshire", cases_file(CRC_CASE, NPS_CASE))

    assert output.startswith("Added 2 cases to northshire.")
    assert descriptors("NS-101") == {
        "organisation": "CRC",
        "sentence_type": "community_order",
        "gender": "female",
        "ethnicity": "white",
        "office": "Northshire hub",
        "rosh_level": "medium",
        "mappa_level": "none",
        "court_report": "none",
        "interviewed": False,
        "likelihood_of_reoffending": "",
        "offence_type": "",
        **dict.fromkeys(REQUIREMENTS, False),
        "assigned_inspector__username": None,
    }
    assert Case.objects.get(case_ref="NS-102").inspection == inspection


def test_optional_columns_and_the_assigned_inspector_are_imported(
    inspection, inspector, cases_file
):
    header = [*CASES_HEADER, *OPTIONAL, "assigned_inspector"]
    path = cases_file([*NPS_CASE, "2", "full_written", "yes", "high", "ivy"], header=header)

    run("import_cases", "northshire", path)

    assert descriptors("NS-102") == {
        "organisation": "NPS",
        "sentence_type": "licence",
        "gender": "male",
        "ethnicity": "black",
        "office": "Southgate office",
        "rosh_level": "very_high",
        "mappa_level": "2",
        "court_report": "full_written",
        "interviewed": True,
        "likelihood_of_reoffending": "high",
        "offence_type": "",
        **dict.fromkeys(REQUIREMENTS, False),
        "assigned_inspector__username": "ivy",
    }


def test_the_offence_type_and_the_requirements_of_the_order_are_imported(inspection, cases_file):
    header = [*CASES_HEADER, "offence_type", *REQUIREMENTS]
    requirements = ["yes", "no", "yes", "", "no", "yes"]  # in REQUIREMENTS order
    path = cases_file([*CRC_CASE, "drugs", *requirements], header=header)

    run("import_cases", "northshire", path)

    imported = descriptors("NS-101")
    assert imported["offence_type"] == "drugs"
    assert {name: imported[name] for name in REQUIREMENTS} == {
        "unpaid_work": True,
        "accredited_programme": False,
        "rehabilitation_activity": True,
        "alcohol_treatment": False,
        "drug_rehabilitation": False,
        "curfew": True,
    }


def test_empty_offence_type_and_requirement_cells_mean_not_recorded_and_none(
    inspection, cases_file
):
    header = [*CASES_HEADER, "offence_type", *REQUIREMENTS]

    run("import_cases", "northshire", cases_file([*NPS_CASE, "", *[""] * 6], header=header))

    imported = descriptors("NS-102")
    assert imported["offence_type"] == ""
    assert not any(imported[name] for name in REQUIREMENTS)


def test_empty_optional_cells_take_the_defaults(inspection, cases_file):
    run(
        "import_cases",
        "northshire",
        cases_file([*CRC_CASE, "", "", "", ""], header=[*CASES_HEADER, *OPTIONAL]),
    )

    case = Case.objects.get(case_ref="NS-101")
    assert (case.mappa_level, case.court_report, case.interviewed) == ("none", "none", False)


def test_a_csv_with_a_byte_order_mark_is_imported(inspection, cases_file):
    run("import_cases", "northshire", cases_file(CRC_CASE, bom=True))

    assert Case.objects.filter(case_ref="NS-101").exists()


def test_the_first_sheet_of_an_xlsx_workbook_is_imported(inspection, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(xlsx_bytes(CASES_HEADER, [CRC_CASE, NPS_CASE], sheet_name="sample"))

    run("import_cases", "northshire", str(path))

    assert set(inspection.cases.values_list("case_ref", flat=True)) == {"NS-101", "NS-102"}


# Each kind of problem names the row, the case and the column; nothing is saved


@pytest.mark.parametrize(
    ("column", "value", "allowed"),
    [
        ("organisation", "Probation", "CRC, NPS"),
        ("sentence_type", "prison", "community_order, suspended_sentence_order, licence"),
        ("gender", "f", "male, female, other"),
        ("ethnicity", "british", "white, mixed, asian, black, other, not_stated"),
        ("rosh_level", "extreme", "low, medium, high, very_high"),
    ],
)
def test_a_bad_descriptor_code_is_named_with_the_codes_allowed(
    inspection, cases_file, column, value, allowed
):
    row = dict(zip(CASES_HEADER, CRC_CASE, strict=True)) | {column: value}

    assert problems_with(cases_file, list(row.values())) == [
        f"Row 2: case NS-101, column {column}: “{value}” is not one of its codes; "
        f"expected one of {allowed}."
    ]


@pytest.mark.parametrize(
    ("column", "value", "allowed"),
    [
        ("mappa_level", "4", "none, 1, 2, 3"),
        ("court_report", "psr", "full_written, short_or_oral, none"),
        ("interviewed", "maybe", "yes, no"),
        ("likelihood_of_reoffending", "very_high", "low, medium, high"),
        (
            "offence_type",
            "burglary",
            "violence, sexual, robbery, theft, criminal_damage, drugs, weapons, public_order, "
            "miscellaneous, fraud, summary_non_motoring, summary_motoring",
        ),
        ("unpaid_work", "150 hours", "yes, no"),
        ("curfew", "Y", "yes, no"),
    ],
)
def test_a_bad_optional_descriptor_code_is_named_with_the_codes_allowed(
    inspection, cases_file, column, value, allowed
):
    (problem,) = problems_with(cases_file, [*CRC_CASE, value], header=[*CASES_HEADER, column])

    assert problem == (
        f"Row 2: case NS-101, column {column}: “{value}” is not one of its codes; "
        f"expected one of {allowed}."
    )


def test_a_requirement_on_a_licence_case_is_refused_naming_row_case_and_column(
    inspection, cases_file
):
    header = [*CASES_HEADER, "unpaid_work", "curfew"]
    order_with_curfew = [*CRC_CASE, "no", "yes"]
    licence_with_both = [*NPS_CASE, "yes", "yes"]

    assert problems_with(cases_file, order_with_curfew, licence_with_both, header=header) == [
        f"Row 3: case NS-102, column {column}: a licence has no requirements of an order; "
        "expected no (or empty), or a sentence_type other than licence."
        for column in ["unpaid_work", "curfew"]
    ]


def test_an_empty_required_descriptor_is_named(inspection, cases_file):
    row = [*CRC_CASE[:3], "", *CRC_CASE[4:]]

    assert problems_with(cases_file, row) == [
        "Row 2: case NS-101, column gender: it is empty; expected one of male, female, other."
    ]


def test_a_case_reference_that_is_not_pseudonymous_shape_is_refused(inspection, cases_file):
    (problem,) = problems_with(cases_file, ["John Smith", *CRC_CASE[1:]])

    assert problem.startswith("Row 2: case John Smith, column case_ref: Enter a case reference")


def test_a_case_reference_twice_in_the_file_is_refused_naming_both_rows(inspection, cases_file):
    assert problems_with(cases_file, CRC_CASE, NPS_CASE, CRC_CASE) == [
        "Row 4: case NS-101 is also in row 2."
    ]


def test_a_case_reference_already_in_the_inspection_is_refused(case, cases_file):
    assert problems_with(cases_file, ["NS-001", *CRC_CASE[1:]]) == [
        "Row 2: case NS-001 is already in inspection northshire."
    ]


def test_a_case_reference_of_another_inspection_may_be_reused(case, other_case, cases_file):
    run("import_cases", "northshire", cases_file([other_case.case_ref, *CRC_CASE[1:]]))

    assert Case.objects.filter(case_ref=other_case.case_ref).count() == 2


def test_an_assigned_inspector_not_on_the_team_is_refused_naming_the_team(
    inspection, inspector, other_inspector, cases_file
):
    header = [*CASES_HEADER, "assigned_inspector"]

    assert problems_with(cases_file, [*CRC_CASE, "otto"], header=header) == [
        "Row 2: case NS-101, column assigned_inspector: “otto” is not on the team of "
        "northshire; expected one of ivy."
    ]


def test_missing_and_unknown_columns_are_refused(inspection, cases_file):
    header = [*CASES_HEADER[:-1], "risk"]

    problems = problems_with(cases_file, CRC_CASE, header=header)

    assert problems[0].startswith("Row 1 (the header): the required column rosh_level is missing")
    assert problems[1].startswith("Row 1 (the header): unknown column “risk”")


def test_a_published_inspection_refuses_new_cases(inspection, cases_file):
    inspection.status = "published"
    inspection.save()

    assert problems_with(cases_file, CRC_CASE) == [
        "Inspection northshire is published, so its sample is fixed."
    ]


def test_every_problem_is_listed_at_once_and_no_case_is_saved(case, cases_file):
    problems = problems_with(
        cases_file,
        NPS_CASE,
        ["NS-001", *CRC_CASE[1:]],
        ["NS-103", "CRC", "community_order", "female", "pink", "", "medium"],
    )

    assert problems == [
        "Row 3: case NS-001 is already in inspection northshire.",
        "Row 4: case NS-103, column ethnicity: “pink” is not one of its codes; "
        "expected one of white, mixed, asian, black, other, not_stated.",
        "Row 4: case NS-103, column office: This field cannot be blank.",
    ]
    assert not Case.objects.filter(case_ref="NS-102").exists()


def test_an_unknown_inspection_is_an_error(db, cases_file):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no inspection with the slug “nowhere”"):
        call_command("import_cases", "nowhere", cases_file(CRC_CASE))


def test_importing_cases_runs_the_same_queries_for_2_or_60_cases(
    inspection, tmp_path, django_assert_max_num_queries
):
    def rows(count: int, prefix: str) -> list[list[str]]:
        return [[f"{prefix}-{n}", *CRC_CASE[1:]] for n in range(count)]

    few = csv_file(tmp_path / "few.csv", CASES_HEADER, rows(2, "A"))
    many = csv_file(tmp_path / "many.csv", CASES_HEADER, rows(60, "B"))
    with django_assert_max_num_queries(12) as few_queries:
        run("import_cases", "northshire", str(few))
    with django_assert_max_num_queries(12) as many_queries:
        run("import_cases", "northshire", str(many))

    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)
    assert Case.objects.filter(inspection=inspection).count() == 62


# Bad files: a clear message, never a traceback, and nothing saved


def test_a_control_character_in_a_descriptor_is_refused_naming_row_and_column(
    inspection, cases_file
):
    office = "Northshire\x0bhub"

    assert problems_with(cases_file, CRC_CASE, [*NPS_CASE[:5], office, NPS_CASE[6]]) == [
        "Row 3, column office: it holds the control character U+000B (vertical tab, Word's "
        "manual line break) at character 11, which cannot be imported; delete it (most "
        "spreadsheets do not show it)."
    ]


def test_a_cell_over_a_thousand_characters_is_refused(inspection, cases_file):
    assert problems_with(cases_file, [*CRC_CASE[:5], "o" * 1_001, CRC_CASE[6]]) == [
        "Row 2, column office: it is 1,001 characters long; this column holds at most 1,000."
    ]


def test_a_file_with_hundreds_of_problems_lists_fifty_then_counts_the_rest(inspection, cases_file):
    rows = [[f"NS-{number}", *CRC_CASE[1:4], "pink", *CRC_CASE[5:]] for number in range(300)]

    problems = problems_with(cases_file, *rows)

    assert len(problems) == 51
    assert problems[0].startswith("Row 2: case NS-0, column ethnicity: “pink”")
    assert problems[-1] == "… and 250 more problems."
