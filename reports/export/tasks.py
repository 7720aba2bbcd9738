"""Background jobs of the report (Django's tasks framework; the worker is `manage.py
db_worker`, started by `make run`)."""

from django.tasks import task

from reports.export.services import report_export_run


@task
def render_report_export(export_id: int) -> None:
    """Render a queued PDF export: the job behind the editor's "Export PDF"."""
    report_export_run(export_id)
