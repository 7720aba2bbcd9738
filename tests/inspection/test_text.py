"""Which characters imported text may not hold, and how a problem names them."""

import pytest

from inspection.lib.text import control_character


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("\x00", "U+0000 (NUL) at character 1"),
        ("a\x01b", "U+0001 at character 2"),
        ("line\x0bbreak", "U+000B (vertical tab, Word's manual line break) at character 5"),
        ("page\x0c", "U+000C (form feed, Word's page break) at character 5"),
        ("\x1b[31m", "U+001B (escape) at character 1"),
        ("x\x1f", "U+001F at character 2"),
        ("rub\x7fout", "U+007F (delete) at character 4"),
        ("next\x85line", "U+0085 at character 5"),
        ("\x9f", "U+009F at character 1"),
    ],
)
def test_a_control_character_is_described_by_code_point_and_position(text, described):
    assert control_character(text) == described


def test_only_the_first_control_character_is_described():
    assert control_character("ok\x07then\x00") == "U+0007 at character 3"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tab\tseparated",
        "line one\nline two",
        "windows\r\nline break",
        "ünïcode: Zoë's café ✓ 漢字",
        "\xa0no-break space and \xa9 (just past the C1 controls)",
        "\u2028line separator",
        "\ufffd",
    ],
)
def test_tabs_line_breaks_and_printable_unicode_are_allowed(text):
    assert control_character(text) is None
