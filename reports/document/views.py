"""The editor's pages for one part of the report: adding it, editing it (with the edit of
someone else who saved it meanwhile), moving it under another part, confirming its figures,
moving it up or down and removing it; and the title page. The outline's own pages are in
outline_views.py. Thin: the numbering, names, figures and flags come from
reports.document.compose, every write from reports.document.services. After a change the
editor goes back to the part on the outline, with the message beside it.

Reading needs Capability.VIEW (the team, and whoever may view every inspection); every change
needs Capability.EDIT_TABLES (the lead inspector and the editor), through the one gate.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods, require_POST

from inspection.lib.forms import add_refusal_errors, expected_from_page, int_or_none
from inspection.models import Inspection
from inspection.permissions import Capability, get_inspection_for_user
from inspection.services import StaleWrite
from reports.conflicts import conflict_shown
from reports.document import services
from reports.document.compose import Document, Node, build_document
from reports.document.forms import KindForm, MoveToForm, PartForm, ReportFrontForm, part_initial
from reports.document.models import PartKind as Kind
from reports.document.models import Report, ReportPart
from reports.document.outline_views import chapter_page_of, near, outline_url, say_near
from reports.document.permissions import report_part_to_edit
from reports.generic_views import DeleteView, MoveView
from reports.tables.layout import outcome_domains

FORM_PAGE = ["GET", "HEAD", "POST"]


def _named(part: ReportPart) -> tuple[Document, Node | None]:
    """The report as the outline numbers it, and the part's node in it (its name, its
    figures), for the pages about one part."""
    document = build_document(part.inspection, printing=False)
    return document, document.find(part.pk)


def _name(part: ReportPart) -> str:
    """What a message calls the part: "Prose 4 in Operational issues, 5.1 …"."""
    _document, node = _named(part)
    return capfirst(node.name) if node else str(part)


def _index_url(inspection: Inspection, anchor: str = "") -> str:
    url = reverse("report-outline", args=[inspection.slug])
    return f"{url}#{anchor}" if anchor else url


def _front_initial(report: Report) -> dict:
    return {
        "series": report.series,
        "title": report.title,
        "byline": report.byline,
        "published": report.published,
        "copyright": report.copyright,
        "licence": report.licence,
        "publisher": "\n".join(report.publisher),
        "version": report.version,
    }


@require_http_methods(FORM_PAGE)
def report_front_edit(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug, Capability.EDIT_TABLES)
    report = Report.objects.filter(inspection=inspection).first()
    initial = _front_initial(report) if report else {"title": inspection.title, "version": 0}
    form = ReportFrontForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_front_save(
                inspection=inspection,
                **{name: data[name] for name in form.fields if name != "version"},
                by=request.user,
                expected_version=form.expected_version() if report else None,
            )
        except StaleWrite:
            theirs = Report.objects.get(pk=report.pk)
            conflict = conflict_shown(form, theirs, _front_initial(theirs))
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, "Title page saved.")
            return redirect(_index_url(inspection, "title-page"))
    context = {
        "inspection": inspection,
        "form": form,
        "conflict": conflict,
        "back": _index_url(inspection, "title-page"),
    }
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
    document = build_document(inspection, printing=False) if parent else None
    parent_node = document.find(parent.pk) if parent else None
    context = {
        "inspection": inspection,
        "parent": parent,
        "parent_name": parent_node.name if parent_node else "",
        "chapter": chapter_page_of(document, parent.pk) if parent else None,
        "position": position,
        "back": outline_url(parent) if parent else _index_url(inspection),
    }
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
            say_near(request, part.pk, f"{_name(part)} added.")
            return redirect(outline_url(part, on_index=part.parent_id is None))
    context.update({"form": form, "kind": kind, "kind_label": Kind(kind).label})
    return render(request, "reports/document/part_form.html", context)


def _edit_page(
    request: HttpRequest,
    part: ReportPart,
    form: PartForm,
    *,
    conflict=None,
    move_form: MoveToForm | None = None,
    document: Document | None = None,
) -> HttpResponse:
    """A part's page: its form, its live figures as they read now, and where it may move."""
    document = document or build_document(part.inspection, printing=False)
    node = document.find(part.pk)
    move_form = move_form or MoveToForm(
        destinations=_destinations(part, document), initial={"version": part.version}
    )
    error_summary = [("move-to-parent", error) for error in move_form.errors.get("parent", [])] + [
        ("move-to-parent", error) for error in move_form.non_field_errors()
    ]
    context = {
        "inspection": part.inspection,
        "part": part,
        "node": node,
        "chapter": chapter_page_of(document, part.pk),
        "form": form,
        "conflict": conflict,
        "values": node.values if node else {},
        "problems": node.errors if node else (),
        "flags": node.flags if node else (),
        "kind_label": part.get_kind_display(),
        "move_form": move_form,
        "error_summary": error_summary,
        "back": outline_url(part),
    }
    return render(request, "reports/document/part_form.html", context)


