"""The case pages: they show answers and progress, so they live in the judgements layer."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases.forms import CaseFilterForm
from cases.permissions import get_case_for_user
from inspection.permissions import get_inspection_for_user
from judgements.answer_sheet import case_answer_sheet
from judgements.findings import case_progress


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
    case = get_case_for_user(request.user, slug, case_ref)
    sections = case_answer_sheet(case)
    context = {
        "inspection": case.inspection,
        "case": case,
        "sections": sections,
        "answered": sum(section.answered for section in sections),
        "asked": sum(section.asked for section in sections),
    }
    return render(request, "cases/case_detail.html", context)
