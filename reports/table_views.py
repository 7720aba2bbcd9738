"""The pages of the enablers and barriers tables and the recommendations. Thin: the gates below
find the record for the person, reports/tables.py lays the pages out, reports/services.py
writes and refuses. Everything works without JavaScript: moves are buttons of small forms.

Reading is for the whole team (Capability.VIEW); writing, and the forms that write, for the
lead inspector and the editor (Capability.EDIT_TABLES), never once the inspection is published.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspection.models import Inspection
from inspection.permissions import Capability, get_inspection_for_user, user_can
from inspection.services import StaleWrite
from reports import services
from reports.models import Column, Recommendation, RecommendationGroup, TableRow
from reports.table_forms import (
    RecommendationForm,
    RecommendationGroupForm,
    TableRowForm,
    finding_lines,
)
from reports.tables import (
    barrier_names,
    enablers_and_barriers,
    recommendation_groups,
    table_from_slug,
)

FORM_PAGE = ["GET", "HEAD", "POST"]
# The columns as an address names them.
COLUMNS = {"enablers": Column.ENABLER, "barriers": Column.BARRIER}


# The gates: the inspection's, then the record within it (another inspection's is a 404).


def get_table_row_for_user(user, slug: str, row_id: int, capability: Capability) -> TableRow:
    inspection = get_inspection_for_user(user, slug, capability)
    return get_object_or_404(
        TableRow.objects.select_related("inspection__framework"), inspection=inspection, pk=row_id
    )


def get_group_for_user(
    user, slug: str, group_id: int, capability: Capability
) -> RecommendationGroup:
    inspection = get_inspection_for_user(user, slug, capability)
    return get_object_or_404(
        RecommendationGroup.objects.select_related("inspection"),
        inspection=inspection,
        pk=group_id,
    )


def get_recommendation_for_user(
    user, slug: str, recommendation_id: int, capability: Capability
) -> Recommendation:
    inspection = get_inspection_for_user(user, slug, capability)
    return get_object_or_404(
        Recommendation.objects.select_related("group__inspection"),
        group__inspection=inspection,
        pk=recommendation_id,
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _form_errors(form, refusal: ValidationError) -> None:
    """A service's refusal beside the fields it names, or above the form."""
    if hasattr(refusal, "error_dict"):
        for name, errors in refusal.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
        return
    for message in refusal.messages:
        form.add_error(None, message)


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
        "can_edit": user_can(request.user, inspection, Capability.EDIT_TABLES),
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
            _form_errors(form, refusal)
        else:
            messages.success(request, f"{target.name}: {Column(column).label.lower()} added.")
            return redirect(_tables_url(inspection, f"row-{row.pk}"))
    context = {"inspection": inspection, "table": target, "column": column, "form": form}
    return render(request, "reports/tables/table_row_form.html", context)


@require_http_methods(FORM_PAGE)
def table_row_edit(request: HttpRequest, slug: str, row_id: int) -> HttpResponse:
    row = get_table_row_for_user(request.user, slug, row_id, Capability.EDIT_TABLES)
    inspection = row.inspection
    initial = {
        "text": row.text,
        "findings": finding_lines(
            f"{link.question.code}{f'[{link.item.code}]' if link.item_id else ''} {link.group}"
            for link in row.finding_links.select_related("question", "item")
        ),
        "cases": ", ".join(link.case.case_ref for link in row.case_links.select_related("case")),
        "version": row.version,
    }
    form = TableRowForm(
        request.POST or None,
        initial=initial,
        perspective=row.perspective,
        column=row.column,
        example_refs=_example_refs(inspection),
    )
    theirs = None
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
        except StaleWrite as stale:
            theirs = _conflict(form, stale, TableRow.objects.get(pk=row.pk))
        except ValidationError as refusal:
            _form_errors(form, refusal)
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
        "theirs": theirs,
    }
    return render(request, "reports/tables/table_row_form.html", context)


