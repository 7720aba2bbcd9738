"""The findings pages laid out: the engine's findings (judgements/findings.py) put into the
framework's order, domain by domain and theme by theme, with the address of the cases behind
each count. Nothing is counted here; every figure is a finding's own.

Addresses are written once per page from one reversed prefix, not by `{% url %}` in a loop of
hundreds of cells (the case list's lesson, README "The case list").
"""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.urls import reverse

from cases.descriptors import DESCRIPTORS, OFFICE_LABEL
from cases.models import Case, Organisation
from inspection.lib.text import control_character
from judgements.findings import (
    ALL,
    COUNTED_KINDS,
    GROUPS,
    OFFICE,
    PRIORITY_FACTOR_QUESTION,
    RELEVANT,
    UNANSWERED,
    YES_NO_KINDS,
    ChoiceFinding,
    Findings,
    NumberFinding,
    Where,
    YesNoFinding,
    where_pairs,
)
from judgements.framework import framework_questions, items_by_set
from judgements.models import AnswerKind, Domain, Item, Question

GROUP_LABELS = {"CRC": "CRC", "NPS": "NPS", ALL: "All"}
# The report's special tables beside the priority factors (report_structure.md, outline §3.5,
# §5): reoffending since sentence (6.1, 6.2 "reoffending counts") and compliance and
# enforcement (7.1, 7.2 "compliance and breach"). Codes of the qi-2016 framework; a framework
# without them shows no such table.
OUTCOME_TABLES = [
    ("Reoffending since sentence or release", ["RR-O2"]),
    ("Compliance and enforcement", ["AB-O1", "AB-O2", "AB-O3", "AB-O4", "AB-O5"]),
]
# Priority factors: identified at assessment, addressed in the plan, interventions delivered.
PRIORITY_FACTOR_STAGES = [
    (PRIORITY_FACTOR_QUESTION, "Identified"),
    ("RR-P1", "Addressed in the plan"),
    ("RR-D2", "Enough interventions delivered"),
]


def inspection_offices(inspection) -> list[str]:
    """The offices the inspection's cases name, for the filter (one query)."""
    return list(
        Case.objects.filter(inspection=inspection)
        .order_by(OFFICE)
        .values_list(OFFICE, flat=True)
        .distinct()
    )


