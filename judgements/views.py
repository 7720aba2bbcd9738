"""Downloads of an inspection's framework, answers and findings; the files come from exports."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from inspection.permissions import get_inspection_for_user
from judgements.exports import answers_csv_chunks, answers_xlsx, framework_json
from judgements.findings import inspection_findings
from judgements.findings_export import findings_csv, findings_json, findings_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(file_name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{file_name}"'}


def _download(data: bytes, content_type: str, file_name: str) -> HttpResponse:
    return HttpResponse(data, content_type=content_type, headers=_attachment(file_name))


@require_safe
def answers_csv_download(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Streamed: the rows are written and sent in pieces as soon as the query returns, so the
    browser starts saving at once and the file is never held whole in memory."""
    inspection = get_inspection_for_user(request.user, slug)
    return StreamingHttpResponse(
        answers_csv_chunks(inspection),
        content_type="text/csv; charset=utf-8",
        headers=_attachment(f"{inspection.slug}-answers.csv"),
    )


@require_safe
def answers_xlsx_download(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    return _download(answers_xlsx(inspection), XLSX, f"{inspection.slug}-answers.xlsx")


@require_safe
def framework_json_download(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    framework = inspection.framework
    return _download(framework_json(framework), "application/json", f"{framework.code}.json")


@require_safe
def findings_json_download(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    data = findings_json(inspection_findings(inspection))
    return _download(data, "application/json", f"{inspection.slug}-findings.json")


@require_safe
def findings_csv_download(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    data = findings_csv(inspection_findings(inspection))
    return _download(data, "text/csv; charset=utf-8", f"{inspection.slug}-findings.csv")


@require_safe
def findings_xlsx_download(request: HttpRequest, slug: str) -> HttpResponse:
    inspection = get_inspection_for_user(request.user, slug)
    data = findings_workbook(inspection)
    return _download(data, XLSX, f"{inspection.slug}-findings.xlsx")
