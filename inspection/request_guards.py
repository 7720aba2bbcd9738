"""Addresses that can name nothing, refused before any view reads them.

No slug, case reference, question code, section, filter value or id the app makes holds a
control character (inspection.lib.text: the services refuse them in everything a person
types), so a path or query string holding one is an address nobody was given. Read on,
PostgreSQL cannot even compare a NUL with a stored value: a view would answer a server error.
Here it is a 404, as any other address that names nothing is.
"""

from django.http import Http404, HttpRequest

from inspection.lib.text import control_character


def address_problem(request: HttpRequest) -> str | None:
    """Where the request's path or query string holds a control character, or None."""
    bad = control_character(request.path_info)
    if bad:
        return f"the address holds a control character, {bad}"
    for name, values in request.GET.lists():
        for text in (name, *values):
            bad = control_character(text)
            if bad:
                return f"the query parameter {name!r} holds a control character, {bad}"
    return None


class RefuseControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        problem = address_problem(request)
        if problem:
            raise Http404(f"No such page: {problem}.")
        return self.get_response(request)
