from django.urls import path

from judgements import case_views, views

urlpatterns = [
    path("inspections/<slug:slug>/cases/", case_views.case_list, name="case-list"),
    path(
        "inspections/<slug:slug>/cases/<str:case_ref>/",
        case_views.case_detail,
        name="case-detail",
    ),
    path("inspections/<slug:slug>/answers.csv", views.answers_csv_download, name="answers-csv"),
    path("inspections/<slug:slug>/answers.xlsx", views.answers_xlsx_download, name="answers-xlsx"),
    path(
        "inspections/<slug:slug>/framework.json",
        views.framework_json_download,
        name="framework-json",
    ),
    path(
        "inspections/<slug:slug>/findings.json",
        views.findings_json_download,
        name="findings-json",
    ),
    path("inspections/<slug:slug>/findings.csv", views.findings_csv_download, name="findings-csv"),
]
