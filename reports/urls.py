"""The report's pages, each family from its own module."""

from django.urls import path

from reports.charts import views as chart_views
from reports.document import outline_views
from reports.document import views as document_views
from reports.export import print_views
from reports.export import views as export_views
from reports.tables import views as table_views

TABLES = "inspections/<slug:slug>/enablers-and-barriers/"
RECOMMENDATIONS = "inspections/<slug:slug>/recommendations/"

urlpatterns: list = []

# ---- Enablers and barriers; recommendations (reports/tables/views.py) ----
urlpatterns += [
    path(TABLES, table_views.enablers_barriers, name="enablers-barriers"),
    path(
        f"{TABLES}<slug:table>/<slug:column>/add/", table_views.table_row_add, name="table-row-add"
    ),
    path(f"{TABLES}rows/<int:row_id>/", table_views.table_row_edit, name="table-row-edit"),
    path(
        f"{TABLES}rows/<int:row_id>/move/",
        table_views.TableRowMove.as_view(),
        name="table-row-move",
    ),
    path(
        f"{TABLES}rows/<int:row_id>/delete/",
        table_views.TableRowDelete.as_view(),
        name="table-row-delete",
    ),
    path(RECOMMENDATIONS, table_views.recommendations, name="recommendations"),
    path(
        f"{RECOMMENDATIONS}groups/add/",
        table_views.recommendation_group_add,
        name="recommendation-group-add",
    ),
    path(
        f"{RECOMMENDATIONS}groups/<int:group_id>/",
        table_views.recommendation_group_edit,
        name="recommendation-group-edit",
    ),
    path(
        f"{RECOMMENDATIONS}groups/<int:group_id>/move/",
        table_views.RecommendationGroupMove.as_view(),
        name="recommendation-group-move",
    ),
    path(
        f"{RECOMMENDATIONS}groups/<int:group_id>/delete/",
        table_views.RecommendationGroupDelete.as_view(),
        name="recommendation-group-delete",
    ),
    path(
        f"{RECOMMENDATIONS}groups/<int:group_id>/add/",
        table_views.recommendation_add,
        name="recommendation-add",
    ),
    path(
        f"{RECOMMENDATIONS}<int:recommendation_id>/",
        table_views.recommendation_edit,
        name="recommendation-edit",
    ),
    path(
        f"{RECOMMENDATIONS}<int:recommendation_id>/move/",
        table_views.RecommendationMove.as_view(),
        name="recommendation-move",
    ),
    path(
        f"{RECOMMENDATIONS}<int:recommendation_id>/delete/",
        table_views.RecommendationDelete.as_view(),
        name="recommendation-delete",
    ),
]

# ---------------------------------------------------------------------------------------------
# Appendix 4 charts (reports/charts/views.py)
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
    path(f"{CHART}remove/", chart_views.ChartRemove.as_view(), name="chart-remove"),
    path(f"{CHART}move/", chart_views.ChartMove.as_view(), name="chart-move"),
    path(f"{CHART}confirm/", chart_views.chart_confirm, name="chart-confirm"),
    path(f"{CHART}bars/new/", chart_views.chart_bar_new, name="chart-bar-new"),
    path(f"{BAR}change/", chart_views.chart_bar_change, name="chart-bar-change"),
    path(f"{BAR}remove/", chart_views.ChartBarRemove.as_view(), name="chart-bar-remove"),
    path(f"{BAR}move/", chart_views.ChartBarMove.as_view(), name="chart-bar-move"),
]

# ---------------------------------------------------------------------------------------------
# The report as a document: its outline (an index, and a page per chapter), parts, title page
# and changed figures (reports/document/outline_views.py, reports/document/views.py)
# ---------------------------------------------------------------------------------------------
REPORT = "inspections/<slug:slug>/report/"
PART = f"{REPORT}parts/<int:part_id>/"

urlpatterns += [
    path(REPORT, outline_views.report_outline, name="report-outline"),
    path(f"{REPORT}figures/", outline_views.report_figures, name="report-figures"),
    path(f"{REPORT}title-page/", document_views.report_front_edit, name="report-front-edit"),
    path(f"{REPORT}parts/add/", document_views.report_part_add, name="report-part-add"),
    path(PART, document_views.report_part_edit, name="report-part-edit"),
    path(f"{PART}outline/", outline_views.report_chapter, name="report-chapter"),
    path(f"{PART}move/", document_views.ReportPartMove.as_view(), name="report-part-move"),
    path(f"{PART}move-to/", document_views.report_part_move_to, name="report-part-move-to"),
    path(f"{PART}remove/", document_views.ReportPartRemove.as_view(), name="report-part-remove"),
    path(f"{PART}confirm/", document_views.report_part_confirm, name="report-part-confirm"),
]

# ---------------------------------------------------------------------------------------------
# The printed report: preview, PDF export (a background job), publishing
# (reports/export/print_views.py, reports/export/views.py)
# ---------------------------------------------------------------------------------------------
urlpatterns += [
    path(f"{REPORT}preview/", print_views.report_preview, name="report-preview"),
    path(f"{REPORT}export/", export_views.report_export, name="report-export"),
    path(f"{REPORT}export/start/", export_views.report_export_start, name="report-export-start"),
    path(
        f"{REPORT}export/<int:export_id>/report.pdf",
        export_views.report_export_download,
        name="report-export-download",
    ),
    path(f"{REPORT}publish/", export_views.report_publish_view, name="report-publish"),
    path(
        f"{REPORT}correction/",
        export_views.report_correction_open,
        name="report-correction-open",
    ),
    path(
        f"{REPORT}published/<int:version>/report.pdf",
        export_views.report_published_download,
        name="report-published-download",
    ),
]
