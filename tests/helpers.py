"""What the test modules share: the framework's questions, recording answers, running the
data-in-and-out commands as a person at a terminal would, and loading the Durham demo.

Plain functions, not fixtures, so a test reads as the steps a person takes; the fixtures that
build on them (personas, cases) are in tests/conftest.py.
"""

import csv
import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test.utils import override_settings

from cases.descriptors import DESCRIPTORS
from cases.models import Case
from fixtures import durham_2016
from inspection.models import Inspection
from judgements.framework import inspection_framework
from judgements.models import Answer, Item, Question
from judgements.services import AnswerSlot, answer_record, case_change
from reports.document.compose import build_document
from reports.export.pdf import document_html, printed_fingerprint
from reports.export.version_mark import version_mark
from reports.models import ExportStatus, ReportExport
from tests.database_snapshots import loaded_once

FRAMEWORK = "qi-2016"
# The long-format answers file, as the research team's scripts read and write it.
ANSWERS_HEADER = ["case_ref", "question", "item", "value", "note"]
# The required columns of cases.csv (README "Data in and out").
CASES_HEADER = [
    "case_ref",
    "organisation",
    "sentence_type",
    "gender",
    "ethnicity",
    "office",
    "rosh_level",
]
# The persona fixtures of tests/conftest.py, by name.
PERSONAS = ["inspector", "other_inspector", "lead", "editor", "admin_user"]


# The framework and its answers


def question(code: str) -> Question:
    """A question of the Q&I 2016 framework, as the data migration loads it."""
    return Question.objects.select_related("item_set").get(framework__code=FRAMEWORK, code=code)


def item(item_set_code: str, code: str) -> Item:
    return Item.objects.get(
        item_set__framework__code=FRAMEWORK, item_set__code=item_set_code, code=code
    )


def slot(case: Case, code: str, item_code: str | None = None) -> AnswerSlot:
    """A slot for a question and, for an item question, one of its own items."""
    asked = question(code)
    return AnswerSlot(case, asked, item(asked.item_set.code, item_code) if item_code else None)


def record(case: Case, code: str, value: str, item_code: str | None = None, **kwargs) -> Answer:
    """Record an answer through the answer service, as the case page does."""
    return answer_record(slot=slot(case, code, item_code), value=value, **kwargs)


def every_gate_opened(case: Case, user) -> Case:
    """The case answered so that the framework asks it every question: each descriptor a gate
    reads set to a value that opens it, and each gate question answered (for every item) with
    an answer that opens the questions behind it, through the services as the pages save."""
    framework = inspection_framework(case.inspection)
    descriptors = {
        question.gate_descriptor: DESCRIPTORS[question.gate_descriptor].stored_values(
            question.gate_values[:1]
        )[0]
        for question in framework.questions
        if question.gate_descriptor
    }
    case, _cleared = case_change(case=case, changes=descriptors, by=user)
    opening = {
        q.gate_question_id: q.gate_values[0] for q in framework.questions if q.gate_question_id
    }
    for question in framework.questions:  # framework order: a gate before what it opens
        if question.id not in opening or not question.applies_to(case.organisation):
            continue
        for item in framework.items.get(question.item_set_id, [None]):
            answer_record(
                slot=AnswerSlot(case, question, item), value=opening[question.id], user=user
            )
    return case


# Commands and the files they read and write


def csv_file(path: Path, header: list[str], rows: list[list[str]], *, bom: bool = False) -> Path:
    """Write a CSV as a spreadsheet saves it (csv's excel dialect, optionally with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig" if bom else "utf-8")
    return path


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's cells, an empty one as "" (as a CSV reads it)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [[cell.value or "" for cell in row] for row in sheet.iter_rows()]


def file_rows(path: Path) -> list[list[str]]:
    """The rows of an exported file, read as the research team's scripts read it."""
    data = path.read_bytes()
    return xlsx_rows(data) if path.suffix == ".xlsx" else csv_rows(data)


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def refused(command: str, *args: str) -> list[str]:
    """The problems a refused command lists, one per line, after its summary line."""
    with pytest.raises(CommandError) as error:
        call_command(command, *args, stdout=io.StringIO())
    summary, *problems = str(error.value).splitlines()
    assert summary.startswith("Nothing was imported")
    return problems


# The Durham report, outside the project

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


def reference_file(name: str) -> Path:
    """A file of shared/reference, beside the project, not in it, because it quotes the Durham
    report. Missing, it skips the test with where it was looked for; with REQUIRE_REFERENCE=1
    (as CI sets, like REQUIRE_POSTGRES) it fails it, so a run cannot pass by skipping the golden
    tests."""
    folder = Path(os.environ.get("QI_REFERENCE_DIR") or REPOSITORY_ROOT.parent / "shared/reference")
    path = folder / name
    if not path.exists():
        reason = (
            f"No {name} at {path}: it lives outside the project because it quotes the report. "
            f"Set QI_REFERENCE_DIR to the folder that holds {name}."
        )
        if os.environ.get("REQUIRE_REFERENCE") == "1":
            pytest.fail(f"{reason} REQUIRE_REFERENCE=1: failing.", pytrace=False)
        pytest.skip(reason)
    return path


# The Durham demo


def load_demo(*options: str) -> Inspection:
    """Load the Durham demo as `make run` does: with DEBUG on, without which it refuses.

    Loaded for real the first time in a process onto a database in a given state; onto the
    same state again, the rows that load left are put back instead (tests/database_snapshots.py:
    about 20 s a load against a fraction of a second). A test of the loader's own work that
    must run it calls `run("load_demo", ...)`."""

    def load() -> None:
        with override_settings(DEBUG=True):
            run("load_demo", *options)

    # The users' password hashes are made with the hasher of the moment (a fast one in a
    # test, the real one in a module's fixture), and only that hasher signs them in.
    loaded_once(("load_demo", *options, *settings.PASSWORD_HASHERS), load)
    return Inspection.objects.get(slug=durham_2016.SLUG)


def inspection_admin_form(inspection: Inspection, **changes) -> dict:
    """The Inspection admin's form as a browser posts it, with the version it loaded (for a
    saved inspection, as it stands now)."""
    if inspection.pk and Inspection.objects.filter(pk=inspection.pk).exists():
        inspection.refresh_from_db()
    form = {
        "area_name": inspection.area_name,
        "title": inspection.title,
        "slug": inspection.slug,
        "crc_name": inspection.crc_name,
        "nps_name": inspection.nps_name,
        "fieldwork_start": "",
        "fieldwork_end": "",
        "framework": inspection.framework_id,
        "status": inspection.status,
        "loaded_version": inspection.version,
    }
    return {**form, **changes}


def finished_export(inspection: Inspection, **fields) -> ReportExport:
    """A PDF export as the worker leaves it, of the report as it prints now, but not typeset
    (for the tests of publishing, which never read the PDF): its fingerprint is the report's
    HTML's, with no stylesheet read."""
    made = {
        "status": ExportStatus.DONE,
        "pdf": b"%PDF-1.7",
        "pages": 1,
        "checksum": "0",
        "fingerprint": printed_fingerprint(document_html(build_document(inspection)), []),
        "version": version_mark(inspection).number,
    }
    return ReportExport.objects.create(inspection=inspection, **(made | fields))
