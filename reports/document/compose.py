"""The whole report, resolved for printing: `build_document(inspection)` → `Document`.

The HTML preview and the PDF are both made from this one structure, so what the editor
previews is what prints. Every part of the report (reports.models.ReportPart) becomes a `Node`:
numbered where the report numbers it, with an anchor for links and the contents, its prose
rendered (reports.document.prose: the safe Markdown subset) after its live figures are filled
(reports.document.placeholders), and the data the part prints beside its prose (an enablers and
barriers table, the recommendations, the Appendix 4 charts, the sample numbers).

Numbering, as the Durham report's: the top-level parts of the kinds in `CHAPTER_KINDS`
(overall judgements, executive summary, recommendations, local context, the domain chapters)
are chapters 1, 2, 3…; the sections of a chapter are 5.1, 5.2…; top-level appendices are
Appendix 1, 2… Everything else (front matter, sub-headings, blocks) has no number.

A constant number of queries whatever the size of the report: the parts (one query), the
report's title page, the findings (cached under the data revision), and, only when the report
has such parts, the tables, the recommendations and the charts.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from inspection.models import Inspection
from judgements.findings import ALL, Findings, inspection_findings
from reports.chapters import Perspective
from reports.charts.figures import ChartFigures, chart_svg, inspection_charts
from reports.document.models import PartKind as Kind
from reports.document.models import Report, ReportPart
from reports.document.placeholders import PRECISE, SUMMARY, changed_figures, resolve
from reports.document.prose import render_inline, render_markdown
from reports.tables.layout import (
    GroupEntry,
    Table,
    enablers_and_barriers,
    outcome_domains,
    recommendation_groups,
)

# Top-level parts of these kinds are the report's numbered chapters.
CHAPTER_KINDS = {
    Kind.OVERALL_JUDGEMENTS,
    Kind.EXECUTIVE_SUMMARY,
    Kind.RECOMMENDATIONS,
    Kind.LOCAL_CONTEXT,
    Kind.CHAPTER,
}
# Parts whose live figures are worded in the summary register ("most", "a majority"): the
# executive summary and the lead-ins of the enablers and barriers tables.
SUMMARY_KINDS = {Kind.EXECUTIVE_SUMMARY, Kind.SUMMARY_DOMAIN, Kind.SUMMARY_CELL}
SUMMARY_KINDS |= {Kind.ENABLERS_BARRIERS}
# Headings a part takes when the editor leaves its own blank.
DEFAULT_HEADINGS = {
    Kind.CONTENTS: "Contents",
    Kind.FOREWORD: "Foreword",
    Kind.OVERALL_JUDGEMENTS: "Overall judgements",
    Kind.EXECUTIVE_SUMMARY: "Executive summary",
    Kind.RECOMMENDATIONS: "Recommendations",
    Kind.LOCAL_CONTEXT: "Local context",
    Kind.METHODOLOGY: "Methodology",
    Kind.GLOSSARY: "Glossary",
    Kind.ACKNOWLEDGEMENTS: "Acknowledgements",
    Kind.ROLE_OF_INSPECTORATE: "Role of the Inspectorate",
    Kind.FRAMEWORK_DESCRIPTION: "Inspection framework",
    Kind.ENABLERS_BARRIERS: "",
}
SECTION_HEADINGS = {
    Perspective.CRC: "Effectiveness of the Community Rehabilitation Company",
    Perspective.NPS: "Effectiveness of the National Probation Service",
    Perspective.JOINT: "The CRC and NPS working together to promote effectiveness",
}
# Kinds listed in the contents beside the numbered chapters, sections and appendices.
CONTENTS_KINDS = {Kind.FOREWORD}
# A figure as the report's tables print one: "517,773", "27.6", "61%", "-3", "£1,200".
FIGURE = re.compile(r"^[£$]?[-\u2212+]?\d[\d,]*(\.\d+)?%?$")


@dataclass(frozen=True)
class Front:
    """The title page and the copyright block. `licence_html` is sanitised HTML."""

    series: str
    title: str
    byline: str
    published: str
    copyright: str
    licence_html: SafeString
    publisher: tuple[str, ...]


@dataclass(frozen=True)
class Sample:
    """The sample's numbers, for the methodology (and anything else that prints them)."""

    cases: int
    crc: int
    nps: int
    interviewed: int
    interviewed_crc: int
    interviewed_nps: int
    women: int


