"""The Durham demo's Charts 1–4: made by the demo loader through the chart services, counted
by the findings engine, and held to every figure the report prints about their bars.

The report's Appendix 4 charts print no numbers of their own (they are empty placeholders in
the text), so what can be checked is what the chapters print about the same questions: the
CRC and NPS shares of each bar's question (fixtures/durham_2016_accounting.yaml says which
figure is which question), which the chart's combined bar must add up from.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from django.db import transaction

from fixtures.durham_2016_charts import CHARTS, load_durham_charts
from judgements.findings import inspection_findings
from judgements.proportions import percent
from reports.charts.figures import chart_figures, inspection_charts
from reports.charts.services import chart_bar_move
from reports.ordering import DOWN
from tests.helpers import load_demo, reference_file

pytestmark = pytest.mark.django_db

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
ACCOUNTING_FILE = REPOSITORY_ROOT / "fixtures" / "durham_2016_accounting.yaml"


@dataclass(frozen=True)
class DurhamCharts:
    # (heading, subtitle, [(question, item, label, yes, no)]) for all, CRC and NPS
    charts: dict[str, list[tuple[str, str, list[tuple]]]]
    engine: dict[tuple[str, str | None], tuple[int, int]]  # the engine's all-cases yes, no
    sample: int
    added_again: int
    order_after_reload: list[str]


def _plain(figures) -> tuple[str, str, list[tuple]]:
    bars = [(b.question, b.item, b.label, b.yes, b.no) for b in figures.bars]
    return figures.heading, figures.subtitle, bars


@pytest.fixture(scope="module")
def durham(django_db_setup, django_db_blocker) -> DurhamCharts:
    with django_db_blocker.unblock(), transaction.atomic():
        inspection = load_demo()
        findings = inspection_findings(inspection)
        charts = inspection_charts(inspection)
        by_group = {
            group: [
                _plain(chart_figures(chart, n, findings, group))
                for n, (chart, _) in enumerate(charts, start=1)
            ]
            for group in ["all", "CRC", "NPS"]
        }
        engine = {
            (row.question, row.item): (row.yes, row.no)
            for row in findings.yes_no
            if row.group == "all" and row.cut is None
        }
        # The lead reorders Chart 3; loading the demo's charts again leaves it so.
        third = charts[2][0]
        chart_bar_move(bar=third.bars.first(), direction=DOWN, by=None)
        added_again = load_durham_charts(inspection)
        order = list(third.bars.values_list("label", flat=True))
        demo = DurhamCharts(by_group, engine, findings.cases["all"], added_again, order)
        transaction.set_rollback(True)
    return demo


def test_the_demo_has_charts_1_to_4_as_the_outline_lists_them(durham):
    headings = [heading for heading, _subtitle, _bars in durham.charts["all"]]
    assert headings == [
        "Chart 1: Reducing reoffending",
        "Chart 2: Public protection",
        "Chart 3: Public protection",
        "Chart 4: Abiding by the sentence",
    ]
    _heading, subtitle, bars = durham.charts["all"][2]
    assert subtitle.endswith("poses to:")
    assert [(question, item, label) for question, item, label, _yes, _no in bars] == [
        ("PP-O1", "public", "The public in general"),
        ("PP-O1", "known_victims", "Known victims"),
        ("PP-O1", "children", "Children"),
        ("PP-O1", "staff", "Staff"),
        ("PP-O1", "prisoners", "Prisoners"),
    ]
    assert [len(bars) for _h, _s, bars in durham.charts["all"]] == [
        len(bars) for _t, _s, bars in CHARTS
    ]


def test_every_bar_is_the_engines_count_of_crc_and_nps_together(durham):
    for (_, _, together), (_, _, crc), (_, _, nps) in zip(
        durham.charts["all"], durham.charts["CRC"], durham.charts["NPS"], strict=True
    ):
        for bar, crc_bar, nps_bar in zip(together, crc, nps, strict=True):
            question, item, _label, yes, no = bar
            assert (yes, no) == durham.engine[(question, item)]
            assert (yes, no) == (crc_bar[3] + nps_bar[3], crc_bar[4] + nps_bar[4])
            assert 0 < yes + no <= durham.sample


def test_chart_3_counts_as_its_data_table_shows_them(durham):
    _heading, _subtitle, bars = durham.charts["all"][2]
    assert [(label, yes, no) for _q, _i, label, yes, no in bars] == [
        ("The public in general", 17, 14),
        ("Known victims", 10, 13),
        ("Children", 7, 7),
        ("Staff", 6, 5),
        ("Prisoners", 3, 2),
    ]


def _printed_about_bars(durham: DurhamCharts) -> list[tuple[dict, dict, tuple]]:
    """(figure, accounting, bar of that group) for each printed figure about a bar's question:
    a count of yes for one organisation, of one question and at most one of its items."""
    figures = {
        figure["id"]: figure
        for figure in yaml.safe_load(reference_file("durham_figures.yaml").read_text("utf-8"))
    }
    accounting = yaml.safe_load(ACCOUNTING_FILE.read_text("utf-8"))["records"]
    found = []
    for record in accounting:
        items = record.get("items") or [None]
        if (
            record.get("status") != "reproduced"
            or record.get("measure") != "yes"
            or record.get("cut")
            or not isinstance(record.get("question"), str)
            or not isinstance(items, list)
            or len(items) != 1
            or record.get("group") not in ("CRC", "NPS")
        ):
            continue
        for _heading, _subtitle, bars in durham.charts[record["group"]]:
            for bar in bars:
                if bar[:2] == (record["question"], items[0]):
                    found.append((figures[record["id"]], record, bar))
    return found


def test_each_bar_holds_every_figure_the_report_prints_about_its_question(durham):
    checked = _printed_about_bars(durham)
    for figure, record, (question, item, label, yes, no) in checked:
        where = f"{figure['id']} ({question}[{item}], {record['group']}, bar “{label}”)"
        if figure.get("numerator") is not None:
            assert yes == figure["numerator"], where
        if figure.get("denominator") is not None:
            assert yes + no == figure["denominator"], where
        if figure.get("percent") is not None:
            assert percent(yes, yes + no) == figure["percent"], where
    ids = {figure["id"] for figure, _record, _bar in checked}
    # Chart 3's five shares, printed for the CRC in 6.1, and the "all reasonable action" counts.
    assert {
        "crc_pp_progress_public",
        "crc_pp_progress_known_victims",
        "crc_pp_progress_children",
        "crc_pp_progress_staff",
        "crc_pp_progress_prisoners",
        "crc_pp_all_reasonable_action_ro",
    } <= ids
    assert len(checked) >= 10


def test_loading_the_demo_again_keeps_the_leads_charts_as_they_are(durham):
    assert durham.added_again == 0
    assert durham.order_after_reload == [
        "Known victims",
        "The public in general",
        "Children",
        "Staff",
        "Prisoners",
    ]
