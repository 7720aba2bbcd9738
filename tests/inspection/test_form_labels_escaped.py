"""Every form's labels, legends, hints and choices print what was typed as text.

crispy-forms-gds prints a field's label, legend and hint with `|safe`, so a label made from
text someone typed (an office's name on the caseload form) would be markup in the reader's
page. The project's own copies of those templates (templates/gds/) print them as Django prints
any value: escaped, unless the code marked it safe on purpose.
"""

from pathlib import Path

import crispy_forms_gds
import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.template.loader import get_template

from tests.markup import read, typed_markup

PACK = Path(crispy_forms_gds.__file__).parent / "templates"
# What crispy-forms-gds prints unescaped that a form may fill from typed text.
UNESCAPED = ("label|safe", "help_text|safe", "legend|safe")


class TypedForm(forms.Form):
    """A form of every kind of field, each label, hint and choice typed by someone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        typed = typed_markup
        self.fields["text"] = forms.CharField(label=typed("label"), help_text=typed("hint"))
        self.fields["textarea"] = forms.CharField(
            label=typed("textarea-label"), widget=forms.Textarea
        )
        self.fields["select"] = forms.ChoiceField(
            label=typed("select-label"), choices=[("a", typed("option"))]
        )
        self.fields["radios"] = forms.ChoiceField(
            label=typed("radios-legend"),
            help_text=typed("radios-hint"),
            choices=[("a", typed("radio"))],
            widget=forms.RadioSelect,
        )
        self.fields["checkboxes"] = forms.MultipleChoiceField(
            label=typed("checkboxes-legend"),
            choices=[("a", typed("checkbox"))],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["checkbox"] = forms.BooleanField(label=typed("checkbox-label"))
        self.fields["date"] = DateInputField(label=typed("date-legend"), help_text=typed("date"))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                Field.text("text"),
                Field.textarea("textarea"),
                Field.select("select"),
                Field.radios("radios"),
                Field.checkboxes("checkboxes"),
                Field.checkbox("checkbox"),
                Field("date"),
                legend=typed("fieldset-legend"),
            )
        )


def test_typed_labels_legends_hints_and_choices_print_as_text():
    reading = read(render_crispy_form(TypedForm()))

    assert reading.elements == []
    assert reading.escaped_twice == []
    assert reading.printed == {
        "label",
        "hint",
        "textarea-label",
        "select-label",
        "option",
        "radios-legend",
        "radios-hint",
        "radio",
        "checkboxes-legend",
        "checkbox",
        "checkbox-label",
        "date-legend",
        "date",
        "fieldset-legend",
    }


def test_their_errors_print_as_text_too():
    form = TypedForm(data={})
    form.helper.form_show_errors = True
    form.is_valid()
    form.add_error("text", typed_markup("error"))

    reading = read(render_crispy_form(form))

    assert reading.elements == []
    assert "error" in reading.printed


@pytest.mark.parametrize(
    "name",
    sorted(
        str(path.relative_to(PACK))
        for path in PACK.rglob("*.html")
        if any(unescaped in path.read_text() for unescaped in UNESCAPED)
    ),
)
def test_every_template_of_the_pack_that_trusts_a_label_is_the_projects_own(name):
    """A new version of crispy-forms-gds that adds a template printing a label or a hint
    unescaped fails here until the project has its own copy."""
    template = get_template(name)
    project_templates = Path(settings.BASE_DIR) / "templates"

    assert Path(template.origin.name).is_relative_to(project_templates), template.origin.name
    assert not any(unescaped in template.template.source for unescaped in UNESCAPED)
