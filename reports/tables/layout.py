"""The enablers and barriers tables and the recommendations as the pages show them: numbered as
the report prints them, each linked finding with its figure as the findings have it now.

One function per page, a constant number of queries whatever the number of rows (the rows, their
links, the recommendations and the inspection's findings, cached under its data revision);
plain dataclasses out, so no query runs while a template loops.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Prefetch

from cases.models import Case
from inspection.models import Inspection
from judgements.findings import ALL, Findings, inspection_findings
from judgements.models import Domain
from reports.chapters import OUTCOME_DOMAINS, Perspective
from reports.tables.models import (
    Column,
    Recommendation,
    RecommendationBarrier,
    RecommendationGroup,
    TableRow,
    TableRowCase,
    TableRowFinding,
)
from reports.tables.services import FindingLink

PERSPECTIVE_ORDER = list(Perspective.values)
GROUP_WORDS = {"CRC": "CRC", "NPS": "NPS", ALL: "CRC and NPS"}


@dataclass(frozen=True)
class Figure:
    """A linked finding and its count now: "PP-D8a CRC: 19 of 31 (61%)"."""

    link: FindingLink
    item_label: str | None
    question_text: str
    yes: int
    relevant: int
    percent: int | None
    phrase: str | None

    @property
    def label(self) -> str:
        item = f" [{self.item_label}]" if self.item_label else ""
        return f"{self.link.question}{item} {GROUP_WORDS[self.link.group]}"

    @property
    def cases_query(self) -> str:
        """The drill-down's query string for the cases the figure counts (its relevant cases)."""
        return urlencode(
            {"item": self.link.item or "", "group": self.link.group, "answer": "relevant"}
        )

    @property
    def count(self) -> str:
        if not self.relevant:
            return "no relevant cases yet"
        return f"{self.yes} of {self.relevant} ({self.percent}%)"


@dataclass
class Entry:
    """A row of a table or a recommendation, with its number and its neighbours (the ids the
    move buttons name, so a move from a stale page is refused)."""

    record: TableRow | Recommendation
    number: int
    above: int | None = None
    below: int | None = None
    figures: list[Figure] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    # For a barrier, the (number, id) of each recommendation that answers it; for a
    # recommendation, the barriers it answers.
    recommendations: list[tuple[int, int]] = field(default_factory=list)
    barriers: list["BarrierName"] = field(default_factory=list)


@dataclass(frozen=True)
class BarrierName:
    row_id: int
    table: str
    number: int
    text: str

    @property
    def label(self) -> str:
        return f"{self.table}: barrier {self.number}"


