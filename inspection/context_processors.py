"""What every page's header needs to know about the person signed in."""

import time
from functools import cache

from django.conf import settings
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


def _offers_my_cases(request: HttpRequest) -> bool:
    """Whether to link "My cases": remembered in the session and asked again only when the
    session's expiry is next pushed back (inspection/middleware.py, every few minutes), so
    a page costs no query for it and the session no write of its own. A person added to a
    team or taken off one sees the link change within those minutes."""
    session = request.session
    due = time.time() - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS
    if due or OFFERS_MY_CASES not in session:
        session[OFFERS_MY_CASES] = scores_cases(request.user)
    return session[OFFERS_MY_CASES]
