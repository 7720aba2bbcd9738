from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from cases import views as case_views
from inspection import views as inspection_views
from inspection.forms import SignInForm
from judgements import views as judgement_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="my-inspections"), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(form_class=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inspections/", inspection_views.my_inspections, name="my-inspections"),
    # Before the inspection's own address, which would otherwise read "new" as a slug.
    path("inspections/new/", inspection_views.inspection_new, name="inspection-new"),
    path(
        "inspections/<slug:slug>/",
        inspection_views.inspection_overview,
        name="inspection-overview",
    ),
    path("inspections/<slug:slug>/cases/", case_views.case_list, name="case-list"),
    path(
        "inspections/<slug:slug>/cases/<str:case_ref>/",
        case_views.case_detail,
        name="case-detail",
    ),
    path(
        "inspections/<slug:slug>/answers.csv",
        judgement_views.answers_csv_download,
        name="answers-csv",
    ),
    path(
        "inspections/<slug:slug>/answers.xlsx",
        judgement_views.answers_xlsx_download,
        name="answers-xlsx",
    ),
    path(
        "inspections/<slug:slug>/framework.json",
        judgement_views.framework_json_download,
        name="framework-json",
    ),
    path(
        "inspections/<slug:slug>/findings.json",
        judgement_views.findings_json_download,
        name="findings-json",
    ),
    path(
        "inspections/<slug:slug>/findings.csv",
        judgement_views.findings_csv_download,
        name="findings-csv",
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Quality & Impact inspections: administration"
admin.site.site_title = "Q&I admin"
