"""How an inspection's findings compare with the national figure.

The national figure is `findings_for` over every published inspection of the framework: the
engine's one GROUP BY over many inspections, so what leaves the database is counts, never a
case, a note, a descriptor, an inspector or an office of another inspection. It is made of
published inspections because their reports are public and their data frozen (published means
frozen): it changes only when an inspection is published or a correction reopens one, so it
is cached under the published inspections' ids and data revisions. An inspection that is
published is part of the national figure like any other; one that is not is not.

This module only shapes findings already counted: each finding as a share (how many of how
many, and its percentage) beside the national figure's, and the difference in percentage
points. Nothing is counted here.
"""

import hashlib
from dataclasses import dataclass, field, replace
from functools import partial

from django.core.cache import cache
from django.db import transaction

from inspection.models import Inspection, InspectionStatus
from judgements.findings import (
    ALL,
    FINDINGS_CACHE_SECONDS,
    FINDINGS_CODE,
    ChoiceFinding,
    Findings,
    NumberFinding,
    findings_cache_key,
    findings_for,
)
from judgements.findings_pages import FindingsIndex, FrameworkLayout
from judgements.models import AnswerKind, Domain, Item, Question, Theme
from judgements.proportions import percent


@dataclass(frozen=True)
class National:
    """The national figure of one framework, and which inspections it is of."""

    inspection_ids: frozenset[int]
    findings: Findings | None  # None: no inspection of the framework is published

    @property
    def inspections(self) -> int:
        return len(self.inspection_ids)

    def includes(self, inspection: Inspection) -> bool:
        return inspection.pk in self.inspection_ids

    def others_than(self, inspection: Inspection) -> int:
        """How many published inspections besides this one the figure is of: with none, there
        is nothing to compare with."""
        return len(self.inspection_ids - {inspection.pk})


def national_cache_key(framework_id: int, revisions: list[tuple[int, int]]) -> str:
    """Keyed on every published inspection's id and data revision: publishing one, reopening
    one for a correction and publishing it again each make a new key."""
    published = ";".join(f"{pk}.{revision}" for pk, revision in sorted(revisions))
    digest = hashlib.sha256(published.encode()).hexdigest()[:16]
    return f"national:{FINDINGS_CODE}:{framework_id}:{digest}"


def national_findings(framework_id: int) -> National:
    """The findings of every published inspection of the framework, from the cache while no
    inspection has been published or reopened since they were counted. One query when cached.

    Stored only when the surrounding transaction commits, as `inspection_findings` is."""
    published = list(
        Inspection.objects.filter(framework_id=framework_id, status=InspectionStatus.PUBLISHED)
        .select_related("framework")
        .order_by("pk")
    )
    ids = frozenset(inspection.pk for inspection in published)
    if not published:
        return National(ids, None)
    key = national_cache_key(framework_id, [(i.pk, i.data_revision) for i in published])
    findings = cache.get(key)
    if findings is None:
        findings = findings_for(published)
        transaction.on_commit(partial(cache.set, key, findings, FINDINGS_CACHE_SECONDS))
    return National(ids, findings)


def findings_of_each(inspections: list[Inspection]) -> dict[int, Findings]:
    """Each inspection's own findings, by id: the entries `inspection_findings` caches, with
    every inspection's data revision read in one query, so a page of many inspections asks
    the database once when they are all cached."""
    revisions = dict(
        Inspection.objects.filter(pk__in=[i.pk for i in inspections]).values_list(
            "pk", "data_revision"
        )
    )
    keys = {i.pk: findings_cache_key(i.pk, revisions[i.pk], None, None) for i in inspections}
    cached = cache.get_many(list(keys.values()))
    each = {}
    for inspection in inspections:
        findings = cached.get(keys[inspection.pk])
        if findings is None:
            findings = findings_for([inspection])
            transaction.on_commit(
                partial(cache.set, keys[inspection.pk], findings, FINDINGS_CACHE_SECONDS)
            )
        each[inspection.pk] = findings
    return each


def column_label(inspection: Inspection) -> str:
    """An inspection as a column heading: its area, and the year its fieldwork began (an area
    is inspected again in later years)."""
    if inspection.fieldwork_start:
        return f"{inspection.area_name} {inspection.fieldwork_start.year}"
    return inspection.area_name


