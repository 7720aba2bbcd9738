"""The Appendix 4 chart pages: every chart, one chart with its data table, and the lead's and
the editor's forms to add, change, remove and reorder charts and bars. Thin: the figures and
the SVG come from reports.charts, every write from reports.chart_services.

Reading needs Capability.VIEW; every change needs Capability.EDIT_TABLES (the lead inspector
and the editor), through the one gate, so an inspector reads and cannot post.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspection.models import Inspection
from inspection.permissions import Capability, get_inspection_for_user, user_can
from reports.chart_forms import ChartBarForm, ChartForm
from reports.chart_services import (
    chart_bar_create,
    chart_bar_delete,
    chart_bar_move,
    chart_bar_update,
    chart_create,
    chart_delete,
    chart_move,
    chart_update,
    parse_bar_source,
)
from reports.charts import ChartFigures, chart_svg, charts_csv, inspection_charts
from reports.models import Chart, ChartBar

FORM_METHODS = ["GET", "HEAD", "POST"]


def get_chart_for_user(
    user, slug: str, chart_id: int, capability: Capability = Capability.VIEW
) -> tuple[Chart, ChartFigures]:
    """The inspection's chart with its figures: another inspection's chart is a 404."""
    inspection = get_inspection_for_user(user, slug, capability)
    for chart, figures in inspection_charts(inspection):
        if chart.pk == chart_id:
            chart.inspection = inspection
            return chart, figures
    raise Http404("No such chart")


def _bar_of(chart: Chart, bar_id: int) -> ChartBar:
    bar = next((bar for bar in chart.bars.all() if bar.pk == bar_id), None)
    if bar is None:
        raise Http404("No such bar")
    return bar


def _version(request: HttpRequest) -> int | None:
    """The version a form was built from; one the page never made is refused as stale."""
    value = request.POST.get("version", "")
    try:
        return int(value)
    except ValueError:
        return -1


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _can_edit(user, inspection: Inspection) -> bool:
    return user_can(user, inspection, Capability.EDIT_TABLES)


def _list_url(inspection: Inspection, anchor: str = "") -> str:
    return reverse("chart-list", args=[inspection.slug]) + (f"#{anchor}" if anchor else "")


def _chart_url(chart: Chart, anchor: str = "") -> str:
    url = reverse("chart-detail", args=[chart.inspection.slug, chart.pk])
    return url + (f"#{anchor}" if anchor else "")


def _svg(figures: ChartFigures) -> str:
    # The SVG template escapes every text it prints (titles, labels); the markup is ours.
    return mark_safe(chart_svg(figures))


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@require_safe
def chart_list(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    charts = [
        {"chart": chart, "figures": figures, "svg": _svg(figures)}
        for chart, figures in inspection_charts(inspection)
    ]
    context = {
        "inspection": inspection,
        "charts": charts,
        "editable": _can_edit(request.user, inspection),
    }
    return render(request, "reports/charts/chart_list.html", context)


@require_safe
def chart_detail(request: HttpRequest, slug: str, chart_id: int) -> HttpResponse:
    chart, figures = get_chart_for_user(request.user, slug, chart_id)
    context = {
        "inspection": chart.inspection,
        "chart": chart,
        "figures": figures,
        "bars": list(zip(chart.bars.all(), figures.bars, strict=True)),
        "svg": _svg(figures),
        "editable": _can_edit(request.user, chart.inspection),
    }
    return render(request, "reports/charts/chart_detail.html", context)


@require_safe
def chart_csv_download(request: HttpRequest, slug: str, chart_id: int) -> HttpResponse:
    chart, figures = get_chart_for_user(request.user, slug, chart_id)
    file_name = f"{chart.inspection.slug}-chart-{figures.number}.csv"
    return HttpResponse(
        charts_csv([figures]),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )


# ---------------------------------------------------------------------------------------------
# Charts: add, change, delete, move
# ---------------------------------------------------------------------------------------------


@require_http_methods(FORM_METHODS)
def chart_new(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug, Capability.EDIT_TABLES)
    form = ChartForm(request.POST or None, submit="Add chart")
    if form.is_valid():
        try:
            chart = chart_create(
                inspection=inspection,
                title=form.cleaned_data["title"],
                subtitle=form.cleaned_data["subtitle"],
                by=request.user,
            )
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, f"Chart “{chart.title}” added. Now add its bars.")
            return redirect(_chart_url(chart))
    context = {"inspection": inspection, "form": form, "heading": "Add a chart"}
    return render(request, "reports/charts/chart_form.html", context)


@require_http_methods(FORM_METHODS)
def chart_change(request: HttpRequest, slug: str, chart_id: int) -> HttpResponse:
    chart, figures = get_chart_for_user(request.user, slug, chart_id, Capability.EDIT_TABLES)
    initial = {"title": chart.title, "subtitle": chart.subtitle, "version": chart.version}
    form = ChartForm(request.POST or None, initial=initial, submit="Save changes")
    if form.is_valid():
        try:
            chart_update(
                chart=chart,
                title=form.cleaned_data["title"],
                subtitle=form.cleaned_data["subtitle"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, f"{figures.name} saved.")
            return redirect(_chart_url(chart))
    context = {
        "inspection": chart.inspection,
        "chart": chart,
        "figures": figures,
        "form": form,
        "heading": f"Change {figures.name}",
    }
    return render(request, "reports/charts/chart_form.html", context)


@require_http_methods(FORM_METHODS)
def chart_remove(request: HttpRequest, slug: str, chart_id: int) -> HttpResponse:
    """A page that asks before a chart and all its bars go."""
    chart, figures = get_chart_for_user(request.user, slug, chart_id, Capability.EDIT_TABLES)
    if request.method == "POST":
        try:
            chart_delete(chart=chart, by=request.user, expected_version=_version(request))
        except ValidationError as refused:
            _refused(request, refused)
            return redirect(_chart_url(chart))
        messages.success(request, f"{figures.heading} removed.")
        return redirect(_list_url(chart.inspection))
    context = {"inspection": chart.inspection, "chart": chart, "figures": figures}
    return render(request, "reports/charts/chart_remove.html", context)


@require_POST
def chart_reorder(request: HttpRequest, slug: str, chart_id: int) -> HttpResponse:
    chart, figures = get_chart_for_user(request.user, slug, chart_id, Capability.EDIT_TABLES)
    try:
        moved = chart_move(
            chart=chart,
            direction=request.POST.get("direction", ""),
            by=request.user,
            expected_version=_version(request),
        )
    except ValidationError as refused:
        _refused(request, refused)
        return redirect(_list_url(chart.inspection, figures.element_id))
    messages.success(request, f"“{chart.title}” is now Chart {moved.position}.")
    return redirect(_list_url(chart.inspection, f"chart-{moved.position}"))


# ---------------------------------------------------------------------------------------------
# Bars: add, change, delete, move
# ---------------------------------------------------------------------------------------------


def _bar_form_page(request, chart: Chart, figures: ChartFigures, form, heading: str, bar=None):
    context = {
        "inspection": chart.inspection,
        "chart": chart,
        "figures": figures,
        "form": form,
        "heading": heading,
        "bar": bar,
    }
    return render(request, "reports/charts/chart_bar_form.html", context)


def _bar_saved(request, form: ChartBarForm, save) -> bool:
    """Save the form's bar with `save(question_code, item_code, label, version)`; False, with
    the refusal beside the fields, if it was refused."""
    try:
        question_code, item_code = parse_bar_source(form.cleaned_data["question"])
        save(question_code, item_code, form.cleaned_data["label"], form.cleaned_data["version"])
    except ValidationError as refused:
        form.add_service_errors(refused)
        return False
    return True


@require_http_methods(FORM_METHODS)
def chart_bar_new(request: HttpRequest, slug: str, chart_id: int) -> HttpResponse:
    chart, figures = get_chart_for_user(request.user, slug, chart_id, Capability.EDIT_TABLES)
    form = ChartBarForm(
        request.POST or None,
        initial={"version": chart.version},
        framework_id=chart.inspection.framework_id,
        submit="Add bar",
    )

    def save(question_code, item_code, label, version):
        chart_bar_create(
            chart=chart,
            question_code=question_code,
            item_code=item_code,
            label=label,
            by=request.user,
            expected_version=version,
        )

    if form.is_valid() and _bar_saved(request, form, save):
        messages.success(request, f"Bar “{form.cleaned_data['label']}” added.")
        return redirect(_chart_url(chart, "bars"))
    heading = f"Add a bar to {figures.name}"
    return _bar_form_page(request, chart, figures, form, heading)


@require_http_methods(FORM_METHODS)
def chart_bar_change(request: HttpRequest, slug: str, chart_id: int, bar_id: int) -> HttpResponse:
    chart, figures = get_chart_for_user(request.user, slug, chart_id, Capability.EDIT_TABLES)
    bar = _bar_of(chart, bar_id)
    source = f"{bar.question.code}[{bar.item.code}]" if bar.item_id else bar.question.code
    form = ChartBarForm(
        request.POST or None,
        initial={"question": source, "label": bar.label, "version": chart.version},
        framework_id=chart.inspection.framework_id,
        submit="Save changes",
    )

    def save(question_code, item_code, label, version):
        chart_bar_update(
            bar=bar,
            question_code=question_code,
            item_code=item_code,
            label=label,
            by=request.user,
            expected_version=version,
        )

    if form.is_valid() and _bar_saved(request, form, save):
        messages.success(request, f"Bar “{form.cleaned_data['label']}” saved.")
        return redirect(_chart_url(chart, "bars"))
    heading = f"Change the bar “{bar.label}”"
    return _bar_form_page(request, chart, figures, form, heading, bar)


@require_POST
def chart_bar_remove(request: HttpRequest, slug: str, chart_id: int, bar_id: int) -> HttpResponse:
    chart, _figures = get_chart_for_user(request.user, slug, chart_id, Capability.EDIT_TABLES)
    bar = _bar_of(chart, bar_id)
    try:
        chart_bar_delete(bar=bar, by=request.user, expected_version=_version(request))
    except ValidationError as refused:
        _refused(request, refused)
    else:
        messages.success(request, f"Bar “{bar.label}” removed.")
    return redirect(_chart_url(chart, "bars"))


@require_POST
def chart_bar_reorder(request: HttpRequest, slug: str, chart_id: int, bar_id: int) -> HttpResponse:
    chart, _figures = get_chart_for_user(request.user, slug, chart_id, Capability.EDIT_TABLES)
    bar = _bar_of(chart, bar_id)
    try:
        moved = chart_bar_move(
            bar=bar,
            direction=request.POST.get("direction", ""),
            by=request.user,
            expected_version=_version(request),
        )
    except ValidationError as refused:
        _refused(request, refused)
    else:
        messages.success(request, f"Bar “{bar.label}” is now bar {moved.position}.")
    return redirect(_chart_url(chart, "bars"))
