"""On a phone (390 px wide) the case list fits the screen: no sideways scrolling, each case a
block whose values are named by their column headings."""

import pytest

from fixtures.durham_2016 import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 390, "height": 844}
# Elements wider than the window, for the failure message: what makes the page scroll.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 8).map(e => e.tagName + '.' + e.className)"""


@pytest.fixture
def durham(demo_loader):
    demo_loader()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def test_case_list_does_not_scroll_sideways_at_390_px_and_names_every_value(
    durham, live_server, phone, axe_violations
):
    phone.goto(f"{live_server.url}/inspections/durham-2016/cases/")
    phone.get_by_label("Username").fill("inspector1")
    phone.get_by_label("Password").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("heading", name="Cases", exact=True).wait_for()
    assert phone.locator("tbody tr").count() == 47

    scroll_width, window_width = phone.evaluate(
        "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    assert window_width == PHONE["width"]  # laid out for the phone's width, not zoomed out
    assert scroll_width <= window_width, phone.evaluate(TOO_WIDE)
    first = phone.locator("tbody tr").first
    assert first.bounding_box()["width"] <= window_width
    # The column headings are off screen, so each value carries its own.
    progress = first.locator("td").nth(4)
    assert progress.evaluate("e => getComputedStyle(e, '::before').content") == '"Progress"'
    assert axe_violations(phone) == []
