"""The documentation a newcomer reads: every relative link in it leads somewhere, and the
README stays short enough to read in five minutes (issue 15).

The Markdown is parsed with markdown-it-py (already a dependency, for the report's prose), so a
link is what a Markdown reader sees as one: text in a code span or a code block is not a link.
An #anchor must name a heading of the page it points into, by GitHub's rule for heading ids.
"""

import re
from functools import cache
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md")), ROOT / "benchmarks" / "README.md"]
README_MAX_LINES = 250

markdown = MarkdownIt("commonmark").enable("table")


@cache
def _tokens(path: Path):
    return markdown.parse(path.read_text(encoding="utf-8"))


def _inline_text(token) -> str:
    """A heading's text as it is shown: its code spans' content without the backticks."""
    return "".join(child.content for child in token.children or [] if child.content)


def _github_id(text: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


@cache
def heading_ids(path: Path) -> set[str]:
    ids: set[str] = set()
    seen: dict[str, int] = {}
    tokens = _tokens(path)
    for opening, inline in pairwise(tokens):
        if opening.type != "heading_open":
            continue
        base = _github_id(_inline_text(inline))
        count = seen.get(base, 0)
        seen[base] = count + 1
        ids.add(base if count == 0 else f"{base}-{count}")
    return ids


def links(path: Path) -> list[str]:
    found = []
    for token in _tokens(path):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(child.attrs["href"])
    return found


def _relative(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc


@pytest.mark.parametrize("page", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for href in filter(_relative, links(page)):
        target_path, _, anchor = href.partition("#")
        target = (page.parent / unquote(target_path)).resolve() if target_path else page
        if not target.exists():
            broken.append(f"{href}: no file {target}")
        elif anchor and target.suffix == ".md" and anchor not in heading_ids(target):
            broken.append(f"{href}: no heading with the id {anchor!r} in {target.name}")
    assert not broken, f"{page.name} has broken links:\n" + "\n".join(broken)


def test_the_readme_links_every_docs_page():
    linked = {(README.parent / href.partition("#")[0]).resolve() for href in links(README)}
    unlinked = [path.name for path in DOCS[1:] if path.resolve() not in linked]
    assert not unlinked, f"README.md links none of {unlinked}"


def test_the_readme_reads_in_five_minutes():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines; keep it to {README_MAX_LINES} and move the rest to docs/"
    )


def test_a_broken_link_and_a_missing_anchor_are_caught(tmp_path):
    """The check itself: a page naming a missing file and a missing heading fails it."""
    page = tmp_path / "page.md"
    page.write_text("# A title\n\n[ok](#a-title) [gone](nowhere.md) [no](#no-such) `[x](y.md)`\n")
    assert links(page) == ["#a-title", "nowhere.md", "#no-such"]
    assert heading_ids(page) == {"a-title"}
    with pytest.raises(AssertionError, match=r"nowhere\.md: no file(.|\n)*#no-such: no heading"):
        test_every_relative_link_leads_to_a_file_and_heading_that_exist(page)


def test_heading_ids_follow_githubs_rule():
    assert _github_id("On SQLite: `make run`'s own server".replace("`", "")) == (
        "on-sqlite-make-runs-own-server"
    )
    assert _github_id("Enablers and barriers; recommendations") == (
        "enablers-and-barriers-recommendations"
    )
