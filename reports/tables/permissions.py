"""The gates of the enablers and barriers tables and the recommendations (what they share, and
the rules they keep, are in reports/permissions.py)."""

from reports.permissions import record_to_edit
from reports.tables.models import Recommendation, RecommendationGroup, TableRow


def table_row_to_edit(user, slug: str, row_id: int) -> TableRow:
    rows = TableRow.objects.select_related("inspection__framework")
    return record_to_edit(rows, user, slug, pk=row_id)


def recommendation_group_to_edit(user, slug: str, group_id: int) -> RecommendationGroup:
    groups = RecommendationGroup.objects.select_related("inspection")
    return record_to_edit(groups, user, slug, pk=group_id)


def recommendation_to_edit(user, slug: str, recommendation_id: int) -> Recommendation:
    recommendations = Recommendation.objects.select_related("group__inspection")
    return record_to_edit(
        recommendations, user, slug, inspection_field="group__inspection", pk=recommendation_id
    )
