"""The Durham editor opens the report's outline, edits a paragraph with a live figure and sees
the figure filled in, is refused a figure that names nothing, and every report page is clean
for axe-core and fits a phone."""

import pytest

from fixtures.durham_2016 import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def durham(demo_loader):
    demo_loader()


def sign_in_as_editor(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My inspections").wait_for()


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_editor_edits_a_paragraph_with_a_live_figure_with_no_accessibility_violations(
    durham, live_server, page, axe_violations
):
    sign_in_as_editor(page, live_server)
    page.get_by_role("link", name="Quality & Impact inspection: Durham").click()
    page.get_by_role("link", name="Report", exact=True).click()
    page.get_by_role("heading", name="Report", exact=True).wait_for()
    assert page.get_by_text("5.1 Effectiveness of the CRC", exact=True).is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Edit Overall judgements").click()
    page.get_by_role("heading", name="Edit overall judgements").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Text").fill("The CRC took all reasonable action in [[PP-D8a CRC]] cases.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Overall judgements saved.").wait_for()
    assert page.get_by_text(
        "The CRC took all reasonable action in 19 out of 31 cases."
    ).is_visible()

    page.get_by_role("link", name="Edit Overall judgements").click()
    page.get_by_label("Text").fill("In [[PP-Q9 CRC]] cases.")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    assert (
        "[[PP-Q9 CRC]]: there is no question PP-Q9"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert axe_violations(page) == []

    page.set_viewport_size(PHONE)
    for path in ("report/", "report/figures/", "report/parts/add/"):
        page.goto(f"{live_server.url}/inspections/durham-2016/{path}")
        assert not scrolls_sideways(page), path
        assert axe_violations(page) == [], path
