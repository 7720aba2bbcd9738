"""The cases behind a count of the findings (judgements/findings.py): the drill-down.

`finding_cases` lists the cases behind one count of `inspection_findings`, `combination_cases`
those behind a combination's; both by the counting's own rules (answers whose gates are open;
unanswered among the cases asked), so a drill-down lists as many cases as its figure says
(tests/judgements/test_finding_cases.py).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from cases.descriptors import DESCRIPTORS
from cases.models import Case, Organisation
from inspection.models import Inspection
from judgements.findings import (
    ALL,
    RELEVANT,
    UNANSWERED,
    Where,
    open_gate_filter,
    where_condition,
)
from judgements.models import Answer, Combination, Item, Question


@dataclass(frozen=True)
class FindingCase:
    """A case behind a count, with its answer (None: unanswered) and the evidence note."""

    case: Case
    value: str | None
    note: str
    item: Item | None = None  # which item, in a pooled drill-down (all of a question's items)


def _cases_asked(cases: QuerySet[Case], question: Question, item: Item | None) -> QuerySet[Case]:
    """The cases the framework asks this question (for this item), by `_open_count`'s rules:
    the organisations it applies to, then its gate on a descriptor or on another answer."""
    organisations = [o for o in Organisation.values if question.applies_to(o)]
    cases = cases.filter(organisation__in=organisations)
    if question.gate_descriptor:
        values = DESCRIPTORS[question.gate_descriptor].stored_values(question.gate_values)
        return cases.filter(**{f"{question.gate_descriptor}__in": values})
    if question.gate_question_id:
        gate = question.gate_question
        gate_item = item if item and gate.item_set_id else None
        gate_answers = Answer.objects.filter(
            open_gate_filter([gate]),
            case=OuterRef("pk"),
            question=gate,
            item=gate_item,
            value__in=question.gate_values,
        )
        return cases.filter(Exists(gate_answers))
    return cases


def finding_cases(
    inspection: Inspection,
    question: Question,
    item: Item | None,
    group: str,
    answer: str,
    where: Where | None = None,
) -> list[FindingCase]:
    """The cases behind one count of `inspection_findings`: those answered `answer` (a code of
    the question, or RELEVANT for yes and no), or UNANSWERED. The same rules as the counting
    (answers whose gates are open; unanswered among the cases asked), so a drill-down lists as
    many cases as its figure says (tests/judgements/test_finding_cases.py). Two queries at most.

    An item question with no item is its pooled finding: a row per case and item, as many as
    the pooled figure counts (a query per item for the unanswered).
    """
    cases = Case.objects.filter(where_condition(where), inspection=inspection)
    if group != ALL:
        cases = cases.filter(organisation=group)
    if question.item_set_id and item is None:
        return _pooled_cases(cases, question, answer)
    if answer == UNANSWERED:
        given = Answer.objects.filter(case=OuterRef("pk"), question=question, item=item)
        missing = (
            _cases_asked(cases, question, item)
            .exclude(Exists(given))
            .select_related("assigned_inspector")
            .order_by("case_ref")
        )
        return [FindingCase(case, None, "") for case in missing]
    values = ["yes", "no"] if answer == RELEVANT else [answer]
    answers = (
        Answer.objects.filter(
            open_gate_filter([question]),
            case__in=cases,
            question=question,
            item=item,
            value__in=values,
        )
        .select_related("case__assigned_inspector")
        .order_by("case__case_ref")
    )
    return [FindingCase(row.case, row.value, row.note) for row in answers]


def _pooled_cases(
    cases: QuerySet[Case], question: Question, answer: str, item_codes: list[str] | None = None
) -> list[FindingCase]:
    """`finding_cases` for all of an item question's items together (or those of
    `item_codes`), case by case."""
    items = Item.objects.filter(item_set_id=question.item_set_id)
    if item_codes is not None:
        items = items.filter(code__in=item_codes)
    items = list(items)
    if answer == UNANSWERED:
        rows = []
        for item in items:
            given = Answer.objects.filter(case=OuterRef("pk"), question=question, item=item)
            missing = (
                _cases_asked(cases, question, item)
                .exclude(Exists(given))
                .select_related("assigned_inspector")
            )
            rows += [FindingCase(case, None, "", item) for case in missing]
        order = {item.id: index for index, item in enumerate(items)}
        return sorted(rows, key=lambda row: (row.case.case_ref, order[row.item.id]))
    values = ["yes", "no"] if answer == RELEVANT else [answer]
    answers = (
        Answer.objects.filter(
            open_gate_filter([question]),
            case__in=cases,
            question=question,
            item__in=items,
            value__in=values,
        )
        .select_related("case__assigned_inspector", "item")
        .order_by("case__case_ref", "item__order", "item_id")
    )
    return [FindingCase(row.case, row.value, row.note, row.item) for row in answers]


def combination_cases(
    inspection: Inspection,
    combination: Combination,
    group: str,
    answer: str,
    where: Where | None = None,
) -> list[FindingCase]:
    """The cases behind one count of a combination (`combination_findings`): its items'
    judgements case by case, or the cases whose answer is one of its answers ("yes"), another
    ("no"), either (RELEVANT) or none yet (UNANSWERED)."""
    question = combination.question
    if combination.items:
        cases = Case.objects.filter(where_condition(where), inspection=inspection)
        if group != ALL:
            cases = cases.filter(organisation=group)
        return _pooled_cases(cases, question, answer, combination.items)
    if answer == UNANSWERED:
        return finding_cases(inspection, question, None, group, UNANSWERED, where)
    chosen = [code for code in question.choice_codes() if code in combination.choices]
    others = [code for code in question.choice_codes() if code not in combination.choices]
    values = {"yes": chosen, "no": others, RELEVANT: chosen + others}[answer]
    rows = [
        row
        for value in values
        for row in finding_cases(inspection, question, None, group, value, where)
    ]
    return sorted(rows, key=lambda row: row.case.case_ref)
