"""The area caseload's shares in the admin, for support: read-only, with each row's history.

They change only on the sample profile's pages, through cases.services.caseload_proportions_save,
whose rules (a value the sample has, shares of one descriptor adding up to 100% at most) a
plain admin form would skip, as reports/admin.py does for the report's tables.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import CaseloadProportion


@admin.register(CaseloadProportion)
class CaseloadProportionAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "descriptor", "value", "percent"]
    list_filter = ["inspection", "descriptor"]
    list_select_related = ["inspection"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
