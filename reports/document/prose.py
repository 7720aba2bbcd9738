"""The report's prose: Markdown in a small, safe subset, rendered to HTML that prints as is.

The subset is what the report's text uses: paragraphs, *emphasis*, **strong**, lists,
[links](https://…) and footnotes (`[^name]` with a `[^name]: text` definition in the same
body). Everything else an editor types prints as the characters typed: raw HTML is escaped by
the parser (``html: False``), never passed through; headings, images, code and tables are not
parsed at all. Links go only to http, https or mailto addresses; any other link is left as
its text. nh3 then cleans the parser's output against the same list of tags, so a bug in the
parser or a plugin cannot let a script, an event handler or a `javascript:` address through.

A footnote prints as ``<span class="footnote">…</span>`` where its reference stands: that is
what CSS paged media (``float: footnote``, WeasyPrint) moves to the foot of the page; the
screen styles it as a note beside the text.
"""

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "br", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_CLASSES = {"span": {"footnote"}}
URL_SCHEMES = {"http", "https", "mailto"}
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def _validate_link(url: str) -> bool:
    return bool(_SAFE_LINK.match(url.strip()))


def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["list", "emphasis", "link", "newline", "escape", "entity"])
    parser.use(footnote_plugin)
    parser.validateLink = _validate_link
    parser.add_render_rule("footnote_ref", _footnote_at_reference)
    return parser


def _footnote_at_reference(self, tokens: list[Token], idx: int, options, env) -> str:
    note = env.get("footnote_html", {}).get(tokens[idx].meta["id"], "")
    return f'<span class="footnote">{note}</span>'


def _footnotes(parser: MarkdownIt, tokens: list[Token], env: dict) -> dict[int, str]:
    """Each footnote's text rendered inline (its paragraphs joined), by its id."""
    notes: dict[int, list[str]] = {}
    current = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = []
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            children = [child for child in token.children or [] if child.type != "footnote_anchor"]
            notes[current].append(parser.renderer.renderInline(children, parser.options, env))
    return {note_id: " ".join(parts).strip() for note_id, parts in notes.items()}


_PARSER = _parser()


def _safe_attribute(tag: str, attribute: str, value: str) -> str | None:
    """An address only to the web or to mail: a relative or empty one ("[a]()") is dropped,
    which nh3's scheme list alone lets through."""
    if attribute == "href" and not _validate_link(value):
        return None
    return value


def sanitise(html: str) -> str:
    """HTML cut down to the prose subset: any other tag or attribute removed."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_safe_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """The HTML of a body of prose, safe to print unescaped (in a page or the PDF)."""
    if not text.strip():
        return ""
    env: dict = {}
    tokens = _PARSER.parse(text, env)
    env["footnote_html"] = _footnotes(_PARSER, tokens, env)
    # The footnotes' own block (after the text) is dropped: each note prints at its reference.
    if any(token.type == "footnote_block_open" for token in tokens):
        tokens = tokens[: next(i for i, t in enumerate(tokens) if t.type == "footnote_block_open")]
    return sanitise(_PARSER.renderer.render(tokens, _PARSER.options, env)).strip()


def render_inline(text: str) -> str:
    """A single line (a heading, a table cell, a glossary term) with emphasis and links only,
    no paragraph around it."""
    if not text.strip():
        return ""
    return sanitise(_PARSER.renderInline(text)).strip()
