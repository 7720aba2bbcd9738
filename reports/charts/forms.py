"""The forms of the chart pages. They collect and show; the rules live in the services
(reports.charts.services), whose refusals they put beside the fields they name."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from judgements.findings import YES_NO_KINDS
from judgements.framework import framework_questions, items_by_set


class ServiceErrorsForm(forms.Form):
    # A service's error keys that this form shows beside another of its fields.
    service_fields: dict[str, str] = {}
    # The version of the chart the page was built from, so a change made from an old copy is
    # refused rather than silently overwriting someone else's.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def add_service_errors(self, refused: ValidationError) -> None:
        if not hasattr(refused, "error_dict"):
            self.add_error(None, refused)
            return
        for key, messages in refused.message_dict.items():
            field = self.service_fields.get(key, key)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ChartForm(ServiceErrorsForm):
    title = forms.CharField(
        label="Title",
        max_length=120,
        help_text="Printed after the chart's number, for example “Public protection”.",
        error_messages={"required": "Enter a title for the chart"},
    )
    subtitle = forms.CharField(
        label="Subtitle (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea,
        help_text="For example the question every bar answers, ending with “to:”.",
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_show_errors = True
        self.helper.layout = Layout(
            "version",
            Field.text("title"),
            Field.textarea("subtitle", rows=3, max_characters=300),
            Button("submit", submit),
        )


def bar_source_choices(framework_id: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every yes/no question of the framework, and each item of one asked item by item, as
    options grouped by domain: the value is the bar's source as the README writes it
    (PP-O1[public]), the text its code, item and wording."""
    items = items_by_set(framework_id)
    groups: dict[str, list[tuple[str, str]]] = {}
    for question in framework_questions(framework_id):
        if question.kind not in YES_NO_KINDS:
            continue
        options = groups.setdefault(question.domain.name, [])
        if not question.item_set_id:
            options.append((question.code, f"{question.code}: {question.text}"))
            continue
        for item in items[question.item_set_id]:
            options.append(
                (
                    f"{question.code}[{item.code}]",
                    f"{question.code} · {item.label}: {question.text}",
                )
            )
    return list(groups.items())


class ChartBarForm(ServiceErrorsForm):
    # One select chooses the question and its item together.
    service_fields = {"item": "question"}

    question = forms.ChoiceField(
        label="Question",
        help_text="The bar counts the relevant cases answered yes and no, CRC and NPS combined.",
        error_messages={"required": "Select the question the bar counts"},
    )
    label = forms.CharField(
        label="Label",
        max_length=80,
        help_text="Short, as printed beside the bar, for example “Known victims”.",
        error_messages={"required": "Enter a short label for the bar"},
    )

    def __init__(self, *args, framework_id: int, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [
            ("", "Select a question"),
            *bar_source_choices(framework_id),
        ]
        self.helper = FormHelper()
        self.helper.form_show_errors = True
        self.helper.layout = Layout(
            "version",
            Field.select("question", css_class="govuk-!-width-full"),
            Field.text("label"),
            Button("submit", submit),
        )
