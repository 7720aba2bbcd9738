"""What a person posted after their session ended, kept for them until they sign in again.

Without JavaScript, an inspector who presses "Save" after a working day idle reaches the server
signed out. Django would send them to sign in and drop the form. Instead the page's form
carries a signed token naming who it was built for (`signed_in_as_field`); the login-required
middleware keeps the posted fields in the (new, anonymous) session under the page's path, and
the sign-in keeps the session's data. After signing in, the page shows the fields back to that
person only, as unsaved values to check and save. Nothing posted while signed out is ever
applied: a person sees it again and saves it themselves.
"""

from collections.abc import Callable

from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.http import HttpRequest, QueryDict

FIELD = "signed_in_as"
SALT = "inspection.kept_posts"
SESSION_KEY = "_kept_posts"
# A form left open longer than this is not kept: a week covers a weekend and a day off.
TOKEN_MAX_AGE = 7 * 24 * 60 * 60
# The fields of the form that are not what the person typed.
NOT_KEPT = {FIELD, "csrfmiddlewaretoken"}


def keeps_post_when_signed_out(view: Callable) -> Callable:
    """Mark a page whose form, posted after the session ended, is kept for its person."""
    view.keeps_post_when_signed_out = True
    return view


def signed_in_as_token(user) -> str:
    return signing.dumps(user.pk, salt=SALT)


def signed_in_as(request: HttpRequest) -> int | None:
    """Whom the posted form was built for (their user id), or None if it does not say, or says
    it with a token this server did not sign."""
    try:
        return signing.loads(request.POST.get(FIELD, ""), salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None


def kept_post_keep(request: HttpRequest) -> bool:
    """Keep what was posted for the person the form was built for; False (nothing kept) when
    the form does not say who."""
    user_pk = signed_in_as(request)
    if user_pk is None:
        return False
    fields = {name: request.POST.getlist(name) for name in request.POST if name not in NOT_KEPT}
    kept = request.session.get(SESSION_KEY, {})
    kept[request.path] = {"user": user_pk, "fields": fields}
    request.session[SESSION_KEY] = kept
    return True


def kept_post_take(request: HttpRequest) -> QueryDict | None:
    """What the person posted to this page while signed out, once; None if nothing was kept
    for them here. Kept for someone else, it is dropped, never shown."""
    kept = request.session.get(SESSION_KEY)
    if not kept or request.path not in kept:
        return None
    entry = kept.pop(request.path)
    request.session[SESSION_KEY] = kept
    if entry["user"] != request.user.pk:
        return None
    data = QueryDict(mutable=True)
    for name, values in entry["fields"].items():
        data.setlist(name, values)
    return data


def kept_posts_for(session: SessionBase, user) -> None:
    """At sign-in: drop what was kept for anyone else (a shared computer's next person)."""
    kept = session.get(SESSION_KEY)
    if kept:
        session[SESSION_KEY] = {
            path: entry for path, entry in kept.items() if entry["user"] == user.pk
        }
