from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.aggregation import sample_counts
from cases.models import CaseStatus, Organisation
from inspection.forms import InspectionCreateForm
from inspection.models import Role
from inspection.permissions import (
    check_can_create_inspection,
    get_inspection_for_user,
    inspections_for_user,
    role_of,
    user_can_create_inspection,
)
from inspection.services import inspection_create
from judgements.models import Framework

ROLE_ORDER = [Role.LEAD_INSPECTOR, Role.INSPECTOR, Role.EDITOR]


def my_inspections(request: HttpRequest) -> HttpResponse:
    inspections = list(
        inspections_for_user(request.user).annotate(case_count=Count("cases", distinct=True))
    )
    roles = dict(request.user.memberships.values_list("inspection_id", "role"))
    for inspection in inspections:
        inspection.my_role = roles.get(inspection.id)
    context = {
        "inspections": inspections,
        "can_create": user_can_create_inspection(request.user),
    }
    return render(request, "inspection/my_inspections.html", context)


def inspection_new(request: HttpRequest) -> HttpResponse:
    check_can_create_inspection(request.user)
    form = InspectionCreateForm(request.POST or None, frameworks=Framework.objects.all())
    if form.is_valid():
        details = dict(form.cleaned_data)
        framework_code = details.pop("framework")
        try:
            inspection = inspection_create(framework_code=framework_code, **details)
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, f"{inspection.title} is set up. Add its team in the admin.")
            return redirect(inspection)
    return render(request, "inspection/inspection_new.html", {"form": form})


def inspection_overview(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    counts = sample_counts(inspection)
    context = {
        "inspection": inspection,
        "my_role": role_of(request.user, inspection),
        "team": sorted(
            inspection.team.select_related("user"),
            key=lambda member: (ROLE_ORDER.index(member.role), member.user.last_name),
        ),
        "organisations": [
            (org, inspection.organisation_name(org), counts.by_organisation[org])
            for org in Organisation.values
        ],
        "statuses": [(s.label, counts.by_status[s.value]) for s in CaseStatus],
        "total": counts.total,
    }
    return render(request, "inspection/overview.html", context)
