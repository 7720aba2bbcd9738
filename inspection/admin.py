"""The admin writes through the services, like every page: their rules hold here too.

A refused change (a published inspection, a stale copy, a status move not allowed) is rolled
back whole and shown as an error message; nothing is half-saved.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from inspection import services
from inspection.account_services import password_mark_temporary, password_set
from inspection.forms import TemporaryPasswordForm
from inspection.models import Account, Inspection, TeamMembership


class ReadOnlyWhenPublishedMixin:
    """A published inspection is read-only everywhere; the admin shows it so (the models and
    services refuse the change whatever the screen)."""

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


class ServiceAdminMixin:
    """Runs each admin write in one transaction; a rule the service refuses becomes an error
    message on the same page, and nothing of the change is kept."""

    def changeform_view(self, request, *args, **kwargs):
        return self._refusable(request, super().changeform_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._refusable(request, super().delete_view, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._refusable(request, super().changelist_view, *args, **kwargs)

    def _refusable(self, request, view, *args, **kwargs):
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def versioned_form(model_form):
    """A ModelForm that carries the version the person loaded, so a save from a stale copy is
    refused by the service instead of overwriting someone's change."""

    class VersionedForm(model_form):
        loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk:
                self.fields["loaded_version"].initial = self.instance.version

    return VersionedForm


def form_changes(form, fields) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in fields}


@admin.register(Inspection)
class InspectionAdmin(ServiceAdminMixin, ReadOnlyWhenPublishedMixin, SimpleHistoryAdmin):
    list_display = ["title", "area_name", "status", "fieldwork_start", "fieldwork_end", "framework"]
    list_filter = ["status", "framework"]
    search_fields = ["title", "area_name", "slug"]
    prepopulated_fields = {"slug": ["area_name"]}
    readonly_fields = ["version", "created_at", "updated_at"]
    form = versioned_form(forms.ModelForm)
    fields = [
        *services.EDITABLE_FIELDS,
        "status",
        "version",
        "created_at",
        "updated_at",
        "loaded_version",
    ]

    def inspection_of(self, obj):
        return obj

    def get_readonly_fields(self, request, obj=None):
        # A new inspection starts in set-up; its status then moves by the status service.
        added = ["status"] if obj is None else []
        return [*added, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if not change:
            fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
            fields["framework_code"] = fields.pop("framework").code
            created = services.inspection_create(**fields, by=request.user)
            obj.pk, obj.version = created.pk, created.version
            return
        version = form.cleaned_data.get("loaded_version")
        changes = form_changes(form, services.EDITABLE_FIELDS)
        if changes:
            current = services.inspection_update(
                inspection=obj, changes=changes, by=request.user, expected_version=version
            )
            version = current.version
        if "status" in form.changed_data:
            services.inspection_status_change(
                inspection=obj,
                to_status=form.cleaned_data["status"],
                by=request.user,
                expected_version=version,
            )

    def delete_model(self, request, obj):
        obj._history_user = request.user
        obj.delete()


@admin.register(TeamMembership)
class TeamMembershipAdmin(ServiceAdminMixin, ReadOnlyWhenPublishedMixin, SimpleHistoryAdmin):
    list_display = ["user", "role", "inspection"]
    list_filter = ["role", "inspection"]
    search_fields = ["user__username", "inspection__title"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        # A membership is a person on one team: change the role here, move nobody.
        return ["inspection", "user"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = services.membership_save(
            inspection=obj.inspection, user=obj.user, role=obj.role, by=request.user
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.membership_delete(membership=obj, by=request.user)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    """Django's user admin, with every password an administrator sets for someone else made
    temporary, through the account service: its holder chooses their own at their next
    sign-in (inspection.account_services)."""

    list_display = [*UserAdmin.list_display, "must_change_password"]
    list_select_related = ["account"]

    @admin.display(boolean=True, description="Must change password")
    def must_change_password(self, user) -> bool:
        account = getattr(user, "account", None)
        return bool(account and account.must_change_password)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            password_mark_temporary(user=obj, by=request.user)

    def user_change_password(self, request, id, form_url=""):
        """Set a person's password: temporary for anyone but oneself. Replaces Django's page,
        which writes the password round the service (and offers to disable password sign-in,
        where deactivating the person is this app's way)."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404("No such person")
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = TemporaryPasswordForm(user, request.POST if request.method == "POST" else None)
        temporary = user.pk != request.user.pk
        if form.is_valid():
            password_set(user=user, password=form.cleaned_data["password1"], by=request.user)
            done = "Set a temporary password" if temporary else "Changed password"
            self.log_change(request, user, done)
            update_session_auth_hash(request, user)
            messages.success(
                request,
                f"{done} for {user.get_username()}: they choose their own at their next sign-in."
                if temporary
                else "Your password is changed.",
            )
            opts = self.opts
            return HttpResponseRedirect(
                reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=[user.pk],
                )
            )
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": f"Set a temporary password: {user.get_username()}"
            if temporary
            else "Change your password",
            "form": form,
            "opts": self.opts,
            "original": user,
            "temporary": temporary,
        }
        return TemplateResponse(request, "admin/auth/user/temporary_password.html", context)


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    """Read-only: who must change their password, and the history of every password set."""

    list_display = ["user", "must_change_password", "password_changed_at"]
    list_filter = ["must_change_password"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
