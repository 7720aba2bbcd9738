"""What the export tests share: a methodology to print, the worker run once over the queue and
an export made by it."""

from django_tasks_db.models import DBTaskResult

from reports.document.services import PartContent, report_part_add, report_part_confirm_figures
from reports.export.services import report_export_request
from reports.models import ExportStatus, PartKind, ReportExport, ReportPart


def run_worker() -> None:
    """What `make run`'s worker (`db_worker`) does with each queued job: claim it, then call
    its task with its arguments. Here, inside the test's transaction: the worker command itself
    closes the connection between jobs, as a long-running process should (the browser test
    runs the command itself)."""
    for job in DBTaskResult.objects.ready():
        job.claim("test")
        job.task.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])


def add_methodology(inspection, by) -> ReportPart:
    """A methodology appendix, its figures confirmed by the editor."""
    appendix = report_part_add(
        inspection=inspection,
        kind=PartKind.APPENDIX,
        content=PartContent(heading="Methodology"),
        by=by,
    )
    methodology = report_part_add(
        inspection=inspection,
        kind=PartKind.METHODOLOGY,
        parent=appendix,
        content=PartContent(
            body="We inspected [[sample cases]] cases, [[sample CRC]] of them the CRC's."
        ),
        by=by,
    )
    return report_part_confirm_figures(part=methodology, by=by)


def done_export(inspection, by) -> ReportExport:
    """An export asked for as the editor does and rendered by the worker."""
    export = report_export_request(inspection=inspection, by=by)
    run_worker()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    return export
