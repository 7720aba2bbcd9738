"""Which characters imported and typed text may not hold, how long it may be, and how a
problem names them."""

import pytest
from django.core.exceptions import ValidationError

from inspection.lib.text import control_character, refuse_text, text_problem


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


def test_text_too_long_for_its_field_is_named_with_both_lengths():
    assert text_problem("x" * 501, what="the note", max_chars=500) == (
        "The note has 501 characters; it may have 500 at most."
    )


def test_text_holding_a_control_character_is_named_with_the_character():
    assert text_problem("Word's\x0bbreak", what="the comment", max_chars=500) == (
        "The comment holds a control character, U+000B (vertical tab, Word's manual line "
        "break) at character 7; remove it."
    )


def test_text_that_fits_and_holds_no_control_character_has_no_problem():
    assert text_problem("x" * 500, what="the note", max_chars=500) is None
    assert text_problem("Line one\nline two\tand a tab", what="the note", max_chars=500) is None


def test_a_refusal_is_keyed_by_the_field_the_page_shows_it_beside():
    with pytest.raises(ValidationError) as refused:
        refuse_text("review_comment", "\x00", what="the comment", max_chars=10)
    assert refused.value.message_dict == {
        "review_comment": [
            "The comment holds a control character, U+0000 (NUL) at character 1; remove it."
        ]
    }
