"""A session that lasts a working day of inactivity, without a database write on every page.

Django's SESSION_SAVE_EVERY_REQUEST pushes the expiry back on every request, which costs an
UPDATE per page (and most pages write nothing else). Refreshing it once a few minutes keeps
the same rule, to within those minutes, for a write now and then.
"""

import time

from django.conf import settings

REFRESHED_AT = "_refreshed_at"


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # marks it modified: saved with a new expiry
        return response
