"""What the report's object gates share: each feature's gates (reports/<feature>/permissions.py)
find a record of the report for a person through the one role gate (inspection.permissions:
`get_inspection_for_user`, `user_can`), and through `record_to_edit` here.

A record of an inspection the person is not on, or of another inspection than the address
names, is a 404 (it does not exist for them); a record they may read but not change is a 403.
Reading is for the team (Capability.VIEW); changing the tables, recommendations, charts and
the report's parts is for the lead inspector and the editor (Capability.EDIT_TABLES), never
once the inspection is published. Each gate is named by what it lets the person do.

The gates live with their features, not here, so that a feature's views import only what
their feature may: the tables and the charts sit below the document (pyproject.toml).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from inspection.models import Inspection
from inspection.permissions import Capability, get_inspection_for_user, user_can


def can_edit_report(user, inspection: Inspection) -> bool:
    """Whether the page shows the buttons and links that change the report's content."""
    return user_can(user, inspection, Capability.EDIT_TABLES)


def record_to_edit(queryset: QuerySet, user, slug: str, **lookup):
    """The record of `queryset` within the inspection `slug`, for a person who may edit it.
    `inspection_field` names the path from the record to its inspection ("inspection" unless
    given)."""
    inspection = get_inspection_for_user(user, slug, Capability.EDIT_TABLES)
    inspection_field = lookup.pop("inspection_field", "inspection")
    return get_object_or_404(queryset, **{inspection_field: inspection}, **lookup)
