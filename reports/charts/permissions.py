"""The gates of the Appendix 4 charts (what they share, and the rules they keep, are in
reports/permissions.py). A chart comes with its figures as the pages draw them."""

from django.http import Http404

from inspection.permissions import Capability, get_inspection_for_user
from reports.charts.figures import ChartFigures, inspection_charts
from reports.charts.models import Chart, ChartBar


def _chart_for(user, slug: str, chart_id: int, capability: Capability):
    inspection = get_inspection_for_user(user, slug, capability)
    for chart, figures in inspection_charts(inspection):
        if chart.pk == chart_id:
            chart.inspection = inspection
            return chart, figures
    raise Http404("No such chart")


def chart_to_view(user, slug: str, chart_id: int) -> tuple[Chart, ChartFigures]:
    """The inspection's chart with its figures as the pages draw them."""
    return _chart_for(user, slug, chart_id, Capability.VIEW)


def chart_to_edit(user, slug: str, chart_id: int) -> tuple[Chart, ChartFigures]:
    return _chart_for(user, slug, chart_id, Capability.EDIT_TABLES)


def chart_bar_to_edit(
    user, slug: str, chart_id: int, bar_id: int
) -> tuple[Chart, ChartFigures, ChartBar]:
    """A bar of the chart, with its chart: a bar of another chart is a 404."""
    chart, figures = chart_to_edit(user, slug, chart_id)
    bar = next((bar for bar in chart.bars.all() if bar.pk == bar_id), None)
    if bar is None:
        raise Http404("No such bar")
    return chart, figures, bar
