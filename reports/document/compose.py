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
Appendix 1, 2… Everything else (front matter, sub-headings, blocks) has no number. Background
data tables are numbered within their appendix (or chapter), Table 1, 2…, and cited as the
report's text cites them: "Appendix 2, table 5".

Every part also has a `name` that says which part it is wherever it is listed: its number and
heading ("5.1 Effectiveness of the CRC"), or its heading or kind with the headings it stands
in ("prose 4 in Operational issues, 5.1 Effectiveness of the CRC"). The outline's links and
buttons are named by it, so a screen reader's list of links tells 150 "Edit" links apart.

A constant number of queries whatever the size of the report: the parts (one query), the
report's title page, the findings (cached under the data revision), and, only when the report
has such parts and is built for printing, the tables, the recommendations and the charts. The
editor's outline builds it without them (`printing=False`): it shows each part's words, number
and flags, never the tables' rows or the charts' drawings.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

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
# What only the printed report shows of a part (its tables' cells, the glossary's terms, the
# acknowledgements): the outline neither reads nor decodes them (`_Builder._printed`).
PRINTED_ONLY = ("columns", "rows", "terms", "roles")
# Kinds listed in the contents beside the numbered chapters, sections and appendices.
CONTENTS_KINDS = {Kind.FOREWORD}
# A figure as the report's tables print one: "517,773", "27.6", "61%", "-3", "£1,200".
FIGURE = re.compile(r"^[£$]?[-\u2212+]?\d[\d,]*(\.\d+)?%?$")


