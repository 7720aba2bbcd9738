"""What the section page's script shows as answers save: the page's own count moves, a box
about an answer sits beside its control and keeps the page's heading order, a server error is
said as one, and a note is sent when typing pauses or its field is left, not while typing."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.scoring_steps import (
    grid_cell,
    key,
    note_for,
    open_section,
    question_on,
    stored,
    stored_value,
    wait_until_saved,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def notes_sent(page: Page, code: str) -> list[str]:
    """The note of every autosave of a question the page sends from now on, in order."""
    note_field = f'name="n-{key(code)}"\r\n\r\n'
    sent = []

    def note_of(request) -> None:
        body = request.post_data or ""
        if "/answers/" in request.url and note_field in body:
            sent.append(body.split(note_field, 1)[1].split("\r\n", 1)[0])

    page.on("request", note_of)
    return sent


def test_the_count_of_answers_on_the_page_moves_as_answers_save(case, sign_in):
    page = open_section(sign_in("ivy"), "rr-assessment")
    expect(page.locator(".app-progress-line")).to_contain_text("0 of 2 answered on this page")
    listed = page.locator(".app-contents-list__item--current .app-contents-list__state")
    expect(listed).to_have_text("0 of 2")

    question_on(page, "RR-A1").get_by_label("Yes").check()
    wait_until_saved(page)
    expect(page.locator(".app-progress-line")).to_contain_text("1 of 2 answered on this page")
    question_on(page, "RR-A3").get_by_label("No").check()
    wait_until_saved(page)
    expect(page.locator(".app-progress-line")).to_contain_text("2 of 2 answered on this page")
    expect(listed).to_have_text("2 of 2 · done")


def test_on_a_grid_the_confirmation_to_clear_answers_is_beside_the_control(
    part_scored, sign_in, axe_violations
):
    """RR-A2 [accommodation] "no" would clear its chain (RR-P1 is answered): the question is
    asked where the person is looking, in the grid under the factor's row, not among the notes
    at the foot of the page."""
    page = open_section(sign_in("ivy"), "rr-priority-factors")
    wait_until_saved(page)
    control = grid_cell(page, "accommodation", "RR-A2").locator("select")
    control.select_option("no")

    box = page.get_by_role("alert").filter(has_text="will be cleared")
    expect(box).to_be_visible()
    expect(box).to_contain_text("RR-P1 [accommodation]")
    under = control.bounding_box()
    below = box.bounding_box()["y"] - (under["y"] + under["height"])
    assert 0 <= below < 120, f"the confirmation is {below:.0f}px below the control"
    assert axe_violations(page) == []
    box.get_by_role("button", name="Change it and clear them").click()
    wait_until_saved(page)
    assert stored_value("RR-A2", "accommodation") == "no"
    assert stored("RR-P1", "accommodation") is None


def test_a_conflict_on_the_first_question_keeps_the_pages_heading_order(
    case, sign_in, axe_violations
):
    """The box the script adds under the page's first question: its heading comes after the
    question's own, never straight after the page's h1."""
    first = open_section(sign_in("ivy"), "rr-assessment")
    second = open_section(first.context.new_page(), "rr-assessment")
    wait_until_saved(second)
    question_on(first, "RR-A1").get_by_label("Yes").check()
    wait_until_saved(first)
    question_on(second, "RR-A1").get_by_label("No").check()

    box = question_on(second, "RR-A1").get_by_role("alert")
    expect(box).to_be_visible()
    assert [v["id"] for v in axe_violations(second)] == []
    expect(box).to_contain_text("You changed this answer in another tab or window")


def test_a_server_error_says_the_answer_is_kept_in_the_browser_and_will_be_sent_again(
    case, sign_in
):
    page = open_section(sign_in("ivy"), "rr-assessment")
    wait_until_saved(page)
    page.route("**/answers/", lambda route: route.fulfill(status=500, body="Server error"))
    question_on(page, "RR-A1").get_by_label("No").check()

    expect(question_on(page, "RR-A1").locator("[data-slot-status]")).to_have_text(
        "Not saved: the server had a problem. Kept in this browser and will be sent again."
    )
    expect(page.locator("#autosave-status")).to_have_text(
        "1 change not saved: the server had a problem. They are kept in this browser and will "
        "be sent again."
    )
    page.unroute("**/answers/")
    wait_until_saved(page)  # the next retry, within seconds
    assert stored_value("RR-A1") == "no"


def test_a_note_is_sent_when_typing_pauses_and_when_its_field_is_left_not_while_typing(
    case, sign_in
):
    """A slow server answers the first save while the inspector is typing on: what they have
    typed so far waits for the next pause (or for the field to be left), so the history holds
    what they wrote, not each half-typed word."""
    page = open_section(sign_in("ivy"), "rr-assessment")
    question_on(page, "RR-A1").get_by_label("Yes").check()
    wait_until_saved(page)
    held = []
    page.route("**/answers/", lambda route: route.continue_() if held else held.append(route))
    sent = notes_sent(page, "RR-A1")
    note = note_for(page, "RR-A1")

    note.press_sequentially("OASys of 4 April.", delay=50)
    while not held:  # the pause after typing sends it
        page.wait_for_timeout(100)
    assert sent == ["OASys of 4 April."]
    held[0].continue_()  # answered while the inspector types on
    note.press_sequentially(" Reasons given in full.", delay=60)
    assert sent == ["OASys of 4 April."], "nothing is sent while typing"
    with page.expect_request("**/answers/", timeout=1000):
        note.press("Tab")  # leaving the field sends it at once, before the pause is over
    wait_until_saved(page)
    assert sent == ["OASys of 4 April.", "OASys of 4 April. Reasons given in full."]
    assert stored("RR-A1").note == "OASys of 4 April. Reasons given in full."
