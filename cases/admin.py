from django.contrib import admin

from cases.models import Case
from inspection.admin import ReadOnlyWhenPublishedMixin


@admin.register(Case)
class CaseAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = [
        "case_ref",
        "inspection",
        "organisation",
        "sentence_type",
        "rosh_level",
        "assigned_inspector",
        "status",
    ]
    list_filter = ["inspection", "organisation", "status", "sentence_type", "rosh_level"]
    search_fields = ["case_ref"]
    list_select_related = ["inspection", "assigned_inspector"]
    readonly_fields = ["version", "created_at", "updated_at"]
    autocomplete_fields = ["assigned_inspector"]
