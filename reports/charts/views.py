"""The Appendix 4 chart pages: every chart, one chart with its data table, and the lead's and
the editor's forms to add, change, remove and reorder charts and bars. Thin: the figures and
the SVG come from reports.charts.figures, every write from reports.charts.services.

Reading needs Capability.VIEW; every change needs Capability.EDIT_TABLES (the lead inspector
and the editor), through the one gate, so an inspector reads and cannot post.

Each count of a chart's data table links to the cases behind it: the findings' drill-down
(judgements' `finding-cases`), CRC and NPS combined as the chart counts. The SVG itself holds
no links: a picture with `role="img"` hides what is inside it from assistive technology, and
the same markup goes into the PDF.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from inspection.lib.forms import expected_from_page
from inspection.models import Inspection
from inspection.permissions import Capability, get_inspection_for_user
from judgements.findings import RELEVANT
from judgements.findings_pages import Links
from reports.charts.figures import (
    BarFigures,
    ChartFigures,
    chart_svg,
    charts_csv,
    inspection_charts,
)
from reports.charts.forms import ChartBarForm, ChartForm
from reports.charts.models import Chart
from reports.charts.permissions import chart_bar_to_edit, chart_to_edit, chart_to_view
from reports.charts.services import (
    chart_bar_create,
    chart_bar_delete,
    chart_bar_move,
    chart_bar_update,
    chart_confirm_figures,
    chart_create,
    chart_delete,
    chart_move,
    chart_update,
    parse_bar_source,
)
from reports.generic_views import DeleteView, MoveView
from reports.permissions import can_edit_report

FORM_METHODS = ["GET", "HEAD", "POST"]


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


def _cases(count: int) -> str:
    return "case" if count == 1 else "cases"


def _table_counts(bar: BarFigures, group: str, links: Links) -> list[dict]:
    """A bar's three counts in the data table, each a link to the cases behind it (none for
    a count of nought: there is nothing to list). Read aloud, a link says what it counts:
    "Known victims: 19 of 31 relevant cases answered yes — list the cases"; on the page it
    shows the number alone."""
    of = f"of {bar.relevant} relevant {_cases(bar.relevant)}"
    counts = [
        (bar.yes, "yes", f"{of} answered yes"),
        (bar.no, "no", f"{of} answered no"),
        (bar.relevant, RELEVANT, f"relevant {_cases(bar.relevant)}, answered yes or no"),
    ]
    return [
        {
            "count": count,
            "link": links(bar.question, bar.item, group, answer) if count else "",
            "named": f" {what} — list the cases",
        }
        for count, answer, what in counts
    ]


def _table_rows(figures: ChartFigures, links: Links) -> list[dict]:
    return [
        {"bar": bar, "counts": _table_counts(bar, figures.group, links)} for bar in figures.bars
    ]


def _drawn(figures: ChartFigures, links: Links) -> dict:
    return {"figures": figures, "svg": _svg(figures), "rows": _table_rows(figures, links)}


@require_safe
def chart_list(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    links = Links(inspection.slug, None)
    charts = [
        {"chart": chart, **_drawn(figures, links)}
        for chart, figures in inspection_charts(inspection)
    ]
    context = {
        "inspection": inspection,
        "charts": charts,
        "changed": [entry["figures"] for entry in charts if entry["figures"].changes],
        "editable": can_edit_report(request.user, inspection),
    }
    return render(request, "reports/charts/chart_list.html", context)


@require_safe
def chart_detail(request: HttpRequest, slug: str, chart_id: int) -> HttpResponse:
    chart, figures = chart_to_view(request.user, slug, chart_id)
    context = {
        "inspection": chart.inspection,
        "chart": chart,
        "bars": list(zip(chart.bars.all(), figures.bars, strict=True)),
        "editable": can_edit_report(request.user, chart.inspection),
        **_drawn(figures, Links(chart.inspection.slug, None)),
    }
    return render(request, "reports/charts/chart_detail.html", context)


@require_safe
def chart_csv_download(request: HttpRequest, slug: str, chart_id: int) -> HttpResponse:
    chart, figures = chart_to_view(request.user, slug, chart_id)
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
    chart, figures = chart_to_edit(request.user, slug, chart_id)
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


@require_POST
def chart_confirm(request: HttpRequest, slug: str, chart_id: int) -> HttpResponse:
    """Confirm the chart's figures as its page showed them (`seen`), from the chart's page or
    the list (`next=list`)."""
    chart, figures = chart_to_edit(request.user, slug, chart_id)
    try:
        chart_confirm_figures(
            chart=chart,
            by=request.user,
            expected_version=expected_from_page(request.POST.get("version")),
            seen=request.POST.get("seen", ""),
        )
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{figures.heading}: figures confirmed.")
    if request.POST.get("next") == "list":
        return redirect(_list_url(chart.inspection, figures.element_id))
    return redirect(_chart_url(chart))


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
    chart, figures = chart_to_edit(request.user, slug, chart_id)
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
    chart, figures, bar = chart_bar_to_edit(request.user, slug, chart_id, bar_id)
    form = ChartBarForm(
        request.POST or None,
        initial={"question": bar.source, "label": bar.label, "version": chart.version},
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


# ---------------------------------------------------------------------------------------------
# Moves and removals: the generic views, configured for a chart and a bar. Their buttons send
# the chart's version (it covers its bars), not a neighbour; one at an end already stays put.
# ---------------------------------------------------------------------------------------------


class ChartMove(MoveView):
    gate = chart_to_edit
    service = chart_move
    record_argument = "chart"
    expected_field = "version"
    expected_argument = "expected_version"

    def record_of(self, found):
        chart, _figures = found
        return chart

    def moved_message(self, found, moved, direction):
        chart, _figures = found
        return f"“{chart.title}” is now Chart {moved.position}."

    def refused_url(self, found):
        chart, figures = found
        return _list_url(chart.inspection, figures.element_id)

    def moved_url(self, found, moved):
        chart, _figures = found
        return _list_url(chart.inspection, f"chart-{moved.position}")


class ChartRemove(DeleteView):
    """A page that asks before a chart and all its bars go."""

    gate = chart_to_edit
    service = chart_delete
    record_argument = "chart"
    template_name = "reports/charts/chart_remove.html"

    def record_of(self, found):
        chart, _figures = found
        return chart

    def confirm_context(self, found):
        chart, figures = found
        return {"inspection": chart.inspection, "chart": chart, "figures": figures}

    def deleted_message(self, found, result):
        _chart, figures = found
        return f"{figures.heading} removed."

    def refused_url(self, found):
        chart, _figures = found
        return _chart_url(chart)

    def deleted_url(self, found):
        chart, _figures = found
        return _list_url(chart.inspection)


class ChartBarMove(MoveView):
    gate = chart_bar_to_edit
    service = chart_bar_move
    record_argument = "bar"
    expected_field = "version"
    expected_argument = "expected_version"

    def record_of(self, found):
        _chart, _figures, bar = found
        return bar

    def moved_message(self, found, moved, direction):
        _chart, _figures, bar = found
        return f"Bar “{bar.label}” is now bar {moved.position}."

    def refused_url(self, found):
        chart, _figures, _bar = found
        return _chart_url(chart, "bars")


class ChartBarRemove(DeleteView):
    """One button, no page: a bar is quick to add again."""

    http_method_names = ["post"]
    gate = chart_bar_to_edit
    service = chart_bar_delete
    record_argument = "bar"

    def record_of(self, found):
        _chart, _figures, bar = found
        return bar

    def deleted_message(self, found, result):
        _chart, _figures, bar = found
        return f"Bar “{bar.label}” removed."

    def refused_url(self, found):
        chart, _figures, _bar = found
        return _chart_url(chart, "bars")

    def deleted_url(self, found):
        return self.refused_url(found)
