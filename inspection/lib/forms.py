"""What a page's form sends back, read the one way every view reads it.

Pure: knows no models. A version or a neighbour comes back from a page as text in a hidden
field; the services compare it with the record as it is now, so one the page never made must
still be compared (and refused as stale), never read as "no copy held", which skips the check.
"""

from django import forms
from django.core.exceptions import ValidationError

# No record has this version or this id: comparing with it always refuses.
MATCHES_NOTHING = -1


def int_or_none(value: object) -> int | None:
    """The whole number a field holds, or None when it is missing or not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def expected_from_page(value: object) -> int:
    """The version (or neighbour id) a page was built from, for a service to check; a missing
    or garbled one is MATCHES_NOTHING, so the write is refused as stale rather than made blind.
    """
    number = int_or_none(value)
    return MATCHES_NOTHING if number is None or number <= 0 else number


def add_refusal_errors(form: forms.Form, refusal: ValidationError) -> None:
    """A service's refusal beside the fields it names, or above the form."""
    if hasattr(refusal, "error_dict"):
        for name, errors in refusal.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
        return
    for message in refusal.messages:
        form.add_error(None, message)
