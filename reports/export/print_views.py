"""The report preview: the very HTML the PDF is made from (reports.export.pdf.report_html), as a
standalone page with the print stylesheet, so what the editor reads is what prints."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from inspection.permissions import get_inspection_for_user
from reports.export.pdf import report_html


@require_safe
def report_preview(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    return HttpResponse(report_html(inspection, screen=True))