def _conflict(form, stale: StaleWrite, current):
    """Someone saved the record since the page was built: the person sees the saved text
    beside theirs, and saving again (now from this version) replaces it knowingly."""
    form.add_error(None, stale.messages[0])
    form.data = form.data.copy()
    form.data["version"] = current.version
    return current


@require_POST
def table_row_move(request: HttpRequest, slug: str, row_id: int) -> HttpResponse:
    row = get_table_row_for_user(request.user, slug, row_id, Capability.EDIT_TABLES)
    direction = request.POST.get("direction", "")
    try:
        services.table_row_move(
            row=row,
            direction=direction,
            by=request.user,
            expected_neighbour=_int(request.POST.get("neighbour")) or -1,
        )
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"{row.get_column_display()} moved {direction}.")
    return redirect(_tables_url(row.inspection, f"row-{row.pk}"))


@require_http_methods(FORM_PAGE)
def table_row_delete(request: HttpRequest, slug: str, row_id: int) -> HttpResponse:
    row = get_table_row_for_user(request.user, slug, row_id, Capability.EDIT_TABLES)
    inspection = row.inspection
    target = table_from_slug(inspection, f"{row.domain}-{row.perspective}".lower())
    if request.method == "POST":
        try:
            services.table_row_delete(
                row=row, by=request.user, expected_version=_int(request.POST.get("version")) or -1
            )
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
            return redirect(_tables_url(inspection, f"row-{row.pk}"))
        messages.success(request, f"{target.name}: {row.get_column_display().lower()} deleted.")
        return redirect(_tables_url(inspection, f"table-{target.slug}"))
    answered_by = row.recommendation_links.count()
    context = {
        "inspection": inspection,
        "parent": "tables",
        "what": f"this {row.get_column_display().lower()}",
        "heading": f"Delete this {row.get_column_display().lower()}?",
        "caption": target.name,
        "text": row.text,
        "record": row,
        "warning": _answered_by_warning(answered_by),
        "back": _tables_url(inspection, f"row-{row.pk}"),
    }
    return render(request, "reports/tables/confirm_delete.html", context)


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
        "can_edit": user_can(request.user, inspection, Capability.EDIT_TABLES),
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
            _form_errors(form, refusal)
        else:
            messages.success(request, f"Group added: {group}")
            return redirect(_recommendations_url(inspection, f"group-{group.pk}"))
    context = {"inspection": inspection, "form": form}
    return render(request, "reports/tables/group_form.html", context)


