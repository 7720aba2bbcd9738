"""An inspection's findings: the counts behind every figure in the report.

`inspection_findings` is the one function every page, export, chart and the PDF use. It runs
a constant number of queries whatever the number of cases: one GROUP BY over the answers, one
over the cases, and one each for the questions and items (and, for one inspection, one for the
data revision and one for the combinations its lead named); Python only shapes the grouped rows
(denominators, phrases). Only answers whose gates are open are counted. The national roll-up
is the same function over many inspections: the database does the counting and no answer row
is ever held in Python.

Denominators follow the report ("in relevant cases"): relevant = yes + no. Not applicable and
unanswered are outside it, and so is every case a question's gate shuts (it was not asked).
`unanswered` counts only the cases the question is open for.

One inspection's findings are cached under its data revision (`inspection_findings`), so a
page, its charts and the downloads count once per change, not once per request.
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from cases.descriptors import DESCRIPTORS
from cases.models import Case, Organisation
from inspection.models import Inspection
from judgements.framework import (
    framework_loaded,
)
from judgements.models import Answer, AnswerKind, Combination, Item, Question
from judgements.proportions import percent, proportion_phrase, summary_phrase

logger = logging.getLogger(__name__)

ALL = "all"
GROUPS = [*Organisation.values, ALL]
YES_NO_KINDS = {AnswerKind.YES_NO, AnswerKind.YES_NO_NA}
COUNTED_KINDS = [*YES_NO_KINDS, AnswerKind.CHOICE, AnswerKind.NUMBER]
# The framework question whose items are the priority offending-related factors (outline §3.7).
PRIORITY_FACTOR_QUESTION = "RR-A2"
# Cached findings are keyed on the data revision, which every service and every framework edit
# bumps, so a write makes a new key; this timeout only bounds what a write round the models
# (raw SQL) could leave stale, and how long superseded revisions take memory: an hour of
# drafting reads the same figures many times over.
FINDINGS_CACHE_SECONDS = 60 * 60
# In the key too: after a deploy that changes this module (how findings are counted, or the
# shape of Findings), a shared cache never serves what the previous code computed.
FINDINGS_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


# A filter of the counted cases: one or more (descriptor, code) pairs, or (OFFICE, office).
# Pairs of one descriptor are either of its values; of different descriptors, all at once
# ("gender: female" and "RoSH: medium": women's cases of medium risk of serious harm).
Where = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class YesNoFinding:
    question: str
    item: str | None
    group: str
    yes: int
    no: int
    not_applicable: int
    unanswered: int
    cut: str | None = None
    # All of an item question's items together (item None): each item's judgement of each
    # case counted once, as the report pools "across the four stages".
    pooled: bool = False

    @property
    def relevant(self) -> int:
        return self.yes + self.no

    @property
    def percent(self) -> int | None:
        return percent(self.yes, self.relevant)

    @property
    def phrase(self) -> str | None:
        """As the report's chapters word it."""
        return proportion_phrase(self.yes, self.relevant)

    @property
    def summary_phrase(self) -> str | None:
        """As its executive summary and enablers and barriers tables word it."""
        return summary_phrase(self.yes, self.relevant)

    def as_dict(self) -> dict:
        row = {
            "question": self.question,
            "item": self.item,
            "group": self.group,
            "yes": self.yes,
            "no": self.no,
            "not_applicable": self.not_applicable,
            "unanswered": self.unanswered,
            "relevant": self.relevant,
            "percent": self.percent,
            "phrase": self.phrase,
            "summary_phrase": self.summary_phrase,
        }
        if self.pooled:
            row["pooled"] = True
        return row if self.cut is None else {**row, "cut": self.cut}

    @classmethod
    def pooling(cls, rows: list["YesNoFinding"]) -> "YesNoFinding":
        """Several findings of one question and group (its items) as one: their counts summed."""
        first = rows[0]
        return cls(
            question=first.question,
            item=None,
            group=first.group,
            yes=sum(row.yes for row in rows),
            no=sum(row.no for row in rows),
            not_applicable=sum(row.not_applicable for row in rows),
            unanswered=sum(row.unanswered for row in rows),
            cut=first.cut,
            pooled=True,
        )


