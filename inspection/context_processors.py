"""What every page's header needs to know about the person signed in."""

import time
from functools import cache

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from inspection.middleware import REFRESHED_AT
from inspection.permissions import scores_cases

OFFERS_MY_CASES = "_offers_my_cases"


def service_navigation(request: HttpRequest) -> dict:
    """Which links the header's service navigation offers. A callable, so nothing is asked
    unless a page draws the navigation (signed in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"offers_my_cases": cache(lambda: _offers_my_cases(request))}


def navigation_remember(session: SessionBase, user) -> None:
    """Ask once, at sign-in, which links to offer, and keep the answer in the session (whose
    sign-in saves it anyway), so pages cost no query for them."""
    session[OFFERS_MY_CASES] = scores_cases(user)


def _offers_my_cases(request: HttpRequest) -> bool:
    """Whether to link "My cases", from the session; asked again when the session's expiry is
    next pushed back (inspection/middleware.py: every few minutes, a write it makes anyway),
    so a person added to a team or taken off one sees the link change within those minutes."""
    session = request.session
    refreshed = session.get(REFRESHED_AT)
    due = refreshed is not None and time.time() - refreshed >= settings.SESSION_REFRESH_SECONDS
    if due or OFFERS_MY_CASES not in session:
        navigation_remember(session, request.user)
    return session[OFFERS_MY_CASES]