@require_http_methods(FORM_PAGE)
def recommendation_group_edit(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    group = get_group_for_user(request.user, slug, group_id, Capability.EDIT_TABLES)
    initial = {"addressee": group.addressee, "version": group.version}
    form = RecommendationGroupForm(request.POST or None, initial=initial)
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_group_update(
                group=group,
                addressee=form.cleaned_data["addressee"],
                by=request.user,
                expected_version=form.expected_version(),
            )
        except StaleWrite as stale:
            theirs = _conflict(form, stale, RecommendationGroup.objects.get(pk=group.pk))
        except ValidationError as refusal:
            _form_errors(form, refusal)
        else:
            messages.success(request, "Group saved.")
            return redirect(_recommendations_url(group.inspection, f"group-{group.pk}"))
    context = {"inspection": group.inspection, "form": form, "group": group, "theirs": theirs}
    return render(request, "reports/tables/group_form.html", context)


@require_POST
def recommendation_group_move(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    group = get_group_for_user(request.user, slug, group_id, Capability.EDIT_TABLES)
    direction = request.POST.get("direction", "")
    try:
        services.recommendation_group_move(
            group=group,
            direction=direction,
            by=request.user,
            expected_neighbour=_int(request.POST.get("neighbour")) or -1,
        )
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"Group moved {direction}; the recommendations renumbered.")
    return redirect(_recommendations_url(group.inspection, f"group-{group.pk}"))


@require_http_methods(FORM_PAGE)
def recommendation_group_delete(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    group = get_group_for_user(request.user, slug, group_id, Capability.EDIT_TABLES)
    inspection = group.inspection
    if request.method == "POST":
        try:
            services.recommendation_group_delete(
                group=group,
                by=request.user,
                expected_version=_int(request.POST.get("version")) or -1,
            )
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
            return redirect(_recommendations_url(inspection, f"group-{group.pk}"))
        messages.success(request, f"Group deleted: {group}")
        return redirect(_recommendations_url(inspection))
    count = group.recommendations.count()
    context = {
        "inspection": inspection,
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
        "back": _recommendations_url(inspection, f"group-{group.pk}"),
    }
    return render(request, "reports/tables/confirm_delete.html", context)


def _recommendation_form(request, inspection: Inspection, initial: dict) -> RecommendationForm:
    return RecommendationForm(
        request.POST or None,
        initial=initial,
        groups=list(RecommendationGroup.objects.filter(inspection=inspection)),
        barrier_tables=barrier_names(inspection),
    )


@require_http_methods(FORM_PAGE)
def recommendation_add(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    group = get_group_for_user(request.user, slug, group_id, Capability.EDIT_TABLES)
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
            _form_errors(form, refusal)
        else:
            messages.success(request, "Recommendation added.")
            return redirect(_recommendations_url(inspection, f"recommendation-{recommendation.pk}"))
    context = {"inspection": inspection, "form": form, "group": group}
    return render(request, "reports/tables/recommendation_form.html", context)


@require_http_methods(FORM_PAGE)
def recommendation_edit(request: HttpRequest, slug: str, recommendation_id: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(
        request.user, slug, recommendation_id, Capability.EDIT_TABLES
    )
    inspection = recommendation.group.inspection
    initial = {
        "text": recommendation.text,
        "group": recommendation.group_id,
        "barriers": list(recommendation.barrier_links.values_list("barrier_id", flat=True)),
        "version": recommendation.version,
    }
    form = _recommendation_form(request, inspection, initial)
    theirs = None
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
        except StaleWrite as stale:
            theirs = _conflict(form, stale, Recommendation.objects.get(pk=recommendation.pk))
        except ValidationError as refusal:
            _form_errors(form, refusal)
        else:
            messages.success(request, "Recommendation saved.")
            return redirect(_recommendations_url(inspection, f"recommendation-{recommendation.pk}"))
    context = {
        "inspection": inspection,
        "form": form,
        "group": recommendation.group,
        "recommendation": recommendation,
        "theirs": theirs,
    }
    return render(request, "reports/tables/recommendation_form.html", context)


@require_POST
def recommendation_move(request: HttpRequest, slug: str, recommendation_id: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(
        request.user, slug, recommendation_id, Capability.EDIT_TABLES
    )
    direction = request.POST.get("direction", "")
    try:
        services.recommendation_move(
            recommendation=recommendation,
            direction=direction,
            by=request.user,
            expected_neighbour=_int(request.POST.get("neighbour")) or -1,
        )
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"Recommendation moved {direction}.")
    return redirect(
        _recommendations_url(recommendation.group.inspection, f"recommendation-{recommendation.pk}")
    )


@require_http_methods(FORM_PAGE)
def recommendation_delete(request: HttpRequest, slug: str, recommendation_id: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(
        request.user, slug, recommendation_id, Capability.EDIT_TABLES
    )
    inspection = recommendation.group.inspection
    if request.method == "POST":
        try:
            services.recommendation_delete(
                recommendation=recommendation,
                by=request.user,
                expected_version=_int(request.POST.get("version")) or -1,
            )
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
            return redirect(_recommendations_url(inspection, f"recommendation-{recommendation.pk}"))
        messages.success(request, "Recommendation deleted; the others renumbered.")
        return redirect(_recommendations_url(inspection, f"group-{recommendation.group_id}"))
    context = {
        "inspection": inspection,
        "parent": "recommendations",
        "what": "this recommendation",
        "heading": "Delete this recommendation?",
        "caption": str(recommendation.group),
        "text": recommendation.text,
        "record": recommendation,
        "back": _recommendations_url(inspection, f"recommendation-{recommendation.pk}"),
    }
    return render(request, "reports/tables/confirm_delete.html", context)
