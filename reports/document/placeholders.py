"""Live figures in the report's prose: placeholders the editor writes, filled from the findings.

Grammar (report_content_format.md), written between double square brackets:

- ``[[PP-D8a CRC]]``: a yes/no question (an item in brackets for an item question,
  ``[[PP-P1[public] NPS]]``), a group (``CRC``, ``NPS`` or ``all``; all when left out) and a
  form: none → "19 out of 31"; ``phrase`` → "three-fifths"; ``percent`` → "61%";
  ``yes`` → "19"; ``no`` → "12"; ``relevant`` → "31". In the executive summary and the
  enablers and barriers lead-ins a phrase takes the summary register ("most", "a majority"), as
  the report words them there.
- ``[[sample cases]]``, ``[[sample CRC]]``, ``[[sample NPS]]``: cases in the sample;
  ``[[sample interviewed]]`` (with an optional group): people on probation interviewed;
  ``[[sample women]]`` (optional group): women's cases.
- ``[[median CD-2]]`` (optional group): a number question's median.

An item question's items together: ``[[AB-V1[all] CRC phrase]]`` (the findings' pooled row).
A combination the lead named on the findings pages, by its code: ``[[victims-or-children CRC
phrase]]`` (every form as above).

Two extensions the Durham demo's text uses: a choice question's cases with one answer, out of
the cases that answered it (``[[RR-O2[convicted_or_cautioned] CRC]]`` → "6 out of 31", every
form as above), and the cases with one descriptor value (``[[sample rosh_level=medium CRC]]``).

Figures come from `judgements.findings.inspection_findings`, the counts every page uses; the
text never holds a typed number that could drift from the data.
"""

import re
from dataclasses import dataclass

from inspection.models import Inspection
from judgements.findings import ALL, Findings, inspection_findings
from judgements.proportions import percent, proportion_phrase, summary_phrase

PLACEHOLDER = re.compile(r"\[\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\]")
QUESTION = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\[\]\s]+)\])?$")
GROUP_WORDS = {"crc": "CRC", "nps": "NPS", "all": ALL}
FORMS = {"", "phrase", "percent", "yes", "no", "relevant"}
SAMPLE_WORDS = {"cases", "crc", "nps", "interviewed", "women"}
PRECISE, SUMMARY = "precise", "summary"
NO_CASES = "no relevant cases yet"
# In brackets after an item question's code: all its items together (its pooled finding).
POOLED = "all"


class PlaceholderError(ValueError):
    """A placeholder that names no figure; its message says why."""


@dataclass(frozen=True)
class Resolved:
    """A body with its placeholders filled: the text, each placeholder's value as printed,
    and a message for each placeholder that names no figure (the text keeps it as typed)."""

    text: str
    values: dict[str, str]
    errors: list[str]


def placeholders_in(text: str) -> list[str]:
    """Every placeholder of a text as typed, brackets included, each once, in order."""
    return list(dict.fromkeys(match.group(0) for match in PLACEHOLDER.finditer(text or "")))


def _group(words: list[str], placeholder: str) -> str:
    if not words:
        return ALL
    if len(words) > 1 or words[0].lower() not in GROUP_WORDS:
        raise PlaceholderError(f"{placeholder}: the group is one of CRC, NPS or all")
    return GROUP_WORDS[words[0].lower()]


def _descriptor_count(words: list[str], findings: Findings, placeholder: str) -> str:
    """Cases with one descriptor value: `[[sample rosh_level=medium CRC]]`."""
    name, _, value = words[0].partition("=")
    table = findings.descriptors.get(name.lower())
    if table is None:
        raise PlaceholderError(
            f"{placeholder}: {name} is not a case descriptor; one of "
            f"{', '.join(findings.descriptors)}"
        )
    group = _group(words[1:], placeholder)
    if value.lower() not in table[group]:
        raise PlaceholderError(
            f"{placeholder}: {value} is not a value of {name}; one of {', '.join(table[group])}"
        )
    return str(table[group][value.lower()])


def _sample(words: list[str], findings: Findings, placeholder: str) -> str:
    if words and "=" in words[0]:
        return _descriptor_count(words, findings, placeholder)
    if not words or words[0].lower() not in SAMPLE_WORDS:
        raise PlaceholderError(
            f"{placeholder}: a sample figure is one of cases, CRC, NPS, interviewed, women, "
            "or a descriptor=value"
        )
    what, rest = words[0].lower(), words[1:]
    if what in ("crc", "nps"):
        if rest:
            raise PlaceholderError(f"{placeholder}: nothing may follow {words[0]}")
        return str(findings.cases[GROUP_WORDS[what]])
    group = _group(rest, placeholder)
    if what == "cases":
        return str(findings.cases[group])
    if what == "interviewed":
        return str(findings.descriptors["interviewed"][group]["yes"])
    return str(findings.descriptors["gender"][group]["female"])


def _code(token: str, findings: Findings, placeholder: str) -> tuple[str, str | None]:
    """The question's code as the framework writes it (typed in any case) and what stands in
    brackets after it (an item code, or a choice code of a choice question), lower case."""
    match = QUESTION.match(token)
    if not match:
        raise PlaceholderError(f"{placeholder}: “{token}” is not a question code")
    code, bracket = findings.question_code(match.group(1)), (match.group(2) or "").lower() or None
    if code is None:
        raise PlaceholderError(
            f"{placeholder}: there is no question {match.group(1)} in framework "
            f"{findings.framework}"
        )
    return code, bracket


