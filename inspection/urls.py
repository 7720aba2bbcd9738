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
    path("accounts/password/", views.OwnPasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/changed/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/session/", views.session_status, name="session"),
    path("inspections/", views.my_inspections, name="my-inspections"),
    # Before the inspection's own address, which would otherwise read "new" as a slug.
    path("inspections/new/", views.inspection_new, name="inspection-new"),
    path(
        "inspections/<slug:slug>/stage/<str:stage>/",
        views.inspection_stage_move,
        name="inspection-stage-move",
    ),
    path("", include("cases.urls")),
    path("", include("judgements.urls")),
    path("", include("reports.urls")),
    # The admin's own "Change password" page writes round the account service: its link
    # leads to the site's page instead (before the admin's URLs, so this address wins).
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="password_change"),
        name="admin-password-change",
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Quality & Impact inspections: administration"
admin.site.site_title = "Q&I admin"

handler403 = "inspection.error_views.permission_denied"