@dataclass(frozen=True)
class CombinedFinding(YesNoFinding):
    """A combination the lead named (judgements.models.Combination), counted as a yes/no
    finding: its items' judgements summed, or its answers (yes) out of every answer given to
    the choice question (relevant). `question` is the combination's question; `code` and
    `name` its own."""

    code: str = ""
    name: str = ""

    def as_dict(self) -> dict:
        return {"combination": self.code, "name": self.name, **super().as_dict()}


@dataclass(frozen=True)
class ChoiceFinding:
    question: str
    item: str | None
    group: str
    counts: dict[str, int]
    cut: str | None = None
    # Cases asked and not yet answered, for the pages; not in the JSON's documented shape.
    unanswered: int = 0

    @property
    def answered(self) -> int:
        """The cases the counts are of, as the report writes "6 / 3 / 1 of 31"."""
        return sum(self.counts.values())

    def as_dict(self) -> dict:
        row = {"question": self.question, "item": self.item, "group": self.group}
        row["counts"] = dict(self.counts)
        return row if self.cut is None else {**row, "cut": self.cut}


@dataclass(frozen=True)
class NumberFinding:
    """A number question's answers: how many, their median and range (the report's "about six
    months since sentence" is CD-2's median)."""

    question: str
    item: str | None
    group: str
    answered: int
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    cut: str | None = None

    @staticmethod
    def _number(value: Decimal | None) -> int | float | None:
        return None if value is None else float(value) if value % 1 else int(value)

    @property
    def range_text(self) -> tuple[str, str, str]:
        """Median, minimum and maximum as a person writes them: "6", "5.5", "10"."""
        return tuple(str(self._number(v)) for v in (self.median, self.minimum, self.maximum))

    def as_dict(self) -> dict:
        row = {
            "question": self.question,
            "item": self.item,
            "group": self.group,
            "answered": self.answered,
            "median": self._number(self.median),
            "minimum": self._number(self.minimum),
            "maximum": self._number(self.maximum),
        }
        return row if self.cut is None else {**row, "cut": self.cut}


