from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases.aggregation import sample_counts
from cases.models import CaseStatus, Organisation
from inspection.models import Role
from inspection.permissions import get_inspection_for_user, role_of
from inspection.stages import stage_panel

ROLE_ORDER = [Role.LEAD_INSPECTOR, Role.INSPECTOR, Role.EDITOR]


@require_safe
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
        "stage": stage_panel(request.user, inspection),
    }
    return render(request, "cases/inspection_overview.html", context)
