"""The editor's pages for the report as a document: the outline of every part with its flags
and its add / move / remove buttons, a page to edit each part, the title page, and the list of
parts whose live figures changed since they were confirmed. Thin: the numbering, figures and
flags come from reports.document.compose, every write from reports.document.services.

Reading needs Capability.VIEW (the team, and whoever may view every inspection); every change
needs Capability.EDIT_TABLES (the lead inspector and the editor), through the one gate.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspection.lib.forms import add_refusal_errors, expected_from_page, int_or_none, show_conflict
from inspection.models import Inspection
from inspection.permissions import Capability, get_inspection_for_user
from inspection.services import StaleWrite
from judgements.findings import inspection_findings
from reports.document import services
from reports.document.compose import Node, build_document, register_of
from reports.document.forms import KindForm, PartForm, ReportFrontForm, part_initial
from reports.document.models import PartKind as Kind
from reports.document.models import Report, ReportPart
from reports.document.permissions import report_part_to_edit
from reports.document.placeholders import changed_figures, resolve
from reports.generic_views import DeleteView, MoveView
from reports.permissions import can_edit_report
from reports.tables.layout import outcome_domains

FORM_PAGE = ["GET", "HEAD", "POST"]


def _outline_url(inspection: Inspection, part_id: int | None = None) -> str:
    url = reverse("report-outline", args=[inspection.slug])
    return f"{url}#part-row-{part_id}" if part_id else url


@dataclass(frozen=True)
class OutlineRow:
    """A line of the outline: the part, how deep it sits, its neighbours (the move buttons
    name them, so a move from a stale page is refused), its place among its siblings, and
    whether parts may go under it."""

    node: Node
    depth: int
    parent_id: int | None
    position: int
    above: int | None
    below: int | None
    takes_children: bool
    case_ref: str


def _rows(nodes, depth: int, parent_id, case_refs) -> list[OutlineRow]:
    rows = []
    for index, node in enumerate(nodes):
        rows.append(
            OutlineRow(
                node=node,
                depth=min(depth, 4),
                parent_id=parent_id,
                position=index + 1,
                above=nodes[index - 1].part_id if index else None,
                below=nodes[index + 1].part_id if index + 1 < len(nodes) else None,
                takes_children=node.kind in services.CHILD_KINDS,
                case_ref=case_refs.get(node.part_id, ""),
            )
        )
        rows.extend(_rows(node.children, depth + 1, node.part_id, case_refs))
    return rows


@require_safe
def report_outline(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    document = build_document(inspection)
    case_refs = dict(
        ReportPart.objects.filter(inspection=inspection, case__isnull=False).values_list(
            "pk", "case__case_ref"
        )
    )
    context = {
        "inspection": inspection,
        "document": document,
        "rows": _rows(document.parts, 0, None, case_refs),
        "flagged": len(document.flagged()),
        "errors": document.errors(),
        "editable": can_edit_report(request.user, inspection),
    }
    return render(request, "reports/document/outline.html", context)


@require_safe
def report_figures(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    document = build_document(inspection)
    context = {
        "inspection": inspection,
        "flagged": document.flagged(),
        "errors": document.errors(),
        "editable": can_edit_report(request.user, inspection),
    }
    return render(request, "reports/document/figures.html", context)


@require_http_methods(FORM_PAGE)
def report_front_edit(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug, Capability.EDIT_TABLES)
    report = Report.objects.filter(inspection=inspection).first()
    initial = (
        {
            "series": report.series,
            "title": report.title,
            "byline": report.byline,
            "published": report.published,
            "copyright": report.copyright,
            "licence": report.licence,
            "publisher": "\n".join(report.publisher),
            "version": report.version,
        }
        if report
        else {"title": inspection.title, "version": 0}
    )
    form = ReportFrontForm(request.POST or None, initial=initial)
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_front_save(
                inspection=inspection,
                **{name: data[name] for name in form.fields if name != "version"},
                by=request.user,
                expected_version=form.expected_version() if report else None,
            )
        except StaleWrite as stale:
            theirs = show_conflict(form, stale, Report.objects.get(pk=report.pk))
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, "Title page saved.")
            return redirect(_outline_url(inspection))
    context = {"inspection": inspection, "form": form, "theirs": theirs}
    return render(request, "reports/document/front_form.html", context)


def _domains(inspection: Inspection) -> list[tuple[str, str]]:
    return [(domain.code, domain.name) for domain in outcome_domains(inspection)]


@require_http_methods(FORM_PAGE)
def report_part_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Adding is two steps: choose the kind of part (a GET form, so the address says where and
    what), then write it."""
    inspection = get_inspection_for_user(request.user, slug, Capability.EDIT_TABLES)
    source = request.POST if request.method == "POST" else request.GET
    parent_id = int_or_none(source.get("parent"))
    parent = (
        get_object_or_404(ReportPart, inspection=inspection, pk=parent_id) if parent_id else None
    )
    position = int_or_none(source.get("position"))
    kind_form = KindForm(
        {"kind": source.get("kind")} if source.get("kind") else None,
        parent_kind=parent.kind if parent else None,
    )
    context = {"inspection": inspection, "parent": parent, "position": position}
    if not kind_form.is_valid():
        context["kind_form"] = kind_form
        return render(request, "reports/document/part_kind.html", context)
    kind = kind_form.cleaned_data["kind"]
    form = PartForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        domains=_domains(inspection),
    )
    if request.method == "POST" and form.is_valid():
        try:
            part = services.report_part_add(
                inspection=inspection,
                kind=kind,
                content=form.content(),
                parent=parent,
                position=position,
                by=request.user,
            )
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, f"{part} added.")
            return redirect(_outline_url(inspection, part.pk))
    context.update({"form": form, "kind": kind, "kind_label": Kind(kind).label})
    return render(request, "reports/document/part_form.html", context)


