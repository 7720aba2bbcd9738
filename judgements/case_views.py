"""The case pages: they show answers and progress, so they live in the judgements layer."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases.descriptors import descriptor_rows
from cases.forms import CaseFilterForm
from cases.models import Case, CaseStatus
from cases.permissions import get_case_for_user
from inspection.models import InspectionStatus, Role
from inspection.permissions import (
    Capability,
    get_inspection_for_user,
    inspections_for_user,
    user_can,
)
from judgements.findings import case_progress
from judgements.history import case_changes
from judgements.scoring import scoring_sheet
from judgements.scoring_views import can_answer
from judgements.services import case_status_moves_for


@require_safe
def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    inspectors = (
        get_user_model()
        .objects.filter(memberships__inspection=inspection)
        .order_by("first_name", "username")
    )
    form = CaseFilterForm(request.GET or None, inspectors=inspectors)
    # Each case's inspection is set from `inspection` by its related manager: no join.
    cases = list(form.filter(inspection.cases.select_related("assigned_inspector")))
    progress = case_progress(cases)
    rows = [(case, progress[case.id]) for case in cases]
    context = {
        "inspection": inspection,
        "form": form,
        "rows": rows,
        "total": inspection.cases.count(),
    }
    return render(request, "cases/case_list.html", context)


@require_safe
def case_detail(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """A case's home: its status and what the lead said, its sections with their progress,
    what to do next (score, submit, review) and every answer, read-only."""
    case = get_case_for_user(request.user, slug, case_ref)
    sheet = scoring_sheet(case)
    previous, following = neighbouring_cases(request.user, case)
    moves = (
        case_status_moves_for(request.user, case)
        if user_can(request.user, case.inspection, Capability.REVIEW)
        else []
    )
    context = {
        "inspection": case.inspection,
        "case": case,
        "sheet": sheet,
        "descriptors": descriptor_rows(case),
        "editable": can_answer(request.user, case),
        "next_section": next(
            (s for s in sheet.sections if s.state in ("not_started", "in_progress")), None
        ),
        "review_moves": [move for move in moves if move != CaseStatus.SUBMITTED],
        "previous_case": previous,
        "next_case": following,
    }
    return render(request, "cases/case_detail.html", context)


def neighbouring_cases(user, case: Case) -> tuple[str | None, str | None]:
    """The references of the previous and next case: among the person's own cases in the
    inspection if they have any assigned, otherwise among all its cases (one query)."""
    rows = list(
        Case.objects.filter(inspection_id=case.inspection_id)
        .order_by("organisation", "case_ref")
        .values_list("case_ref", "assigned_inspector_id")
    )
    refs = [ref for ref, inspector in rows if inspector == user.pk] or [ref for ref, _ in rows]
    if case.case_ref not in refs:
        return None, None
    index = refs.index(case.case_ref)
    previous = refs[index - 1] if index > 0 else None
    following = refs[index + 1] if index + 1 < len(refs) else None
    return previous, following


@require_safe
def case_history(request: HttpRequest, slug: str, case_ref: str) -> HttpResponse:
    """Every change to the case and its answers: who, when, and what it was before."""
    case = get_case_for_user(request.user, slug, case_ref)
    context = {"inspection": case.inspection, "case": case, "changes": case_changes(case)}
    return render(request, "judgements/case_history.html", context)


@require_safe
def my_cases(request: HttpRequest) -> HttpResponse:
    """The cases assigned to me across my inspections, and, for a lead inspector, the cases
    waiting for review."""
    mine = list(
        Case.objects.filter(assigned_inspector=request.user)
        .exclude(inspection__status=InspectionStatus.PUBLISHED)
        .select_related("inspection")
        .order_by("inspection__title", "organisation", "case_ref")
    )
    led = inspections_for_user(request.user).filter(
        team__user=request.user, team__role=Role.LEAD_INSPECTOR
    )
    to_review = list(
        Case.objects.filter(inspection__in=led, status=CaseStatus.SUBMITTED)
        .select_related("inspection", "assigned_inspector")
        .order_by("inspection__title", "organisation", "case_ref")
    )
    progress = cases_progress([*mine, *to_review])
    context = {
        "mine": [(case, progress[case.id]) for case in mine],
        "to_review": [(case, progress[case.id]) for case in to_review],
    }
    return render(request, "judgements/my_cases.html", context)


def cases_progress(cases: list[Case]) -> dict:
    """case_progress for cases of several inspections (a query set per inspection)."""
    by_inspection: dict[int, list[Case]] = {}
    for case in cases:
        by_inspection.setdefault(case.inspection_id, []).append(case)
    progress = {}
    for group in by_inspection.values():
        progress |= case_progress(group)
    return progress
