"""A chart's figures come from the findings engine; its SVG draws them as text a reader (and
WeasyPrint) can read; its CSV is guarded like every export."""

import logging
import re
import xml.etree.ElementTree as ET
import zlib

import pytest
from weasyprint import HTML

from judgements.findings import inspection_findings
from reports.charts.figures import (
    WIDTH,
    BarFigures,
    ChartFigures,
    axis_step,
    chart_shape,
    chart_svg,
    charts_csv,
    inspection_charts,
)
from reports.charts.services import chart_bar_create, chart_create, chart_update
from tests.factories import CaseFactory
from tests.helpers import csv_rows, record

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def answered(inspection, chart):
    """Four CRC and three NPS cases answering the chart's two questions: not applicable and
    unanswered among them, and known victims asked only where the person poses a risk to them."""
    crc = [CaseFactory(inspection=inspection, organisation="CRC") for _ in range(4)]
    nps = [CaseFactory(inspection=inspection, organisation="NPS") for _ in range(3)]
    for case, value in zip(crc + nps, ["yes", "yes", "no", "yes", "no", "no", "yes"], strict=True):
        record(case, "PP-D8a", value)
    for case, risk in zip(crc + nps, ["yes", "yes", "yes", "no", "yes", "yes", "no"], strict=True):
        record(case, "PP-A0", risk, "known_victims")
    for case, value in zip(crc[:3] + nps[:1], ["yes", "no", "no", "yes"], strict=True):
        record(case, "PP-O1", value, "known_victims")
    return chart


def figures_of(inspection, number: int = 1) -> ChartFigures:
    return {figures.number: figures for _, figures in inspection_charts(inspection)}[number]


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "app-chart__bar"]


def texts(element: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in element.iter(f"{SVG}text")]


# The figures


def test_each_bar_counts_the_engines_yes_and_no_for_crc_and_nps_together(inspection, answered):
    findings = inspection_findings(inspection)
    figures = figures_of(inspection)
    assert [(bar.label, bar.yes, bar.no, bar.relevant) for bar in figures.bars] == [
        ("Responsible officer", 4, 3, 7),
        ("Known victims", 2, 2, 4),
    ]
    for bar in figures.bars:
        together = findings.yes_no_finding(bar.question, bar.item, "all")
        crc = findings.yes_no_finding(bar.question, bar.item, "CRC")
        nps = findings.yes_no_finding(bar.question, bar.item, "NPS")
        assert (
            (bar.yes, bar.no) == (together.yes, together.no) == (crc.yes + nps.yes, crc.no + nps.no)
        )


def test_not_applicable_and_unanswered_stay_out_of_a_bar(inspection, answered, lead):
    chart_bar_create(chart=answered, question_code="PP-D8b", label="Contracted providers", by=lead)
    cases = list(inspection.cases.order_by("pk"))
    for case, value in zip(cases, ["yes", "na", "na", "no"], strict=False):
        record(case, "PP-D8b", value)
    providers = figures_of(inspection).bars[-1]
    assert (providers.yes, providers.no, providers.relevant) == (1, 1, 2)


def test_charts_are_numbered_in_order_with_their_bars_in_order(inspection, answered, lead):
    chart_create(inspection=inspection, title="Reducing reoffending", by=lead)
    numbered = [(figures.number, figures.heading) for _, figures in inspection_charts(inspection)]
    assert numbered == [(1, "Chart 1: Public protection"), (2, "Chart 2: Reducing reoffending")]


