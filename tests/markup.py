"""Markup typed as text, and a reading of a page that finds any of it that became markup.

A person types into a form field, another person's browser reads the page that prints it: the
text must reach them as the characters typed, never as an element. Each piece of markup here
carries an attribute naming the field it was typed into, so a page that makes an element of it
says whose text it was; a page that prints it safely shows it as text (or as an attribute's
value, such as an input's), where `Reading.printed` finds it.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

MARKER = "data-typed"
_PRINTED = re.compile(rf'{MARKER}="([^"]+)"')
# The same markup escaped twice: the person would read "&lt;b" where they typed "<b".
_ESCAPED_TWICE = re.compile(rf"&lt;[a-z]+ {MARKER}|{MARKER}=&quot;")


def typed_markup(field_name: str, max_chars: int = 1_000) -> str:
    """What someone might type into `field_name` to take over another person's page, as much
    of it as the field holds: bold text, a script and a meta refresh that would send the
    reader elsewhere (the Content Security Policy stops scripts; nothing stops a refresh)."""
    pieces = [
        f'<meta {MARKER}="{field_name}" http-equiv="refresh" content="0;url=https://example.invalid">',
        f'<script {MARKER}="{field_name}">alert(1)</script>',
        f'<b {MARKER}="{field_name}">bold</b>',
    ]
    text = ""
    for piece in pieces:
        if len(text) + len(piece) <= max_chars:
            text += piece
    assert text, f"{field_name} holds too few characters for any markup"
    return text


@dataclass
class Reading:
    """What a page made of the typed markup."""

    # (tag, field) for every element the page made of text someone typed.
    elements: list[tuple[str, str]] = field(default_factory=list)
    # The fields whose typed markup the page prints as text.
    printed: set[str] = field(default_factory=set)
    # Texts printed escaped twice, so the reader sees entities instead of what was typed.
    escaped_twice: list[str] = field(default_factory=list)
    # Links to a javascript: address (Markdown's [words](javascript:…)).
    script_links: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.reading = Reading()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if MARKER in attributes:
            self.reading.elements.append((tag, attributes[MARKER] or ""))
        href = (attributes.get("href") or "").strip().lower()
        if tag == "a" and href.startswith("javascript:"):
            self.reading.script_links.append(href)
        for _name, value in attrs:
            self._text(value or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self._text(data)

    def _text(self, text: str) -> None:
        self.reading.printed.update(_PRINTED.findall(text))
        if _ESCAPED_TWICE.search(text):
            self.reading.escaped_twice.append(text[:120])


def read(html: str) -> Reading:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.reading