@dataclass(frozen=True)
class DocumentChart:
    """An Appendix 4 chart: its figures (number, title, subtitle, bars) and its SVG, whose
    `<title>` is the chart's alternative text. `svg` is markup we generate (texts escaped)."""

    figures: ChartFigures
    svg: SafeString


@dataclass(frozen=True)
class OutlineEntry:
    """A line of the contents: `level` 1 for a chapter, appendix or the foreword, 2 for a
    section."""

    number: str
    heading: str
    anchor: str
    level: int

    @property
    def label(self) -> str:
        return f"{self.number} {self.heading}".strip() if self.number else self.heading


@dataclass(frozen=True)
class Node:
    """One part of the report, ready to print.

    - `part_id`, `kind` (a reports.models.PartKind value), `version` (for the editor's forms)
    - `anchor`: unique id in the document ("chapter-5", "section-5-1", "appendix-2",
      "part-<id>"); the contents and the PDF bookmarks link to it
    - `number`: "5", "5.1", "Appendix 2" or "" (unnumbered); `heading`: plain text (the
      editor's, or the kind's default); `heading_html`: the same with its emphasis, sanitised
    - `depth`: 0 for a top-level part
    - `html`: the body, figures filled, rendered and sanitised (safe to print unescaped); for a
      chart pointer, the sentence naming its charts followed by the body
    - `values`: each live figure of the body and its value now; `flags`: how figures differ
      from those the editor confirmed; `errors`: placeholders naming no figure
    - kind-specific: `domain`, `perspective` (inherited from the chapter and section above when
      the part has none), `good` (practice example), `attribution` (quotation), `signatory`,
      `signatory_role`, `signed` (foreword), `table` (enablers and barriers: a
      reports.tables.layout.Table with numbered `enablers` and `barriers`), `recommendation_groups`
      (reports.tables.layout.GroupEntry list, numbered continuously), `charts` (DocumentChart list),
      `columns`/`rows`/`source` (background table), `terms` (glossary, alphabetical, as
      typed) and `terms_html` (the same rendered as a heading is: emphasis and links),
      `roles` (acknowledgements: (role, ((name, job title), …))), `sample` (methodology)
    - `children`: the parts under it, in order
    """

    part_id: int
    kind: str
    version: int
    anchor: str
    number: str
    heading: str
    heading_html: SafeString
    depth: int
    html: SafeString
    values: dict[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    domain: str = ""
    perspective: str = ""
    good: bool = False
    attribution: str = ""
    signatory: str = ""
    signatory_role: str = ""
    signed: str = ""
    table: Table | None = None
    recommendation_groups: tuple[GroupEntry, ...] = ()
    charts: tuple[DocumentChart, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    source: str = ""
    terms: tuple[tuple[str, str], ...] = ()
    terms_html: tuple[tuple[SafeString, SafeString], ...] = ()
    roles: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    sample: Sample | None = None
    # The headings of the parts it stands in, outermost first ("6 Protecting the public",
    # "6.1 Effectiveness of the CRC"): where the editor finds it.
    trail: tuple[str, ...] = ()
    children: tuple["Node", ...] = ()

    @property
    def full_heading(self) -> str:
        """The heading as printed with its number: "5.1 Effectiveness of …", "Appendix 2:
        Background data"."""
        if not self.number:
            return self.heading
        separator = ": " if self.number.startswith("Appendix") else " "
        return f"{self.number}{separator}{self.heading}"

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def figure_columns(self) -> tuple[bool, ...]:
        """For each column of a background table, whether it holds figures: every cell filled
        in it is a number, which prints right-aligned as GOV.UK tables align them. The first
        column names its rows."""
        width = max([len(self.columns), *(len(row) for row in self.rows)], default=0)
        return tuple(
            index > 0 and _holds_figures([row[index] for row in self.rows if index < len(row)])
            for index in range(width)
        )

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        """A background table's column headings, each with whether its column holds figures."""
        return list(zip(self.columns, self.figure_columns, strict=False))

    @property
    def body_rows(self) -> list[list[tuple[str, bool]]]:
        """A background table's rows, each cell with whether its column holds figures."""
        figures = self.figure_columns
        return [list(zip(row, figures, strict=False)) for row in self.rows]

    @property
    def location(self) -> str:
        """Where the part is, as an error message names it."""
        name = Kind(self.kind).label
        return f"{name} “{self.full_heading}”" if self.heading else name

    @property
    def where(self) -> str:
        """The trail as one line: "6 Protecting the public, 6.1 Effectiveness of the CRC"."""
        return ", ".join(self.trail)

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Document:
    """The report: `front` (title page, copyright block), `parts` (top-level nodes in order),
    `sample` (the sample's numbers). `outline()` is the contents; `flagged()` the parts whose
    figures changed since the editor confirmed them; `errors()` every placeholder that names
    no figure, with its place."""

    inspection_slug: str
    front: Front
    sample: Sample
    parts: tuple[Node, ...]

    def walk(self) -> Iterator[Node]:
        for part in self.parts:
            yield from part.walk()

    def outline(self) -> list[OutlineEntry]:
        entries = []
        for part in self.parts:
            if part.number or part.kind in CONTENTS_KINDS:
                entries.append(OutlineEntry(part.number, part.heading, part.anchor, 1))
            for child in part.children:
                if child.number:
                    entries.append(OutlineEntry(child.number, child.heading, child.anchor, 2))
        return entries

    def flagged(self) -> list[Node]:
        return [node for node in self.walk() if node.flags]

    def errors(self) -> list[str]:
        return [
            f"{f'{node.where}, ' if node.trail else ''}{node.location}: {error}"
            for node in self.walk()
            for error in node.errors
        ]


# ---------------------------------------------------------------------------------------------
# Building it
# ---------------------------------------------------------------------------------------------


def register_of(kind: str) -> str:
    return SUMMARY if kind in SUMMARY_KINDS else PRECISE


def sample_of(findings: Findings) -> Sample:
    interviewed = findings.descriptors["interviewed"]
    return Sample(
        cases=findings.cases[ALL],
        crc=findings.cases["CRC"],
        nps=findings.cases["NPS"],
        interviewed=interviewed[ALL]["yes"],
        interviewed_crc=interviewed["CRC"]["yes"],
        interviewed_nps=interviewed["NPS"]["yes"],
        women=findings.descriptors["gender"][ALL]["female"],
    )


def _front(inspection: Inspection) -> Front:
    report = Report.objects.filter(inspection=inspection).first()
    if report is None:
        return Front("", inspection.title, "", "", "", mark_safe(""), ())
    return Front(
        report.series,
        report.title,
        report.byline,
        report.published,
        report.copyright,
        mark_safe(render_markdown(report.licence)),
        tuple(report.publisher),
    )


def _holds_figures(cells: list[str]) -> bool:
    filled = [cell.strip() for cell in cells if cell.strip()]
    return bool(filled) and all(FIGURE.match(cell) for cell in filled)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class _Builder:
    """Walks the tree of parts once, numbering and resolving as it goes."""

    def __init__(self, inspection: Inspection, parts: list[ReportPart]):
        self.inspection = inspection
        self.children: dict[int | None, list[ReportPart]] = defaultdict(list)
        for part in parts:
            self.children[part.parent_id].append(part)
        kinds = {part.kind for part in parts}
        self.findings = inspection_findings(inspection)
        self.sample = sample_of(self.findings)
        self.domains = {domain.code: domain.name for domain in outcome_domains(inspection)}
        self.tables = (
            {
                (table.domain, table.perspective): table
                for domain in enablers_and_barriers(inspection)
                for table in domain.tables
            }
            if Kind.ENABLERS_BARRIERS in kinds
            else {}
        )
        self.groups = (
            tuple(recommendation_groups(inspection)) if Kind.RECOMMENDATIONS in kinds else ()
        )
        self.charts = (
            tuple(
                DocumentChart(figures, mark_safe(chart_svg(figures)))
                for _chart, figures in inspection_charts(inspection)
            )
            if kinds & {Kind.CHARTS, Kind.CHART_POINTER}
            else ()
        )
        self.charts_appendix = self._charts_appendix()

    def _charts_appendix(self) -> str:
        """The number of the appendix holding the charts ("Appendix 4"), for the pointers."""
        appendices = [p for p in self.children[None] if p.kind == Kind.APPENDIX]
        for number, appendix in enumerate(appendices, start=1):
            if self._holds(appendix, Kind.CHARTS):
                return f"Appendix {number}"
        return "The appendix of charts"

    def _holds(self, part: ReportPart, kind: str) -> bool:
        return any(
            child.kind == kind or self._holds(child, kind) for child in self.children[part.pk]
        )

    def build(self) -> tuple[Node, ...]:
        chapter = appendix = 0
        nodes = []
        for part in self.children[None]:
            number, anchor = "", ""
            if part.kind in CHAPTER_KINDS:
                chapter += 1
                number, anchor = str(chapter), f"chapter-{chapter}"
            elif part.kind == Kind.APPENDIX:
                appendix += 1
                number, anchor = f"Appendix {appendix}", f"appendix-{appendix}"
            elif part.kind in (Kind.TITLE_PAGE, Kind.COPYRIGHT, Kind.CONTENTS, Kind.FOREWORD):
                anchor = part.kind.replace("_", "-")
            nodes.append(self._node(part, number, anchor or f"part-{part.pk}", (), "", ""))
        return tuple(nodes)

    def _heading(self, part: ReportPart, domain: str, perspective: str) -> str:
        if part.heading:
            return part.heading
        if part.kind in (Kind.CHAPTER, Kind.SUMMARY_DOMAIN):
            return self.domains.get(domain, "")
        if part.kind == Kind.SECTION:
            return SECTION_HEADINGS.get(perspective, "")
        if part.kind == Kind.SUMMARY_CELL:
            return SECTION_HEADINGS.get(perspective, "")
        if part.kind == Kind.TITLE_PAGE:
            return ""
        return DEFAULT_HEADINGS.get(part.kind, "")

    def _node(
        self,
        part: ReportPart,
        number: str,
        anchor: str,
        trail: tuple[str, ...],
        domain: str,
        perspective: str,
    ) -> Node:
        domain = part.domain or domain
        perspective = part.perspective or perspective
        heading = self._heading(part, domain, perspective)
        label = f"{number} {heading}".strip() if number else heading
        inner_trail = (*trail, label) if label else trail
        text, values, errors = resolve(
            part.body, self.inspection, register_of(part.kind), findings=self.findings
        )
        html = render_markdown(text)
        terms = tuple(sorted(((t, d) for t, d in part.terms), key=lambda t: t[0].casefold()))
        if part.kind == Kind.CHART_POINTER:
            html = f"<p>{self._pointer(part.charts)}</p>{html}"
        children = []
        section = 0
        for child in self.children[part.pk]:
            child_number, child_anchor = "", f"part-{child.pk}"
            if child.kind == Kind.SECTION and number and not number.startswith("Appendix"):
                section += 1
                child_number = f"{number}.{section}"
                child_anchor = f"section-{number}-{section}"
            children.append(
                self._node(child, child_number, child_anchor, inner_trail, domain, perspective)
            )
        return Node(
            part_id=part.pk,
            kind=part.kind,
            version=part.version,
            anchor=anchor,
            number=number,
            heading=heading,
            heading_html=mark_safe(render_inline(heading)),
            depth=len(trail),
            html=mark_safe(html),
            values=values,
            flags=tuple(changed_figures(part.confirmed_figures, values)),
            errors=tuple(errors),
            domain=domain,
            perspective=perspective,
            good=part.good,
            attribution=part.attribution,
            signatory=part.signatory,
            signatory_role=part.signatory_role,
            signed=part.signed,
            table=self.tables.get((domain, perspective))
            if part.kind == Kind.ENABLERS_BARRIERS
            else None,
            recommendation_groups=self.groups if part.kind == Kind.RECOMMENDATIONS else (),
            charts=self.charts if part.kind == Kind.CHARTS else (),
            columns=tuple(part.columns),
            rows=tuple(tuple(row) for row in part.rows),
            source=part.source,
            terms=terms,
            terms_html=tuple(
                (mark_safe(render_inline(term)), mark_safe(render_inline(definition)))
                for term, definition in terms
            ),
            roles=tuple((role, tuple(tuple(p) for p in people)) for role, people in part.roles),
            sample=self.sample if part.kind == Kind.METHODOLOGY else None,
            trail=trail,
            children=tuple(children),
        )

    def _pointer(self, numbers: list[int]) -> str:
        """ "Appendix 4 includes 2 charts (Charts 2 and 3) …", counted from the chart numbers."""
        known = {chart.figures.number for chart in self.charts}
        numbers = [n for n in numbers if n in known] or list(numbers)
        if not numbers:
            return ""
        names = _and_list([str(n) for n in numbers])
        label = "Chart" if len(numbers) == 1 else "Charts"
        return (
            f"{self.charts_appendix} includes {_plural(len(numbers), 'chart')} ({label} {names}) "
            "drawn from the inspected cases, CRC and NPS combined."
        )


def build_document(inspection: Inspection) -> Document:
    """The inspection's report, every part resolved, numbered and rendered."""
    parts = list(
        ReportPart.objects.filter(inspection=inspection).order_by("parent_id", "position", "pk")
    )
    builder = _Builder(inspection, parts)
    return Document(inspection.slug, _front(inspection), builder.sample, builder.build())
