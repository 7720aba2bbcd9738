"""The Durham demo's nine enablers and barriers tables and eleven recommendations: shaped as the
report prints them, written in our own words, linked to the findings and cases behind them, and
loaded safely twice."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction

from fixtures.durham_2016_report import RECOMMENDATIONS, TABLES, load_durham_report
from judgements.models import Answer
from reports.models import Recommendation, TableRow
from reports.tables.layout import (
    DomainTables,
    GroupEntry,
    enablers_and_barriers,
    recommendation_groups,
)
from reports.tables.services import table_row_update
from tests.helpers import load_demo, reference_file

pytestmark = pytest.mark.django_db

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
# The report's lines that print the nine tables and the recommendations
# (shared/reference/report_structure.md, sections B and C).
REPORT_LINES = [
    (176, 206),
    (388, 398),
    (470, 475),
    (505, 507),
    (557, 561),
    (609, 613),
    (625, 629),
    (673, 676),
    (722, 726),
    (752, 755),
]
# A summary may share a short phrase with the report ("between the CRC and the NPS"), never a
# run of words long enough to be its sentence.
LONGEST_SHARED_RUN = 6


@dataclass(frozen=True)
class DurhamReport:
    tables: list[DomainTables]
    groups: list[GroupEntry]
    added: int
    added_again: int
    kept_text: str
    authors: set[str]
    # row text, case, question, the answer the row chose cases by, the case's answer
    linked_answers: list[tuple[str, str, str, str, str]]


@pytest.fixture(scope="module")
def durham(django_db_setup, django_db_blocker) -> DurhamReport:
    """The demo loaded once for the module, in a transaction rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        inspection = load_demo()
        row = TableRow.objects.filter(inspection=inspection).order_by("pk").first()
        table_row_update(row=row, text="Changed by the lead.", by=None, expected_version=1)
        report = DurhamReport(
            tables=enablers_and_barriers(inspection),
            groups=recommendation_groups(inspection),
            added=TableRow.objects.count() + Recommendation.objects.count(),
            added_again=load_durham_report(inspection),
            kept_text=TableRow.objects.get(pk=row.pk).text,
            authors={
                record.history_user.username
                for model in (TableRow, Recommendation)
                for record in model.history.filter(history_type="+")
            },
            linked_answers=_linked_answers(inspection),
        )
        transaction.set_rollback(True)
    return report


def _linked_answers(inspection) -> list[tuple[str, str, str, str, str]]:
    """Each linked case's answer to the question its row's demo entry chose it by."""
    chosen_by = {
        row.text: row.cases_answering
        for enablers, barriers in TABLES.values()
        for row in [*enablers, *barriers]
        if row.cases_answering
    }
    answers = []
    for row in TableRow.objects.filter(inspection=inspection).prefetch_related("case_links__case"):
        for link in row.case_links.all():
            code, value = chosen_by[row.text]
            question, _, item = code.partition("[")
            stored = Answer.objects.get(
                case=link.case, question__code=question, item__code=item.rstrip("]") or None
            )
            answers.append((row.text, link.case.case_ref, code, value, stored.value))
    return answers


def test_the_demo_has_all_nine_tables_sized_as_the_report_prints_them(durham):
    sizes = [
        (table.name, len(table.enablers), len(table.barriers))
        for domain in durham.tables
        for table in domain.tables
    ]

    assert sizes == [
        ("Reducing reoffending, CRC", 7, 9),
        ("Reducing reoffending, NPS", 4, 3),
        ("Reducing reoffending, working together", 1, 2),
        ("Protecting the public, CRC", 2, 3),
        ("Protecting the public, NPS", 4, 2),
        ("Protecting the public, working together", 1, 2),
        ("Abiding by the sentence, CRC", 3, 3),
        ("Abiding by the sentence, NPS", 4, 3),
        ("Abiding by the sentence, working together", 2, 3),
    ]
    assert sum(e for _, e, _ in sizes) == 28 and sum(b for _, _, b in sizes) == 30


def test_the_demo_has_eleven_recommendations_numbered_through_four_groups(durham):
    groups = [
        (str(entry.group), [r.number for r in entry.recommendations]) for entry in durham.groups
    ]

    assert groups == [
        (
            "The Community Rehabilitation Company and National Probation Service should:",
            [1, 2, 3],
        ),
        ("The Community Rehabilitation Company should:", [4, 5, 6, 7, 8]),
        ("The National Probation Service should:", [9, 10]),
        ("The National Offender Management Service should:", [11]),
    ]


def test_each_recommendation_answers_the_barriers_the_report_ties_it_to(durham):
    answers = {
        entry.number: [barrier.label for barrier in entry.barriers]
        for group in durham.groups
        for entry in group.recommendations
    }

    assert answers[9] == [
        "Reducing reoffending, NPS: barrier 1",
        "Reducing reoffending, NPS: barrier 2",
        "Protecting the public, NPS: barrier 1",
    ]
    assert answers[10] == []
    assert answers[11] == ["Reducing reoffending, working together: barrier 2"]
    linked = sum(len(labels) for labels in answers.values())
    assert linked == 18


def test_a_demo_row_shows_the_reports_figure_from_the_demos_answers(durham):
    protecting_crc = durham.tables[1].tables[0]
    figures = [figure for entry in protecting_crc.barriers for figure in entry.figures]

    reasonable_action = next(f for f in figures if f.label == "PP-D8a CRC")
    assert reasonable_action.count == "19 of 31 (61%)"


def test_the_demo_links_cases_whose_answers_bear_the_row_out(durham):
    assert len(durham.linked_answers) >= 20
    for text, case_ref, code, chosen, value in durham.linked_answers:
        assert value == chosen, f"{case_ref} answers {code} {value}, not as “{text}” says"


def test_the_demo_is_written_by_its_lead_inspector(durham):
    assert durham.authors == {"lead"}


def test_loading_the_demo_again_adds_nothing_and_keeps_the_leads_change(durham):
    assert durham.added == 58 + 11
    assert durham.added_again == 0
    assert durham.kept_text == "Changed by the lead."


def test_a_sample_without_answers_has_no_tables_yet():
    inspection = load_demo("--without-answers")

    assert not TableRow.objects.filter(inspection=inspection).exists()
    assert not inspection.recommendation_groups.exists()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def test_the_demo_summarises_the_reports_rows_and_never_copies_them():
    source = reference_file("durham-2016-quality-and-impact-report.txt")
    lines = source.read_text(encoding="utf-8").splitlines()
    report = _words(
        " ".join(lines[n - 1] for start, end in REPORT_LINES for n in range(start, end + 1))
    )
    run = LONGEST_SHARED_RUN + 1
    report_runs = {tuple(report[i : i + run]) for i in range(len(report) - run + 1)}
    texts = [row.text for enablers, barriers in TABLES.values() for row in [*enablers, *barriers]]
    texts += [r.text for _addressee, recommendations in RECOMMENDATIONS for r in recommendations]
    for text in texts:
        words = _words(text)
        copied = [words[i : i + run] for i in range(len(words) - run + 1)]
        shared = [" ".join(c) for c in copied if tuple(c) in report_runs]
        assert not shared, f"“{text}” copies the report: {shared[0]}"