def _item(question: str, bracket: str | None, findings: Findings, placeholder: str) -> str | None:
    """The item code of an item question (as the framework writes it), None for another."""
    items = {i.lower(): i for q, i in findings.item_labels if q == question}
    if bracket == POOLED and items:
        return None  # every item together: the question's pooled finding
    if bracket is None:
        if items:
            raise PlaceholderError(
                f"{placeholder}: {question} is asked item by item; name one in brackets "
                f"({', '.join(sorted(items.values()))}), or [{POOLED}] for every item together"
            )
        return None
    if bracket not in items:
        raise PlaceholderError(f"{placeholder}: {bracket} is not an item of {question}")
    return items[bracket]


def _median(words: list[str], findings: Findings, placeholder: str) -> str:
    if not words:
        raise PlaceholderError(f"{placeholder}: name a number question after “median”")
    question, bracket = _code(words[0], findings, placeholder)
    item = _item(question, bracket, findings, placeholder)
    group = _group(words[1:], placeholder)
    try:
        finding = findings.number_finding(question, item, group)
    except KeyError:
        raise PlaceholderError(f"{placeholder}: {question} is not a number question") from None
    return finding.range_text[0] if finding.median is not None else "no answers yet"


def _choice_counts(
    question: str, choice: str | None, group: str, findings: Findings, placeholder: str
) -> tuple[int, int]:
    """A choice question's cases with one answer, out of the cases that answered it (the
    report's "6 of 31 were convicted"): `[[RR-O2[convicted_or_cautioned] CRC]]`."""
    finding = findings.choice_finding(question, None, group)
    if choice is None or choice not in finding.counts:
        raise PlaceholderError(
            f"{placeholder}: {question} is a choice question; name one of its answers in "
            f"brackets: {', '.join(finding.counts)}"
        )
    return finding.counts[choice], finding.answered


def _finding(words: list[str], findings: Findings, placeholder: str, register: str) -> str:
    rest = words[1:]
    form = rest.pop().lower() if rest and rest[-1].lower() in FORMS else ""
    group = _group(rest, placeholder)
    combined = {row.code for row in findings.combined}
    if words[0] in combined:
        finding = findings.combined_finding(words[0], group)
        return _form(finding.yes, finding.relevant, form, register)
    question, bracket = _code(words[0], findings, placeholder)
    if any(row.question == question and row.item is None for row in findings.choices):
        yes, relevant = _choice_counts(question, bracket, group, findings, placeholder)
    else:
        item = _item(question, bracket, findings, placeholder)
        try:
            finding = findings.yes_no_finding(question, item, group)
        except KeyError:
            raise PlaceholderError(
                f"{placeholder}: {question} is not a yes/no or choice question, so it has no "
                "figure of cases"
            ) from None
        yes, relevant = finding.yes, finding.relevant
    return _form(yes, relevant, form, register)


def _form(yes: int, relevant: int, form: str, register: str) -> str:
    if form == "yes":
        return str(yes)
    if form == "no":
        return str(relevant - yes)
    if form == "relevant":
        return str(relevant)
    if not relevant:
        return NO_CASES
    if form == "percent":
        return f"{percent(yes, relevant)}%"
    if form == "phrase":
        phrase = summary_phrase if register == SUMMARY else proportion_phrase
        return phrase(yes, relevant)
    return f"{yes} out of {relevant}"


def value_of(placeholder: str, findings: Findings, register: str = PRECISE) -> str:
    """The value one placeholder prints, or a PlaceholderError saying why it names nothing."""
    words = PLACEHOLDER.fullmatch(placeholder).group(1).split()
    if not words:
        raise PlaceholderError(f"{placeholder}: the placeholder is empty")
    first = words[0].lower()
    if first == "sample":
        return _sample(words[1:], findings, placeholder)
    if first == "median":
        return _median(words[1:], findings, placeholder)
    return _finding(words, findings, placeholder, register)


def resolve(
    text: str,
    inspection: Inspection | None,
    register: str = PRECISE,
    *,
    findings: Findings | None = None,
) -> tuple[str, dict[str, str], list[str]]:
    """`text` with its placeholders filled (rendered, values by placeholder, errors).

    `findings` may be given by a caller resolving many texts (the whole document), so the
    findings are read once; a placeholder with an error stays as typed in the text."""
    findings = findings if findings is not None else inspection_findings(inspection)
    values: dict[str, str] = {}
    errors: list[str] = []
    for placeholder in placeholders_in(text):
        try:
            values[placeholder] = value_of(placeholder, findings, register)
        except PlaceholderError as error:
            errors.append(str(error))

    def fill(match: re.Match) -> str:
        return values.get(match.group(0), match.group(0))

    return PLACEHOLDER.sub(fill, text or ""), values, errors


def changed_figures(confirmed: dict[str, str], values: dict[str, str]) -> list[str]:
    """How each figure now differs from the one confirmed: "[[PP-D8a CRC]] was 19 out of 31,
    now 20 out of 31" (a figure never confirmed reads "was not confirmed")."""
    changes = []
    for placeholder, value in values.items():
        before = confirmed.get(placeholder)
        if before == value:
            continue
        was = f"was {before}" if before is not None else "was not confirmed"
        changes.append(f"{placeholder} {was}, now {value}")
    return changes
