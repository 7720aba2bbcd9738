"""The house stylesheets parse whole. A lost closing brace (a merge once dropped one) swallows
every rule after it into the block it leaves open: the browser still loads the file, so nothing
fails until a page looks wrong (two lists stacked that should sit side by side)."""

from pathlib import Path

import tinycss2
from django.conf import settings

STYLESHEETS = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))


def written_at_top_level(text: str) -> list[str]:
    """The preludes of the rules a reader sees opened at column 0 (comments left out)."""
    tokens = tinycss2.parse_component_value_list(text, skip_comments=True)
    lines = tinycss2.serialize(tokens).splitlines()
    return [line.split("{")[0].strip() for line in lines if line[:1].strip() and "{" in line]


def test_every_rule_a_stylesheet_opens_at_its_top_level_is_read_there_by_a_browser():
    assert STYLESHEETS
    for path in STYLESHEETS:
        text = path.read_text()
        rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
        assert [rule.message for rule in rules if rule.type == "error"] == [], path.name
        read = {tinycss2.serialize(rule.prelude).strip() for rule in rules}
        read |= {
            # "@page" has no prelude: no space after it
            f"@{rule.lower_at_keyword} {prelude}".strip()
            for rule in rules
            if rule.type == "at-rule"
            for prelude in [tinycss2.serialize(rule.prelude).strip()]
        }
        missing = [prelude for prelude in written_at_top_level(text) if prelude not in read]
        assert missing == [], f"{path.name}: opened at the top level, read inside another block"
