"""Writes to the report's enablers and barriers tables and its recommendations.

Each service is one write to the inspection's data (inspection.writing: the lock, the published
refusal, the data revision), records who made the change (django-simple-history), and refuses
a change made from an older copy. An edit or a deletion carries the version of the row the
person loaded (refuse_stale); a move carries the row it meant to swap with, and is refused when
that is no longer its neighbour, so a second click on a list someone has reordered meanwhile
moves nothing it did not mean to.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from cases.models import Case
from inspection.lib.text import refuse_text
from inspection.models import Inspection
from inspection.services import refuse_stale
from inspection.writing import inspection_writing
from judgements.findings import GROUPS, YES_NO_KINDS
from judgements.models import Item, Question
from reports.chapters import OUTCOME_DOMAINS, Perspective
from reports.ordering import delete_as, move_one_place, next_position, save_as
from reports.tables.models import (
    ADDRESSEE_MAX_CHARS,
    ROW_TEXT_MAX_CHARS,
    Column,
    Recommendation,
    RecommendationBarrier,
    RecommendationGroup,
    TableRow,
    TableRowCase,
    TableRowFinding,
)


@dataclass(frozen=True)
class FindingLink:
    """A finding as a person names it: a question code, an item code for an item question,
    and the group it is counted in (CRC, NPS or all)."""

    question: str
    item: str | None
    group: str

    def __str__(self) -> str:
        return f"{self.question}{f'[{self.item}]' if self.item else ''} {self.group}"


# Text


def _clean_text(text: str, field: str, what: str, limit: int = ROW_TEXT_MAX_CHARS) -> str:
    """The text as kept (trimmed, line endings as a browser's CR LF made LF), or a
    ValidationError keyed by the form's field."""
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned:
        raise ValidationError({field: f"Enter the {what}."}, code="required")
    refuse_text(field, cleaned, what=f"the {what}", max_chars=limit)
    return cleaned


# What a row links to


def _resolve_findings(
    inspection: Inspection, links: Iterable[FindingLink]
) -> list[tuple[Question, Item | None, str]]:
    """The framework's questions and items behind the links, or every problem at once."""
    links = list(dict.fromkeys(links))
    # Codes are matched whatever their case ("pp-d8a" is PP-D8a): a person types them.
    questions = {
        question.code.lower(): question
        for question in Question.objects.filter(
            framework_id=inspection.framework_id
        ).select_related("item_set")
    }
    items = {
        (item.item_set_id, item.code): item
        for item in Item.objects.filter(
            item_set__in={q.item_set_id for q in questions.values() if q.item_set_id}
        )
    }
    resolved, problems = [], []
    for link in links:
        question = questions.get(link.question.lower())
        problem = _link_problem(inspection, link, question, items)
        if problem:
            problems.append(f"{link}: {problem}")
            continue
        item = items[(question.item_set_id, link.item.lower())] if link.item else None
        resolved.append((question, item, link.group))
    if problems:
        raise ValidationError({"findings": problems}, code="invalid_finding")
    return resolved


def _link_problem(inspection, link: FindingLink, question: Question | None, items) -> str | None:
    if question is None:
        return f"there is no question {link.question} in framework {inspection.framework.code}"
    if question.kind not in YES_NO_KINDS:
        return "only a yes/no question has a figure of cases to show"
    if link.group not in GROUPS:
        return f"the group is one of {', '.join(GROUPS)}"
    if question.item_set_id and not link.item:
        codes = ", ".join(code for set_id, code in items if set_id == question.item_set_id)
        return f"the question is asked item by item; name one in brackets: {codes}"
    if link.item and not question.item_set_id:
        return "the question has no items"
    if link.item and (question.item_set_id, link.item.lower()) not in items:
        return f"{link.item} is not an item of {question.item_set.name.lower()}"
    return None


def _resolve_cases(inspection: Inspection, case_refs: Iterable[str]) -> list[Case]:
    """The inspection's cases by reference (whatever the case of its letters), in the order
    given, each once."""
    refs = [ref.strip() for ref in case_refs if ref.strip()]
    cases = {case.case_ref.lower(): case for case in inspection.cases.all()}
    unknown = [ref for ref in refs if ref.lower() not in cases]
    if unknown:
        raise ValidationError(
            {"cases": f"Not a case of {inspection.slug}: {', '.join(unknown)}."},
            code="unknown_case",
        )
    return list(dict.fromkeys(cases[ref.lower()] for ref in refs))


def _row_input(inspection: Inspection, column: str, text, findings, case_refs):
    """The row's text, findings and cases as kept, or every problem with them at once."""
    errors: dict[str, list[str]] = {}
    results = []
    for check in (
        lambda: _clean_text(text, "text", column),
        lambda: _resolve_findings(inspection, findings),
        lambda: _resolve_cases(inspection, case_refs),
    ):
        try:
            results.append(check())
        except ValidationError as invalid:
            for field, messages in invalid.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return results


def _set_links(row: TableRow, findings, cases: list[Case], by) -> bool:
    """Make the row's links exactly these, keeping the ones it has (and their history);
    whether anything changed."""
    wanted_findings = {(q.id, i.id if i else None, group) for q, i, group in findings}
    changed = False
    for link in list(row.finding_links.all()):
        key = (link.question_id, link.item_id, link.group)
        if key in wanted_findings:
            wanted_findings.discard(key)
        else:
            delete_as(link, by)
            changed = True
    for question, item, group in findings:
        key = (question.id, item.id if item else None, group)
        if key in wanted_findings:
            wanted_findings.discard(key)
            save_as(TableRowFinding(row=row, question=question, item=item, group=group), by)
            changed = True
    wanted_cases = {case.id for case in cases}
    for link in list(row.case_links.all()):
        if link.case_id in wanted_cases:
            wanted_cases.discard(link.case_id)
        else:
            delete_as(link, by)
            changed = True
    for case in cases:
        if case.id in wanted_cases:
            wanted_cases.discard(case.id)
            save_as(TableRowCase(row=row, case=case), by)
            changed = True
    return changed


# Enablers and barriers


def _table_rows(row: TableRow):
    return TableRow.objects.filter(
        inspection_id=row.inspection_id,
        domain=row.domain,
        perspective=row.perspective,
        column=row.column,
    )


def _locked_row(row: TableRow) -> TableRow:
    # Only the row itself: the inspection's row is locked by the write, the framework never is.
    rows = TableRow.objects.select_for_update(of=("self",))
    return rows.select_related("inspection__framework").get(pk=row.pk)


def _table_errors(inspection: Inspection, domain: str, perspective: str, column: str) -> dict:
    errors = {}
    framework_domains = set(inspection.framework.domains.values_list("code", flat=True))
    if domain not in OUTCOME_DOMAINS or domain not in framework_domains:
        known = ", ".join(code for code in OUTCOME_DOMAINS if code in framework_domains)
        errors["domain"] = f"“{domain}” is not an outcome domain of the framework; one of {known}."
    if perspective not in Perspective.values:
        errors["perspective"] = f"“{perspective}” is not one of {', '.join(Perspective.values)}."
    if column not in Column.values:
        errors["column"] = f"“{column}” is not one of {', '.join(Column.values)}."
    return errors


def table_row_add(
    *,
    inspection: Inspection,
    domain: str,
    perspective: str,
    column: str,
    text: str,
    findings: Iterable[FindingLink] = (),
    case_refs: Iterable[str] = (),
    by,
) -> TableRow:
    """Add an enabler or a barrier at the end of its column of the domain's table."""
    with inspection_writing(inspection.pk, what="tables") as write:
        current = write.inspection
        errors = _table_errors(current, domain, perspective, column)
        if errors:
            raise ValidationError(errors, code="invalid_table")
        text, resolved_findings, cases = _row_input(current, column, text, findings, case_refs)
        row = TableRow(
            inspection=current, domain=domain, perspective=perspective, column=column, text=text
        )
        row.position = next_position(_table_rows(row))
        save_as(row, by)
        _set_links(row, resolved_findings, cases, by)
        write.changed()
    return row


def table_row_update(
    *,
    row: TableRow,
    text: str,
    findings: Iterable[FindingLink] = (),
    case_refs: Iterable[str] = (),
    by,
    expected_version: int | None = None,
) -> TableRow:
    """Change a row's text and what it links to; refused from a stale copy. A row left as it
    was is not saved again, so its version and history stay as they were."""
    with inspection_writing(row.inspection_id, what="tables") as write:
        current = _locked_row(row)
        refuse_stale(current, expected_version)
        text, resolved_findings, cases = _row_input(
            current.inspection, current.column, text, findings, case_refs
        )
        links_changed = _set_links(current, resolved_findings, cases, by)
        if text == current.text and not links_changed:
            return current
        current.text = text
        save_as(current, by)
        write.changed()
    return current


def table_row_move(
    *, row: TableRow, direction: str, by, expected_neighbour: int | None = None
) -> TableRow:
    """Move a row one place up or down its column."""
    with inspection_writing(row.inspection_id, what="tables") as write:
        current = _locked_row(row)
        siblings = list(_table_rows(current).select_for_update().order_by("position", "pk"))
        moved = move_one_place(
            siblings, current, direction, by=by, expected_neighbour=expected_neighbour
        )
        write.changed()
    return moved


def table_row_delete(*, row: TableRow, by, expected_version: int | None = None) -> None:
    """Delete a row, its links and the links of the recommendations that answer it; refused
    from a stale copy (someone changed it since the person looked)."""
    with inspection_writing(row.inspection_id, what="tables") as write:
        current = _locked_row(row)
        refuse_stale(current, expected_version)
        for link in [
            *current.finding_links.all(),
            *current.case_links.all(),
            *current.recommendation_links.all(),
        ]:
            delete_as(link, by)
        delete_as(current, by)
        write.changed()


# Recommendations


def _locked_group(group: RecommendationGroup) -> RecommendationGroup:
    return RecommendationGroup.objects.select_for_update().get(pk=group.pk)


def _inspection_of(recommendation: Recommendation) -> int:
    """The id of the recommendation's inspection, as stored (not as a copy may hold it)."""
    return (
        RecommendationGroup.objects.filter(recommendations=recommendation)
        .values_list("inspection_id", flat=True)
        .get()
    )


def _locked_recommendation(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("group__inspection")
        .get(pk=recommendation.pk)
    )


def recommendation_group_add(*, inspection: Inspection, addressee: str, by) -> RecommendationGroup:
    """Add a group of recommendations, after the others."""
    with inspection_writing(inspection.pk, what="recommendations") as write:
        current = write.inspection
        addressee = _clean_addressee(addressee)
        group = RecommendationGroup(inspection=current, addressee=addressee)
        group.position = next_position(current.recommendation_groups.all())
        save_as(group, by)
        write.changed()
    return group


def _clean_addressee(addressee: str) -> str:
    """Who should act, without the heading's “should:” (the page adds it)."""
    cleaned = re.sub(r"(?:^|\s+)should:?$", "", addressee.strip(), flags=re.IGNORECASE)
    return _clean_text(cleaned, "addressee", "addressee", limit=ADDRESSEE_MAX_CHARS)


def recommendation_group_update(
    *, group: RecommendationGroup, addressee: str, by, expected_version: int | None = None
) -> RecommendationGroup:
    with inspection_writing(group.inspection_id, what="recommendations") as write:
        current = _locked_group(group)
        refuse_stale(current, expected_version)
        addressee = _clean_addressee(addressee)
        if addressee == current.addressee:
            return current
        current.addressee = addressee
        save_as(current, by)
        write.changed()
    return current


def recommendation_group_move(
    *, group: RecommendationGroup, direction: str, by, expected_neighbour: int | None = None
) -> RecommendationGroup:
    """Move a group, with its recommendations, one place up or down (they renumber)."""
    with inspection_writing(group.inspection_id, what="recommendations") as write:
        current = _locked_group(group)
        siblings = list(
            RecommendationGroup.objects.select_for_update()
            .filter(inspection_id=current.inspection_id)
            .order_by("position", "pk")
        )
        moved = move_one_place(
            siblings, current, direction, by=by, expected_neighbour=expected_neighbour
        )
        write.changed()
    return moved


def recommendation_group_delete(
    *, group: RecommendationGroup, by, expected_version: int | None = None
) -> None:
    """Delete an empty group; one with recommendations is refused, so none goes unseen."""
    with inspection_writing(group.inspection_id, what="recommendations") as write:
        current = _locked_group(group)
        refuse_stale(current, expected_version)
        count = current.recommendations.count()
        if count:
            raise ValidationError(
                f"{current} still has {count} recommendation{'s' if count != 1 else ''}: move "
                "them to another group or delete them first.",
                code="not_empty",
            )
        delete_as(current, by)
        write.changed()


def _resolve_barriers(inspection_id: int, barrier_ids: Iterable[int]) -> list[TableRow]:
    ids = list(dict.fromkeys(barrier_ids))
    barriers = {
        row.pk: row
        for row in TableRow.objects.filter(
            pk__in=ids, inspection_id=inspection_id, column=Column.BARRIER
        )
    }
    if len(barriers) != len(ids):
        raise ValidationError(
            {"barriers": "Choose barriers of this inspection's tables (one may be deleted)."},
            code="unknown_barrier",
        )
    return [barriers[pk] for pk in ids]


def _set_barriers(recommendation: Recommendation, barriers: list[TableRow], by) -> bool:
    wanted = {barrier.pk for barrier in barriers}
    changed = False
    for link in list(recommendation.barrier_links.all()):
        if link.barrier_id in wanted:
            wanted.discard(link.barrier_id)
        else:
            delete_as(link, by)
            changed = True
    for barrier in barriers:
        if barrier.pk in wanted:
            wanted.discard(barrier.pk)
            save_as(RecommendationBarrier(recommendation=recommendation, barrier=barrier), by)
            changed = True
    return changed


def recommendation_add(
    *, group: RecommendationGroup, text: str, barrier_ids: Iterable[int] = (), by
) -> Recommendation:
    """Add a recommendation at the end of its group."""
    with inspection_writing(group.inspection_id, what="recommendations") as write:
        current = _locked_group(group)
        text = _clean_text(text, "text", "recommendation")
        barriers = _resolve_barriers(current.inspection_id, barrier_ids)
        recommendation = Recommendation(group=current, text=text)
        recommendation.position = next_position(current.recommendations.all())
        save_as(recommendation, by)
        _set_barriers(recommendation, barriers, by)
        write.changed()
    return recommendation


def recommendation_update(
    *,
    recommendation: Recommendation,
    text: str,
    barrier_ids: Iterable[int] = (),
    group: RecommendationGroup | None = None,
    by,
    expected_version: int | None = None,
) -> Recommendation:
    """Change a recommendation's text and the barriers it answers; given another group of the
    inspection, it moves to the end of that group."""
    inspection_id = _inspection_of(recommendation)
    with inspection_writing(inspection_id, what="recommendations") as write:
        current = _locked_recommendation(recommendation)
        refuse_stale(current, expected_version)
        text = _clean_text(text, "text", "recommendation")
        barriers = _resolve_barriers(inspection_id, barrier_ids)
        regrouped = group is not None and group.pk != current.group_id
        if regrouped:
            target = RecommendationGroup.objects.filter(pk=group.pk, inspection_id=inspection_id)
            if not target.exists():
                raise ValidationError({"group": "Choose a group of this inspection."}, code="group")
            current.group_id = group.pk
            current.position = next_position(Recommendation.objects.filter(group_id=group.pk))
        links_changed = _set_barriers(current, barriers, by)
        if text == current.text and not regrouped and not links_changed:
            return current
        current.text = text
        save_as(current, by)
        write.changed()
    return current


def recommendation_move(
    *, recommendation: Recommendation, direction: str, by, expected_neighbour: int | None = None
) -> Recommendation:
    """Move a recommendation one place up or down within its group."""
    with inspection_writing(_inspection_of(recommendation), what="recommendations") as write:
        current = _locked_recommendation(recommendation)
        siblings = list(
            Recommendation.objects.select_for_update()
            .filter(group_id=current.group_id)
            .order_by("position", "pk")
        )
        moved = move_one_place(
            siblings, current, direction, by=by, expected_neighbour=expected_neighbour
        )
        write.changed()
    return moved


def recommendation_delete(
    *, recommendation: Recommendation, by, expected_version: int | None = None
) -> None:
    with inspection_writing(_inspection_of(recommendation), what="recommendations") as write:
        current = _locked_recommendation(recommendation)
        refuse_stale(current, expected_version)
        for link in current.barrier_links.all():
            delete_as(link, by)
        delete_as(current, by)
        write.changed()
