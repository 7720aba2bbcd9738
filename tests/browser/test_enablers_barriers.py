"""The Durham demo's lead inspector opens the enablers and barriers tables, adds a barrier with
the finding behind it, moves it up, and reads the recommendations: every page clean by axe-core,
wide and on a phone, where the two lists stack and nothing scrolls sideways."""

import pytest

from fixtures.durham_2016 import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NEW_BARRIER = "Home visits were rarely repeated after a change in the household."


@pytest.fixture
def durham(demo_loader):
    demo_loader()


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My inspections").wait_for()


def barrier_texts(page, table: str) -> list[str]:
    barriers = page.locator(f"#table-{table} .app-eb-column").nth(1)
    return barriers.locator(".app-eb-text").all_inner_texts()


def column_boxes(page, table: str) -> list[dict]:
    columns = page.locator(f"#table-{table} .app-eb-column")
    return [columns.nth(n).bounding_box() for n in (0, 1)]


def test_the_demo_lead_adds_a_barrier_and_moves_it_up(durham, live_server, page, axe_violations):
    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/inspections/durham-2016/")
    page.get_by_role("link", name="Enablers and barriers, and recommendations").click()

    page.get_by_role("heading", name="Enablers and barriers", exact=True).wait_for()
    assert page.locator(".app-eb-table").count() == 9
    enablers, barriers = column_boxes(page, "pp-crc")
    assert enablers["y"] == barriers["y"] and barriers["x"] > enablers["x"]  # side by side
    before = barrier_texts(page, "pp-crc")
    assert len(before) == 3
    assert page.locator("#table-pp-crc").get_by_text("PP-D8a CRC").first.is_visible()
    assert axe_violations(page) == []

    page.locator("#table-pp-crc").get_by_role("link", name="Add a barrier").click()
    page.get_by_role("heading", name="Add a barrier").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("The barrier").fill(NEW_BARRIER)
    page.get_by_label("Findings that support it (optional)").fill("PP-D4")
    page.get_by_role("button", name="Save").click()

    page.get_by_text("Protecting the public, CRC: barrier added.").wait_for()
    assert barrier_texts(page, "pp-crc") == [*before, NEW_BARRIER]
    new_row = page.locator("#table-pp-crc .app-eb-row", has_text=NEW_BARRIER)
    assert new_row.get_by_text("PP-D4 CRC").is_visible()
    assert axe_violations(page) == []

    new_row.get_by_role("button", name="Move up").click()

    page.get_by_text("Barrier moved up.").wait_for()
    assert barrier_texts(page, "pp-crc") == [before[0], before[1], NEW_BARRIER, before[2]]
    assert axe_violations(page) == []
    new_row.get_by_role("link", name="Delete").click()
    page.get_by_role("heading", name="Delete this barrier?").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Recommendations", exact=True).click()
    page.get_by_role("heading", name="Recommendations", exact=True).wait_for()
    assert page.locator("li[id^=recommendation-]").count() == 11
    assert axe_violations(page) == []
    page.get_by_role("link", name="Edit recommendation 9").click()
    page.get_by_role("heading", name="Edit a recommendation").wait_for()
    assert page.get_by_role("checkbox", checked=True).count() == 3
    assert axe_violations(page) == []

    # On a phone the two lists stack, and neither page scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("recommendations/", "enablers-and-barriers/"):
        page.goto(f"{live_server.url}/inspections/durham-2016/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert axe_violations(page) == []
    enablers, barriers = column_boxes(page, "rr-crc")
    assert barriers["y"] >= enablers["y"] + enablers["height"]
