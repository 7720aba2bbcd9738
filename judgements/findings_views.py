"""The findings pages: the report's figures in the browser, for the whole inspection team.

Thin: the gate (`get_inspection_for_user`, Capability.VIEW) finds the inspection, the engine
(judgements/findings.py) counts and selects the cases behind a count, findings_pages.py lays
the tables out. A filter by one case descriptor value ("Gender: female") is a GET form that
works without JavaScript and is carried into every link.
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases.descriptors import DESCRIPTORS
from inspection.models import Inspection
from inspection.permissions import (
    VIEW_ALL_INSPECTIONS,
    get_inspection_for_user,
    inspections_for_user,
)
from judgements.comparison_views import compare_link, national_comparison
from judgements.finding_cases import finding_cases
from judgements.findings import (
    ALL,
    GROUPS,
    RELEVANT,
    UNANSWERED,
    Where,
    findings_for,
    inspection_findings,
)
from judgements.findings_pages import (
    GROUP_LABELS,
    FrameworkLayout,
    Links,
    cut_tables,
    descriptor_tables,
    domain_slug,
    filter_label,
    filter_options,
    filter_value,
    filters_shown,
    inspection_offices,
    parse_filters,
)
from judgements.models import Item, Question


def _where(request: HttpRequest) -> Where | None:
    """Every filter the address gives (`?cases=…&cases=…`), all of them counted at once."""
    try:
        return parse_filters(request.GET.getlist("cases"))
    except ValueError as unknown:
        raise Http404(str(unknown)) from None


def _filter_query(where: Where | None) -> str:
    """The filters as a query string to carry into every link ("" for none)."""
    if not where:
        return ""
    return "?" + urlencode({"cases": [filter_value(pair) for pair in where]}, doseq=True)


def _context(request, inspection, layout, where, **extra) -> dict:
    return {
        "inspection": inspection,
        "contents": [(domain_slug(d), d.name) for d in layout.domains],
        "filter_options": filter_options(inspection_offices(inspection)),
        "filters": filters_shown(where, {}),
        "filter_label": filter_label(where),
        "filter_query": _filter_query(where),
        "groups": [(group, GROUP_LABELS[group]) for group in GROUPS],
        "compare_link": compare_link(request.user, inspection, layout, extra.get("here")),
        "cut_options": [(name, descriptor.label) for name, descriptor in DESCRIPTORS.items()],
        "domain_slug": extra.get("here"),
        **extra,
    }


@require_safe
def findings_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The contents, and the report's special tables: priority factors, the sample's
    descriptors (risk of serious harm levels first), reoffending, compliance and enforcement."""
    inspection = get_inspection_for_user(request.user, slug)
    where = _where(request)
    findings = inspection_findings(inspection, where=where)
    layout = FrameworkLayout.of(inspection.framework_id)
    links = Links(inspection.slug, where)
    context = _context(
        request,
        inspection,
        layout,
        where,
        findings=findings,
        here="overview",
        priority_factors=layout.priority_factor_rows(findings, links),
        descriptor_tables=descriptor_tables(findings),
        outcome_tables=layout.outcome_tables(findings, links),
    )
    return render(request, "judgements/findings/overview.html", context)