@require_http_methods(FORM_PAGE)
def report_part_edit(request: HttpRequest, slug: str, part_id: int) -> HttpResponse:
    part = report_part_to_edit(request.user, slug, part_id)
    inspection = part.inspection
    form = PartForm(
        request.POST if request.method == "POST" else None,
        initial=part_initial(part),
        kind=part.kind,
        domains=_domains(inspection),
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.report_part_update(
                part=part,
                content=form.content(),
                by=request.user,
                expected_version=form.expected_version(),
            )
        except StaleWrite as stale:
            theirs = show_conflict(form, stale, ReportPart.objects.get(pk=part.pk))
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, f"{part.get_kind_display()} saved.")
            return redirect(_outline_url(inspection, part.pk))
    _text, values, problems = resolve(
        part.body, inspection, register_of(part.kind), findings=inspection_findings(inspection)
    )
    context = {
        "inspection": inspection,
        "part": part,
        "form": form,
        "theirs": theirs,
        "values": values,
        "problems": problems,
        "flags": changed_figures(part.confirmed_figures, values),
        "kind_label": part.get_kind_display(),
        "destinations": _destinations(part),
    }
    return render(request, "reports/document/part_form.html", context)


# The value of the top of the report among a part's destinations (a part's own is its id).
TOP = "top"


def _destinations(part: ReportPart) -> list[tuple[str, str]]:
    """Where the part may move, as (value, label): each label the path of headings to it."""
    by_pk = {p.pk: p for p in ReportPart.objects.filter(inspection_id=part.inspection_id)}

    def path(candidate: ReportPart) -> str:
        names = []
        while candidate is not None:
            names.append(candidate.heading or candidate.get_kind_display())
            candidate = by_pk.get(candidate.parent_id)
        return " \u203a ".join(reversed(names))

    return [
        (str(candidate.pk), path(by_pk[candidate.pk]))
        if candidate
        else (TOP, "The top of the report")
        for candidate in services.part_destinations(part)
    ]


@require_POST
def report_part_move_to(request: HttpRequest, slug: str, part_id: int) -> HttpResponse:
    """Move a part under another part (a section into another chapter), to the end."""
    part = report_part_to_edit(request.user, slug, part_id)
    choice = request.POST.get("parent", "")
    parent = (
        None
        if choice == TOP
        else ReportPart.objects.filter(inspection=part.inspection, pk=int_or_none(choice)).first()
    )
    if parent is None and choice != TOP:
        messages.error(request, f"Choose where to move {part}.")
        return redirect("report-part-edit", slug=slug, part_id=part.pk)
    try:
        services.report_part_move_to(
            part=part,
            parent=parent,
            by=request.user,
            expected_version=expected_from_page(request.POST.get("version")),
        )
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
        return redirect("report-part-edit", slug=slug, part_id=part.pk)
    where = f"under {parent}" if parent else "to the top of the report"
    messages.success(request, f"{part} moved {where}, as its last part.")
    return redirect(_outline_url(part.inspection, part.pk))


@require_POST
def report_part_confirm(request: HttpRequest, slug: str, part_id: int) -> HttpResponse:
    part = report_part_to_edit(request.user, slug, part_id)
    try:
        services.report_part_confirm_figures(
            part=part,
            by=request.user,
            expected_version=expected_from_page(request.POST.get("version")),
        )
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"{part}: figures confirmed.")
    if request.POST.get("next") == "outline":
        return redirect(_outline_url(part.inspection, part.pk))
    return redirect("report-figures", part.inspection.slug)


# Moves and removals: the generic views, configured for a part.


class ReportPartMove(MoveView):
    gate = report_part_to_edit
    service = services.report_part_move
    record_argument = "part"

    def moved_message(self, part, moved, direction):
        return f"{part} moved {direction}."

    def refused_url(self, part):
        return _outline_url(part.inspection, part.pk)


class ReportPartRemove(DeleteView):
    """A part with parts under it goes only when the person confirmed they go too."""

    gate = report_part_to_edit
    service = services.report_part_remove
    record_argument = "part"
    template_name = "reports/document/part_remove.html"

    def confirm_context(self, part):
        under = len(services.part_descendants(part))
        return {"inspection": part.inspection, "part": part, "under": under}

    def service_arguments(self, request):
        return {"confirmed": request.POST.get("confirmed") == "yes"}

    def deleted_message(self, part, removed):
        return f"{part} removed{f' with {removed - 1} parts under it' if removed > 1 else ''}."

    def refused_url(self, part):
        return _outline_url(part.inspection, part.pk)

    def deleted_url(self, part):
        return _outline_url(part.inspection, part.parent_id)
