"""The framework, the answers and the cases in the admin, written through the services.

The Case admin lives here, not in cases/: a change of descriptors can shut framework gates,
and judgements.services.case_change clears the answers behind them in the same transaction.
A framework that an inspection's answers use is shown read-only: it changes by a new version
("Copy as a new version"), never in place.
"""

from django import forms
from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from cases import services as case_services
from cases.models import Case
from inspection.admin import (
    ReadOnlyWhenPublishedMixin,
    ServiceAdminMixin,
    form_changes,
    versioned_form,
)
from judgements import services
from judgements.models import (
    Answer,
    Domain,
    Framework,
    FrameworkInUse,
    Item,
    ItemSet,
    Question,
    Theme,
    refuse_if_framework_in_use,
)


class FrozenWhenInUseMixin:
    """Framework rows are read-only once an inspection using the framework has answers."""

    def _in_use(self, obj) -> bool:
        if obj is None:
            return False
        try:
            refuse_if_framework_in_use([obj.owner_id()])
        except FrameworkInUse:
            return True
        return False

    def has_change_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_delete_permission(request, obj)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Domain)
class DomainAdmin(ServiceAdminMixin, FrozenWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "name", "framework", "order"]
    list_filter = ["framework"]


@admin.register(Theme)
class ThemeAdmin(ServiceAdminMixin, FrozenWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "name", "framework", "order"]
    list_filter = ["framework"]


@admin.action(description="Copy as a new version (to change it without touching inspections)")
def copy_as_new_version(modeladmin, request, queryset):
    for framework in queryset:
        code = f"{framework.code}-copy"
        number = 2
        while Framework.objects.filter(code=code).exists():
            code, number = f"{framework.code}-copy-{number}", number + 1
        copy = services.framework_copy(
            framework=framework, code=code, version=f"{framework.version}-draft"
        )
        modeladmin.message_user(
            request,
            f"{framework.code} was copied as {copy.code}: change the copy, then set up new "
            "inspections on it.",
            messages.SUCCESS,
        )


@admin.register(Framework)
class FrameworkAdmin(ServiceAdminMixin, FrozenWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "version", "title"]
    inlines = [DomainInline, ThemeInline]
    actions = [copy_as_new_version]


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


@admin.register(Item)
class ItemAdmin(ServiceAdminMixin, FrozenWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "label", "item_set", "order"]
    list_filter = ["item_set__framework", "item_set"]


@admin.register(ItemSet)
class ItemSetAdmin(ServiceAdminMixin, FrozenWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]
    inlines = [ItemInline]


@admin.register(Question)
class QuestionAdmin(ServiceAdminMixin, FrozenWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "text", "domain", "theme", "kind", "item_set", "gate_question"]
    list_filter = ["framework", "domain", "theme", "kind"]
    search_fields = ["code", "text"]
    list_select_related = ["domain", "theme", "item_set", "gate_question"]
    autocomplete_fields = ["gate_question"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyWhenPublishedMixin, SimpleHistoryAdmin):
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

    def has_delete_permission(self, request, obj=None):
        return False


class CaseAdminForm(versioned_form(forms.ModelForm)):
    status_comment = forms.CharField(
        label="Comment for a change of status",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to return a case (what to look at again), and to submit one with "
        "questions unanswered (why they are left).",
    )

    class Meta:
        model = Case
        fields = ["inspection", "case_ref", *case_services.CASE_FIELDS, "status"]

    def _post_clean(self):
        # After the form's values are on the instance: the services' rules, beside the fields.
        super()._post_clean()
        if self.instance.inspection_id and not self.errors:
            for field, message in case_services.case_rule_errors(self.instance).items():
                self.add_error(field if field in self.fields else None, message)


@admin.register(Case)
class CaseAdmin(ServiceAdminMixin, ReadOnlyWhenPublishedMixin, SimpleHistoryAdmin):
    form = CaseAdminForm
    list_display = [
        "case_ref",
        "inspection",
        "organisation",
        "sentence_type",
        "rosh_level",
        "assigned_inspector",
        "status",
    ]
    list_filter = [
        "inspection",
        "organisation",
        "status",
        "sentence_type",
        "offence_type",
        "rosh_level",
    ]
    search_fields = ["case_ref"]
    list_select_related = ["inspection", "assigned_inspector"]
    readonly_fields = ["version", "created_at", "updated_at"]
    autocomplete_fields = ["assigned_inspector"]
    fields = [
        "inspection",
        "case_ref",
        *case_services.CASE_FIELDS,
        "status",
        "status_comment",
        "review_comment",
        "submission_note",
        "version",
        "created_at",
        "updated_at",
        "loaded_version",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A case stays in its inspection under its reference; a new one starts not started;
        # the comments are written by the status moves.
        fixed = ["inspection", "case_ref"] if obj is not None else ["status"]
        return [*fixed, "review_comment", "submission_note", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if not change:
            fields = {name: getattr(obj, name) for name in case_services.CASE_FIELDS}
            created = case_services.case_create(
                inspection=obj.inspection, case_ref=obj.case_ref, by=request.user, **fields
            )
            obj.pk = created.pk
            return
        changed, cleared = services.case_change(
            case=obj,
            changes=form_changes(form, case_services.CASE_FIELDS),
            by=request.user,
            expected_version=form.cleaned_data.get("loaded_version"),
        )
        if "status" in form.changed_data:
            services.case_status_change(
                case=changed,
                to_status=form.cleaned_data["status"],
                by=request.user,
                comment=form.cleaned_data.get("status_comment", ""),
                expected_version=changed.version,
            )
        if cleared:
            self.message_user(
                request,
                f"The change shut the gates of {len(cleared)} answers, now cleared: "
                f"{', '.join(cleared)}.",
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        case_services.case_delete(case=obj, by=request.user)
