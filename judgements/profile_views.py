"""The sample profile and the form for the area caseload's shares. Thin: judgements/profile.py
shapes the findings engine's counts, cases.services.caseload_proportions_save writes and
refuses.

Reading is for the whole team (Capability.VIEW); the caseload's shares are entered by the lead
inspector and the editor (Capability.EDIT_TABLES, as the report's tables are), never once the
inspection is published.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from cases.aggregation import caseload_values
from cases.forms import CaseloadProportionsForm
from cases.models import CASELOAD_DESCRIPTORS
from cases.services import caseload_proportions_save, caseload_signature
from inspection.permissions import Capability, get_inspection_for_user, user_can
from judgements.profile import ProfileTable, sample_profile

FORM_PAGE = ["GET", "HEAD", "POST"]


@require_safe
def sample_profile_page(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    context = {
        "inspection": inspection,
        "profile": sample_profile(inspection),
        "can_edit": user_can(request.user, inspection, Capability.EDIT_TABLES),
    }
    return render(request, "judgements/profile/sample_profile.html", context)


def _sample_hints(table: ProfileTable) -> dict[str, str]:
    """For each value, its share of the whole sample, shown under its box."""
    hints = {}
    for row in table.rows:
        cell = row.cells[-1]  # the last group is always all cases
        share = f"{cell.count} of {cell.total}" + (f" ({cell.percent}%)" if cell.total else "")
        hints[row.code] = f"In the sample: {share}."
    return hints


@require_http_methods(FORM_PAGE)
def caseload_proportions_edit(request: HttpRequest, slug: str, descriptor: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug, Capability.EDIT_TABLES)
    if descriptor not in CASELOAD_DESCRIPTORS:
        raise Http404("No such descriptor")
    profile = sample_profile(inspection)
    table = next(table for table in profile.tables if table.descriptor == descriptor)
    stored = dict(
        inspection.caseload_proportions.filter(descriptor=descriptor).values_list(
            "value", "percent"
        )
    )
    form = CaseloadProportionsForm(
        request.POST or None,
        values=caseload_values(inspection, descriptor),
        stored=stored,
        signature=caseload_signature(inspection, descriptor),
        hints=_sample_hints(table),
    )
    if request.method == "POST" and form.is_valid():
        try:
            caseload_proportions_save(
                inspection=inspection,
                descriptor=descriptor,
                percents=form.percents(),
                by=request.user,
                expected_signature=form.cleaned_data["signature"],
            )
        except ValidationError as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, f"The area's caseload by {table.label.lower()} saved.")
            return redirect(f"{reverse('sample-profile', args=[slug])}#profile-{descriptor}")
    context = {"inspection": inspection, "table": table, "form": form}
    return render(request, "judgements/profile/caseload_form.html", context)
