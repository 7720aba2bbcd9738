"""The report's Appendix 4 charts: their figures, their SVG and their CSV.

A chart's counts come from the findings engine alone (`judgements.findings`): each bar is the
yes and no answers to one question (for one item) over the relevant cases of CRC and NPS
combined, as the report's Appendix 4 draws them ("combined figures for the area as a whole ...
absolute numbers rather than percentages"). Not applicable and unanswered stay outside.

The SVG is a small Django template (`templates/reports/charts/chart.svg`) fed by the geometry
worked out here, not matplotlib. A horizontal stack of two segments is a few rectangles and
texts, so a plotting library would add a large dependency for little drawing, and what we need
of the picture is exactly what it makes hard: `role="img"`, `<title>`, `<desc>` and
`aria-labelledby` on the root, ids unique on a page showing several charts, a hatching pattern
for No, numbers as real text (never paths), no `<style>` element (the site's Content Security
Policy refuses inline styles) and output identical from run to run, so a test can read it. The
same markup goes into the page, and into the PDF through WeasyPrint, which draws SVG itself.

Yes is solid GOV.UK blue (#1d70b8) with white numbers (5.2:1); No is white hatched in black with
black numbers on a white ground (21:1), each segment outlined in black: the two are told apart
by pattern and by the legend as well as by colour, and the numbers are printed in them.

A chart's figures are confirmed as the report's live figures are: the chart keeps what each bar
counted when the editor last confirmed it (`Chart.confirmed_figures`), and a bar that counts
otherwise now is a change (`ChartFigures.changes`) shown on the chart pages until the editor
confirms it again. Publishing waits for them (reports.export.services, through
`charts_needing_confirmation`).
"""

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string

from inspection.lib.spreadsheets import csv_bytes, formula_guard
from inspection.models import Inspection
from judgements.findings import ALL, Findings, inspection_findings
from reports.charts.models import Chart, ChartBar

# ---------------------------------------------------------------------------------------------
# The figures
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarFigures:
    label: str
    question: str
    item: str | None
    yes: int
    no: int

    @property
    def relevant(self) -> int:
        return self.yes + self.no

    @property
    def source(self) -> str:
        """The question (and item) as the README writes it: PP-O1[public]."""
        return f"{self.question}[{self.item}]" if self.item else self.question


def confirmation(bar: BarFigures) -> dict[str, int]:
    """A bar's counts as `Chart.confirmed_figures` keeps them."""
    return {"yes": bar.yes, "no": bar.no}


@dataclass(frozen=True)
class BarChange:
    """A bar whose counts differ from those the editor last confirmed: `was` is (yes, no) as
    confirmed, None for a bar never confirmed; `now` is (yes, no) as the answers stand."""

    label: str
    source: str
    was: tuple[int, int] | None
    now: tuple[int, int]

    @property
    def text(self) -> str:
        """ "Known victims (PP-O1[known_victims]): was 31 yes and 16 no, now 32 yes and 15 no"."""
        was = f"was {self.was[0]} yes and {self.was[1]} no" if self.was else "was not confirmed"
        return f"{self.label} ({self.source}): {was}, now {self.now[0]} yes and {self.now[1]} no"


def bar_changes(bars: Sequence[BarFigures], confirmed: dict) -> tuple[BarChange, ...]:
    """The bars whose counts are not those confirmed, in the chart's order."""
    changes = []
    for bar in bars:
        before = confirmed.get(bar.source)
        if before == confirmation(bar):
            continue
        was = (before["yes"], before["no"]) if before else None
        changes.append(BarChange(bar.label, bar.source, was, (bar.yes, bar.no)))
    return tuple(changes)


def figures_seen(bars: Sequence[BarFigures]) -> str:
    """The counts a page showed, as one line its confirm button sends back
    ("PP-D8a 19/12 PP-O1[known_victims] 31/16"), so a confirmation confirms what was read."""
    return " ".join(f"{bar.source} {bar.yes}/{bar.no}" for bar in bars)


@dataclass(frozen=True)
class ChartFigures:
    number: int
    title: str
    subtitle: str
    bars: list[BarFigures]
    group: str = ALL
    # The bars whose counts moved since the editor confirmed them (CRC and NPS combined only:
    # that is what the chart prints and what is confirmed).
    changes: tuple[BarChange, ...] = ()

    @property
    def name(self) -> str:
        return f"Chart {self.number}"

    @property
    def heading(self) -> str:
        return f"{self.name}: {self.title}"

    @property
    def element_id(self) -> str:
        """Unique among an inspection's charts, so several can share a page or the PDF."""
        return f"chart-{self.number}"

    @property
    def cases(self) -> str:
        return "CRC and NPS combined" if self.group == ALL else f"{self.group} cases only"

    @property
    def seen(self) -> str:
        return figures_seen(self.bars)


