"""The comparison pages: findings beside the national figure (judgements/comparison.py).

- An inspection's page per domain, for its lead and editor (and whoever may view every
  inspection): each finding beside the national figure, counts only, no drill-down into
  another inspection.
- On the national page (judgements/findings_views.py::findings_national), for whoever may view
  every inspection: a column per inspection picked beside the national figure.

Thin: the gate finds the inspection, the engine counts, comparison.py shapes.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cases.models import Organisation
from inspection.models import Inspection
from inspection.permissions import Capability, get_inspection_for_user, user_can
from judgements.comparison import (
    Comparison,
    column_label,
    findings_of_each,
    national_findings,
)
from judgements.findings import ALL, GROUPS, findings_for, inspection_findings
from judgements.findings_pages import GROUP_LABELS, FrameworkLayout, domain_slug
from judgements.models import Domain

THIS_INSPECTION = "This inspection"
TOGETHER = "Together"


def _group(request: HttpRequest) -> str:
    group = request.GET.get("group", ALL)
    if group not in GROUPS:
        raise Http404(f"No such group of cases {group!r}")
    return group


def group_choices(group: str, query: dict[str, str | list[str]]) -> list[dict]:
    """The links that choose the cases counted (all, CRC, NPS), keeping the rest of the query."""
    return [
        {
            "label": "All cases" if choice == ALL else f"{GROUP_LABELS[choice]} cases",
            "href": f"?{urlencode({**query, 'group': choice}, doseq=True)}",
            "current": choice == group,
        }
        for choice in [ALL, *Organisation.values]
    ]


def compare_link(user, inspection: Inspection, layout: FrameworkLayout, here: str | None):
    """The findings pages' link to the comparison (of the domain shown, or the first), for
    whoever may compare; None for the others. No query: the gate has read the role."""
    if not layout.domains or not user_can(user, inspection, Capability.COMPARE):
        return None
    shown = layout.domain(here or "") or layout.domains[0]
    return reverse("findings-compare", args=[inspection.slug, domain_slug(shown)])


@require_safe
def findings_compare(request: HttpRequest, slug: str, domain: str) -> HttpResponse:
    """One domain's findings beside the national figure."""
    inspection = get_inspection_for_user(request.user, slug, Capability.COMPARE)
    group = _group(request)
    layout = FrameworkLayout.of(inspection.framework_id)
    shown = layout.domain(domain)
    if shown is None:
        raise Http404("No such domain")
    national = national_findings(inspection.framework_id)
    findings = inspection_findings(inspection)
    others = national.others_than(inspection)
    context = {
        "inspection": inspection,
        "domain": shown,
        "here": domain_slug(shown),
        "contents": [(domain_slug(d), d.name) for d in layout.domains],
        "findings": findings,
        "national": national,
        "others": others,
        "includes_this": national.includes(inspection),
        "group_choices": group_choices(group, {}),
        "group_query": f"?{urlencode({'group': group})}" if group != ALL else "",
    }
    if others:
        comparison = Comparison(layout, [(THIS_INSPECTION, findings)], national.findings, group)
        context |= {
            "tables": comparison.tables(shown),
            "columns": [THIS_INSPECTION],
            "separate_difference": True,
            "span": 4,  # the question, this inspection, the national figure, the difference
        }
    return render(request, "judgements/findings/compare.html", context)


def national_comparison(
    request: HttpRequest, picked: list[Inspection], layout: FrameworkLayout, shown: Domain
) -> dict:
    """The national page's context for the inspections picked (of one framework), each in a
    column beside the national figure, and, when several are picked, all of them together."""
    group = _group(request)
    each = findings_of_each(picked)
    columns = [(column_label(inspection), each[inspection.pk]) for inspection in picked]
    if len(picked) > 1:
        columns.append((TOGETHER, findings_for(picked)))
    national = national_findings(picked[0].framework_id)
    cases = {g: sum(each[inspection.pk].cases[g] for inspection in picked) for g in GROUPS}
    comparison = Comparison(layout, columns, national.findings, group)
    query = {
        "inspection": [inspection.slug for inspection in picked],
        "domain": domain_slug(shown),
    }
    return {
        "national": national,
        "cases": cases,
        "columns": [label for label, _findings in columns],
        "tables": comparison.tables(shown),
        "span": 1 + len(columns) + (1 if national.findings else 0),
        "group_choices": group_choices(group, query),
        "group_query": f"&group={group}" if group != ALL else "",
    }