@require_safe
def findings_domain(request: HttpRequest, slug: str, domain: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    where = _where(request)
    layout = FrameworkLayout.of(inspection.framework_id)
    shown = layout.domain(domain)
    if shown is None:
        raise Http404("No such domain")
    findings = inspection_findings(inspection, where=where)
    context = _context(
        request,
        inspection,
        layout,
        where,
        findings=findings,
        here=domain,
        domain=shown,
        tables=layout.theme_tables(shown, findings, Links(inspection.slug, where)),
    )
    return render(request, "judgements/findings/domain.html", context)


ANSWER_LABELS = {
    "yes": "answered yes",
    "no": "answered no",
    "na": "answered not applicable",
    RELEVANT: "relevant (answered yes or no)",
    UNANSWERED: "not yet answered",
}


def _drill_down_question(inspection, code: str, request) -> tuple[Question, Item | None, str, str]:
    """The question, item, group and answer a drill-down names; a 404 for anything else."""
    question = (
        Question.objects.filter(framework_id=inspection.framework_id, code=code)
        .select_related("gate_question", "domain", "item_set")
        .first()
    )
    group, answer = request.GET.get("group", ALL), request.GET.get("answer", RELEVANT)
    if question is None or group not in GROUPS:
        raise Http404("No such finding")
    item = None
    if question.item_set_id and request.GET.get("item"):
        item = Item.objects.filter(
            item_set_id=question.item_set_id, code=request.GET.get("item")
        ).first()
        if item is None:
            raise Http404("No such item")
    elif question.item_set_id and question.kind == "choice":
        raise Http404("Name an item: a choice question's items are not counted together")
    if answer not in [*question.choice_codes(), RELEVANT, UNANSWERED]:
        raise Http404("No such answer")
    return question, item, group, answer


@require_safe
def finding_cases_page(request: HttpRequest, slug: str, question: str) -> HttpResponse:
    """The cases behind one count, with their answers and the inspectors' evidence."""
    inspection = get_inspection_for_user(request.user, slug)
    where = _where(request)
    question, item, group, answer = _drill_down_question(inspection, question, request)
    findings = inspection_findings(inspection, where=where)
    item_code = item.code if item else None
    if question.kind == "choice":
        finding = findings.choice_finding(question.code, item_code, group)
    else:
        finding = findings.yes_no_finding(question.code, item_code, group)
    pooled = bool(question.item_set_id) and item is None
    answer_label = ANSWER_LABELS.get(answer) or f"answered “{question.choice_label(answer)}”"
    links = Links(inspection.slug, where)
    context = {
        "inspection": inspection,
        "question": question,
        "item": item,
        "pooled": pooled,
        "group_label": GROUP_LABELS[group],
        "answer_label": answer_label,
        "finding": finding,
        "missing": finding.unanswered,
        "missing_link": links(question.code, item_code, group, UNANSWERED),
        "rows": [
            (row, question.choice_label(row.value) if row.value else None)
            for row in finding_cases(inspection, question, item, group, answer, where)
        ],
        "filter_label": filter_label(where),
        "unfiltered_link": Links(inspection.slug, None)(question.code, item_code, group, answer),
        "domain_slug": domain_slug(question.domain),
        "filter_query": _filter_query(where),
    }
    return render(request, "judgements/findings/cases.html", context)


def _national_inspections(request, inspections: list[Inspection]):
    """The inspections picked (checkboxes, or every one of a year) and any reason they cannot
    be combined: `findings_for` counts one framework's questions only."""
    slugs, year = request.GET.getlist("inspection"), request.GET.get("year", "")
    if year.isdigit():
        picked = [
            i for i in inspections if i.fieldwork_start and i.fieldwork_start.year == int(year)
        ]
    else:
        picked = [i for i in inspections if i.slug in slugs]
    if len({i.framework_id for i in picked}) > 1:
        names = "; ".join(sorted({str(i.framework) for i in picked}))
        return picked, (
            f"These inspections use different frameworks ({names}), whose questions do not "
            "match: only inspections of one framework combine. Pick inspections of one framework."
        )
    return picked, None


# The national page shows each inspection beside the national figure, or them added together.
SHOW_EACH, SHOW_TOGETHER = "each", "together"


@require_safe
def findings_national(request: HttpRequest) -> HttpResponse:
    """Several inspections' findings, each beside the national figure or added together by
    organisation: for whoever may view every inspection (counts only, so no drill-down)."""
    if not request.user.has_perm(VIEW_ALL_INSPECTIONS):
        raise PermissionDenied("Only someone who may view every inspection sees them together.")
    everything = list(inspections_for_user(request.user).order_by("-fieldwork_start", "slug"))
    picked, problem = _national_inspections(request, everything)
    show = SHOW_TOGETHER if request.GET.get("show") == SHOW_TOGETHER else SHOW_EACH
    context = {
        "show": show,
        "all_inspections": everything,
        "picked": {i.slug for i in picked},
        "years": sorted(
            {i.fieldwork_start.year for i in everything if i.fieldwork_start}, reverse=True
        ),
        "year": request.GET.get("year", ""),
        "problem": problem,
        "groups": [(group, GROUP_LABELS[group]) for group in GROUPS],
    }
    if picked and not problem:
        layout = FrameworkLayout.of(picked[0].framework_id)
        shown = layout.domain(request.GET.get("domain", "")) or layout.domains[0]
        context |= {
            "contents": [(domain_slug(d), d.name) for d in layout.domains],
            "domain": shown,
            "here": domain_slug(shown),
            "query": "&".join(f"inspection={i.slug}" for i in picked) + f"&show={show}",
        }
        if show == SHOW_TOGETHER:
            findings = findings_for(picked)
            context |= {
                "findings": findings,
                "cases": findings.cases,
                "tables": layout.theme_tables(shown, findings, Links(None, None)),
            }
        else:
            # Each inspection in a column beside the national figure (comparison_views.py).
            context |= national_comparison(request, picked, layout, shown)
    return render(request, "judgements/findings/national.html", context)


@require_safe
def findings_by_descriptor(request: HttpRequest, slug: str, domain: str, descriptor: str):
    """A domain's yes/no findings with a column per value of one descriptor (women beside
    men), each headed by its cases, for one group; with the page's filters."""
    inspection = get_inspection_for_user(request.user, slug)
    where = _where(request)
    layout = FrameworkLayout.of(inspection.framework_id)
    shown = layout.domain(domain)
    group = request.GET.get("group", ALL)
    if shown is None or descriptor not in DESCRIPTORS or group not in GROUPS:
        raise Http404("No such domain, descriptor or group")
    findings = inspection_findings(inspection, cut_by=descriptor, where=where)
    described = DESCRIPTORS[descriptor]
    context = _context(
        request,
        inspection,
        layout,
        where,
        findings=inspection_findings(inspection, where=where),
        here=domain,
        domain=shown,
        descriptor=described,
        descriptor_name=descriptor,
        group=group,
        group_label=GROUP_LABELS[group],
        values=[
            (described.value_label(code), findings.cut_cases[group][code])
            for code in described.counted_codes
        ],
        cut_tables=cut_tables(layout, shown, findings, group, Links(inspection.slug, where)),
    )
    return render(request, "judgements/findings/by_descriptor.html", context)
