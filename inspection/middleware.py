"""What every request passes through: a session that lasts a working day of inactivity
(refreshed once a few minutes, not written on every page) and what a request gets when
that day has run out; responses no browser or proxy keeps; a temporary password changed
first.

Django's SESSION_SAVE_EVERY_REQUEST pushes the expiry back on every request, which costs an
UPDATE per page (and most pages write nothing else). Refreshing it once a few minutes keeps
the same rule, to within those minutes, for a write now and then.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from inspection.account_services import password_change_required
from inspection.kept_posts import FIELD, kept_post_keep, signed_in_as

REFRESHED_AT = "_refreshed_at"
PASSWORD_CHANGE_REQUIRED = "_password_change_required"
SIGNED_OUT_MESSAGE = "Signed out: sign in again; your changes are kept in this browser"


class SessionRefreshMiddleware:
    """Django's SESSION_SAVE_EVERY_REQUEST pushes the expiry back on every request, which costs
    an UPDATE per page (and most pages write nothing else). Refreshing it once a few minutes
    keeps the same rule, to within those minutes, for a write now and then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A request that only asks how long is left (the timeout warning) must not push it back.
        leaves_expiry = getattr(request, "leaves_session_expiry", False)
        if session is not None and not session.is_empty() and not leaves_expiry:
            now = int(time.time())
            if session_refresh_due(session, now):
                session_refresh(session, now)
        return response


class NoStoreForSignedInMiddleware:
    """Nothing sent to a signed-in person is kept by their browser or a proxy: every page and
    every download (answers, findings, the report PDF) carries Cache-Control: no-store, so on
    a shared office computer neither the back button nor a cache shows the next person case
    data. Static files are served before this (WhiteNoise) and keep their long caching: they
    hold no case data. The sign-in page is never cached anyway (Django's LoginView)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


def password_state_remember(sender, request, user, **kwargs) -> None:
    """At every sign-in (the sign-in page, the admin's, a test client's), keep in the session
    whether the person holds a temporary password, so no page asks the database. A temporary
    password set later changes the password, which ends their other sessions, so the next
    sign-in asks again."""
    request.session[PASSWORD_CHANGE_REQUIRED] = password_change_required(user)


class PasswordChangeRequiredMiddleware:
    """A person signed in with a temporary password (inspection.account_services) is sent to
    change it from every page but that one and signing out, until they have."""

    OPEN_URL_NAMES = ("password_change", "password_change_done", "logout", "session")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(PASSWORD_CHANGE_REQUIRED)
            and request.path not in {reverse(name) for name in self.OPEN_URL_NAMES}
        ):
            return redirect("password_change")
        return self.get_response(request)


def session_refresh_due(session: SessionBase, now: float) -> bool:
    return now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS


def session_refresh(session: SessionBase, now: int) -> None:
    session[REFRESHED_AT] = now  # marks it modified: saved with a new expiry


def session_seconds_left(session: SessionBase, now: float) -> int:
    """About how long the session has before it ends. Never more than is left: the session
    was saved, with a new expiry, when it was last refreshed, and any save since for another
    reason only pushed the end further."""
    refreshed = session.get(REFRESHED_AT, 0)
    return max(0, int(refreshed + settings.SESSION_COOKIE_AGE - now))


def wants_json(request: HttpRequest) -> bool:
    """A page's script asking (it says it accepts JSON, not a page to show)."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, which sends anyone signed out to sign in, with two answers of its own:

    - a page's script (autosave, the session check) gets a 401 in JSON it can show, where a
      redirect to the sign-in page would read to it as a dropped connection, retried forever;
    - a form posted to a page that keeps it (`inspection.kept_posts`) is kept for the person
      who opened it, who sees it again, unsaved, after signing in.

    A form that names the person it was built for, posted while someone else is signed in, is
    refused the same way: a person's work is saved as theirs or not at all.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        refused = super().process_view(request, view_func, view_args, view_kwargs)
        if refused is None and request.method == "POST" and FIELD in request.POST:
            return self.refuse_another_persons_page(request)
        return refused

    def refuse_another_persons_page(self, request):
        """A page built for one person, posted once someone else has signed in on the same
        browser (a shared office computer, an old tab): never saved as the one signed in."""
        built_for = signed_in_as(request)
        if built_for is None or built_for == request.user.pk:
            return None
        if wants_json(request):
            return self.signed_out(request)
        raise PermissionDenied(
            "This page was opened by someone else, who has since been signed out on this "
            "browser: nothing was saved. Open the page again."
        )

    def signed_out(self, request):
        return JsonResponse(
            {
                "state": "signed-out",
                "message": SIGNED_OUT_MESSAGE,
                "sign_in_url": resolve_url(settings.LOGIN_URL),
            },
            status=401,
        )

    def handle_no_permission(self, request, view_func):
        if wants_json(request):
            return self.signed_out(request)
        if (
            request.method == "POST"
            and getattr(view_func, "keeps_post_when_signed_out", False)
            and kept_post_keep(request)
        ):
            messages.warning(
                request,
                "You were signed out, so your changes were not saved. Sign in again to see "
                "them on the page, then check them and save.",
            )
        return super().handle_no_permission(request, view_func)
