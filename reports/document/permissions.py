"""The gate of the report's parts (what the gates share, and the rules they keep, are in
reports/permissions.py)."""

from reports.document.models import ReportPart
from reports.permissions import record_to_edit


def report_part_to_edit(user, slug: str, part_id: int) -> ReportPart:
    parts = ReportPart.objects.select_related("inspection__framework", "case", "parent")
    return record_to_edit(parts, user, slug, pk=part_id)