@dataclass(frozen=True)
class Figure:
    """One column's figure on one line: a share (yes of the relevant cases, or one choice of
    those answered), a number question's median, or nothing to show."""

    column: str  # the column's heading, which a phone shows beside the figure
    count: int | None = None  # None: no share (a number question, or nothing to count)
    of: int = 0
    number: NumberFinding | None = None
    asked: bool = True  # False: the question is not asked of the group's cases
    difference: int | None = None  # percentage points from the national figure

    @property
    def percent(self) -> int | None:
        return None if self.count is None else percent(self.count, self.of)

    @property
    def signed_difference(self) -> str:
        """+5, 0, or -3 written with a minus sign (U+2212), as print sets it."""
        if self.difference is None:
            return ""
        if self.difference > 0:
            return f"+{self.difference}"
        return f"\N{MINUS SIGN}{-self.difference}" if self.difference < 0 else "0"

    @property
    def difference_points(self) -> str:
        """As a cell under a figure writes it: "+5 points", "0 points", a minus for fewer."""
        if self.difference is None:
            return ""
        return f"{self.signed_difference} point{'' if abs(self.difference) == 1 else 's'}"


@dataclass(frozen=True)
class Line:
    """A row of a comparison table: a yes/no question (or one of its items), one choice of a
    choice question, a number question, or a heading above a question's items or choices."""

    question: Question
    item: Item | None = None
    choice: str | None = None  # the choice's label, on a choice question's lines
    figures: list[Figure] = field(default_factory=list)
    national: Figure | None = None
    heading_only: bool = False

    @property
    def kind(self) -> str:
        if self.question.kind == AnswerKind.CHOICE:
            return "choice"
        return "number" if self.question.kind == AnswerKind.NUMBER else "yes_no"


@dataclass(frozen=True)
class ComparedTheme:
    theme: Theme
    lines: list[Line]


def _figure(column: str, finding, choice: dict | None, asked: bool) -> Figure:
    if not asked:
        return Figure(column, asked=False)
    if isinstance(finding, NumberFinding):
        return Figure(column, number=finding)
    if isinstance(finding, ChoiceFinding):
        count, of = finding.counts.get(choice["code"], 0), finding.answered
    elif finding is not None:
        count, of = finding.yes, finding.relevant
    else:
        return Figure(column)
    return Figure(column, count=count if of else None, of=of)


def _with_difference(figure: Figure, national: Figure | None) -> Figure:
    if national is None or figure.percent is None or national.percent is None:
        return figure
    return replace(figure, difference=figure.percent - national.percent)


@dataclass
class Comparison:
    """Findings side by side, a column each, beside the national figure, for one group of
    cases (CRC, NPS or all)."""

    layout: FrameworkLayout
    columns: list[tuple[str, Findings]]
    national: Findings | None
    group: str = ALL

    def __post_init__(self):
        self._indexes = [(label, FindingsIndex(findings)) for label, findings in self.columns]
        self._national = FindingsIndex(self.national) if self.national else None

    def _line(self, question: Question, item: Item | None, choice: dict | None) -> Line:
        item_code = item.code if item else None
        asked = self.group == ALL or question.applies_to(self.group)

        def figure(column: str, index: FindingsIndex) -> Figure:
            return _figure(column, index.get(question.code, item_code, self.group), choice, asked)

        national = figure("National", self._national) if self._national else None
        return Line(
            question,
            item,
            choice["label"] if choice else None,
            figures=[
                _with_difference(figure(label, index), national) for label, index in self._indexes
            ],
            national=national,
        )

    def question_lines(self, question: Question) -> list[Line]:
        """A line per item and choice; an item or choice question opens with its heading."""
        items = self.layout.items.get(question.item_set_id, []) if question.item_set_id else [None]
        choices = question.choices if question.kind == AnswerKind.CHOICE else [None]
        heading = bool(question.item_set_id) or question.kind == AnswerKind.CHOICE
        lines = [Line(question, heading_only=True)] if heading else []
        for item in items:
            lines.extend(self._line(question, item, choice) for choice in choices)
        return lines

    def tables(self, domain: Domain) -> list[ComparedTheme]:
        """A table per practice theme of the domain, in the framework's order."""
        themes: dict[int, ComparedTheme] = {}
        for question in self.layout.questions:
            if question.domain_id == domain.id:
                theme = themes.setdefault(question.theme_id, ComparedTheme(question.theme, []))
                theme.lines.extend(self.question_lines(question))
        return sorted(themes.values(), key=lambda table: table.theme.order)
