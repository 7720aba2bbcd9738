"""The report's prose: the Markdown subset it keeps, and everything else an editor might type
(a script, raw HTML, an event handler, a javascript: link) printed as text, never as markup."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.document.prose import render_inline, render_markdown, sanitise


def test_the_subset_renders_paragraphs_emphasis_lists_and_links():
    html = render_markdown(
        "We met *most* people and **all** staff.\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n"
        "Read [the framework](https://example.org/framework) or [write](mailto:a@example.org)."
    )

    assert html == (
        "<p>We met <em>most</em> people and <strong>all</strong> staff.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n"
        '<p>Read <a href="https://example.org/framework" rel="noopener noreferrer">the framework'
        '</a> or <a href="mailto:a@example.org" rel="noopener noreferrer">write</a>.</p>'
    )


def test_a_footnote_prints_where_its_reference_stands_for_float_footnote():
    html = render_markdown(
        "The audit office reported it.[^nao] Then more.\n\n"
        "[^nao]: National Audit Office, *Transforming Rehabilitation*, 2016.\n"
    )

    assert html == (
        '<p>The audit office reported it.<span class="footnote">National Audit Office, '
        "<em>Transforming Rehabilitation</em>, 2016.</span> Then more.</p>"
    )


def test_headings_images_code_and_tables_are_not_part_of_the_subset():
    html = render_markdown("# Heading\n\n![alt](https://example.org/x.png)\n\n`code`")

    assert "<h1>" not in html and "<img" not in html and "<code>" not in html
    assert "# Heading" in html


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        "<iframe src='https://example.org'></iframe>",
        "<style>body{display:none}</style>",
        '<span class="footnote" onmouseover="alert(1)">fake</span>',
    ],
)
def test_raw_html_is_escaped_never_passed_through(typed):
    html = render_markdown(f"Before {typed} after")

    # The only element is the paragraph; what was typed prints as its characters.
    assert re.findall(r"<(\w+)", html) == ["p"]
    assert "&lt;" in html
    assert re.findall(r"<(\w+)", render_inline(typed)) == []


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "/relative/page",
        "",
        "#top",
    ],
)
def test_only_web_and_mail_links_become_links(address):
    html = render_markdown(f"[click]({address})")

    assert "href" not in html


def test_the_sanitiser_removes_what_a_parser_bug_could_let_through():
    dirty = (
        '<p onclick="x()">a<script>alert(1)</script><a href="javascript:x()">b</a>'
        '<span class="footnote evil" style="color:red">c</span><img src=x></p>'
    )

    assert sanitise(dirty) == (
        '<p>a<a rel="noopener noreferrer">b</a><span class="footnote">c</span></p>'
    )


# Whatever is typed: only the subset's elements, only web and mail links, no attribute but an
# address, a list's start and the footnote's class.
MARKUP_PIECES = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        '" onmouseover="x',
        "javascript:",
        "[a](",
        ")",
        "[^n]",
        "[^n]: ",
        "*",
        "**",
        "- ",
        "1. ",
        "\n",
        "\n\n",
        "<",
        ">",
        "&",
        "https://example.org",
        "mailto:a@example.org",
        "data:text/html,",
        "<a href='javascript:x'>",
        "<span class=footnote>",
    ]
)
TYPED = st.lists(st.one_of(MARKUP_PIECES, st.text(max_size=8)), max_size=25).map("".join)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@settings(max_examples=300, deadline=None)
@given(TYPED)
def test_whatever_is_typed_renders_to_the_subset_only(typed):
    html = render_markdown(typed)

    for tag, attributes in elements(html):
        assert tag in {"p", "em", "strong", "ul", "ol", "li", "a", "br", "span"}, html
        for name, value in attributes:
            assert name in {"href", "rel", "start", "class", "title"}, html
            if name == "href":
                assert value.startswith(("http://", "https://", "mailto:")), html
            if name == "class":
                assert value == "footnote", html
