"""The page for a form Django's CSRF protection refused (CSRF_FAILURE_VIEW). Django's own is
a bare "CSRF verification failed"; a person needs to hear that nothing was saved, why, and
what to do. The refusal page (handler403) says when the inspection is published and where the
correction is opened. The other error pages are templates Django renders itself
(templates/404.html, 400.html, 500.html)."""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render

from inspection.permissions import InspectionPublished


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Refused before any view ran: nothing the form carried reached a service.
    context = {"cookies_refused": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "403_csrf.html", context, status=403)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    published = exception if isinstance(exception, InspectionPublished) else None
    context = {"exception": str(exception), "published": published}
    return render(request, "403.html", context, status=403)
