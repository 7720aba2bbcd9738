"""The report's pages arrive with the review and editor issues."""

from django.urls import path

from reports import chart_views

urlpatterns: list = []

# ---------------------------------------------------------------------------------------------
# Appendix 4 charts (reports/chart_views.py)
# ---------------------------------------------------------------------------------------------
CHARTS = "inspections/<slug:slug>/charts/"
CHART = f"{CHARTS}<int:chart_id>/"
BAR = f"{CHART}bars/<int:bar_id>/"

urlpatterns += [
    path(CHARTS, chart_views.chart_list, name="chart-list"),
    path(f"{CHARTS}new/", chart_views.chart_new, name="chart-new"),
    path(CHART, chart_views.chart_detail, name="chart-detail"),
    path(f"{CHART}chart.csv", chart_views.chart_csv_download, name="chart-csv"),
    path(f"{CHART}change/", chart_views.chart_change, name="chart-change"),
    path(f"{CHART}remove/", chart_views.chart_remove, name="chart-remove"),
    path(f"{CHART}move/", chart_views.chart_reorder, name="chart-move"),
    path(f"{CHART}bars/new/", chart_views.chart_bar_new, name="chart-bar-new"),
    path(f"{BAR}change/", chart_views.chart_bar_change, name="chart-bar-change"),
    path(f"{BAR}remove/", chart_views.chart_bar_remove, name="chart-bar-remove"),
    path(f"{BAR}move/", chart_views.chart_bar_reorder, name="chart-bar-move"),
]