def weighted_median(counts: dict[Decimal, int]) -> Decimal | None:
    """The median of values given as {value: how many} (the grouped rows of one query), as
    statistics.median of the values written out would be: the middle one, or the mean of the
    middle two."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts)

    def nth(index: int) -> Decimal:
        seen = 0
        for value in ordered:
            seen += counts[value]
            if seen > index:
                return value
        raise IndexError(index)

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


@dataclass
class Findings:
    inspection: str
    framework: str
    cases: dict[str, int]
    descriptors: dict[str, dict[str, dict[str, int]]]
    yes_no: list[YesNoFinding] = field(default_factory=list)
    choices: list[ChoiceFinding] = field(default_factory=list)
    cut_by: str | None = None
    item_labels: dict[tuple[str, str], str] = field(default_factory=dict)
    numbers: list[NumberFinding] = field(default_factory=list)
    # The descriptor values the counted cases were restricted to (`where`), if any.
    where: Where | None = None
    # Cut by a descriptor: the cases of each of its values, by group ({"CRC": {"female": 3}}).
    cut_cases: dict[str, dict[str, int]] = field(default_factory=dict)
    # One inspection's named combinations (judgements.models.Combination), counted.
    combined: list[CombinedFinding] = field(default_factory=list)

    # Lookups by key, made on first use (after the rows are all in: findings_for fills them
    # before anyone reads) and left out of the pickle the cache keeps. The report resolves a
    # few hundred live figures a page: a scan of every row for each cost most of its time.
    @cached_property
    def _keyed(self) -> dict[str, dict[tuple, object]]:
        return {
            name: {(row.question, row.item, row.group, row.cut): row for row in rows}
            for name, rows in (
                ("yes_no", self.yes_no),
                ("choices", self.choices),
                ("numbers", self.numbers),
            )
        }

    @cached_property
    def _codes(self) -> dict[str, str]:
        return {
            row.question.lower(): row.question
            for row in [*self.yes_no, *self.numbers, *self.choices]
        }

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("_keyed", "_codes")}

    def _find(self, rows: str, question, item, group, cut):
        found = self._keyed[rows].get((question, item, group, cut))
        if found is None:
            raise KeyError(f"No finding for {question}[{item}] in {group} ({cut})")
        return found

    def question_code(self, typed: str) -> str | None:
        """A counted question's code as the framework writes it, from one typed in any case
        ("pp-d8a" → "PP-D8a"); None when no counted question has it."""
        return self._codes.get(typed.lower())

    def yes_no_finding(
        self, question: str, item: str | None = None, group: str = ALL, cut: str | None = None
    ) -> YesNoFinding:
        return self._find("yes_no", question, item, group, cut)

    def choice_finding(
        self, question: str, item: str | None = None, group: str = ALL, cut: str | None = None
    ) -> ChoiceFinding:
        return self._find("choices", question, item, group, cut)

    def number_finding(
        self, question: str, item: str | None = None, group: str = ALL, cut: str | None = None
    ) -> NumberFinding:
        return self._find("numbers", question, item, group, cut)

    def combined_finding(self, code: str, group: str = ALL) -> CombinedFinding:
        for row in self.combined:
            if (row.code, row.group) == (code, group):
                return row
        raise KeyError(f"No combination {code} in {group}")

    def priority_factors(self, group: str, question: str = PRIORITY_FACTOR_QUESTION):
        """Factors in descending order of frequency with their counts, as the report lists
        them ("thinking and behaviour (20 cases); relationships (17 cases); ...")."""
        rows = [
            row
            for row in self.yes_no
            if row.question == question
            and row.group == group
            and row.cut is None
            and row.yes
            and not row.pooled
        ]
        ordered = sorted(rows, key=lambda row: -row.yes)  # stable: framework order breaks ties
        return [(row.item, self.item_labels[(question, row.item)], row.yes) for row in ordered]

    def priority_factor_list(self, group: str) -> str:
        """The list as the report writes it: "thinking and behaviour (20 cases); ..."."""
        entries = [
            f"{label.split(', including')[0].lower()} ({count} case{'s' if count != 1 else ''})"
            for _code, label, count in self.priority_factors(group)
        ]
        return "; ".join(entries)

    def as_json(self) -> dict:
        return {
            "inspection": self.inspection,
            "framework": self.framework,
            "cases": self.cases,
            "descriptors": self.descriptors,
            **({"cut_by": self.cut_by} if self.cut_by else {}),
            "findings": [row.as_dict() for row in [*self.yes_no, *self.choices]],
            "numbers": [row.as_dict() for row in self.numbers],
            "combinations": [row.as_dict() for row in self.combined],
        }


def _descriptor_code(name: str, value) -> str:
    return DESCRIPTORS[name].code(value)


def _group_keys(organisation: str, cut: str | None, cut_by: str | None):
    """The groups a case or answer counts in: its organisation and all, per cut value."""
    cuts = [cut] if cut_by else [None]
    return [(group, c) for group in (organisation, ALL) for c in cuts]


class _CaseCounts:
    """Case counts by group (and cut), by descriptor value: one GROUP BY over the sample."""

    def __init__(self, cases: QuerySet[Case], cut_by: str | None):
        self.total: dict[tuple, int] = defaultdict(int)
        self.by_descriptor: dict[tuple, int] = defaultdict(int)
        names = list(DESCRIPTORS)
        rows = cases.values_list("organisation", *names).annotate(n=Count("id")).order_by()
        for organisation, *values, n in rows:
            codes = {
                name: _descriptor_code(name, value)
                for name, value in zip(names, values, strict=True)
            }
            cut = codes[cut_by] if cut_by else None
            for key in _group_keys(organisation, cut, cut_by):
                self.total[key] += n
                for name, code in codes.items():
                    self.by_descriptor[(*key, name, code)] += n

    def open_for_descriptor(self, key: tuple, name: str, values: list[str]) -> int:
        return sum(self.by_descriptor[(*key, name, value)] for value in values)


def open_gate_filter(questions: list[Question]) -> Q:
    """The answers whose gates are open.

    A gate on another question's answer is kept true where answers are written: only the
    answer services write them (judgements.models refuses any other write), and a changed gate
    answer clears the answers behind it in the same transaction. A gate on a case descriptor
    can shut when the case is edited, so it is checked here as well, in the same GROUP BY: a
    condition on the case's column, nearly free. (Checking the answer gates here too would
    take a join of the answers with themselves: 5.6× the SQL floor on the national roll-up,
    against 1.3× without, benchmarks/README.md.)
    """
    condition = Q(question_id__in=[q.id for q in questions if not q.gate_descriptor])
    for question in questions:
        name = question.gate_descriptor
        if name:
            values = DESCRIPTORS[name].stored_values(question.gate_values)
            condition |= Q(question_id=question.id, **{f"case__{name}__in": values})
    return condition


def _answer_counts(
    answers: QuerySet[Answer], questions: list[Question], cut_by: str | None
) -> dict[tuple, int]:
    """(question id, item id, group, cut, value) → count, from one GROUP BY, counting only
    answers whose gates are open (`open_gate_filter`).

    The grouped rows number at most questions × items × organisations × values (hundreds),
    whatever the number of answers, so they are fetched in one go: a server-side cursor
    (`.iterator()`) would make PostgreSQL plan for the first rows and lose its parallel hash
    aggregate, ten times slower on the national roll-up (benchmarks/README.md).
    """
    fields = ["question_id", "item_id", "case__organisation", "value"]
    if cut_by:
        fields.append(f"case__{cut_by}")
    rows = (
        answers.filter(question_id__in=[q.id for q in questions])
        .filter(open_gate_filter(questions))
        .values_list(*fields)
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple, int] = defaultdict(int)
    for question_id, item_id, organisation, value, *cut, n in rows:
        cut_code = _descriptor_code(cut_by, cut[0]) if cut_by else None
        for group, c in _group_keys(organisation, cut_code, cut_by):
            counts[(question_id, item_id, group, c, value)] += n
    return counts


def _open_count(question: Question, item: Item | None, key: tuple, cases, answers) -> int:
    """How many cases of the group the framework asks this question (for this item)."""
    group = key[0]
    if group != ALL and not question.applies_to(group):
        return 0
    if group == ALL and not (question.applies_to_crc and question.applies_to_nps):
        organisations = [o for o in Organisation.values if question.applies_to(o)]
        return sum(_open_count(question, item, (o, key[1]), cases, answers) for o in organisations)
    if question.gate_descriptor:
        return cases.open_for_descriptor(key, question.gate_descriptor, question.gate_values)
    if question.gate_question_id:
        gate_item = item.id if item and question.gate_question.item_set_id else None
        return sum(
            answers[(question.gate_question_id, gate_item, *key, value)]
            for value in question.gate_values
        )
    return cases.total[key]


def _number_values(answers: dict[tuple, int], questions: list[Question]) -> dict[tuple, dict]:
    """(question id, item id, group, cut) → {value: how many}, for the number questions, from
    the same grouped rows: a number answer is stored as its text, grouped by value."""
    number_ids = {q.id for q in questions if q.kind == AnswerKind.NUMBER}
    values: dict[tuple, dict[Decimal, int]] = defaultdict(lambda: defaultdict(int))
    for (question_id, item_id, group, cut, value), n in answers.items():
        if question_id in number_ids and n:
            values[(question_id, item_id, group, cut)][Decimal(value)] += n
    return values


def _number_finding(question, item_code, key, values: dict[Decimal, int]) -> NumberFinding:
    return NumberFinding(
        question=question.code,
        item=item_code,
        group=key[0],
        answered=sum(values.values()),
        median=weighted_median(values),
        minimum=min(values, default=None),
        maximum=max(values, default=None),
        cut=key[1],
    )


def _question_findings(question, items, keys, cases, answers, numbers):
    rows = list(_item_findings(question, items, keys, cases, answers, numbers))
    yield from rows
    if question.item_set_id and question.kind in YES_NO_KINDS:
        for key in keys:
            pooled = [row for row in rows if (row.group, row.cut) == key]
            if pooled:
                yield YesNoFinding.pooling(pooled)


def _item_findings(question, items, keys, cases, answers, numbers):
    for item in items.get(question.item_set_id, []) if question.item_set_id else [None]:
        item_id, item_code = (item.id, item.code) if item else (None, None)
        for key in keys:
            if question.kind == AnswerKind.NUMBER:
                yield _number_finding(
                    question, item_code, key, numbers[(question.id, item_id, *key)]
                )
                continue
            counts = {
                code: answers[(question.id, item_id, *key, code)]
                for code in question.choice_codes()
            }
            asked = _open_count(question, item, key, cases, answers)
            given = sum(counts.values())
            if question.kind == AnswerKind.CHOICE:
                missing = max(asked - given, 0)
                yield ChoiceFinding(question.code, item_code, key[0], counts, key[1], missing)
                continue
            yield YesNoFinding(
                question=question.code,
                item=item_code,
                group=key[0],
                yes=counts["yes"],
                no=counts["no"],
                not_applicable=counts.get("na", 0),
                unanswered=max(asked - given, 0),
                cut=key[1],
            )


def _descriptor_tables(cases: _CaseCounts) -> dict[str, dict[str, dict[str, int]]]:
    tables = {}
    for name, descriptor in DESCRIPTORS.items():
        tables[name] = {
            group: {
                code: cases.by_descriptor[(group, None, name, code)]
                for code in descriptor.counted_codes
            }
            for group in GROUPS
        }
    return tables


# Beside the coded descriptors, a findings filter may name the case's office or hub (free
# text, as the cases file gives it).
OFFICE = "office"


def where_pairs(where: Where | tuple[str, str] | None) -> Where:
    """`where` as a tuple of pairs: a single pair (what the pages and callers gave before
    filters combined) is a filter of one."""
    if not where:
        return ()
    if isinstance(where[0], str):
        return (tuple(where),)
    return tuple(tuple(pair) for pair in where)


def where_condition(where: Where | tuple[str, str] | None, prefix: str = "") -> Q:
    """The cases whose descriptors have the codes `where` names (each descriptor one of its
    values named, every descriptor named at once), or whose office is one named, as a
    condition on the cases (prefix "") or on their answers (prefix "case__")."""
    values: dict[str, list] = defaultdict(list)
    for name, value in where_pairs(where):
        if name == OFFICE:
            values[name].append(value)
            continue
        if name not in DESCRIPTORS or value not in DESCRIPTORS[name].counted_codes:
            raise ValueError(f"Unknown descriptor value {name}={value!r}")
        values[name].append(DESCRIPTORS[name].stored_values([value])[0])
    condition = Q()
    for name, stored in values.items():
        condition &= Q(**{f"{prefix}{name}__in": stored})
    return condition


def findings_for(
    inspections: Iterable[Inspection] | QuerySet[Inspection],
    cut_by: str | None = None,
    where: Where | tuple[str, str] | None = None,
) -> Findings:
    """Findings over one or many inspections of one framework (many: the national roll-up).

    `cut_by` splits every finding by a descriptor; `where` = ((descriptor, code), ...) counts
    only the cases with those values ("Gender: female" counts women's cases alone).
    """
    inspections = list(inspections)
    framework_ids = {inspection.framework_id for inspection in inspections}
    if len(framework_ids) != 1:
        raise ValueError("Findings combine inspections of one framework only.")
    if cut_by is not None and cut_by not in DESCRIPTORS:
        raise ValueError(f"Unknown descriptor {cut_by!r}; expected one of {sorted(DESCRIPTORS)}")
    framework_id = framework_ids.pop()
    ids = [inspection.id for inspection in inspections]
    framework = framework_loaded(framework_id)
    questions = [question for question in framework.questions if question.kind in COUNTED_KINDS]
    cases = _CaseCounts(Case.objects.filter(where_condition(where), inspection_id__in=ids), cut_by)
    answers = _answer_counts(
        Answer.objects.filter(where_condition(where, "case__"), case__inspection_id__in=ids),
        questions,
        cut_by,
    )
    numbers = _number_values(answers, questions)
    items = defaultdict(list, framework.items)
    cut_values = DESCRIPTORS[cut_by].counted_codes if cut_by else [None]
    keys = [(group, cut) for group in GROUPS for cut in cut_values]
    findings = Findings(
        inspection=inspections[0].slug if len(inspections) == 1 else ALL,
        framework=inspections[0].framework.code,
        cases={group: cases.total[(group, None)] for group in GROUPS}
        if not cut_by
        else {group: sum(cases.total[(group, cut)] for cut in cut_values) for group in GROUPS},
        descriptors=_descriptor_tables(cases) if not cut_by else {},
        cut_by=cut_by,
        where=where_pairs(where) or None,
        cut_cases={
            group: {cut: cases.total[(group, cut)] for cut in cut_values} for group in GROUPS
        }
        if cut_by
        else {},
    )
    for question in questions:
        for item in items.get(question.item_set_id, []):
            findings.item_labels[(question.code, item.code)] = item.label
        for row in _question_findings(question, items, keys, cases, answers, numbers):
            _TARGETS[type(row)](findings).append(row)
    return findings


def combination_findings(
    findings: Findings, combinations: Iterable[Combination]
) -> list[CombinedFinding]:
    """Each combination counted from the findings' own rows, per group (no query): a yes/no
    item question's items summed as its pooled row is; a choice question's chosen answers out
    of every answer given."""
    combined = []
    for combination in combinations:
        code, parts = combination.question.code, set(combination.parts)
        for group in GROUPS:
            if combination.choices:
                row = findings.choice_finding(code, None, group)
                yes = sum(n for choice, n in row.counts.items() if choice in parts)
                counts = {"yes": yes, "no": row.answered - yes, "not_applicable": 0}
                unanswered = row.unanswered
            else:
                rows = [
                    r
                    for r in findings.yes_no
                    if (r.question, r.group, r.cut) == (code, group, None) and r.item in parts
                ]
                counts = {
                    "yes": sum(r.yes for r in rows),
                    "no": sum(r.no for r in rows),
                    "not_applicable": sum(r.not_applicable for r in rows),
                }
                unanswered = sum(r.unanswered for r in rows)
            combined.append(
                CombinedFinding(
                    question=code,
                    item=None,
                    group=group,
                    unanswered=unanswered,
                    code=combination.code,
                    name=combination.name,
                    **counts,
                )
            )
    return combined


_TARGETS = {
    YesNoFinding: lambda findings: findings.yes_no,
    ChoiceFinding: lambda findings: findings.choices,
    NumberFinding: lambda findings: findings.numbers,
}


def findings_cache_key(
    inspection_id: int, revision: int, cut_by: str | None, where: Where | tuple[str, str] | None
) -> str:
    # The filter hashed: an office is free text, and a cache key must be plain characters.
    pairs = sorted(set(where_pairs(where)))
    text = "\n".join("=".join(pair) for pair in pairs)
    where_key = hashlib.sha256(text.encode()).hexdigest()[:16] if pairs else ""
    return f"findings:{FINDINGS_CODE}:{inspection_id}:{revision}:{cut_by or ''}:{where_key}"


def inspection_findings(
    inspection: Inspection, cut_by: str | None = None, where: Where | None = None
) -> Findings:
    """One inspection's findings, from the cache while its data revision stands.

    The revision is read from the database (one small query), never from `inspection`, which
    may have been loaded before the latest write. It is read before the counting, so an entry
    is never older than its revision: a write that commits during the counting makes a new
    revision, which misses. The entry is stored only when the surrounding transaction commits:
    counts made inside one that rolls back would otherwise sit under the revision number that
    the next write takes. The cache pickles, so every caller gets its own copy.
    """
    revision = (
        Inspection.objects.filter(pk=inspection.pk).values_list("data_revision", flat=True).get()
    )
    key = findings_cache_key(inspection.pk, revision, cut_by, where)
    findings = cache.get(key)
    if findings is None:
        findings = findings_for([inspection], cut_by=cut_by, where=where)
        if not cut_by:  # the inspection's own combinations (never the national roll-up's)
            combinations = Combination.objects.filter(inspection=inspection)
            findings.combined = combination_findings(
                findings, combinations.select_related("question")
            )
        transaction.on_commit(partial(cache.set, key, findings, FINDINGS_CACHE_SECONDS))
    return findings


# The answers a drill-down may ask for beside a question's own codes.
RELEVANT = "relevant"  # yes and no: the cases a yes/no finding's percentage is of
UNANSWERED = "unanswered"  # asked of the case (its gate open) and not yet answered