def chart_figures(chart: Chart, number: int, findings: Findings, group: str = ALL) -> ChartFigures:
    """The counts of one chart's bars, read from the findings (its bars already fetched, with
    their questions and items), and how they differ from those confirmed."""
    bars = []
    for bar in chart.bars.all():
        item = bar.item.code if bar.item_id else None
        finding = findings.yes_no_finding(bar.question.code, item, group)
        bars.append(BarFigures(bar.label, bar.question.code, item, finding.yes, finding.no))
    changes = bar_changes(bars, chart.confirmed_figures) if group == ALL else ()
    return ChartFigures(number, chart.title, chart.subtitle, bars, group, changes)


def inspection_charts(inspection: Inspection) -> list[tuple[Chart, ChartFigures]]:
    """Every chart of the inspection, in order and numbered, with its figures: a query for the
    charts, one for their bars with questions and items, and the inspection's findings (cached
    under its data revision)."""
    bars = ChartBar.objects.select_related("question", "item").order_by("position", "id")
    charts = list(
        Chart.objects.filter(inspection=inspection).prefetch_related(Prefetch("bars", bars))
    )
    if not charts:
        return []
    findings = inspection_findings(inspection)
    return [
        (chart, chart_figures(chart, number, findings))
        for number, chart in enumerate(charts, start=1)
    ]


def charts_needing_confirmation(inspection: Inspection) -> list[ChartFigures]:
    """The inspection's charts whose figures moved since the editor confirmed them, in order:
    the report is not published while any is left (reports.export.services)."""
    return [figures for _chart, figures in inspection_charts(inspection) if figures.changes]


# ---------------------------------------------------------------------------------------------
# The SVG
# ---------------------------------------------------------------------------------------------

WIDTH = 480
# Room right of the longest bar for a count whose segment is too narrow to hold it.
OUTSIDE_ROOM = 96
PLOT_WIDTH = WIDTH - OUTSIDE_ROOM
LEGEND_HEIGHT = 40
LABEL_SIZE = 16
LABEL_LINE = 20
# An average character of the label font is about half its size wide: wrap at that.
LABEL_CHARACTERS = int(WIDTH / (LABEL_SIZE * 0.5))
BAR_HEIGHT = 32
BAR_GAP = 18
NUMBER_SIZE = 15
# A bold digit is about 0.6 of the font size wide; a segment holds its number with room
# for a margin on each side.
DIGIT_WIDTH = NUMBER_SIZE * 0.6
NUMBER_MARGIN = 6
AXIS_HEIGHT = 56
TICKS_AT_MOST = 8


def _at(value: float) -> float:
    """A coordinate as the SVG prints it: a tenth of a unit is finer than any screen shows."""
    return round(value, 1)


@dataclass(frozen=True)
class Segment:
    answer: str  # "yes" or "no"
    count: int
    start: float
    length: float

    @property
    def x(self) -> float:
        return _at(self.start)

    @property
    def width(self) -> float:
        return _at(self.length)

    @property
    def number_width(self) -> float:
        return len(str(self.count)) * DIGIT_WIDTH

    @property
    def fits_number(self) -> bool:
        return self.length >= self.number_width + 2 * NUMBER_MARGIN

    @property
    def middle(self) -> float:
        return _at(self.start + self.length / 2)

    @property
    def ground_x(self) -> float:
        """The white ground behind a No count, so it reads against the hatching."""
        return _at(self.start + (self.length - self.ground_width) / 2)

    @property
    def ground_width(self) -> float:
        return _at(self.number_width + 8)


@dataclass(frozen=True)
class BarShape:
    figures: BarFigures
    label_lines: list[str]
    label_y: float
    y: float
    segments: list[Segment]

    @property
    def height(self) -> int:
        return BAR_HEIGHT

    @property
    def number_y(self) -> float:
        """The baseline of the counts, which centres digits on the bar."""
        return _at(self.y + BAR_HEIGHT / 2 + NUMBER_SIZE * 0.35)

    @property
    def ground_y(self) -> float:
        return _at(self.y + BAR_HEIGHT / 2 - NUMBER_SIZE * 0.75)

    @property
    def ground_height(self) -> float:
        return _at(NUMBER_SIZE * 1.5)

    @property
    def outside_x(self) -> float:
        return _at(sum(segment.length for segment in self.segments) + 8)

    @property
    def outside(self) -> str:
        """The counts printed right of the bar, for segments too narrow to hold them."""
        return ", ".join(
            f"{segment.answer.capitalize()} {segment.count}"
            for segment in self.segments
            if not segment.fits_number
        )