def test_every_chart_of_an_inspection_costs_a_constant_number_of_queries(
    inspection, answered, lead, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for title in ["Reducing reoffending", "Abiding by the sentence"]:
        more = chart_create(inspection=inspection, title=title, by=lead)
        chart_bar_create(chart=more, question_code="C7", label="Assessment", by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        inspection_findings(inspection)  # counted once per data revision, then cached
    # The data revision (the findings' cache key), the charts, and their bars with questions.
    with django_assert_num_queries(3):
        charts = inspection_charts(inspection)
        assert sum(len(figures.bars) for _, figures in charts) == 4


# The SVG


def test_the_svg_is_an_image_named_by_its_title_and_described_by_its_counts(inspection, answered):
    chart_update(
        chart=answered, title="Public protection", subtitle="Has the work protected:", by=None
    )
    root = parsed(chart_svg(figures_of(inspection)))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    description = root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == title.get("id") == "chart-1-title"
    assert root.get("aria-describedby") == description.get("id") == "chart-1-desc"
    assert title.text == "Chart 1: Public protection"
    assert description.text == (
        "A bar for each question: the relevant cases answered yes (solid blue) and no "
        "(hatched), CRC and NPS combined. Has the work protected: Responsible officer: 4 yes "
        "and 3 no of 7 relevant cases; Known victims: 2 yes and 2 no of 4 relevant cases."
    )


def test_the_svg_has_a_bar_per_series_with_its_label_and_counts_as_text(inspection, answered):
    root = parsed(chart_svg(figures_of(inspection)))
    bars = bars_of(root)
    assert [bar.get("data-question") for bar in bars] == ["PP-D8a", "PP-O1[known_victims]"]
    assert [texts(bar) for bar in bars] == [
        ["Responsible officer", "4", "3"],
        ["Known victims", "2", "2"],
    ]
    # Text stays text: nothing is drawn as a path a reader or a PDF's search cannot read.
    assert root.find(f".//{SVG}path") is None


def test_segments_are_as_long_as_their_counts_and_no_is_hatched(inspection, answered):
    root = parsed(chart_svg(figures_of(inspection)))
    officer, victims = (
        [rect for rect in bar.iter(f"{SVG}rect") if "app-chart__segment" in rect.get("class", "")]
        for bar in bars_of(root)
    )
    widths = [float(rect.get("width")) for rect in officer + victims]
    assert widths[0] / widths[1] == pytest.approx(4 / 3, rel=0.01)
    assert widths[0] / widths[2] == pytest.approx(4 / 2, rel=0.01)
    yes, no = officer
    assert yes.get("fill") == "#1d70b8"
    # No is told apart without colour: a hatching pattern, which the legend shows too.
    pattern = root.find(f".//{SVG}pattern")
    assert no.get("fill") == f"url(#{pattern.get('id')})" == "url(#chart-1-no)"
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "app-chart__legend")
    assert texts(legend) == ["Yes", "No"]


def test_the_axis_counts_cases_up_to_a_round_number_past_the_longest_bar(inspection, answered):
    shape = chart_shape(figures_of(inspection))
    assert [tick.value for tick in shape.ticks] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert shape.view_box.split()[2] == str(WIDTH + 2)
    assert [axis_step(n) for n in (1, 8, 9, 31, 47, 150)] == [1, 1, 2, 5, 10, 20]


def test_a_count_too_narrow_for_its_segment_is_printed_beside_the_bar():
    figures = ChartFigures(
        1, "Public protection", "", [BarFigures("Prisoners", "PP-O1", "prisoners", 46, 1)]
    )
    (bar,) = bars_of(parsed(chart_svg(figures)))
    assert texts(bar) == ["Prisoners", "46", "No 1"]


def test_a_bar_without_relevant_cases_says_so():
    figures = ChartFigures(
        1, "Public protection", "", [BarFigures("Staff", "PP-O1", "staff", 0, 0)]
    )
    (bar,) = bars_of(parsed(chart_svg(figures)))
    assert texts(bar) == ["Staff", "No relevant cases"]


def test_text_people_typed_is_escaped_and_the_svg_stays_well_formed():
    figures = ChartFigures(
        2, 'Risk <b>& "harm"</b>', "", [BarFigures("</text><script>x</script>", "C7", None, 1, 1)]
    )
    root = parsed(chart_svg(figures))
    assert root.find(f"{SVG}title").text == 'Chart 2: Risk <b>& "harm"</b>'
    assert root.find(f".//{SVG}script") is None
    assert texts(bars_of(root)[0])[0] == "</text><script>x</script>"


def test_a_long_label_wraps_onto_lines_within_the_width():
    label = "Work with the person focused enough on managing their risk of harm to others"
    figures = ChartFigures(1, "Public protection", "", [BarFigures(label, "PP-D1", None, 3, 2)])
    (bar,) = chart_shape(figures).bars
    assert len(bar.label_lines) == 2
    assert " ".join(bar.label_lines) == label


# The CSV


def test_the_csv_has_a_row_per_bar_with_the_counts(inspection, answered):
    rows = csv_rows(charts_csv([figures_of(inspection)]))
    assert rows == [
        ["chart", "title", "bar", "label", "question", "item", "yes", "no", "relevant"],
        ["1", "Public protection", "1", "Responsible officer", "PP-D8a", "", "4", "3", "7"],
        ["1", "Public protection", "2", "Known victims", "PP-O1", "known_victims", "2", "2", "4"],
    ]


def test_the_csv_guards_titles_and_labels_against_spreadsheet_formulas():
    figures = ChartFigures(
        1, '=HYPERLINK("x")', "", [BarFigures("+1 known victims", "C7", None, 1, 0)]
    )
    (_, row) = csv_rows(charts_csv([figures]))
    assert row[1] == '\'=HYPERLINK("x")'
    assert row[3] == "'+1 known victims"


# The PDF


def test_weasyprint_draws_the_svg_with_every_text_as_text(inspection, answered, caplog):
    """The report's PDF (reports.export.pdf) prints the same SVG through WeasyPrint, which
    draws SVG itself: each <text> becomes a PDF text object (BT … ET), searchable and
    selectable, not outlines."""
    svg = chart_svg(figures_of(inspection))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = HTML(string=f"<!DOCTYPE html><html><body>{svg}</body></html>").write_pdf()
    assert caplog.records == []
    text_objects = 0
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        if b" Tf\n" in content:  # a page's drawing, not a font file
            text_objects += len(re.findall(rb"(?m)^BT$", content))
    assert text_objects == len(list(parsed(svg).iter(f"{SVG}text"))) > 0
