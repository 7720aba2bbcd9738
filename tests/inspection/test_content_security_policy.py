"""Every page carries a Content Security Policy that allows nothing inline, and no template
needs anything inline, so the policy never has to be loosened to keep a page working."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import engines
from django.urls import reverse

POLICY = "Content-Security-Policy"
# A <script> with no src (its code inline), a <style> element, a style="" attribute or an
# on…="" event handler: each is refused by a policy without 'unsafe-inline'.
INLINE = re.compile(
    r"<script\b(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=", re.IGNORECASE
)


def directives(response) -> dict[str, str]:
    policy = response.headers[POLICY]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def project_templates() -> list[Path]:
    """The project's own templates: templates/ and any app's, not the installed packages'."""
    folders = [
        Path(folder)
        for folder in engines["django"].template_dirs
        if Path(folder).is_relative_to(settings.BASE_DIR)
        and not {".venv", "node_modules"} & set(Path(folder).parts)
    ]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_the_sign_in_page_allows_only_this_sites_own_files(client):
    response = client.get(reverse("login"))
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response.headers[POLICY]


@pytest.mark.parametrize(
    "url",
    ["/inspections/", "/inspections/northshire/", "/inspections/northshire/cases/NS-001/"],
)
def test_signed_in_pages_carry_the_same_policy(url, case, as_persona):
    response = as_persona("inspector").get(url)
    assert response.status_code == 200
    assert directives(response)["default-src"] == "'self'"


def test_error_pages_carry_the_policy_too(inspector, as_persona):
    response = as_persona("inspector").get("/inspections/no-such-inspection/")
    assert response.status_code == 404
    assert directives(response)["default-src"] == "'self'"


def test_the_pattern_finds_what_the_policy_would_refuse():
    refused = [
        "<script>alert(1)</script>",
        '<script type="module">import x from "y"</script>',
        "<style>p {}</style>",
        '<p style="color: red">',
        '<button onclick="go()">',
    ]
    allowed = ['<script src="/static/js/a.js"></script>', '<script type="module" src="a.js">']
    assert all(INLINE.search(markup) for markup in refused)
    assert not any(INLINE.search(markup) for markup in allowed)


def test_no_template_has_an_inline_script_style_or_event_handler():
    templates = project_templates()
    assert any(path.name == "base.html" for path in templates)
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {found.group(0)}"
        for path in templates
        for found in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "Move these to a file under static/ (the CSP refuses them inline)"


def test_the_scripts_that_replace_the_inline_ones_are_static_files(client):
    page = client.get(reverse("login")).content.decode()
    prefix = settings.STATIC_URL
    sources = [
        src.removeprefix(prefix) for src in re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', page)
    ]
    assert sources == ["js/govuk-frontend-supported.js", "js/init-govuk-frontend.js"]
    # The module imports GOV.UK Frontend by a path relative to itself.
    assert '"../govuk/govuk-frontend.min.js"' in Path(finders.find(sources[1])).read_text()
    assert finders.find("govuk/govuk-frontend.min.js")
