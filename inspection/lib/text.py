"""What text brought in from outside may hold: the characters it may not.

Pure: knows no models. The spreadsheet imports check against it now; the answer service and
its forms can use the same check.
"""

import re

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