@require_http_methods(FORM_PAGE)
def report_part_edit(request: HttpRequest, slug: str, part_id: int) -> HttpResponse:
    part = report_part_to_edit(request.user, slug, part_id)
    form = PartForm(
        request.POST if request.method == "POST" else None,
        initial=part_initial(part),
        kind=part.kind,
        domains=_domains(part.inspection),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.report_part_update(
                part=part,
                content=form.content(),
                by=request.user,
                expected_version=form.expected_version(),
            )
        except StaleWrite:
            part = ReportPart.objects.select_related("inspection").get(pk=part.pk)
            conflict = conflict_shown(form, part, part_initial(part))
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            say_near(request, part.pk, f"{_name(part)} saved.")
            return redirect(outline_url(part))
    return _edit_page(request, part, form, conflict=conflict)


# The value of the top of the report among a part's destinations (a part's own is its id).
TOP = "top"


def _destinations(part: ReportPart, document: Document) -> list[tuple[str, str]]:
    """Where the part may move, as (value, label): each label the place's name on the
    outline ("5.1 Effectiveness of the CRC", "Operational issues in 5.1 …")."""
    names = {node.part_id: capfirst(node.name) for node in document.walk()}
    return [
        (str(candidate.pk), names[candidate.pk]) if candidate else (TOP, "The top of the report")
        for candidate in services.part_destinations(part)
    ]


@require_POST
def report_part_move_to(request: HttpRequest, slug: str, part_id: int) -> HttpResponse:
    """Move a part under another part (a section into another chapter), to the end. Sent
    without a choice, or refused, the part's page shows again with the error at the list."""
    part = report_part_to_edit(request.user, slug, part_id)
    document = build_document(part.inspection, printing=False)
    move_form = MoveToForm(request.POST, destinations=_destinations(part, document))
    if move_form.is_valid():
        choice = move_form.cleaned_data["parent"]
        parent = None if choice == TOP else ReportPart.objects.get(pk=int(choice))
        try:
            services.report_part_move_to(
                part=part,
                parent=parent,
                by=request.user,
                expected_version=expected_from_page(request.POST.get("version")),
            )
        except ValidationError as refusal:
            for message in refusal.messages:
                move_form.add_error("parent", message)
        else:
            where = f"under {parent}" if parent else "to the top of the report"
            say_near(request, part.pk, f"{_name(part)} moved {where}, as its last part.")
            part.refresh_from_db()
            return redirect(outline_url(part))
    part.refresh_from_db()
    form = PartForm(initial=part_initial(part), kind=part.kind, domains=_domains(part.inspection))
    return _edit_page(request, part, form, move_form=move_form, document=document)


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
        messages.error(request, refusal.messages[0], extra_tags=near(part.pk))
    else:
        say_near(request, part.pk, f"{_name(part)}: figures confirmed.")
    if request.POST.get("next") == "outline":
        return redirect(outline_url(part))
    return redirect("report-figures", part.inspection.slug)


# Moves and removals: the generic views, configured for a part.


class ReportPartMove(MoveView):
    """Moving a part up or down among its siblings, from the outline: the index for a
    top-level part, its chapter's page for any other."""

    gate = report_part_to_edit
    service = services.report_part_move
    record_argument = "part"

    def moved_message(self, part, moved, direction):
        return f"{_name(moved)} moved {direction}."

    def message_tags(self, part) -> str:
        return near(part.pk)

    def refused_url(self, part):
        return outline_url(part, on_index=part.parent_id is None)


class ReportPartRemove(DeleteView):
    """A part with parts under it goes only when the person confirmed they go too."""

    gate = report_part_to_edit
    service = services.report_part_remove
    record_argument = "part"
    template_name = "reports/document/part_remove.html"

    def confirm_context(self, part):
        under = len(services.part_descendants(part))
        document, node = _named(part)
        return {
            "inspection": part.inspection,
            "part": part,
            "name": node.name if node else str(part),
            "chapter": chapter_page_of(document, part.pk),
            "under": under,
            "back": outline_url(part, on_index=part.parent_id is None),
        }

    def call_service(self, request, found, **arguments):
        # Named before it goes: the message says which part went.
        self.removed_name = _name(found)
        return super().call_service(request, found, **arguments)

    def service_arguments(self, request):
        return {"confirmed": request.POST.get("confirmed") == "yes"}

    def deleted_message(self, part, removed):
        under = f" with {removed - 1} parts under it" if removed > 1 else ""
        return f"{self.removed_name} removed{under}."

    def message_tags(self, part) -> str:
        return near(part.parent_id)

    def refused_url(self, part):
        return outline_url(part, on_index=part.parent_id is None)

    def deleted_url(self, part):
        if part.parent_id is None:
            return _index_url(part.inspection)
        return outline_url(ReportPart.objects.get(pk=part.parent_id))
