"""The forms of the enablers and barriers tables and the recommendations. They read what a
person typed into plain values; the rules are the services' (reports/tables/services.py)."""

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from inspection.lib.forms import MATCHES_NOTHING
from judgements.findings import ALL
from reports.chapters import Perspective
from reports.tables.models import ADDRESSEE_MAX_CHARS, ROW_TEXT_MAX_CHARS, Column
from reports.tables.services import FindingLink

# "PP-D8a CRC", "RR-P1[alcohol] NPS", "C8 all", or a code alone (the table's own group).
FINDING_LINE = re.compile(
    r"^(?P<question>[A-Za-z0-9][A-Za-z0-9-]*)\s*(?:\[\s*(?P<item>[A-Za-z0-9_]+)\s*\])?"
    r"(?:\s+(?P<group>\S+))?$"
)
GROUP_WORDS = {"crc": "CRC", "nps": "NPS", "all": ALL, "both": ALL}


def finding_lines(links) -> str:
    """The links as the form shows them, one a line."""
    return "\n".join(str(link) for link in links)


def parse_findings(text: str, default_group: str) -> tuple[list[FindingLink], list[str]]:
    """The links a person typed, one a line, and a problem for each line that is not one."""
    links, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = FINDING_LINE.match(line)
        group_word = (match.group("group") or "") if match else ""
        group = GROUP_WORDS.get(group_word.lower()) if group_word else default_group
        if match is None or group is None:
            problems.append(
                f"Line {number}, “{line}”: write a question code, an item code in brackets if "
                "the question has items, then CRC, NPS or all (for example PP-D8a CRC)."
            )
            continue
        links.append(FindingLink(match.group("question"), match.group("item"), group))
    return links, problems


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VersionedForm(forms.Form):
    """A form that carries the version of the record it was built from (none when adding)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def expected_version(self) -> int:
        """The version the page was built from; a form without one (not this page's) is
        treated as stale, never as leave to overwrite."""
        version = self.cleaned_data.get("version")
        return MATCHES_NOTHING if version is None else version


class TableRowForm(VersionedForm):
    # No max_length: the character count shows the limit and the service refuses beyond it
    # (a textarea's maxlength cuts a paste without a word).
    text = forms.CharField(widget=_textarea(4))
    findings = forms.CharField(
        label="Findings that support it (optional)",
        required=False,
        widget=_textarea(3),
    )
    cases = forms.CharField(label="Cases that support it (optional)", required=False)

    def __init__(self, *args, perspective: str, column: str, example_refs=(), **kwargs):
        super().__init__(*args, **kwargs)
        example = f": for example {', '.join(example_refs)}" if example_refs else ""
        self.fields["cases"].help_text = f"Case references, separated by commas or spaces{example}."
        noun = Column(column).label.lower()
        self.default_group = ALL if perspective == Perspective.JOINT else perspective
        self.fields["text"].label = f"The {noun}"
        self.fields["text"].error_messages["required"] = f"Enter the {noun}"
        self.fields["text"].help_text = (
            "As the report's table prints it: a sentence or two, in the summary's words "
            "(“most”, “the majority”)."
        )
        self.fields["findings"].help_text = (
            "One a line: a question code, an item code in brackets for a question asked item "
            "by item, then CRC, NPS or all. For example PP-D8a CRC, or RR-P1[alcohol] NPS. "
            f"Without a group, a line counts {'both' if self.default_group == ALL else 'the'} "
            f"{'organisations' if self.default_group == ALL else self.default_group + ' cases'}."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("text", label_size=Size.MEDIUM, max_characters=ROW_TEXT_MAX_CHARS),
            Field.textarea("findings", label_size=Size.SMALL),
            Field.text("cases", label_size=Size.SMALL),
            "version",
        )

    def clean_findings(self) -> list[FindingLink]:
        links, problems = parse_findings(self.cleaned_data["findings"], self.default_group)
        if problems:
            raise forms.ValidationError(problems)
        return links

    def clean_cases(self) -> list[str]:
        return [ref for ref in re.split(r"[\s,;]+", self.cleaned_data["cases"]) if ref]


class RecommendationGroupForm(VersionedForm):
    addressee = forms.CharField(
        label="Who should act",
        max_length=ADDRESSEE_MAX_CHARS,
        help_text="As the heading names them before “should:”, for example “The Community "
        "Rehabilitation Company”.",
        error_messages={"required": "Enter who should act"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("addressee", label_size=Size.MEDIUM), "version")


class RecommendationForm(VersionedForm):
    """The barriers are checkboxes grouped by table: the template lays them out (crispy's
    checkboxes have no groups), from `barrier_tables`."""

    text = forms.CharField(
        label="The recommendation",
        widget=_textarea(4),
        help_text="What the addressee should do, as it follows “should:” in the report.",
        error_messages={"required": "Enter the recommendation"},
    )
    group = forms.TypedChoiceField(label="Addressed to", coerce=int)
    barriers = forms.TypedMultipleChoiceField(
        label="Barriers it answers (optional)", coerce=int, required=False
    )

    def __init__(self, *args, groups, barrier_tables, **kwargs):
        super().__init__(*args, **kwargs)
        self.barrier_tables = barrier_tables
        self.fields["group"].choices = [(group.pk, str(group)) for group in groups]
        self.fields["barriers"].choices = [
            (barrier.row_id, barrier.label)
            for _table, barriers in barrier_tables
            for barrier in barriers
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("text", label_size=Size.MEDIUM, max_characters=ROW_TEXT_MAX_CHARS),
            Field.select("group", label_size=Size.SMALL),
            "version",
        )

    def chosen_barriers(self) -> set[str]:
        """The barrier ids ticked, as the template compares them (strings)."""
        if self.is_bound:
            return set(self.data.getlist("barriers"))
        return {str(pk) for pk in self.initial.get("barriers", [])}
