"""The report's content in the admin, for support: read-only, with each record's history.

The tables and recommendations change only on their pages, through reports/tables/services.py,
and the report's parts through reports/document/services.py, whose rules (order, place in the tree,
live figures, links within the inspection, no stale writes) a plain admin form would skip.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.document.models import Report, ReportPart
from reports.tables.models import Recommendation, RecommendationGroup, TableRow


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---- Enablers and barriers; recommendations ----


@admin.register(TableRow)
class TableRowAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "domain", "perspective", "column", "position", "text"]
    list_filter = ["inspection", "domain", "perspective", "column"]
    search_fields = ["text"]
    list_select_related = ["inspection"]


@admin.register(RecommendationGroup)
class RecommendationGroupAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "position", "addressee"]
    list_filter = ["inspection"]
    list_select_related = ["inspection"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["group", "position", "text"]
    list_filter = ["group__inspection"]
    search_fields = ["text"]
    list_select_related = ["group"]


# ---- The report as a document ----


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "title", "published"]
    list_select_related = ["inspection"]


@admin.register(ReportPart)
class ReportPartAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "kind", "heading", "parent", "position"]
    list_filter = ["inspection", "kind"]
    search_fields = ["heading", "body"]
    list_select_related = ["inspection", "parent"]
