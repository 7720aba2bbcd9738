from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from cases import views as case_views
from inspection import views as inspection_views
from inspection.forms import SignInForm

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="my-inspections"), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(form_class=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inspections/", inspection_views.my_inspections, name="my-inspections"),
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
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Quality & Impact inspections: administration"
admin.site.site_title = "Q&I admin"
