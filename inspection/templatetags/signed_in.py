"""What a signed-in page tells its scripts and its forms about the person and their session."""

import time

from django import template
from django.conf import settings
from django.utils.html import format_html

from inspection.kept_posts import FIELD, signed_in_as_token
from inspection.middleware import session_refresh_due, session_seconds_left

register = template.Library()


def _token(request) -> str:
    """Signed once a page: the page's header and its form carry the same one."""
    if not hasattr(request, "signed_in_as_token"):
        request.signed_in_as_token = signed_in_as_token(request.user)
    return request.signed_in_as_token


@register.simple_tag(takes_context=True)
def signed_in_as_field(context) -> str:
    """The hidden field that names whom a form was built for (inspection.kept_posts): kept for
    them if posted after their session ended, refused if posted as someone else."""
    request = context["request"]
    if not request.user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, _token(request))


@register.simple_tag(takes_context=True)
def signed_in_as(context) -> str:
    """The same token, for a page's scripts to send with what they post."""
    return _token(context["request"])


@register.simple_tag(takes_context=True)
def session_seconds(context) -> int:
    """How long the session has left once this page is sent: a full working day when this
    page's own response pushes its end back (inspection.middleware)."""
    session = context["request"].session
    now = time.time()
    if session_refresh_due(session, now):
        return settings.SESSION_COOKIE_AGE
    return session_seconds_left(session, now)


@register.simple_tag
def session_warning_seconds() -> int:
    return settings.SESSION_WARNING_SECONDS
