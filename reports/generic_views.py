"""The one move view and the one delete view, configured per kind of record (a table row, a
recommendation group, a recommendation, a report part, a chart, a chart's bar), as Wagtail's
generic views are.

Both stay thin: a gate of the record's feature (reports/<feature>/permissions.py) finds the
record for the person (a 404 or a 403 before anything is read from the form), the record's
service writes or refuses (the freeze, the history, the data revision and the stale checks
are all there), and the person lands back on the list with a message saying what happened.
Without JavaScript a move is a small form with a button; a deletion asks first on a page of
its own.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from inspection.lib.forms import expected_from_page


class RecordView(View):
    """What a move and a deletion share: the gate, the service, the messages."""

    # The gate: (user, slug, **the address's ids) → the record (or what the hooks need).
    gate: ClassVar[Callable[..., Any]]
    # The service, and the name it gives the record ("row", "group", "part" …).
    service: ClassVar[Callable[..., Any]]
    record_argument: ClassVar[str]
    # The hidden field the page sends back, and the service's argument it becomes: a version,
    # or for a move the neighbour the person saw. One missing or garbled is refused as stale.
    expected_field: ClassVar[str] = "version"
    expected_argument: ClassVar[str] = "expected_version"

    def record_of(self, found) -> Any:
        """The record within what the gate found (a chart's gate also returns its figures)."""
        return found

    def call_service(self, request: HttpRequest, found, **arguments) -> Any:
        return type(self).service(
            **{self.record_argument: self.record_of(found)},
            by=request.user,
            **{self.expected_argument: expected_from_page(request.POST.get(self.expected_field))},
            **arguments,
        )

    def message_tags(self, found) -> str:
        """Tags for the messages about the record: a page that lists it shows the message
        beside it (the report's outline; reports/document/outline_views.py)."""
        return ""

    def refuse(self, request: HttpRequest, refusal: ValidationError, found=None) -> None:
        for message in refusal.messages:
            messages.error(request, message, extra_tags=self.message_tags(found))

    def refused_url(self, found) -> str:
        raise NotImplementedError

    def find(self, request: HttpRequest, slug: str, **ids):
        return type(self).gate(request.user, slug, **ids)


class MoveView(RecordView):
    """Move a record one place up or down among its siblings (POST `direction` and
    `expected_field`)."""

    http_method_names = ["post"]
    expected_field = "neighbour"
    expected_argument = "expected_neighbour"

    def moved_message(self, found, moved, direction: str) -> str:
        raise NotImplementedError

    def moved_url(self, found, moved) -> str:
        return self.refused_url(found)

    def post(self, request: HttpRequest, slug: str, **ids) -> HttpResponse:
        found = self.find(request, slug, **ids)
        direction = request.POST.get("direction", "")
        try:
            moved = self.call_service(request, found, direction=direction)
        except ValidationError as refusal:
            self.refuse(request, refusal, found)
            return redirect(self.refused_url(found))
        tags = self.message_tags(found)
        messages.success(request, self.moved_message(found, moved, direction), extra_tags=tags)
        return redirect(self.moved_url(found, moved))


class DeleteView(RecordView):
    """Ask on a page of its own (GET `template_name`), then delete (POST `version`). A kind
    deleted with one button and no page sets `http_method_names = ["post"]`."""

    http_method_names = ["get", "head", "post"]
    template_name: ClassVar[str]

    def confirm_context(self, found) -> dict:
        raise NotImplementedError

    def service_arguments(self, request: HttpRequest) -> dict:
        """Anything more the service asks of the form (a part's "confirmed")."""
        return {}

    def deleted_message(self, found, result) -> str:
        raise NotImplementedError

    def deleted_url(self, found) -> str:
        raise NotImplementedError

    def get(self, request: HttpRequest, slug: str, **ids) -> HttpResponse:
        found = self.find(request, slug, **ids)
        return render(request, self.template_name, self.confirm_context(found))

    def post(self, request: HttpRequest, slug: str, **ids) -> HttpResponse:
        found = self.find(request, slug, **ids)
        try:
            result = self.call_service(request, found, **self.service_arguments(request))
        except ValidationError as refusal:
            self.refuse(request, refusal, found)
            return redirect(self.refused_url(found))
        tags = self.message_tags(found)
        messages.success(request, self.deleted_message(found, result), extra_tags=tags)
        return redirect(self.deleted_url(found))