@dataclass
class Table:
    domain: str
    domain_name: str
    perspective: str
    heading: str
    enablers: list[Entry] = field(default_factory=list)
    barriers: list[Entry] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The table in an address: "rr-crc", "ab-joint"."""
        return f"{self.domain}-{self.perspective}".lower()

    @property
    def name(self) -> str:
        return f"{self.domain_name}, {GROUP_WORDS.get(self.perspective, 'working together')}"


@dataclass
class DomainTables:
    code: str
    name: str
    tables: list[Table]


def table_heading(inspection: Inspection, perspective: str) -> str:
    if perspective == Perspective.JOINT:
        return "The CRC and NPS working together"
    return inspection.organisation_name(perspective)


def outcome_domains(inspection: Inspection) -> list[Domain]:
    """The framework's outcome domains, in the report's order of chapters."""
    domains = {
        domain.code: domain
        for domain in Domain.objects.filter(
            framework_id=inspection.framework_id, code__in=OUTCOME_DOMAINS
        )
    }
    return [domains[code] for code in OUTCOME_DOMAINS if code in domains]


def table_from_slug(inspection: Inspection, slug: str) -> Table | None:
    """The (empty) table an address names, or None."""
    domain_code, _, perspective = slug.partition("-")
    perspective = perspective.upper() if perspective in ("crc", "nps") else perspective
    domain = next((d for d in outcome_domains(inspection) if d.code.lower() == domain_code), None)
    if domain is None or perspective not in PERSPECTIVE_ORDER:
        return None
    return Table(domain.code, domain.name, perspective, table_heading(inspection, perspective))


def _figure(findings: Findings, link: TableRowFinding) -> Figure:
    item_code = link.item.code if link.item_id else None
    finding = findings.yes_no_finding(link.question.code, item_code, link.group)
    return Figure(
        link=FindingLink(link.question.code, item_code, link.group),
        item_label=link.item.label if link.item_id else None,
        question_text=link.question.text,
        yes=finding.yes,
        relevant=finding.relevant,
        percent=finding.percent,
        phrase=finding.summary_phrase,
    )


def _rows(inspection: Inspection):
    return TableRow.objects.filter(inspection=inspection).prefetch_related(
        Prefetch(
            "finding_links",
            queryset=TableRowFinding.objects.select_related("question", "item").order_by("pk"),
        ),
        Prefetch("case_links", queryset=TableRowCase.objects.select_related("case").order_by("pk")),
        Prefetch("recommendation_links", queryset=RecommendationBarrier.objects.order_by("pk")),
    )


def _numbered(records: list) -> list[Entry]:
    entries = []
    for index, record in enumerate(records):
        entries.append(
            Entry(
                record=record,
                number=index + 1,
                above=records[index - 1].pk if index > 0 else None,
                below=records[index + 1].pk if index + 1 < len(records) else None,
            )
        )
    return entries


def _recommendation_numbers(inspection: Inspection) -> dict[int, int]:
    """Recommendation id → its number, counted continuously across the groups."""
    ids = Recommendation.objects.filter(group__inspection=inspection).order_by(
        "group__position", "group_id", "position", "pk"
    )
    return {pk: number for number, pk in enumerate(ids.values_list("pk", flat=True), start=1)}


def enablers_and_barriers(inspection: Inspection) -> list[DomainTables]:
    """Every outcome domain's three tables, empty ones included, with their rows numbered."""
    findings = inspection_findings(inspection)
    numbers = _recommendation_numbers(inspection)
    columns: dict[tuple, list[TableRow]] = defaultdict(list)
    for row in _rows(inspection).order_by("position", "pk"):
        columns[(row.domain, row.perspective, row.column)].append(row)
    domains = []
    for domain in outcome_domains(inspection):
        tables = []
        for perspective in PERSPECTIVE_ORDER:
            table = Table(
                domain.code, domain.name, perspective, table_heading(inspection, perspective)
            )
            for column, entries in (
                (Column.ENABLER, table.enablers),
                (Column.BARRIER, table.barriers),
            ):
                for entry in _numbered(columns[(domain.code, perspective, column)]):
                    row = entry.record
                    entry.figures = [_figure(findings, link) for link in row.finding_links.all()]
                    entry.cases = [link.case for link in row.case_links.all()]
                    entry.recommendations = sorted(
                        (numbers[link.recommendation_id], link.recommendation_id)
                        for link in row.recommendation_links.all()
                    )
                    entries.append(entry)
            tables.append(table)
        domains.append(DomainTables(domain.code, domain.name, tables))
    return domains


def barrier_names(inspection: Inspection) -> list[tuple[str, list[BarrierName]]]:
    """Every barrier of the inspection's tables by table, numbered as the tables show them:
    what a recommendation may answer."""
    domains = {domain.code: domain.name for domain in outcome_domains(inspection)}
    by_table: dict[tuple, list[TableRow]] = defaultdict(list)
    rows = TableRow.objects.filter(inspection=inspection, column=Column.BARRIER)
    for row in rows.order_by("position", "pk"):
        by_table[(row.domain, row.perspective)].append(row)
    named = []
    for code, name in domains.items():
        for perspective in PERSPECTIVE_ORDER:
            table = Table(code, name, perspective, "").name
            barriers = [
                BarrierName(row.pk, table, number, row.text)
                for number, row in enumerate(by_table[(code, perspective)], start=1)
            ]
            if barriers:
                named.append((table, barriers))
    return named


@dataclass
class GroupEntry:
    group: RecommendationGroup
    recommendations: list[Entry]
    above: int | None
    below: int | None


def recommendation_groups(inspection: Inspection) -> list[GroupEntry]:
    """The groups in order, each recommendation numbered continuously across them, with the
    barriers it answers named as the tables number them."""
    barriers = {
        barrier.row_id: barrier for _table, named in barrier_names(inspection) for barrier in named
    }
    groups = list(
        RecommendationGroup.objects.filter(inspection=inspection)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("barrier_links", queryset=RecommendationBarrier.objects.order_by("pk"))
                ),
            )
        )
    )
    entries, number = [], 0
    for group_entry in _numbered(groups):
        group = group_entry.record
        recommendations = _numbered(list(group.recommendations.all()))
        for entry in recommendations:
            number += 1
            entry.number = number
            entry.barriers = [
                barriers[link.barrier_id] for link in entry.record.barrier_links.all()
            ]
        entries.append(GroupEntry(group, recommendations, group_entry.above, group_entry.below))
    return entries