def _numbered(number: str, heading: str) -> str:
    """A heading with its number, as printed: "5.1 Effectiveness of …", "Appendix 2:
    Background data"."""
    if not number:
        return heading
    if not heading:
        return number
    separator = ": " if number.startswith("Appendix") else " "
    return f"{number}{separator}{heading}"


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
    - `text`: the body (`body`, Markdown) with its figures filled from `findings` in its
      `register`; `lead`: a chart pointer's sentence naming its charts; `html`: the lead and
      the text rendered and sanitised (safe to print unescaped)
    - `values`: each live figure of the body and its value now; `flags`: how figures differ
      from those the editor confirmed (`confirmed`); `errors`: placeholders naming no figure
    - the figures and the HTML are worked out on first use: a page that names parts (the
      editor's forms) or shows one chapter's words resolves only what it shows
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
    depth: int
    body: str
    register: str
    findings: Findings = field(repr=False, compare=False)
    confirmed: dict[str, str] = field(default_factory=dict)
    lead: str = ""
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
    roles: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    sample: Sample | None = None
    # The headings of the parts it stands in, outermost first ("6 Protecting the public",
    # "6.1 Effectiveness of the CRC"): where the editor finds it.
    trail: tuple[str, ...] = ()
    children: tuple["Node", ...] = ()
    # Which part it is, in words (the module's docstring): what the outline's links say.
    name: str = ""
    # A background data table's number within its appendix ("Table 5") and how the text
    # cites it ("Appendix 2, table 5").
    table_number: str = ""
    cite: str = ""

    @cached_property
    def _resolved(self) -> tuple[str, dict[str, str], list[str]]:
        return resolve(self.body, None, self.register, findings=self.findings)

    @property
    def text(self) -> str:
        return self._resolved[0]

    @property
    def values(self) -> dict[str, str]:
        return self._resolved[1]

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(self._resolved[2])

    @cached_property
    def flags(self) -> tuple[str, ...]:
        return tuple(changed_figures(self.confirmed, self.values))

    @cached_property
    def html(self) -> SafeString:
        html = render_markdown(self.text)
        return mark_safe(f"<p>{self.lead}</p>{html}" if self.lead else html)

    @cached_property
    def heading_html(self) -> SafeString:
        return mark_safe(render_inline(self.heading))

    @cached_property
    def terms_html(self) -> tuple[tuple[SafeString, SafeString], ...]:
        return tuple(
            (mark_safe(render_inline(term)), mark_safe(render_inline(definition)))
            for term, definition in self.terms
        )

    @property
    def full_heading(self) -> str:
        """The heading as printed with its number: "5.1 Effectiveness of …", "Appendix 2:
        Background data"."""
        return _numbered(self.number, self.heading)

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

    def find(self, part_id: int) -> Node | None:
        """The part's node, None when the report has no such part."""
        return next((node for node in self.walk() if node.part_id == part_id), None)

    def chapter_of(self, part_id: int) -> Node | None:
        """The top-level part the part stands in (itself when it is one)."""
        return next(
            (top for top in self.parts if any(n.part_id == part_id for n in top.walk())), None
        )

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


@dataclass(frozen=True)
class Place:
    """Where a part stands, as its parent's walk hands it down: its number and anchor, the
    headings above it, the domain and perspective it inherits, and its ordinal among its
    siblings of its kind (0 when it is the only one)."""

    number: str
    anchor: str
    trail: tuple[str, ...]
    domain: str
    perspective: str
    ordinal: int


def _ordinals(siblings: list[ReportPart]) -> list[int]:
    """Each sibling's place among those of its kind, from 1; 0 for one alone of its kind."""
    of_kind = Counter(sibling.kind for sibling in siblings)
    seen: Counter = Counter()
    ordinals = []
    for sibling in siblings:
        seen[sibling.kind] += 1
        ordinals.append(seen[sibling.kind] if of_kind[sibling.kind] > 1 else 0)
    return ordinals


def part_name(
    kind: str, number: str, heading: str, trail: tuple[str, ...], ordinal: int, table: str = ""
) -> str:
    """Which part it is, in words: "5.1 Effectiveness of the CRC", "Foreword", "prose 4 in
    Operational issues, 5.1 Effectiveness of the CRC", "Appendix 2, table 5: Reoffending
    rate…". A numbered part, or a table with its citation (`table`), needs nothing more; any
    other is named by its heading (else its kind and ordinal) and the headings it stands in,
    up to the nearest numbered one."""
    if number:
        return _numbered(number, heading)
    if table:
        return f"{table}: {heading}" if heading else table
    own = heading
    if not own:
        label = Kind(kind).label
        own = f"{label[0].lower()}{label[1:]}" if trail else label
        own = f"{own} {ordinal}" if ordinal else own
    if not trail:
        return own
    where = []
    for label in reversed(trail):
        where.append(label)
        if label[:1].isdigit() or label.startswith("Appendix"):
            break
    return f"{own} in {', '.join(where)}"


class _Builder:
    """Walks the tree of parts once, numbering and resolving as it goes."""

    def __init__(self, inspection: Inspection, parts: list[ReportPart], *, printing: bool):
        self.inspection = inspection
        self.printing = printing
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
            if printing and Kind.ENABLERS_BARRIERS in kinds
            else {}
        )
        self.groups = (
            tuple(recommendation_groups(inspection))
            if printing and Kind.RECOMMENDATIONS in kinds
            else ()
        )
        self.charts = (
            tuple(
                DocumentChart(figures, mark_safe(chart_svg(figures)))
                for _chart, figures in inspection_charts(inspection)
            )
            if printing and kinds & {Kind.CHARTS, Kind.CHART_POINTER}
            else ()
        )
        self.charts_appendix = self._charts_appendix()
        # The top-level part being built ("Appendix 2") and its background tables so far.
        self.top_number = ""
        self.tables_counted = 0

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
        top = self.children[None]
        for part, ordinal in zip(top, _ordinals(top), strict=True):
            number, anchor = "", ""
            if part.kind in CHAPTER_KINDS:
                chapter += 1
                number, anchor = str(chapter), f"chapter-{chapter}"
            elif part.kind == Kind.APPENDIX:
                appendix += 1
                number, anchor = f"Appendix {appendix}", f"appendix-{appendix}"
            elif part.kind in (Kind.TITLE_PAGE, Kind.COPYRIGHT, Kind.CONTENTS, Kind.FOREWORD):
                anchor = part.kind.replace("_", "-")
            self.top_number, self.tables_counted = number, 0
            place = Place(number, anchor or f"part-{part.pk}", (), "", "", ordinal)
            nodes.append(self._node(part, place))
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

    def _table_number(self, part: ReportPart) -> tuple[str, str]:
        """A background table's number in its appendix or chapter, and how the text cites it
        (the Durham report: "Table 5" under Appendix 2, cited "Appendix 2, table 5")."""
        if part.kind != Kind.BACKGROUND_TABLE:
            return "", ""
        self.tables_counted += 1
        number = f"Table {self.tables_counted}"
        if not self.top_number:
            return number, number
        where = self.top_number
        if not where.startswith("Appendix"):
            where = f"Chapter {where}"
        return number, f"{where}, table {self.tables_counted}"

    def _node(self, part: ReportPart, place: "Place") -> Node:
        number, anchor, trail = place.number, place.anchor, place.trail
        domain = part.domain or place.domain
        perspective = part.perspective or place.perspective
        heading = self._heading(part, domain, perspective)
        label = _numbered(number, heading)
        inner_trail = (*trail, label) if label else trail
        table_number, cite = self._table_number(part)
        lead = self._pointer(part.charts) if part.kind == Kind.CHART_POINTER else ""
        children = []
        section = 0
        siblings = self.children[part.pk]
        for child, ordinal in zip(siblings, _ordinals(siblings), strict=True):
            child_number, child_anchor = "", f"part-{child.pk}"
            if child.kind == Kind.SECTION and number and not number.startswith("Appendix"):
                section += 1
                child_number = f"{number}.{section}"
                child_anchor = f"section-{number}-{section}"
            child_place = Place(
                child_number, child_anchor, inner_trail, domain, perspective, ordinal
            )
            children.append(self._node(child, child_place))
        return Node(
            part_id=part.pk,
            kind=part.kind,
            version=part.version,
            anchor=anchor,
            number=number,
            heading=heading,
            depth=len(trail),
            body=part.body,
            register=register_of(part.kind),
            findings=self.findings,
            confirmed=part.confirmed_figures,
            lead=lead,
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
            source=part.source,
            **(self._printed(part) if self.printing else {}),
            sample=self.sample if part.kind == Kind.METHODOLOGY else None,
            trail=trail,
            children=tuple(children),
            name=part_name(part.kind, number, heading, trail, place.ordinal, cite),
            table_number=table_number,
            cite=cite,
        )

    @staticmethod
    def _printed(part: ReportPart) -> dict:
        """What only the printed report shows of a part: a background table's cells, the
        glossary (alphabetical, as the report prints it) and the acknowledgements."""
        terms = sorted(((t, d) for t, d in part.terms), key=lambda t: t[0].casefold())
        return {
            "columns": tuple(part.columns),
            "rows": tuple(tuple(row) for row in part.rows),
            "terms": tuple(terms),
            "roles": tuple((role, tuple(tuple(p) for p in people)) for role, people in part.roles),
        }

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


def build_document(inspection: Inspection, *, printing: bool = True) -> Document:
    """The inspection's report, every part resolved, numbered and rendered. Without
    `printing` (the editor's outline), the enablers and barriers tables, the recommendations
    and the charts are left out: the parts' words, numbers and flags are all there."""
    parts = list(
        ReportPart.objects.filter(inspection=inspection)
        .defer(*("created_at", "updated_at", *(() if printing else PRINTED_ONLY)))
        .order_by("parent_id", "position", "pk")
    )
    builder = _Builder(inspection, parts, printing=printing)
    return Document(inspection.slug, _front(inspection), builder.sample, builder.build())
