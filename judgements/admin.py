from django.contrib import admin

from inspection.admin import ReadOnlyWhenPublishedMixin
from judgements.models import Answer, Domain, Framework, Item, ItemSet, Question, Theme


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework", "order"]
    list_filter = ["framework"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework", "order"]
    list_filter = ["framework"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "title"]
    inlines = [DomainInline, ThemeInline]


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "item_set", "order"]
    list_filter = ["item_set__framework", "item_set"]


@admin.register(ItemSet)
class ItemSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]
    inlines = [ItemInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "domain", "theme", "kind", "item_set", "gate_question"]
    list_filter = ["framework", "domain", "theme", "kind"]
    search_fields = ["code", "text"]
    list_select_related = ["domain", "theme", "item_set", "gate_question"]
    autocomplete_fields = ["gate_question"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    """Answers are shown here for support; they change only through the scoring pages,
    whose single write path validates them, so the admin cannot add or edit them."""

    list_display = ["case", "question", "item", "value", "answered_by", "answered_at"]
    list_filter = ["case__inspection", "question__domain"]
    search_fields = ["case__case_ref", "question__code"]
    list_select_related = ["case__inspection", "question", "item", "answered_by"]
    readonly_fields = [f.name for f in Answer._meta.fields]

    def inspection_of(self, obj):
        return obj.case.inspection

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
