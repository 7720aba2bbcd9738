from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from cases.descriptors import DESCRIPTORS
from cases.models import Case, CaseStatus, Organisation


class CaseFilterForm(forms.Form):
    """The case list's filters. A GET form, so a filtered list is a link a lead can share.
    Written out in templates/cases/includes/case_filters.html rather than by crispy-forms:
    the list is the page an inspection opens most, and three selects do not need a layout
    engine's cost on every view of it (benchmarks/case_list.py)."""

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


class MyCasesFilterForm(forms.Form):
    """My cases' filters: by inspection and by status. A GET form, so the filtered list is a
    link; written out in templates/judgements/my_cases.html as GOV.UK select and checkboxes."""

    inspection = forms.ChoiceField(required=False, label="Inspection")
    status = forms.MultipleChoiceField(
        required=False,
        label="Status",
        choices=CaseStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose statuses from the list"},
    )

    def __init__(self, *args, inspections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].choices = [
            ("", "All inspections"),
            *[(inspection.slug, inspection.title) for inspection in inspections],
        ]
        self.fields["inspection"].error_messages["invalid_choice"] = (
            "Choose an inspection from the list"
        )

    def filter(self, cases):
        if not self.is_valid():
            return cases
        if self.cleaned_data["inspection"]:
            cases = cases.filter(inspection__slug=self.cleaned_data["inspection"])
        if self.cleaned_data["status"]:
            cases = cases.filter(status__in=self.cleaned_data["status"])
        return cases


class CaseDescriptorsForm(forms.Form):
    """A case's descriptors as its inspector records them. The organisation is fixed by the
    sample and not on the form; a yes/no descriptor is a pair of radios, never a lone checkbox
    whose blank could mean "no" or "not looked at"; the requirements of an order are one group
    of checkboxes. The rules live in the services (cases.services, judgements.case_change)."""

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement_names = [
            name
            for name in DESCRIPTORS
            if DESCRIPTORS[name].choices is None and name != "interviewed"
        ]
        layout = []
        for name, descriptor in DESCRIPTORS.items():
            model_field = Case._meta.get_field(name)
            if name in self.requirement_names:
                continue
            if descriptor.choices is None:
                self.fields[name] = forms.TypedChoiceField(
                    label=_question(descriptor.label, name),
                    choices=[("yes", "Yes"), ("no", "No")],
                    coerce=lambda value: value == "yes",
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Say whether {descriptor.label.lower()}"},
                )
                self.initial[name] = "yes" if getattr(case, name) else "no"
                layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
                continue
            blank = [("", "Not recorded")] if model_field.blank else []
            self.fields[name] = forms.ChoiceField(
                label=descriptor.label,
                choices=[*blank, *descriptor.choices.choices],
                required=not model_field.blank,
                error_messages={"required": f"Choose the {descriptor.label.lower()}"},
            )
            self.initial[name] = getattr(case, name)
            if len(self.fields[name].choices) <= 4:
                layout.append(Field.radios(name, legend_size=Size.SMALL, small=True))
            else:
                layout.append(Field.select(name))
            if name == "ethnicity":
                self.fields["office"] = forms.CharField(
                    label="Office or hub",
                    max_length=120,
                    error_messages={"required": "Enter the office or hub"},
                )
                self.initial["office"] = case.office
                layout.append(Field.text("office", field_width=20))
        if self.requirement_names:
            self.fields["requirements"] = forms.MultipleChoiceField(
                label="Requirements of the order",
                help_text="Select all that apply. A licence has none.",
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(name, DESCRIPTORS[name].label) for name in self.requirement_names],
            )
            self.initial["requirements"] = [n for n in self.requirement_names if getattr(case, n)]
            layout.append(Field.checkboxes("requirements", legend_size=Size.SMALL, small=True))
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
        self.initial["version"] = case.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout, "version")

    def changes(self) -> dict:
        """The case fields as the form gives them (call after is_valid)."""
        data = dict(self.cleaned_data)
        data.pop("version")
        chosen = set(data.pop("requirements", []))
        for name in self.requirement_names:
            data[name] = name in chosen
        return data


def _question(label: str, name: str) -> str:
    if name == "interviewed":
        return "Was the person on probation interviewed by an inspector?"
    return label


class CaseloadProportionsForm(forms.Form):
    """The area caseload's shares for the values of one descriptor, one box a value (blank:
    not known). The rules (0–100, adding up to 100% at most) are the service's
    (cases.services.caseload_proportions_save); its refusals come back beside the boxes."""

    def __init__(self, *args, values, stored, signature: str, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        hints = hints or {}
        self.field_of_value: dict[str, str] = {}
        layout = []
        for index, (value, label) in enumerate(values):
            name = f"share_{index}"
            self.field_of_value[value] = name
            self.fields[name] = forms.DecimalField(
                label=f"{label} (per cent)",
                help_text=hints.get(value, ""),
                required=False,
                max_digits=4,
                decimal_places=1,
                # Text, not type=number: GOV.UK's advice, since a number box changes its value
                # when a person scrolls over it and some screen readers misread it.
                widget=forms.TextInput,
                error_messages={
                    "invalid": f"{label}: enter a percentage, such as 14 or 2.5",
                    "max_digits": f"{label}: enter a percentage from 0 to 100",
                    "max_decimal_places": f"{label}: enter at most one decimal place",
                },
            )
            share = stored.get(value)
            self.initial[name] = None if share is None else f"{share.normalize():f}"
            layout.append(Field.text(name, field_width=4, inputmode="decimal", spellcheck="false"))
        self.fields["signature"] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial["signature"] = signature
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout, "signature")

    def percents(self) -> dict:
        """Value → share (None where left blank), for the service (call after is_valid)."""
        return {value: self.cleaned_data[name] for value, name in self.field_of_value.items()}

    def add_refusal(self, refusal: ValidationError) -> None:
        """Put a service's refusal beside the box of the value it names, or above the form."""
        if not hasattr(refusal, "error_dict"):
            self.add_error(None, refusal.messages)
            return
        for key, messages in refusal.message_dict.items():
            self.add_error(self.field_of_value.get(key), messages)
