"""What every page's header needs to know about the person signed in."""

from functools import cache

from django.http import HttpRequest

from inspection.permissions import scores_cases


def service_navigation(request: HttpRequest) -> dict:
    """Which links the header's service navigation offers. A callable, so the query runs
    only when a page draws the navigation (signed in) and once per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"offers_my_cases": cache(lambda: scores_cases(user))}
