"""What text brought in from outside may hold: its size limits and the characters it may not.

Pure: knows no models. The spreadsheet imports check against these, and every service that keeps
what a person typed asks `text_problem` (one rule: a length its field holds, no control
character), so a page, an import, the admin and a command are all refused the same text with the
same words, before PostgreSQL could refuse it with a server error.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.text import capfirst

# The most characters an XLSX cell holds (Excel's own limit). A longer note could be saved but
# never exported whole, and the research team's files are the contract, so it is refused.
NOTE_MAX_CHARS = 32_767
# Every other imported cell is a code, a case reference (40 at most) or an office name (120):
# a thousand characters is far beyond any of them yet keeps a wrong column from loading a novel.
CELL_MAX_CHARS = 1_000
# A full answers file for the largest inspection (about 150 cases × 159 answer slots, some
# 24,000 rows) is a few megabytes even with a sentence of evidence on every row; 20 MB leaves
# room for long notes while keeping a wrong file from filling the server's memory when parsed.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
# An XLSX is a zip of XML, several times larger unpacked than packed; more than this unpacked
# is not a spreadsheet of cases or answers but a file built to exhaust memory (a zip bomb).
MAX_XLSX_UNPACKED_BYTES = 5 * MAX_IMPORT_BYTES
# Twice the rows of that largest answers file; a cases file has a few hundred at most.
MAX_IMPORT_ROWS = 50_000
# A comment or a reason a person writes on a case (the lead's review comment, the inspector's
# reason for questions left unanswered): a few sentences, a list of points at most. Far beyond
# it is a paste gone wrong, which would fill the case page and My cases for everyone.
COMMENT_MAX_CHARS = 5_000

# C0 controls but tab, line feed and carriage return (which notes hold), DEL and the C1
# controls: PostgreSQL refuses NUL in text, XLSX (XML) can hold none of them, and in a note
# they are only ever debris from a copy and paste.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Names for the ones people meet: Word writes a manual line break as a vertical tab.
_NAMES = {
    0x00: "NUL",
    0x0B: "vertical tab, Word's manual line break",
    0x0C: "form feed, Word's page break",
    0x1B: "escape",
    0x7F: "delete",
}


def control_character(text: str) -> str | None:
    """A description of the first control character `text` may not hold, or None.

    For instance "U+000B (vertical tab, Word's manual line break) at character 12".
    """
    match = _CONTROL_CHARACTER.search(text)
    if match is None:
        return None
    code = ord(match.group())
    name = f" ({_NAMES[code]})" if code in _NAMES else ""
    return f"U+{code:04X}{name} at character {match.start() + 1}"


def text_problem(text: str, *, what: str, max_chars: int) -> str | None:
    """Why a text a person typed cannot be kept as it is, in a sentence that names it by
    `what` ("the review comment"), or None: longer than `max_chars` (what its field holds), or
    holding a control character. Only the first problem is named: the person fixes one field
    at a time, and the length must be right before the characters matter."""
    if len(text) > max_chars:
        return f"{capfirst(what)} has {len(text):,} characters; it may have {max_chars:,} at most."
    bad_character = control_character(text)
    if bad_character:
        return f"{capfirst(what)} holds a control character, {bad_character}; remove it."
    return None


def refuse_text(field: str, text: str, *, what: str, max_chars: int) -> None:
    """Raise a ValidationError keyed by `field` (the page shows it beside the field) when
    `text_problem` finds one."""
    problem = text_problem(text, what=what, max_chars=max_chars)
    if problem:
        raise ValidationError({field: problem}, code="invalid_text")
