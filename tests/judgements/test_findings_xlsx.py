"""The findings workbook: a sheet per domain with the questions' wording, numbers as numbers,
and no text that a spreadsheet would run as a formula."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from judgements.findings import ChoiceFinding, Findings, YesNoFinding
from judgements.findings_export import findings_xlsx
from judgements.models import AnswerKind, Domain, Item, Question
from tests.helpers import record

HOSTILE_WORDING = '=HYPERLINK("http://example.org","Click")'


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
        descriptors={"gender": {group: {"-male": 3} for group in ("CRC", "NPS", "all")}},
        yes_no=rows,
        choices=[ChoiceFinding("RR-X3", None, "all", {"charged": 2})],
    )
    return findings, [yes_no, per_item, choice], items


def test_text_a_spreadsheet_would_run_is_written_as_text_with_its_guard():
    findings, questions, items = hostile_findings()

    book = workbook(findings_xlsx(findings, questions, items))

    sheet = book["Reducing reoffending"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row}
    for hostile in [HOSTILE_WORDING, "+44 alcohol", "@SUM(A1:A9)"]:
        guarded = cells["'" + hostile]
        assert guarded.data_type == "s", hostile
    descriptors = {
        cell.value: cell for row in book["Sample descriptors"].iter_rows() for cell in row
    }
    assert descriptors["'-male"].data_type == "s"  # a descriptor's code
    every_cell = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "f"]


def test_a_row_gives_the_wording_and_for_each_group_its_counts_as_numbers():
    findings, questions, items = hostile_findings()

    rows = rows_as_dicts(
        workbook(findings_xlsx(findings, questions, items))["Reducing reoffending"]
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


def test_the_findings_command_writes_the_workbook(answered, tmp_path: Path):
    output = tmp_path / "findings.xlsx"

    call_command("findings", "northshire", "--format", "xlsx", "--output", str(output))

    assert "Protecting the public" in workbook(output.read_bytes()).sheetnames


def test_the_workbook_has_no_cut(answered):
    with pytest.raises(CommandError, match="--cut-by is for the JSON and CSV formats"):
        call_command("findings", "northshire", "--format", "xlsx", "--cut-by", "gender")
