from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from cases.models import CaseStatus, Organisation


class CaseFilterForm(forms.Form):
    """The case list's filters. A GET form, so a filtered list is a link a lead can share."""

    organisation = forms.ChoiceField(
        required=False, choices=[("", "All organisations"), *Organisation.choices]
    )
    status = forms.ChoiceField(required=False, choices=[("", "All statuses"), *CaseStatus.choices])
    inspector = forms.ChoiceField(required=False, label="Inspector")

    def __init__(self, *args, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].choices = [
            ("", "All inspectors"),
            ("none", "Not assigned"),
            *[(str(user.id), user.get_full_name() or user.username) for user in inspectors],
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "case-filters"
        self.helper.layout = Layout(
            Field.select("organisation"),
            Field.select("status"),
            Field.select("inspector"),
            Button.secondary("apply", "Apply filters"),
        )

    def filter(self, cases):
        if not self.is_valid():
            return cases
        data = self.cleaned_data
        if data["organisation"]:
            cases = cases.filter(organisation=data["organisation"])
        if data["status"]:
            cases = cases.filter(status=data["status"])
        if data["inspector"] == "none":
            cases = cases.filter(assigned_inspector__isnull=True)
        elif data["inspector"]:
            cases = cases.filter(assigned_inspector_id=data["inspector"])
        return cases