def filter_options(offices: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The filter's choices, a group per descriptor and one of the offices:
    (label, [(value, label), ...])."""
    groups = [
        (
            descriptor.label,
            [
                (f"{name}:{code}", DESCRIPTORS[name].value_label(code))
                for code in descriptor.counted_codes
            ],
        )
        for name, descriptor in DESCRIPTORS.items()
    ]
    if offices:
        groups.append((OFFICE_LABEL, [(f"{OFFICE}:{office}", office) for office in offices]))
    return groups


def parse_filter(value: str | None) -> tuple[str, str] | None:
    """From the filter's value, e.g. "gender:female" or "office:Durham office", the engine's
    `where`: ("gender", "female"), ("office", "Durham office"); None for no filter; a
    ValueError saying why if the descriptor or its code is unknown (an office holding a control
    character names none: no office may hold one)."""
    if not value:
        return None
    name, _, code = value.partition(":")
    bad_character = control_character(code)
    if bad_character:
        raise ValueError(f"No filter {value!r}: it holds a control character, {bad_character}")
    if name == OFFICE and code:
        return name, code
    if name not in DESCRIPTORS or code not in DESCRIPTORS[name].counted_codes:
        raise ValueError(f"Unknown filter {value!r}")
    return name, code


def parse_filters(values: list[str]) -> "Where | None":
    """Every filter a page was given (`?cases=gender:female&cases=rosh_level:medium`), as the
    engine's `where`, each once, in the order given; None for none. A ValueError names the
    first that is unknown."""
    pairs = [parse_filter(value) for value in values if value]
    return tuple(dict.fromkeys(pairs)) or None


def filter_value(pair: tuple[str, str]) -> str:
    """A filter as its address carries it: "gender:female"."""
    return f"{pair[0]}:{pair[1]}"


def _pair_label(name: str, code: str) -> str:
    if name == OFFICE:
        return f"{OFFICE_LABEL}: {code}"
    return f"{DESCRIPTORS[name].label}: {DESCRIPTORS[name].value_label(code)}"


def filter_label(where) -> str | None:
    """The filter as the pages say it: "Gender: Female and Risk of serious harm level: Medium"
    (values of one descriptor joined by "or")."""
    pairs = where_pairs(where)
    if not pairs:
        return None
    by_name: dict[str, list[str]] = {}
    for name, code in pairs:
        by_name.setdefault(name, []).append(_pair_label(name, code))
    return " and ".join(" or ".join(labels) for labels in by_name.values())


def filters_shown(where, query: dict) -> list[dict]:
    """Each filter of the page with the address of the page without it (to remove it)."""
    pairs = where_pairs(where)
    shown = []
    for pair in pairs:
        others = [filter_value(other) for other in pairs if other != pair]
        rest = urlencode({**query, "cases": others}, doseq=True)
        shown.append(
            {"label": _pair_label(*pair), "value": filter_value(pair), "without": f"?{rest}"}
        )
    return shown


def domain_slug(domain: Domain) -> str:
    return domain.code.lower()


@dataclass
class Cell:
    group: str
    finding: YesNoFinding | ChoiceFinding | NumberFinding | None  # None: not asked of the group
    links: dict[str, str] = field(default_factory=dict)  # answer → the cases behind it
    choices: list[tuple[str, int, str]] = field(default_factory=list)  # label, count, link

    @property
    def label(self) -> str:
        return GROUP_LABELS[self.group]


@dataclass
class Row:
    question: Question
    item: Item | None
    cells: list[Cell]
    heading_only: bool = False  # an item question's own row, above a row per item

    @property
    def pooled(self) -> bool:
        """The row of an item question's items together, below its items."""
        return bool(self.question.item_set_id) and self.item is None and not self.heading_only

    @property
    def kind(self) -> str:
        if self.question.kind == AnswerKind.CHOICE:
            return "choice"
        return "number" if self.question.kind == AnswerKind.NUMBER else "yes_no"


@dataclass
class ThemeTable:
    theme: str
    rows: list[Row]


class Links:
    """The drill-down's address for any count: one reversed prefix and a query string."""

    def __init__(self, slug: str | None, where):
        # Reversed once with a placeholder, then each question's code put in its place.
        self.prefix = reverse("finding-cases", args=[slug, "QUESTION"]) if slug else None
        pairs = where_pairs(where)
        self.filter = {"cases": [filter_value(pair) for pair in pairs]} if pairs else {}

    def with_filter(self, pair: tuple[str, str]) -> "Links":
        """The same addresses, counting only the cases with one more descriptor value."""
        links = Links.__new__(Links)
        links.prefix = self.prefix
        links.filter = {"cases": [*self.filter.get("cases", []), filter_value(pair)]}
        return links

    def __call__(self, question: str, item: str | None, group: str, answer: str) -> str:
        query = {**({"item": item} if item else {}), "group": group, "answer": answer}
        path = self.prefix.replace("QUESTION", quote(question))
        return f"{path}?{urlencode({**query, **self.filter}, doseq=True)}"

    def for_yes_no(self, question: Question, item: str | None, group: str) -> dict[str, str]:
        if self.prefix is None:
            return {}
        answers = ["yes", "no", RELEVANT, UNANSWERED]
        if question.kind == AnswerKind.YES_NO_NA:
            answers.append("na")
        return {answer: self(question.code, item, group, answer) for answer in answers}


class FindingsIndex:
    """The findings by (question, item, group) for the rows to look up."""

    def __init__(self, findings: Findings):
        self.rows = {
            (row.question, row.item, row.group): row
            for row in [*findings.yes_no, *findings.choices, *findings.numbers]
            if row.cut is None
        }

    def get(self, question: str, item: str | None, group: str):
        return self.rows.get((question, item, group))


def _cell(question: Question, item: Item | None, group: str, index, links: Links) -> Cell:
    if group != ALL and not question.applies_to(group):
        return Cell(group, None)
    item_code = item.code if item else None
    finding = index.get(question.code, item_code, group)
    cell = Cell(group, finding)
    if isinstance(finding, YesNoFinding):
        cell.links = links.for_yes_no(question, item_code, group)
    elif isinstance(finding, ChoiceFinding):
        if links.prefix:
            cell.links = {UNANSWERED: links(question.code, item_code, group, UNANSWERED)}
        cell.choices = [
            (
                choice["label"],
                finding.counts.get(choice["code"], 0),
                links(question.code, item_code, group, choice["code"]) if links.prefix else "",
            )
            for choice in question.choices
        ]
    return cell


def question_rows(question: Question, items: list[Item], index, links: Links) -> list[Row]:
    if not question.item_set_id:
        return [Row(question, None, [_cell(question, None, g, index, links) for g in GROUPS])]
    rows = [Row(question, None, [], heading_only=True)]
    pooled = [None] if question.kind in YES_NO_KINDS else []
    for item in [*items, *pooled]:
        rows.append(Row(question, item, [_cell(question, item, g, index, links) for g in GROUPS]))
    return rows


@dataclass
class FrameworkLayout:
    """The framework as the findings pages walk it: three queries for the whole framework."""

    domains: list[Domain]
    questions: list[Question]
    items: dict[int, list[Item]]

    @classmethod
    def of(cls, framework_id: int) -> "FrameworkLayout":
        return cls(
            domains=list(Domain.objects.filter(framework_id=framework_id)),
            questions=[q for q in framework_questions(framework_id) if q.kind in COUNTED_KINDS],
            items=items_by_set(framework_id),
        )

    def domain(self, slug: str) -> Domain | None:
        return next((d for d in self.domains if domain_slug(d) == slug), None)

    def questions_by_code(self) -> dict[str, Question]:
        return {question.code: question for question in self.questions}

    def theme_tables(self, domain: Domain, findings: Findings, links: Links) -> list[ThemeTable]:
        index = FindingsIndex(findings)
        tables: dict[int, ThemeTable] = {}
        themes = sorted(
            {q.theme for q in self.questions if q.domain_id == domain.id}, key=lambda t: t.order
        )
        for theme in themes:
            tables[theme.id] = ThemeTable(theme.name, [])
        for question in self.questions:
            if question.domain_id == domain.id:
                items = self.items.get(question.item_set_id, [])
                tables[question.theme_id].rows.extend(question_rows(question, items, index, links))
        return [tables[theme.id] for theme in themes]

    def outcome_tables(self, findings: Findings, links: Links) -> list[ThemeTable]:
        index, questions = FindingsIndex(findings), self.questions_by_code()
        tables = []
        for title, codes in OUTCOME_TABLES:
            rows = [
                row
                for code in codes
                if code in questions
                for row in question_rows(questions[code], [], index, links)
            ]
            if rows:
                tables.append(ThemeTable(title, rows))
        return tables

    def priority_factor_rows(self, findings: Findings, links: Links) -> list[dict]:
        """A table per organisation, each with a row per factor identified in its cases, most
        often identified first in that organisation (as the report lists each one's, outline
        §3.7), and the factor's stages' cells: identified, addressed, delivered."""
        questions = self.questions_by_code()
        if any(code not in questions for code, _label in PRIORITY_FACTOR_STAGES):
            return []
        index = FindingsIndex(findings)
        factor_items = {
            item.code: item
            for item in self.items.get(questions[PRIORITY_FACTOR_QUESTION].item_set_id, [])
        }
        tables = []
        for organisation in Organisation.values:
            if not questions[PRIORITY_FACTOR_QUESTION].applies_to(organisation):
                continue
            rows = []
            for code, label, _count in findings.priority_factors(organisation):
                item = factor_items[code]
                stages = [
                    (stage_label, _cell(questions[question], item, organisation, index, links))
                    for question, stage_label in PRIORITY_FACTOR_STAGES
                ]
                rows.append({"item": item, "label": label, "stages": stages})
            tables.append(
                {
                    "organisation": organisation,
                    "cases": findings.cases[organisation],
                    "stages": [label for _code, label in PRIORITY_FACTOR_STAGES],
                    "rows": rows,
                }
            )
        return tables


def descriptor_tables(findings: Findings) -> list[dict]:
    """The sample's descriptor tables (risk of serious harm level first, as the report opens
    its public protection chapter with them), case counts by organisation."""
    order = ["rosh_level", *[name for name in DESCRIPTORS if name != "rosh_level"]]
    tables = []
    for name in order:
        counts = findings.descriptors.get(name)
        if not counts:
            continue
        rows = [
            (DESCRIPTORS[name].value_label(code), [counts[group][code] for group in GROUPS])
            for code in DESCRIPTORS[name].counted_codes
        ]
        tables.append({"name": name, "label": DESCRIPTORS[name].label, "rows": rows})
    return tables


@dataclass
class CutRow:
    """A yes/no question (or one of its items, or its items together) across a descriptor's
    values: a finding per value, with the address of its cases."""

    question: Question
    item: Item | None
    pooled: bool
    cells: list[tuple[str, YesNoFinding | None, str]]  # value label, finding, link


def cut_tables(
    layout: "FrameworkLayout", domain: Domain, findings: Findings, group: str, links: Links
) -> list[tuple[str, list[CutRow]]]:
    """A domain's yes/no findings side by side for each value of the descriptor the findings
    are cut by (`findings.cut_by`): (theme, rows), for one group (CRC, NPS or all)."""
    name = findings.cut_by
    values = DESCRIPTORS[name].counted_codes
    index = {
        (row.question, row.item, row.cut): row
        for row in findings.yes_no
        if row.group == group and row.cut is not None
    }
    tables: dict[int, tuple[str, list[CutRow]]] = {}
    themes = sorted(
        {q.theme for q in layout.questions if q.domain_id == domain.id}, key=lambda t: t.order
    )
    for theme in themes:
        tables[theme.id] = (theme.name, [])
    for question in layout.questions:
        if question.domain_id != domain.id or question.kind not in YES_NO_KINDS:
            continue
        if group != ALL and not question.applies_to(group):
            continue
        items = layout.items.get(question.item_set_id, []) if question.item_set_id else []
        for item in [*items, None] if items else [None]:
            code = item.code if item else None
            cells = [
                (
                    DESCRIPTORS[name].value_label(value),
                    index.get((question.code, code, value)),
                    links.with_filter((name, value))(question.code, code, group, RELEVANT)
                    if links.prefix
                    else "",
                )
                for value in values
            ]
            tables[question.theme_id][1].append(
                CutRow(question, item, bool(items) and item is None, cells)
            )
    return [tables[theme.id] for theme in themes if tables[theme.id][1]]
