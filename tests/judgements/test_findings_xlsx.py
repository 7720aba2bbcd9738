"""The findings workbook: a sheet per domain with the questions' wording, numbers as numbers,
and no text that a spreadsheet would run as a formula."""

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from judgements.findings import ChoiceFinding, Findings, YesNoFinding
from judgements.findings_export import findings_xlsx
from judgements.models import AnswerKind, Domain, Item, Question
from tests.factories import CaseFactory
from tests.helpers import record

HOSTILE_WORDING = '=HYPERLINK("http://example.org","Click")'
# An office is free text from the sample's file.
HOSTILE_OFFICE = "-2+3 office"


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_as_dicts(sheet) -> list[dict]:
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(header, row, strict=True)) for row in rows]


def hostile_findings() -> tuple[Findings, list[Question], dict]:
    domain = Domain(code="RR", name="Reducing reoffending")
    yes_no = Question(code="RR-X1", text=HOSTILE_WORDING, kind=AnswerKind.YES_NO, domain=domain)
    per_item = Question(code="RR-X2", text="Per factor?", kind=AnswerKind.YES_NO, domain=domain)
    per_item.item_set_id = 7
    choice = Question(
        code="RR-X3",
        text="What happened?",
        kind=AnswerKind.CHOICE,
        choices=[{"code": "charged", "label": "@SUM(A1:A9)"}],
        domain=domain,
    )
    items = {7: [Item(code="alcohol", label="+44 alcohol")]}
    rows = [
        YesNoFinding("RR-X1", None, group, yes=2, no=1, not_applicable=0, unanswered=0)
        for group in ("CRC", "NPS", "all")
    ]
    rows.append(
        YesNoFinding("RR-X2", "alcohol", "all", yes=1, no=0, not_applicable=0, unanswered=0)
    )
    findings = Findings(
        inspection="northshire",
        framework="qi-2016",
        cases={"CRC": 3, "NPS": 0, "all": 3},
        descriptors={"gender": {group: {"male": 3} for group in ("CRC", "NPS", "all")}},
        yes_no=rows,
        choices=[ChoiceFinding("RR-X3", None, "all", {"charged": 2})],
    )
    return findings, [yes_no, per_item, choice], items


OFFICES = {HOSTILE_OFFICE: {"CRC": 3, "NPS": 0}}


def test_text_a_spreadsheet_would_run_is_written_as_text_with_its_guard():
    findings, questions, items = hostile_findings()

    book = workbook(findings_xlsx(findings, questions, items, offices=OFFICES))

    sheet = book["Reducing reoffending"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    for hostile in [HOSTILE_WORDING, "+44 alcohol", "@SUM(A1:A9)"]:
        guarded = cells["'" + hostile]
        assert guarded.data_type == "s", hostile
    descriptors = {
        cell.value: cell for row in book["Sample descriptors"].iter_rows() for cell in row
    }
    assert descriptors["'" + HOSTILE_OFFICE].data_type == "s"  # an office's name
    every_cell = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "f"]


def test_a_row_gives_the_wording_and_for_each_group_its_counts_as_numbers():
    findings, questions, items = hostile_findings()

    rows = rows_as_dicts(
        workbook(findings_xlsx(findings, questions, items, offices=OFFICES))["Reducing reoffending"]
    )

    first, per_item, choice = rows
    assert first["question"] == "RR-X1" and first["wording"] == "'" + HOSTILE_WORDING
    assert (first["CRC yes"], first["CRC no"], first["CRC relevant"], first["CRC percent"]) == (
        2, 1, 3, 67
    )  # fmt: skip
    assert first["All phrase"] == "two-thirds" and first["All summary phrase"] == "most"
    assert first["CRC count"] is None
    assert (per_item["item"], per_item["All yes"], per_item["CRC yes"]) == ("alcohol", 1, None)
    assert (choice["choice"], choice["All count"], choice["All yes"]) == ("'@SUM(A1:A9)", 2, None)


@pytest.fixture
def answered(inspection, case):
    record(case, "RR-A1", "yes", note="=1+1, on file")
    return inspection


def test_the_findings_download_as_xlsx_has_a_sheet_per_domain_with_the_wording(
    answered, as_persona
):
    response = as_persona("inspector").get(reverse("findings-xlsx", args=["northshire"]))

    assert response["Content-Disposition"] == 'attachment; filename="northshire-findings.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = workbook(response.content)
    assert "Reducing reoffending" in book.sheetnames
    assert book.sheetnames[-1] == "Sample descriptors"
    rr_a1 = next(
        row for row in rows_as_dicts(book["Reducing reoffending"]) if row["question"] == "RR-A1"
    )
    assert rr_a1["wording"] == Question.objects.get(framework__code="qi-2016", code="RR-A1").text
    assert (rr_a1["CRC yes"], rr_a1["CRC relevant"], rr_a1["All percent"]) == (1, 1, 100)


def test_the_descriptors_sheet_names_each_descriptor_and_value_in_words_with_the_offices(
    answered, as_persona
):
    """Read as the research team reads it, with pandas: "Gender: Male", never "gender: male",
    and a row per office or hub of the sample, by organisation."""
    CaseFactory(
        inspection=answered, case_ref="NS-002", organisation="NPS", office="Riverside office",
        gender="female", interviewed=True, likelihood_of_reoffending="high",
    )  # fmt: skip
    response = as_persona("inspector").get(reverse("findings-xlsx", args=["northshire"]))

    sheet = pd.read_excel(io.BytesIO(response.content), sheet_name="Sample descriptors")
    assert list(sheet.columns) == ["descriptor", "value", "CRC", "NPS", "All"]
    rows = {(row.descriptor, row.value): (row.CRC, row.NPS, row.All) for row in sheet.itertuples()}
    assert rows[("Organisation", "Community Rehabilitation Company")] == (1, 0, 1)
    assert rows[("Organisation", "National Probation Service")] == (0, 1, 1)
    assert rows[("Office or hub", "Central hub")] == (1, 0, 1)
    assert rows[("Office or hub", "Riverside office")] == (0, 1, 1)
    assert rows[("Gender", "Female")] == (0, 1, 1)
    assert rows[("Person on probation interviewed", "Yes")] == (0, 1, 1)
    assert rows[("Risk of serious harm level", "Medium")] == (1, 1, 2)
    assert rows[("Likelihood of reoffending", "High")] == (0, 1, 1)
    assert rows[("Likelihood of reoffending", "Not recorded")] == (1, 0, 1)
    codes = {"gender", "male", "female", "rosh_level", "medium", "not_recorded", "interviewed"}
    assert not codes & {text for pair in rows for text in pair}


def test_the_findings_command_writes_the_workbook(answered, tmp_path: Path):
    output = tmp_path / "findings.xlsx"

    call_command("findings", "northshire", "--format", "xlsx", "--output", str(output))

    assert "Protecting the public" in workbook(output.read_bytes()).sheetnames


def test_the_workbook_has_no_cut(answered):
    with pytest.raises(CommandError, match="--cut-by is for the JSON and CSV formats"):
        call_command("findings", "northshire", "--format", "xlsx", "--cut-by", "gender")
