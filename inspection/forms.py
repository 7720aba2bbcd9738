from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordMixin
from django.core.exceptions import ValidationError


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.helper = FormHelper()
        self.helper.form_show_errors = True
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("submit", "Sign in"),
        )


class InspectionCreateForm(forms.Form):
    """What an administrator types to set up an inspection. The rules live in the service
    (inspection.services.inspection_create); this form only collects and shows them."""

    area_name = forms.CharField(
        label="Probation area",
        max_length=120,
        help_text="For example, Durham.",
        error_messages={"required": "Enter the probation area"},
    )
    slug = forms.CharField(
        label="Short name for the web address",
        max_length=60,
        help_text="Lower-case letters, numbers and hyphens, for example durham-2016.",
        error_messages={"required": "Enter a short name for the web address, like durham-2016"},
    )
    framework = forms.ChoiceField(
        label="Inspection framework",
        error_messages={"required": "Select the framework the inspection uses"},
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="If you leave it blank: “Quality & Impact inspection:” followed by the area.",
    )
    crc_name = forms.CharField(
        label="Community Rehabilitation Company (optional)",
        required=False,
        max_length=200,
        help_text="If you leave it blank: the area followed by “Community Rehabilitation Company”.",
    )
    nps_name = forms.CharField(
        label="National Probation Service division (optional)",
        required=False,
        max_length=200,
        help_text="If you leave it blank: “National Probation Service,” followed by the area.",
    )
    fieldwork_start = DateInputField(
        label="Fieldwork starts (optional)",
        required=False,
        require_all_fields=False,
        help_text="For example, 9 5 2016. You can add the dates later in the admin.",
    )
    fieldwork_end = DateInputField(
        label="Fieldwork ends (optional)",
        required=False,
        require_all_fields=False,
        help_text="For example, 20 5 2016.",
    )

    def __init__(self, *args, frameworks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [
            (framework.code, str(framework)) for framework in frameworks
        ]
        self.helper = FormHelper()
        self.helper.form_show_errors = True
        self.helper.layout = Layout(
            Field.text("area_name", field_width=20),
            Field.text("slug", field_width=20, spellcheck="false"),
            Field.select("framework"),
            Field.text("title"),
            Field.text("crc_name"),
            Field.text("nps_name"),
            Field("fieldwork_start"),
            Field("fieldwork_end"),
            Button("submit", "Create inspection"),
        )

    def add_service_errors(self, refused: ValidationError) -> None:
        """Show the service's reasons against the fields they name."""
        for field, messages in refused.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class StageMoveForm(forms.Form):
    """The confirmation of a stage move carries the inspection's version as the page showed
    it, so a move confirmed after someone else's change is refused, never made blind."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _password_rules() -> str:
    """The password validators' rules as one plain hint (Django's is an HTML list)."""
    return " ".join(password_validation.password_validators_help_texts())


class OwnPasswordForm(PasswordChangeForm):
    """Django's change-password form in GOV.UK's words and layout; the change itself goes
    through inspection.account_services.password_change."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right: enter the password you "
        "signed in with",
        "password_mismatch": "The new passwords do not match: type the same new password in "
        "both boxes",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = _password_rules()
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = ""
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.helper = FormHelper()
        self.helper.form_show_errors = True
        self.helper.layout = Layout(
            Field.text("old_password", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            Button("submit", "Change password"),
        )


class TemporaryPasswordForm(SetPasswordMixin, forms.Form):
    """The admin's form for setting someone's password, which is temporary
    (inspection.account_services.password_set)."""

    password1, password2 = SetPasswordMixin.create_password_fields(
        label1="Temporary password", label2="Temporary password again"
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(self.user)
        return super().clean()
