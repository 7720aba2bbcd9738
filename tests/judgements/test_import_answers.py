"""manage.py import_answers: a long-format answers file, saved whole or not at all; and the
import service behind it (answers_import), row by row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspection.lib.spreadsheets import ImportRefused, SheetRow
from inspection.lib.text import MAX_IMPORT_BYTES
from inspection.models import Inspection
from judgements.framework import framework_loaded
from judgements.models import Answer
from judgements.services import answer_file as services
from judgements.services import answers_import
from tests.factories import CaseFactory
from tests.helpers import ANSWERS_HEADER, csv_file, question, record, refused, run


@pytest.fixture
def nps_case(inspection):
    return CaseFactory(inspection=inspection, case_ref="NS-002", organisation="NPS")


@pytest.fixture
def answers_file(tmp_path):
    def write(*rows: list[str], header: list[str] = ANSWERS_HEADER, bom: bool = False) -> str:
        return str(csv_file(tmp_path / "answers.csv", header, list(rows), bom=bom))

    return write


def stored() -> dict[tuple[str, str, str], tuple[str, str]]:
    answers = Answer.objects.select_related("case", "question", "item")
    return {
        (a.case.case_ref, a.question.code, a.item.code if a.item else ""): (a.value, a.note)
        for a in answers
    }


# What is imported


def test_answers_of_every_kind_are_imported_with_their_notes(
    case, answers_file, signed_number_question
):
    path = answers_file(
        ["NS-001", "RR-A1", "", "Yes", "OASys on file"],
        ["NS-001", "RR-A2", "alcohol", "no", ""],
        ["NS-001", "PP-D8b", "", "na", ""],
        ["NS-001", "RR-O2", "", "charged", ""],
        ["NS-001", "CD-2", "", "6.50", ""],
    )

    output = run("import_answers", "northshire", path)

    assert "5 new" in output
    assert stored() == {
        ("NS-001", "RR-A1", ""): ("yes", "OASys on file"),
        ("NS-001", "RR-A2", "alcohol"): ("no", ""),
        ("NS-001", "PP-D8b", ""): ("na", ""),
        ("NS-001", "RR-O2", ""): ("charged", ""),
        ("NS-001", "CD-2", ""): ("6.5", ""),
    }


def test_a_gate_answer_later_in_the_file_opens_the_question_it_gates(case, answers_file):
    path = answers_file(
        ["NS-001", "RR-P1", "alcohol", "yes", "Planning covers alcohol"],
        ["NS-001", "RR-A2", "alcohol", "yes", ""],
    )

    run("import_answers", "northshire", path)

    assert stored()[("NS-001", "RR-P1", "alcohol")] == ("yes", "Planning covers alcohol")


def test_a_gate_answered_earlier_in_the_app_opens_the_question_in_the_file(case, answers_file):
    record(case, "RR-A2", "yes", "drugs")

    run("import_answers", "northshire", answers_file(["NS-001", "RR-P1", "drugs", "no", ""]))

    assert stored()[("NS-001", "RR-P1", "drugs")] == ("no", "")


def test_an_empty_value_imports_nothing_for_its_row(case, answers_file):
    path = answers_file(
        ["NS-001", "RR-A1", "", "", "a note with no answer"],
        ["NS-001", "RR-A3", "", "yes", ""],
    )

    output = run("import_answers", "northshire", path)

    assert "1 new" in output
    assert set(stored()) == {("NS-001", "RR-A3", "")}


def test_the_note_column_may_be_left_out(case, answers_file):
    path = answers_file(["NS-001", "RR-A1", "", "yes"], header=ANSWERS_HEADER[:4])

    run("import_answers", "northshire", path)

    assert stored() == {("NS-001", "RR-A1", ""): ("yes", "")}


@pytest.mark.parametrize(
    ("in_file", "note"),
    [
        ("  spaces kept  ", "  spaces kept  "),
        ("line one\nline two", "line one\nline two"),
        ('a "quoted", comma', 'a "quoted", comma'),
        ("ünïcode ✓", "ünïcode ✓"),
        ("<b>not markup</b>", "<b>not markup</b>"),
        ("'=1+1", "=1+1"),
        ("=1+1", "=1+1"),
        ("'already quoted", "'already quoted"),
    ],
)
def test_notes_are_stored_exactly_as_given_less_one_formula_guard(
    case, answers_file, in_file, note
):
    run("import_answers", "northshire", answers_file(["NS-001", "RR-A1", "", "yes", in_file]))

    assert stored()[("NS-001", "RR-A1", "")] == ("yes", note)


@pytest.mark.parametrize("in_file", ["-5", "'-5"])
def test_a_negative_number_is_imported_with_or_without_its_formula_guard(
    case, answers_file, in_file, signed_number_question
):
    run("import_answers", "northshire", answers_file(["NS-001", "CD-2", "", in_file, ""]))

    assert stored()[("NS-001", "CD-2", "")] == ("-5", "")


def test_a_csv_with_a_byte_order_mark_is_imported(case, answers_file):
    run("import_answers", "northshire", answers_file(["NS-001", "RR-A1", "", "yes", ""], bom=True))

    assert ("NS-001", "RR-A1", "") in stored()


def test_the_first_sheet_of_an_xlsx_workbook_is_imported(case, tmp_path, signed_number_question):
    from inspection.lib.spreadsheets import xlsx_bytes

    path = tmp_path / "answers.xlsx"
    path.write_bytes(
        xlsx_bytes(ANSWERS_HEADER, [["NS-001", "CD-2", "", "'-5", "'=1+1"]], sheet_name="answers")
    )

    run("import_answers", "northshire", str(path))

    assert stored() == {("NS-001", "CD-2", ""): ("-5", "=1+1")}


# Replacing answers


def test_an_answer_the_case_already_has_is_refused_naming_both_values(case, answers_file):
    record(case, "RR-A1", "yes", note="first")

    problems = refused(
        "import_answers", "northshire", answers_file(["NS-001", "RR-A1", "", "no", ""])
    )

    assert problems == [
        "Row 2: case NS-001, RR-A1: already answered “yes”; the file gives “no”. "
        "Import with --replace to overwrite it."
    ]
    assert stored() == {("NS-001", "RR-A1", ""): ("yes", "first")}


def test_replace_overwrites_the_answer_and_moves_its_version_on(case, inspector, answers_file):
    record(case, "RR-A1", "yes", user=inspector)

    output = run(
        "import_answers",
        "northshire",
        answers_file(["NS-001", "RR-A1", "", "no", "revised"]),
        "--replace",
    )

    answer = Answer.objects.get(case=case, question=question("RR-A1"))
    assert "1 replaced" in output
    assert (answer.value, answer.note, answer.version, answer.answered_by) == (
        "no",
        "revised",
        2,
        None,
    )


def test_replace_leaves_an_identical_answer_and_who_gave_it_alone(case, inspector, answers_file):
    record(case, "RR-A1", "yes", user=inspector)

    output = run(
        "import_answers",
        "northshire",
        answers_file(["NS-001", "RR-A1", "", "yes", ""]),
        "--replace",
    )

    answer = Answer.objects.get(case=case, question=question("RR-A1"))
    assert "1 unchanged" in output
    assert (answer.version, answer.answered_by) == (1, inspector)


def test_replacing_a_gate_answer_closes_the_questions_it_gated_in_the_same_file(case, answers_file):
    record(case, "RR-A2", "yes", "alcohol")
    path = answers_file(
        ["NS-001", "RR-P1", "alcohol", "yes", ""],
        ["NS-001", "RR-A2", "alcohol", "no", ""],
    )

    problems = refused("import_answers", "northshire", path, "--replace")

    assert problems == [
        "Row 2: case NS-001, RR-P1 [alcohol]: the question is not asked of this case "
        "(asked only where RR-A2 is yes)."
    ]


# Each kind of problem names the row, the case and the column or question; nothing is saved


def problems_with(answers_file, *rows: list[str]) -> list[str]:
    problems = refused("import_answers", "northshire", answers_file(*rows))
    assert not Answer.objects.exists()
    return problems


def test_an_unknown_case_reference_is_named(case, answers_file):
    assert problems_with(answers_file, ["NS-999", "RR-A1", "", "yes", ""]) == [
        "Row 2: case NS-999: there is no such case in inspection northshire (column case_ref)."
    ]


def test_a_case_of_another_inspection_is_unknown_here(case, other_case, answers_file):
    problems = problems_with(answers_file, [other_case.case_ref, "RR-A1", "", "yes", ""])

    assert "no such case in inspection northshire" in problems[0]


def test_an_unknown_question_is_named(case, answers_file):
    assert problems_with(answers_file, ["NS-001", "RR-Z9", "", "yes", ""]) == [
        "Row 2: case NS-001, column question: “RR-Z9” is not a question of framework qi-2016 "
        "(export_framework lists them)."
    ]


def test_an_unknown_item_is_named_with_the_items_expected(case, answers_file):
    (problem,) = problems_with(answers_file, ["NS-001", "RR-A2", "beer", "yes", ""])

    assert problem.startswith("Row 2: case NS-001, RR-A2, column item: “beer” is not an item")
    assert "accommodation, ete, finance" in problem


def test_an_item_given_for_a_question_without_items_is_refused(case, answers_file):
    assert problems_with(answers_file, ["NS-001", "RR-A1", "alcohol", "yes", ""]) == [
        "Row 2: case NS-001, RR-A1, column item: RR-A1 has no items, so leave item empty "
        "(it says “alcohol”)."
    ]


def test_an_item_question_without_an_item_is_refused_naming_its_items(case, answers_file):
    (problem,) = problems_with(answers_file, ["NS-001", "RR-A2", "", "yes", ""])

    assert problem.startswith("Row 2: case NS-001, RR-A2, column item: RR-A2 is asked per item")
    assert "alcohol" in problem


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("RR-A1", "na", "expected one of yes, no"),
        ("RR-O2", "acquitted", "expected one of convicted_or_cautioned, charged, arrested, none"),
        ("CD-2", "six", "expected a number"),
    ],
)
def test_a_value_that_does_not_fit_the_question_is_named_with_what_was_expected(
    case, answers_file, code, value, expected
):
    (problem,) = problems_with(answers_file, ["NS-001", code, "", value, ""])

    assert problem.startswith(f"Row 2: case NS-001, {code}: “{value}”")
    assert expected in problem


def test_an_answer_to_a_question_its_gate_excludes_is_refused(case, answers_file):
    assert problems_with(answers_file, ["NS-001", "RR-P1", "drugs", "yes", ""]) == [
        "Row 2: case NS-001, RR-P1 [drugs]: the question is not asked of this case "
        "(asked only where RR-A2 is yes)."
    ]


def test_a_mappa_question_for_a_case_not_at_mappa_level_2_or_3_is_refused(case, answers_file):
    (problem,) = problems_with(answers_file, ["NS-001", "PP-D6", "", "yes", ""])

    assert "mappa_level is 2 or 3" in problem


def test_a_question_not_asked_of_the_cases_organisation_is_refused(nps_case, answers_file):
    crc_only = question("RR-A1")
    crc_only.applies_to_nps = False
    crc_only.save()

    assert problems_with(answers_file, ["NS-002", "RR-A1", "", "yes", ""]) == [
        "Row 2: case NS-002, RR-A1: the question is not asked of NPS cases."
    ]


def test_the_same_answer_twice_in_the_file_is_refused_naming_both_rows(case, answers_file):
    assert problems_with(
        answers_file,
        ["NS-001", "RR-A2", "alcohol", "yes", ""],
        ["NS-001", "RR-A2", "alcohol", "no", ""],
    ) == ["Row 3: case NS-001, RR-A2 [alcohol]: also answered in row 2; give each answer once."]


def test_missing_and_unknown_columns_are_refused(case, answers_file):
    problems = refused(
        "import_answers",
        "northshire",
        answers_file(
            ["NS-001", "RR-A1", "yes", "x"], header=["case_ref", "question", "answer", "note"]
        ),
    )

    assert any("required column item is missing" in problem for problem in problems)
    assert any("required column value is missing" in problem for problem in problems)
    assert any("unknown column “answer”" in problem for problem in problems)


def test_a_published_inspection_refuses_the_whole_file(inspection, case, answers_file):
    inspection.status = "published"
    inspection.save()

    problems = problems_with(answers_file, ["NS-001", "RR-A1", "", "yes", ""])

    assert problems == ["Inspection northshire is published, so its answers cannot change."]


def test_every_problem_is_listed_at_once_in_file_order_and_nothing_is_saved(
    case, nps_case, answers_file
):
    problems = problems_with(
        answers_file,
        ["NS-002", "RR-A1", "", "yes", "a good row, not saved either"],
        ["NS-999", "RR-A1", "", "yes", ""],
        ["NS-001", "RR-P1", "ete", "yes", ""],
        ["NS-001", "RR-A1", "", "maybe", ""],
        ["NS-002", "XX-1", "", "yes", ""],
    )

    assert [problem.split(":")[0] for problem in problems] == ["Row 3", "Row 4", "Row 5", "Row 6"]


def test_the_command_exits_with_an_error_for_a_refused_file(case, answers_file):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as error:
        call_command(
            "import_answers", "northshire", answers_file(["NS-999", "RR-A1", "", "yes", ""])
        )

    assert str(error.value).startswith("Nothing was imported from ")
    assert "(1 problem)" in str(error.value)


# Speed: a fixed number of queries, however long the file


def test_importing_runs_the_same_queries_for_20_or_400_answers(inspection, tmp_path):
    cases = CaseFactory.create_batch(40, inspection=inspection)
    codes = [
        "RR-A1",
        "RR-A3",
        "RR-P3",
        "RR-P5",
        "RR-D3",
        "RR-R1",
        "PP-A1",
        "PP-D5",
        "AB-E1",
        "AB-O1",
    ]

    def queries_to_import(chosen_cases, name) -> int:
        rows = [[c.case_ref, code, "", "yes", ""] for c in chosen_cases for code in codes]
        path = csv_file(tmp_path / name, ANSWERS_HEADER, rows)
        with CaptureQueriesContext(connection) as queries:
            run("import_answers", "northshire", str(path))
        return len(queries.captured_queries)

    framework_loaded(inspection.framework_id)  # kept by the process for both imports
    few = queries_to_import(cases[:2], "few.csv")
    many = queries_to_import(cases[2:], "many.csv")

    assert Answer.objects.count() == 400
    assert many == few


# Bad files: a clear message, never a traceback, and nothing saved


def test_a_nul_in_a_note_is_refused_naming_row_column_and_character(case, answers_file):
    problems = problems_with(
        answers_file,
        ["NS-001", "RR-A1", "", "yes", ""],
        ["NS-001", "RR-A3", "", "yes", "pasted\x00from a database"],
    )

    assert problems == [
        "Row 3, column note: it holds the control character U+0000 (NUL) at character 7, "
        "which cannot be imported; delete it (most spreadsheets do not show it)."
    ]


def test_a_utf16_answers_file_is_refused_with_one_message(case, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("case_ref,question,item,value,note\nNS-001,RR-A1,,yes,\n", encoding="utf-16")

    assert refused("import_answers", "northshire", str(path)) == [
        "The file is not UTF-8 text (it looks like UTF-16, Excel's “Unicode text”). "
        "Save it as “CSV UTF-8” (or as XLSX) and try again."
    ]


def test_a_note_longer_than_an_xlsx_cell_holds_is_refused(case, answers_file):
    problems = problems_with(answers_file, ["NS-001", "RR-A1", "", "yes", "n" * 40_000])

    assert problems == [
        "Row 2, column note: it is 40,000 characters long; this column holds at most 32,767 "
        "(the most an XLSX cell holds)."
    ]


def test_a_note_as_long_as_an_xlsx_cell_holds_and_a_500_character_answer_are_imported(
    case, text_question, answers_file
):
    text, note = "t" * 500, "n" * 32_767

    run("import_answers", "northshire", answers_file(["NS-001", "RR-N1", "", text, note]))

    assert stored() == {("NS-001", "RR-N1", ""): (text, note)}


def test_a_text_answer_over_500_characters_is_refused_saying_the_note_takes_more(
    case, text_question, answers_file
):
    [problem] = problems_with(answers_file, ["NS-001", "RR-N1", "", "t" * 501, ""])

    assert problem.startswith("Row 2: case NS-001, RR-N1: the answer has 501 characters")
    assert "at most 500 characters (put longer evidence in the note)" in problem


def test_a_note_with_a_control_character_is_refused_naming_row_and_character(case, answers_file):
    [problem] = problems_with(answers_file, ["NS-001", "RR-A1", "", "yes", "tab\tok, bell \x07"])

    assert problem.startswith("Row 2")
    assert "U+0007" in problem


def test_a_text_answer_over_a_thousand_characters_is_refused(case, text_question, answers_file):
    assert problems_with(answers_file, ["NS-001", "RR-N1", "", "t" * 1_001, ""]) == [
        "Row 2, column value: it is 1,001 characters long; this column holds at most 1,000."
    ]


# Who the answers are recorded as given by


def test_answers_are_recorded_as_given_by_a_member_of_the_team(case, inspector, answers_file):
    path = answers_file(["NS-001", "RR-A1", "", "yes", ""])

    run("import_answers", "northshire", path, "--answered-by", "ivy")

    assert Answer.objects.get().answered_by == inspector


@pytest.mark.parametrize("username", ["otto", "nobody"])
def test_answered_by_someone_not_on_the_team_is_refused_naming_the_team(
    case, lead, other_inspector, answers_file, username
):
    from django.core.management import CommandError, call_command

    path = answers_file(["NS-001", "RR-A1", "", "yes", ""])
    with pytest.raises(CommandError) as error:
        call_command("import_answers", "northshire", path, "--answered-by", username)

    assert str(error.value) == (
        f"“{username}” is not on the team of northshire, so the answers cannot be recorded as "
        "theirs; the team is ivy, lena."
    )
    assert not Answer.objects.exists()


def test_a_file_over_the_size_limit_is_refused_by_the_command_with_nothing_saved(case, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.write(b"case_ref,question,item,value,note\r\n")
        file.write(b"NS-001,RR-A1,,yes," + b"x" * (MAX_IMPORT_BYTES + 10) + b"\r\n")

    assert refused("import_answers", "northshire", str(path)) == [
        "The file is larger than 20.0 MB, the most an import reads; split it into smaller files."
    ]
    assert not Answer.objects.exists()


# The import service (answers_import), as a spreadsheet's rows reach it


def sheet(*rows: list[str]) -> list[SheetRow]:
    """Rows as a spreadsheet numbers them: the header is row 1."""
    return [
        SheetRow(number, dict(zip(ANSWERS_HEADER, row, strict=True)))
        for number, row in enumerate(rows, 2)
    ]


def data_revision(inspection) -> int:
    return Inspection.objects.get(pk=inspection.pk).data_revision


def test_an_empty_case_reference_is_named_by_its_row_alone(inspection, case):
    with pytest.raises(ImportRefused) as refusal:
        answers_import(inspection=inspection, rows=sheet(["", "RR-A1", "", "yes", ""]))
    assert refusal.value.messages == ["Row 2: column case_ref is empty; give the case reference."]


def test_an_empty_question_column_is_named(inspection, case):
    with pytest.raises(ImportRefused) as refusal:
        answers_import(inspection=inspection, rows=sheet(["NS-001", "", "", "yes", ""]))
    assert refusal.value.messages == [
        "Row 2: case NS-001, column question is empty; give a question code."
    ]


def test_an_imported_note_with_a_control_character_is_refused(inspection, case):
    with pytest.raises(ImportRefused) as refusal:
        answers_import(inspection=inspection, rows=sheet(["NS-001", "RR-A1", "", "yes", "a\x07b"]))
    assert refusal.value.messages == [
        "Row 2: case NS-001, RR-A1, column note: the note holds a control character, U+0007 "
        "at character 2; remove it."
    ]
    assert not Answer.objects.filter(case=case).exists()


def test_an_import_records_who_gave_each_answer_and_who_replaced_it(
    inspection, case, inspector, lead
):
    answers_import(
        inspection=inspection, rows=sheet(["NS-001", "RR-A1", "", "yes", ""]), user=inspector
    )
    answer = Answer.objects.get(case=case, question=question("RR-A1"))
    assert (answer.answered_by, answer.history.get().history_user) == (inspector, inspector)

    answers_import(
        inspection=inspection,
        rows=sheet(["NS-001", "RR-A1", "", "no", ""]),
        user=lead,
        replace=True,
    )
    answer.refresh_from_db()
    assert (answer.value, answer.answered_by) == ("no", lead)
    assert answer.history.latest("history_date").history_user == lead


def test_an_import_counts_the_identical_answers_it_leaves_alone(inspection, case):
    record(case, "RR-A1", "yes")
    record(case, "RR-A3", "no")
    revision = data_revision(inspection)

    imported = answers_import(
        inspection=inspection,
        rows=sheet(["NS-001", "RR-A1", "", "yes", ""], ["NS-001", "RR-A3", "", "no", ""]),
        replace=True,
    )

    assert (imported.created, imported.replaced, imported.unchanged) == (0, 0, 2)
    assert data_revision(inspection) == revision


def test_an_import_of_new_answers_moves_the_inspection_data_on(inspection, case):
    revision = data_revision(inspection)
    imported = answers_import(inspection=inspection, rows=sheet(["NS-001", "RR-A1", "", "yes", ""]))
    assert (imported.created, imported.cleared) == (1, [])
    assert data_revision(inspection) > revision


def test_replacing_gate_answers_lists_what_it_cleared_in_every_case(inspection, case, lead):
    other = CaseFactory(inspection=inspection, case_ref="NS-002")
    for each in (case, other):
        record(each, "RR-A2", "yes", "alcohol")
        record(each, "RR-P1", "yes", "alcohol")

    imported = answers_import(
        inspection=inspection,
        rows=sheet(
            ["NS-001", "RR-A2", "alcohol", "no", ""], ["NS-002", "RR-A2", "alcohol", "no", ""]
        ),
        user=lead,
        replace=True,
    )

    assert imported.replaced == 2
    assert sorted(imported.cleared) == [
        "case NS-001, RR-P1 [alcohol]",
        "case NS-002, RR-P1 [alcohol]",
    ]
    removed = Answer.history.filter(history_type="-")
    assert [entry.history_user for entry in removed] == [lead, lead]


def test_an_answer_given_while_a_file_imports_refuses_the_whole_file(inspection, case, monkeypatch):
    """The file was checked against the answers as they were; one given meanwhile wins."""
    save = services.bulk_create_with_history

    def answered_meanwhile(*args, **kwargs):
        record(case, "RR-A1", "no")
        return save(*args, **kwargs)

    monkeypatch.setattr(services, "bulk_create_with_history", answered_meanwhile)
    with pytest.raises(ImportRefused) as refusal:
        answers_import(inspection=inspection, rows=sheet(["NS-001", "RR-A1", "", "yes", ""]))
    assert refusal.value.messages == [
        "Someone answered one of these questions while the file was being imported; "
        "nothing was saved. Import the file again."
    ]