@dataclass(frozen=True)
class Tick:
    value: int
    x: float


@dataclass(frozen=True)
class ChartShape:
    figures: ChartFigures
    height: float
    bars: list[BarShape]
    axis_y: float
    ticks: list[Tick]

    @property
    def view_box(self) -> str:
        """A unit of margin left and right, so the bars' left edges are not cut in half."""
        return f"-1 0 {WIDTH + 2} {self.height}"

    @property
    def axis_end(self) -> float:
        return self.ticks[-1].x

    @property
    def tick_end_y(self) -> float:
        return self.axis_y + 6

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 24

    @property
    def axis_title_y(self) -> float:
        return self.axis_y + 48

    @property
    def axis_title(self) -> str:
        return f"Number of relevant cases, {self.figures.cases}"

    @property
    def description(self) -> str:
        """The chart in words, for the SVG's <desc>: what the bars are, then every count."""
        figures = self.figures
        counts = "; ".join(
            f"{bar.label}: {bar.yes} yes and {bar.no} no of {bar.relevant} relevant cases"
            for bar in figures.bars
        )
        return " ".join(
            part
            for part in (
                "A bar for each question: the relevant cases answered yes (solid blue) and no "
                f"(hatched), {figures.cases}.",
                figures.subtitle,
                f"{counts}." if counts else "The chart has no bars yet.",
            )
            if part
        )


def axis_step(largest: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most TICKS_AT_MOST steps."""
    for magnitude in (10**power for power in range(7)):
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if math.ceil(largest / step) <= TICKS_AT_MOST:
                return step
    raise ValueError(f"{largest} cases are beyond any inspection's sample")


def _segments(bar: BarFigures, scale: float) -> list[Segment]:
    segments, x = [], 0.0
    for answer, count in (("yes", bar.yes), ("no", bar.no)):
        if count:
            segments.append(Segment(answer, count, x, count * scale))
            x += count * scale
    return segments


def chart_shape(figures: ChartFigures) -> ChartShape:
    """Where everything goes, in the SVG's own units (its viewBox is WIDTH wide; the page
    scales it to the column, so it never scrolls sideways)."""
    largest = max((bar.relevant for bar in figures.bars), default=0)
    step = axis_step(max(largest, 1))
    axis_max = step * math.ceil(max(largest, 1) / step)
    scale = PLOT_WIDTH / axis_max
    bars, y = [], float(LEGEND_HEIGHT)
    for bar in figures.bars:
        lines = textwrap.wrap(bar.label, LABEL_CHARACTERS) or [""]
        label_y = y + LABEL_SIZE
        y += len(lines) * LABEL_LINE + 4
        bars.append(BarShape(bar, lines, label_y, y, _segments(bar, scale)))
        y += BAR_HEIGHT + BAR_GAP
    ticks = [Tick(value, _at(value * scale)) for value in range(0, axis_max + 1, step)]
    return ChartShape(figures, y + AXIS_HEIGHT, bars, y, ticks)


def chart_svg(figures: ChartFigures) -> str:
    """The chart as an SVG element: inline in the page, and the same markup in the PDF."""
    return render_to_string("reports/charts/chart.svg", {"shape": chart_shape(figures)}).strip()


# ---------------------------------------------------------------------------------------------
# The CSV
# ---------------------------------------------------------------------------------------------

CSV_COLUMNS = ["chart", "title", "bar", "label", "question", "item", "yes", "no", "relevant"]


def charts_csv(charts: Sequence[ChartFigures]) -> bytes:
    """One row per bar; titles and labels are typed by people and the file opens in a
    spreadsheet, so text that starts like a formula is guarded as in every export."""
    rows = [
        [
            str(figures.number),
            formula_guard(figures.title),
            str(position),
            formula_guard(bar.label),
            formula_guard(bar.question),
            formula_guard(bar.item or ""),
            str(bar.yes),
            str(bar.no),
            str(bar.relevant),
        ]
        for figures in charts
        for position, bar in enumerate(figures.bars, start=1)
    ]
    return csv_bytes(CSV_COLUMNS, rows)
