"""The pages of the enablers and barriers tables and the recommendations. Thin: the gates in
reports/tables/permissions.py find the record for the person, reports/tables/layout.py lays
the pages out, reports/tables/services.py writes and refuses. Everything works without
JavaScript: moves are buttons of small forms.

Reading is for the whole team (Capability.VIEW); writing, and the forms that write, for the
lead inspector and the editor (Capability.EDIT_TABLES), never once the inspection is published.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from inspection.lib.forms import add_refusal_errors
from inspection.models import Inspection
from inspection.permissions import Capability, get_inspection_for_user
from inspection.services import StaleWrite
from reports.conflicts import conflict_shown
from reports.generic_views import DeleteView, MoveView
from reports.permissions import can_edit_report
from reports.tables import services
from reports.tables.forms import (
    RecommendationForm,
    RecommendationGroupForm,
    TableRowForm,
    finding_lines,
)
from reports.tables.layout import (
    barrier_names,
    enablers_and_barriers,
    recommendation_groups,
    table_from_slug,
)
from reports.tables.models import Column, Recommendation, RecommendationGroup, TableRow
from reports.tables.permissions import (
    recommendation_group_to_edit,
    recommendation_to_edit,
    table_row_to_edit,
)

FORM_PAGE = ["GET", "HEAD", "POST"]
# The columns as an address names them.
COLUMNS = {"enablers": Column.ENABLER, "barriers": Column.BARRIER}


def _example_refs(inspection: Inspection) -> list[str]:
    """Two of the inspection's own case references, for the form's hint."""
    return list(inspection.cases.order_by("case_ref").values_list("case_ref", flat=True)[:2])


def _tables_url(inspection: Inspection, anchor: str = "") -> str:
    url = reverse("enablers-barriers", args=[inspection.slug])
    return f"{url}#{anchor}" if anchor else url


def _recommendations_url(inspection: Inspection, anchor: str = "") -> str:
    url = reverse("recommendations", args=[inspection.slug])
    return f"{url}#{anchor}" if anchor else url


# Enablers and barriers


@require_safe
def enablers_barriers(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    context = {
        "inspection": inspection,
        "domains": enablers_and_barriers(inspection),
        "can_edit": can_edit_report(request.user, inspection),
    }
    return render(request, "reports/tables/enablers_barriers.html", context)


@require_http_methods(FORM_PAGE)
def table_row_add(request: HttpRequest, slug: str, table: str, column: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug, Capability.EDIT_TABLES)
    target = table_from_slug(inspection, table)
    if target is None or column not in COLUMNS:
        raise Http404("No such table")
    column = COLUMNS[column]
    form = TableRowForm(
        request.POST or None,
        perspective=target.perspective,
        column=column,
        example_refs=_example_refs(inspection),
    )
    if request.method == "POST" and form.is_valid():
        try:
            row = services.table_row_add(
                inspection=inspection,
                domain=target.domain,
                perspective=target.perspective,
                column=column,
                text=form.cleaned_data["text"],
                findings=form.cleaned_data["findings"],
                case_refs=form.cleaned_data["cases"],
                by=request.user,
            )
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, f"{target.name}: {Column(column).label.lower()} added.")
            return redirect(_tables_url(inspection, f"row-{row.pk}"))
    context = {
        "inspection": inspection,
        "table": target,
        "column": column,
        "form": form,
        "back": _tables_url(inspection, f"table-{target.slug}"),
    }
    return render(request, "reports/tables/table_row_form.html", context)


@require_http_methods(FORM_PAGE)
def table_row_edit(request: HttpRequest, slug: str, row_id: int) -> HttpResponse:
    row = table_row_to_edit(request.user, slug, row_id)
    inspection = row.inspection
    form = TableRowForm(
        request.POST or None,
        initial=_row_initial(row),
        perspective=row.perspective,
        column=row.column,
        example_refs=_example_refs(inspection),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.table_row_update(
                row=row,
                text=form.cleaned_data["text"],
                findings=form.cleaned_data["findings"],
                case_refs=form.cleaned_data["cases"],
                by=request.user,
                expected_version=form.expected_version(),
            )
        except StaleWrite:
            theirs = TableRow.objects.get(pk=row.pk)
            conflict = conflict_shown(form, theirs, _row_initial(theirs))
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, f"{row.get_column_display()} saved.")
            return redirect(_tables_url(inspection, f"row-{row.pk}"))
    target = table_from_slug(inspection, f"{row.domain}-{row.perspective}".lower())
    context = {
        "inspection": inspection,
        "table": target,
        "column": row.column,
        "row": row,
        "form": form,
        "conflict": conflict,
        "back": _tables_url(inspection, f"row-{row.pk}"),
    }
    return render(request, "reports/tables/table_row_form.html", context)


def _row_initial(row: TableRow) -> dict:
    """A row as its form shows it."""
    return {
        "text": row.text,
        "findings": finding_lines(
            f"{link.question.code}{f'[{link.item.code}]' if link.item_id else ''} {link.group}"
            for link in row.finding_links.select_related("question", "item")
        ),
        "cases": ", ".join(link.case.case_ref for link in row.case_links.select_related("case")),
        "version": row.version,
    }


def _answered_by_warning(count: int) -> str:
    if not count:
        return ""
    if count == 1:
        return "A recommendation answers it: the link will go, the recommendation stays."
    return f"{count} recommendations answer it: the links will go, the recommendations stay."


# Recommendations


@require_safe
def recommendations(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    context = {
        "inspection": inspection,
        "groups": recommendation_groups(inspection),
        "can_edit": can_edit_report(request.user, inspection),
    }
    return render(request, "reports/tables/recommendations.html", context)


@require_http_methods(FORM_PAGE)
def recommendation_group_add(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug, Capability.EDIT_TABLES)
    form = RecommendationGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.recommendation_group_add(
                inspection=inspection, addressee=form.cleaned_data["addressee"], by=request.user
            )
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, f"Group added: {group}")
            return redirect(_recommendations_url(inspection, f"group-{group.pk}"))
    context = {"inspection": inspection, "form": form, "back": _recommendations_url(inspection)}
    return render(request, "reports/tables/group_form.html", context)


@require_http_methods(FORM_PAGE)
def recommendation_group_edit(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    group = recommendation_group_to_edit(request.user, slug, group_id)
    form = RecommendationGroupForm(request.POST or None, initial=_group_initial(group))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_group_update(
                group=group,
                addressee=form.cleaned_data["addressee"],
                by=request.user,
                expected_version=form.expected_version(),
            )
        except StaleWrite:
            theirs = RecommendationGroup.objects.get(pk=group.pk)
            conflict = conflict_shown(form, theirs, _group_initial(theirs))
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, "Group saved.")
            return redirect(_recommendations_url(group.inspection, f"group-{group.pk}"))
    context = {
        "inspection": group.inspection,
        "form": form,
        "group": group,
        "conflict": conflict,
        "back": _recommendations_url(group.inspection, f"group-{group.pk}"),
    }
    return render(request, "reports/tables/group_form.html", context)


def _group_initial(group: RecommendationGroup) -> dict:
    return {"addressee": group.addressee, "version": group.version}


def _recommendation_initial(recommendation: Recommendation) -> dict:
    return {
        "text": recommendation.text,
        "group": recommendation.group_id,
        "barriers": list(recommendation.barrier_links.values_list("barrier_id", flat=True)),
        "version": recommendation.version,
    }


def _recommendation_form(request, inspection: Inspection, initial: dict) -> RecommendationForm:
    return RecommendationForm(
        request.POST or None,
        initial=initial,
        groups=list(RecommendationGroup.objects.filter(inspection=inspection)),
        barrier_tables=barrier_names(inspection),
    )


@require_http_methods(FORM_PAGE)
def recommendation_add(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    group = recommendation_group_to_edit(request.user, slug, group_id)
    inspection = group.inspection
    form = _recommendation_form(request, inspection, {"group": group.pk})
    if request.method == "POST" and form.is_valid():
        target = RecommendationGroup.objects.get(pk=form.cleaned_data["group"])
        try:
            recommendation = services.recommendation_add(
                group=target,
                text=form.cleaned_data["text"],
                barrier_ids=form.cleaned_data["barriers"],
                by=request.user,
            )
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, "Recommendation added.")
            return redirect(_recommendations_url(inspection, f"recommendation-{recommendation.pk}"))
    context = {
        "inspection": inspection,
        "form": form,
        "group": group,
        "back": _recommendations_url(inspection, f"group-{group.pk}"),
    }
    return render(request, "reports/tables/recommendation_form.html", context)


@require_http_methods(FORM_PAGE)
def recommendation_edit(request: HttpRequest, slug: str, recommendation_id: int) -> HttpResponse:
    recommendation = recommendation_to_edit(request.user, slug, recommendation_id)
    inspection = recommendation.group.inspection
    form = _recommendation_form(request, inspection, _recommendation_initial(recommendation))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(
                recommendation=recommendation,
                text=form.cleaned_data["text"],
                barrier_ids=form.cleaned_data["barriers"],
                group=RecommendationGroup.objects.get(pk=form.cleaned_data["group"]),
                by=request.user,
                expected_version=form.expected_version(),
            )
        except StaleWrite:
            theirs = Recommendation.objects.get(pk=recommendation.pk)
            conflict = conflict_shown(form, theirs, _recommendation_initial(theirs))
        except ValidationError as refusal:
            add_refusal_errors(form, refusal)
        else:
            messages.success(request, "Recommendation saved.")
            return redirect(_recommendations_url(inspection, f"recommendation-{recommendation.pk}"))
    context = {
        "inspection": inspection,
        "form": form,
        "group": recommendation.group,
        "recommendation": recommendation,
        "conflict": conflict,
        "back": _recommendations_url(inspection, f"recommendation-{recommendation.pk}"),
    }
    return render(request, "reports/tables/recommendation_form.html", context)


# Moves and deletions: the generic views, configured for each record.


class TableRowMove(MoveView):
    gate = table_row_to_edit
    service = services.table_row_move
    record_argument = "row"

    def moved_message(self, row, moved, direction):
        return f"{row.get_column_display()} moved {direction}."

    def refused_url(self, row):
        return _tables_url(row.inspection, f"row-{row.pk}")


class TableRowDelete(DeleteView):
    gate = table_row_to_edit
    service = services.table_row_delete
    record_argument = "row"
    template_name = "reports/tables/confirm_delete.html"

    def _table(self, row: TableRow):
        return table_from_slug(row.inspection, f"{row.domain}-{row.perspective}".lower())

    def confirm_context(self, row):
        inspection = row.inspection
        return {
            "inspection": inspection,
            "parent": "tables",
            "what": f"this {row.get_column_display().lower()}",
            "heading": f"Delete this {row.get_column_display().lower()}?",
            "caption": self._table(row).name,
            "text": row.text,
            "record": row,
            "warning": _answered_by_warning(row.recommendation_links.count()),
            "back": _tables_url(inspection, f"row-{row.pk}"),
        }

    def deleted_message(self, row, result):
        return f"{self._table(row).name}: {row.get_column_display().lower()} deleted."

    def refused_url(self, row):
        return _tables_url(row.inspection, f"row-{row.pk}")

    def deleted_url(self, row):
        return _tables_url(row.inspection, f"table-{self._table(row).slug}")


class RecommendationGroupMove(MoveView):
    gate = recommendation_group_to_edit
    service = services.recommendation_group_move
    record_argument = "group"

    def moved_message(self, group, moved, direction):
        return f"Group moved {direction}; the recommendations renumbered."

    def refused_url(self, group):
        return _recommendations_url(group.inspection, f"group-{group.pk}")


class RecommendationGroupDelete(DeleteView):
    gate = recommendation_group_to_edit
    service = services.recommendation_group_delete
    record_argument = "group"
    template_name = "reports/tables/confirm_delete.html"

    def confirm_context(self, group):
        count = group.recommendations.count()
        return {
            "inspection": group.inspection,
            "parent": "recommendations",
            "what": "this group",
            "heading": "Delete this group?",
            "caption": "Recommendations",
            "text": str(group),
            "record": group,
            "refused": (
                f"It still has {count} recommendation{'s' if count != 1 else ''}: move them to "
                "another group or delete them first."
                if count
                else ""
            ),
            "back": _recommendations_url(group.inspection, f"group-{group.pk}"),
        }

    def deleted_message(self, group, result):
        return f"Group deleted: {group}"

    def refused_url(self, group):
        return _recommendations_url(group.inspection, f"group-{group.pk}")

    def deleted_url(self, group):
        return _recommendations_url(group.inspection)


class RecommendationMove(MoveView):
    gate = recommendation_to_edit
    service = services.recommendation_move
    record_argument = "recommendation"

    def moved_message(self, recommendation, moved, direction):
        return f"Recommendation moved {direction}."

    def refused_url(self, recommendation):
        inspection = recommendation.group.inspection
        return _recommendations_url(inspection, f"recommendation-{recommendation.pk}")


class RecommendationDelete(DeleteView):
    gate = recommendation_to_edit
    service = services.recommendation_delete
    record_argument = "recommendation"
    template_name = "reports/tables/confirm_delete.html"

    def confirm_context(self, recommendation):
        inspection = recommendation.group.inspection
        return {
            "inspection": inspection,
            "parent": "recommendations",
            "what": "this recommendation",
            "heading": "Delete this recommendation?",
            "caption": str(recommendation.group),
            "text": recommendation.text,
            "record": recommendation,
            "back": _recommendations_url(inspection, f"recommendation-{recommendation.pk}"),
        }

    def deleted_message(self, recommendation, result):
        return "Recommendation deleted; the others renumbered."

    def refused_url(self, recommendation):
        inspection = recommendation.group.inspection
        return _recommendations_url(inspection, f"recommendation-{recommendation.pk}")

    def deleted_url(self, recommendation):
        inspection = recommendation.group.inspection
        return _recommendations_url(inspection, f"group-{recommendation.group_id}")
