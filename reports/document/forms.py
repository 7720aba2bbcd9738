"""The forms of the report's editing pages. They read what a person typed into plain values
(a glossary's lines into pairs, a table's cells into rows); the rules are the services'
(reports/document/services.py)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from reports.chapters import OUTCOME_DOMAINS, Perspective
from reports.document.models import BODY_MAX_CHARS, HEADING_MAX_CHARS
from reports.document.models import PartKind as Kind
from reports.document.services import CHILD_KINDS, PartContent
from reports.tables.forms import VersionedForm

# Columns of a line of cells: "Durham | 500,000 | Source".
CELL_SEPARATOR = "|"
BODY_HINT = (
    "Markdown: a blank line between paragraphs, *emphasis*, **strong**, lists (lines starting "
    "with “- ” or “1. ”), links as [words](https://…), and footnotes as [^1] in the text with "
    "a line “[^1]: the note” below it. Anything else, HTML included, prints as typed. "
    "Live figures go in double square brackets, worked out from the answers whenever the "
    "report is shown: [[PP-D8a CRC]] prints “19 out of 31”; add phrase, percent, yes or "
    "relevant for “three-fifths”, “61%”, “19” or “31”; CRC, NPS or all chooses the "
    "cases; an item question names its item, [[PP-O1[public] NPS]]. The sample: "
    "[[sample cases]], [[sample CRC]], [[sample NPS]], [[sample interviewed]], "
    "[[sample women]]; a number question's median: [[median CD-2]]."
)
# The fields each kind has beside heading and body (and whether it has a body at all).
NO_BODY = {Kind.TITLE_PAGE, Kind.COPYRIGHT, Kind.CONTENTS}
KIND_FIELDS: dict[str, list[str]] = {
    Kind.FOREWORD: ["signatory", "signatory_role", "signed"],
    Kind.SUMMARY_DOMAIN: ["domain"],
    Kind.SUMMARY_CELL: ["perspective"],
    Kind.CHAPTER: ["domain"],
    Kind.SECTION: ["perspective"],
    Kind.PRACTICE_EXAMPLE: ["good", "case_ref"],
    Kind.QUOTATION: ["attribution"],
    Kind.CHART_POINTER: ["charts"],
    Kind.ENABLERS_BARRIERS: ["domain", "perspective"],
    Kind.BACKGROUND_TABLE: ["columns", "rows", "source"],
    Kind.GLOSSARY: ["terms"],
    Kind.ACKNOWLEDGEMENTS: ["roles"],
}
# The long texts' limits, shown by GOV.UK's character count rather than set as the textarea's
# maxlength: a browser cuts a paste at its maxlength without a word (issue 16), where the
# service refuses an over-long text, names the field and keeps what was typed.
COUNTED_CHARS = {"body": BODY_MAX_CHARS}
BODY_LABELS = {
    Kind.QUOTATION: "The words quoted",
    Kind.CHAPTER: "The chapter's introduction",
    Kind.ENABLERS_BARRIERS: "The sentence that leads into the table",
    Kind.RECOMMENDATIONS: "The lead-in before the numbered recommendations",
    Kind.CHARTS: "The introduction to the charts",
    Kind.METHODOLOGY: "The methodology (the sample's numbers as live figures)",
}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split(CELL_SEPARATOR)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def terms_text(terms) -> str:
    return "\n".join(f"{term} | {definition}" for term, definition in terms)


def roles_text(roles) -> str:
    return "\n".join(
        f"{role} | {name} | {title}" for role, people in roles for name, title in people
    )


def rows_text(rows) -> str:
    return "\n".join(" | ".join(row) for row in rows)


class KindForm(forms.Form):
    """The first step of adding a part: what kind of part, of those that may stand there."""

    kind = forms.ChoiceField(
        label="What kind of part?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of part to add"},
    )

    def __init__(self, *args, parent_kind: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind, Kind(kind).label) for kind in CHILD_KINDS[parent_kind]
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field.radios("kind", legend_size=Size.MEDIUM))


class MoveToForm(forms.Form):
    """Where to move a part, with everything under it. The list starts on no destination:
    a default would move the part somewhere the editor never chose."""

    parent = forms.ChoiceField(
        label="Move it, with everything under it, to the end of",
        error_messages={
            "required": "Choose where to move it",
            "invalid_choice": "Choose where to move it from the list: that place is not one",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, destinations: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "Choose where to move it"), *destinations]


class PartForm(VersionedForm):
    """A part's heading, body and the fields of its kind."""

    heading = forms.CharField(required=False, max_length=HEADING_MAX_CHARS)
    body = forms.CharField(
        label="Text",
        required=False,
        help_text=BODY_HINT,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    domain = forms.ChoiceField(label="Outcome domain", required=False)
    perspective = forms.ChoiceField(label="Whose work", required=False)
    good = forms.BooleanField(label="A good practice example", required=False)
    case_ref = forms.CharField(
        label="The case it is drawn from (optional)",
        required=False,
        max_length=40,
        help_text="Its reference, for the team only: the report never prints it.",
    )
    attribution = forms.CharField(
        label="Who said it",
        required=False,
        max_length=HEADING_MAX_CHARS,
        help_text="As the report names them, for example “a responsible officer”.",
    )
    signatory = forms.CharField(label="Signed by", required=False, max_length=HEADING_MAX_CHARS)
    signatory_role = forms.CharField(
        label="Their role", required=False, max_length=HEADING_MAX_CHARS
    )
    signed = forms.CharField(label="Month and year signed", required=False, max_length=40)
    charts = forms.CharField(
        label="Chart numbers",
        required=False,
        help_text="The Appendix 4 charts it points to, for example “2, 3”.",
    )
    columns = forms.CharField(
        label="Column headings",
        required=False,
        help_text="Separated by |, for example “Area | Population”.",
    )
    rows = forms.CharField(
        label="Rows",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One row a line, cells separated by |, as many as there are columns.",
    )
    source = forms.CharField(label="Source line", required=False, max_length=300)
    terms = forms.CharField(
        label="Terms",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="One a line: the term, |, its definition. The glossary prints them in "
        "alphabetical order.",
    )
    roles = forms.CharField(
        label="People",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="One person a line: role | name | job title, for example “Lead Inspector | "
        "A. Person | Inspector”. People of one role print together, in the order given.",
    )

    def __init__(self, *args, kind: str, domains: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["heading"].label = (
            "Caption" if kind == Kind.BACKGROUND_TABLE else "Heading (optional)"
        )
        self.fields["body"].label = BODY_LABELS.get(kind, "Text")
        blank = [("", "Not chosen")] if kind == Kind.ENABLERS_BARRIERS else []
        self.fields["domain"].choices = blank + [
            (code, name) for code, name in domains if code in OUTCOME_DOMAINS
        ]
        self.fields["perspective"].choices = blank + list(Perspective.choices)
        if kind == Kind.ENABLERS_BARRIERS:
            for name in ("domain", "perspective"):
                self.fields[name].help_text = "Leave unchosen to take the chapter's and section's."
        shown = ["heading", *([] if kind in NO_BODY else ["body"]), *KIND_FIELDS.get(kind, [])]
        for name in list(self.fields):
            if name not in shown and name != "version":
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*[self._layout(name) for name in shown], "version")

    def _layout(self, name: str):
        field = self.fields[name]
        if isinstance(field.widget, forms.Textarea):
            return Field.textarea(
                name, label_size=Size.SMALL, max_characters=COUNTED_CHARS.get(name)
            )
        if isinstance(field, forms.ChoiceField):
            return Field.select(name, label_size=Size.SMALL)
        if isinstance(field, forms.BooleanField):
            return Field.checkbox(name)
        return Field.text(name, label_size=Size.SMALL)

    def clean_charts(self) -> list[str]:
        text = self.cleaned_data.get("charts", "")
        return [number for number in text.replace(",", " ").split() if number]

    def clean_columns(self) -> list[str]:
        text = self.cleaned_data.get("columns", "").strip()
        return _cells(text) if text else []

    def clean_rows(self) -> list[list[str]]:
        return [_cells(line) for line in _lines(self.cleaned_data.get("rows", ""))]

    def clean_terms(self) -> list[list[str]]:
        terms, problems = [], []
        for number, line in enumerate(_lines(self.cleaned_data.get("terms", "")), start=1):
            term, separator, definition = line.partition(CELL_SEPARATOR)
            if not separator:
                problems.append(f"Line {number}, “{line}”: write the term, |, then its definition.")
                continue
            terms.append([term.strip(), definition.strip()])
        if problems:
            raise forms.ValidationError(problems)
        return terms

    def clean_roles(self) -> list:
        roles: list = []
        problems = []
        for number, line in enumerate(_lines(self.cleaned_data.get("roles", "")), start=1):
            cells = _cells(line)
            if len(cells) != 3:
                problems.append(f"Line {number}, “{line}”: write role | name | job title.")
                continue
            role, name, title = cells
            if roles and roles[-1][0] == role:
                roles[-1][1].append([name, title])
            else:
                roles.append([role, [[name, title]]])
        if problems:
            raise forms.ValidationError(problems)
        return roles

    def content(self) -> PartContent:
        data = self.cleaned_data
        return PartContent(**{name: data[name] for name in self.fields if name != "version"})


def part_initial(part) -> dict:
    """A stored part as its form shows it."""
    return {
        "heading": part.heading,
        "body": part.body,
        "domain": part.domain,
        "perspective": part.perspective,
        "good": part.good,
        "case_ref": part.case.case_ref if part.case_id else "",
        "attribution": part.attribution,
        "signatory": part.signatory,
        "signatory_role": part.signatory_role,
        "signed": part.signed,
        "charts": ", ".join(str(number) for number in part.charts),
        "columns": " | ".join(part.columns),
        "rows": rows_text(part.rows),
        "source": part.source,
        "terms": terms_text(part.terms),
        "roles": roles_text(part.roles),
        "version": part.version,
    }


class ReportFrontForm(VersionedForm):
    """The title page and the copyright block."""

    series = forms.CharField(label="Series", required=False, max_length=HEADING_MAX_CHARS)
    title = forms.CharField(
        label="Title",
        max_length=HEADING_MAX_CHARS,
        error_messages={"required": "Enter the report's title"},
    )
    byline = forms.CharField(label="Byline", required=False, max_length=HEADING_MAX_CHARS)
    published = forms.CharField(
        label="Month and year of publication",
        required=False,
        max_length=40,
        help_text="As the title page prints it, for example “August 2016”.",
    )
    copyright = forms.CharField(
        label="Copyright line", required=False, max_length=HEADING_MAX_CHARS
    )
    licence = forms.CharField(
        label="Licence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown, as in the report's parts.",
    )
    publisher = forms.CharField(
        label="Publisher's address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One line of the address a line.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("series", label_size=Size.SMALL),
            Field.text("title", label_size=Size.SMALL),
            Field.text("byline", label_size=Size.SMALL),
            Field.text("published", label_size=Size.SMALL),
            Field.text("copyright", label_size=Size.SMALL),
            Field.textarea("licence", label_size=Size.SMALL, max_characters=BODY_MAX_CHARS),
            Field.textarea("publisher", label_size=Size.SMALL),
            "version",
        )

    def clean_publisher(self) -> list[str]:
        return _lines(self.cleaned_data.get("publisher", ""))
