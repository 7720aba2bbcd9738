"""The Durham demo's report as a document: loaded through the services from
fixtures/durham_2016_document.py, complete in the report's shape, every figure live, and
loaded safely twice."""

from dataclasses import dataclass

import pytest
from django.db import transaction

from judgements.findings import inspection_findings
from reports.document.compose import Document, build_document
from reports.document.forms import BODY_HINT
from reports.document.placeholders import value_of
from reports.models import ReportPart
from tests.factories import CaseFactory
from tests.helpers import load_demo

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class DurhamDocument:
    document: Document
    parts: int
    parts_after_loading_again: int
    # The document again after one more NPS case joined the sample.
    with_a_new_case: Document
    # What each form of the body hint's example, [[PP-D8a CRC …]], prints for the demo.
    hint_example: dict[str, str]


@pytest.fixture(scope="module")
def durham(django_db_setup, django_db_blocker) -> DurhamDocument:
    """The demo loaded once for the module, in a transaction rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        inspection = load_demo()
        document = build_document(inspection)
        findings = inspection_findings(inspection)
        hint_example = {
            form: value_of(f"[[PP-D8a CRC{form and ' ' + form}]]", findings)
            for form in ("", "phrase", "percent", "yes", "relevant")
        }
        parts = ReportPart.objects.filter(inspection=inspection).count()
        load_demo()
        again = ReportPart.objects.filter(inspection=inspection).count()
        CaseFactory(inspection=inspection, organisation="NPS")
        result = DurhamDocument(document, parts, again, build_document(inspection), hint_example)
        transaction.set_rollback(True)
    return result


def test_the_durham_report_has_the_reports_chapters_sections_and_appendices(durham):
    labels = [entry.label for entry in durham.document.outline()]

    assert labels[:6] == [
        "Foreword",
        "1 Overall judgements",
        "2 Executive summary",
        "3 Recommendations",
        "4 Local context",
        "5 Reducing reoffending",
    ]
    numbers = [label.split(" ")[0] for label in labels]
    assert [n for n in numbers if "." in n] == [
        "5.1", "5.2", "5.3", "6.1", "6.2", "6.3", "7.1", "7.2", "7.3"
    ]  # fmt: skip
    assert [label[:10] for label in labels if label.startswith("Appendix")] == [
        f"Appendix {n}" for n in range(1, 8)
    ]
    assert durham.document.errors() == []
    assert durham.document.flagged() == []
    kinds = {node.kind for node in durham.document.walk()}
    assert {"practice_example", "quotation", "chart_pointer", "glossary", "methodology"} <= kinds


def test_the_methodology_prints_the_demo_sample_from_the_data(durham):
    methodology = next(n for n in durham.document.walk() if n.kind == "methodology")

    sample = methodology.sample
    assert (sample.cases, sample.crc, sample.nps, sample.interviewed) == (47, 31, 16, 15)
    assert "47" in methodology.html and "[[" not in methodology.html


def test_every_enablers_and_barriers_node_prints_its_table(durham):
    tables = [n for n in durham.document.walk() if n.kind == "enablers_barriers"]

    assert len(tables) == 9
    assert sum(len(node.table.enablers) for node in tables) == 28
    assert sum(len(node.table.barriers) for node in tables) == 30


def test_loading_the_demo_again_adds_no_part(durham):
    assert durham.parts > 200
    assert durham.parts_after_loading_again == durham.parts


def test_a_new_case_flags_the_parts_whose_sample_figures_it_changes(durham):
    flagged = durham.with_a_new_case.flagged()

    assert any(node.kind == "methodology" for node in flagged)
    flags = [flag for node in flagged for flag in node.flags]
    assert "[[sample cases]] was 47, now 48" in flags
    assert "[[sample NPS]] was 16, now 17" in flags


def test_the_body_hints_example_figures_are_what_the_demo_prints(durham):
    """The hint quotes the Durham demo's [[PP-D8a CRC]] in each form; an editor who types it
    must read the words the hint promised."""
    figure = durham.hint_example

    assert f"[[PP-D8a CRC]] prints “{figure['']}”" in BODY_HINT
    assert (
        f"for “{figure['phrase']}”, “{figure['percent']}”, “{figure['yes']}” or "
        f"“{figure['relevant']}”" in BODY_HINT
    )
