"""The root URLconf: the inspection layer's own pages, then each app's URLs (included by name,
so this module imports no app above the inspection layer)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from inspection import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="my-inspections"), name="home"),
    path(
        "accounts/login/",
        views.SignInView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("inspections/", views.my_inspections, name="my-inspections"),
    # Before the inspection's own address, which would otherwise read "new" as a slug.
    path("inspections/new/", views.inspection_new, name="inspection-new"),
    path("", include("cases.urls")),
    path("", include("judgements.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Quality & Impact inspections: administration"
admin.site.site_title = "Q&I admin"
