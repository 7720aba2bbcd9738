from django.contrib import admin

from inspection.models import Inspection, TeamMembership


class ReadOnlyWhenPublishedMixin:
    """A published inspection is read-only everywhere, the admin included."""

    def inspection_of(self, obj):
        return obj.inspection

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.inspection_of(obj).is_read_only:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.inspection_of(obj).is_read_only:
            return False
        return super().has_delete_permission(request, obj)


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["title", "area_name", "status", "fieldwork_start", "fieldwork_end", "framework"]
    list_filter = ["status", "framework"]
    search_fields = ["title", "area_name", "slug"]
    prepopulated_fields = {"slug": ["area_name"]}
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [TeamMembershipInline]

    def inspection_of(self, obj):
        return obj


@admin.register(TeamMembership)
class TeamMembershipAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["user", "role", "inspection"]
    list_filter = ["role", "inspection"]
    search_fields = ["user__username", "inspection__title"]
    autocomplete_fields = ["user"]
