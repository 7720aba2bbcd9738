"""With JavaScript, answers and notes save as they change; what the server has not got yet is
kept in the browser, so a dropped connection, a reload or a closed tab loses nothing."""

import pytest
from playwright.sync_api import expect

from tests.browser.scoring_steps import (
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

NOTE = "OASys of 4 April scores reoffending as medium; reasons given in full."


def test_a_note_typed_before_its_answer_is_saved_with_the_answer_on_a_slow_connection(
    case, sign_in
):
    """The inspector types the evidence, pauses (the note is sent alone, and refused: a note
    needs an answer) and chooses the answer while that reply is still on its way."""
    page = open_section(sign_in("ivy"), "rr-assessment")
    slow = []
    # The first save is held until the answer is chosen; the rest go through.
    page.route("**/answers/", lambda route: route.continue_() if slow else slow.append(route))
    note_for(page, "RR-A1").fill(NOTE)
    while not slow:  # the pause after typing sends the note
        page.wait_for_timeout(100)
    question_on(page, "RR-A1").get_by_label("Yes").check()
    slow[0].continue_()

    wait_until_saved(page)
    expect(question_on(page, "RR-A1").locator("[data-slot-status]")).to_have_text("Saved")
    answer = stored("RR-A1")
    assert (answer.value, answer.note) == ("yes", NOTE)


def test_a_dropped_connection_keeps_the_answer_and_note_and_sends_them_on_reconnecting(
    case, sign_in
):
    page = open_section(sign_in("ivy"), "rr-assessment")
    wait_until_saved(page)
    page.context.set_offline(True)
    question_on(page, "RR-A1").get_by_label("No").check()
    note_for(page, "RR-A1").fill(NOTE)

    expect(question_on(page, "RR-A1").locator("[data-slot-status]")).to_have_text(
        "Not saved: retrying. Kept in this browser."
    )
    expect(page.locator("#autosave-status")).to_have_text(
        "1 change not saved: retrying. They are kept in this browser until they are."
    )
    assert stored("RR-A1") is None

    page.context.set_offline(False)
    wait_until_saved(page)
    answer = stored("RR-A1")
    assert (answer.value, answer.note) == ("no", NOTE)


def test_a_page_closed_while_offline_sends_its_typed_note_when_opened_again(case, sign_in):
    page = open_section(sign_in("ivy"), "rr-assessment")
    wait_until_saved(page)
    context = page.context
    context.set_offline(True)
    question_on(page, "RR-A1").get_by_label("Yes").check()
    note_for(page, "RR-A1").fill(NOTE)
    expect(page.locator("#autosave-status")).to_contain_text("1 change not saved")
    page.close()

    context.set_offline(False)
    page = open_section(context.new_page(), "rr-assessment")
    expect(note_for(page, "RR-A1")).to_have_value(NOTE)
    expect(question_on(page, "RR-A1").get_by_label("Yes")).to_be_checked()
    wait_until_saved(page)
    answer = stored("RR-A1")
    assert (answer.value, answer.note) == ("yes", NOTE)


def test_a_reload_straight_after_typing_keeps_the_note_and_saves_it(case, sign_in):
    """Reloaded within the pause after typing, before the note was sent."""
    page = open_section(sign_in("ivy"), "rr-assessment")
    question_on(page, "RR-A1").get_by_label("Yes").check()
    wait_until_saved(page)
    note_for(page, "RR-A1").fill(NOTE)
    page.reload()

    expect(note_for(page, "RR-A1")).to_have_value(NOTE)
    wait_until_saved(page)
    assert stored("RR-A1").note == NOTE


def test_a_reload_while_the_server_cannot_be_reached_keeps_the_typed_note(case, sign_in):
    """Back online, but the saves still fail (the server is unreachable): a reload shows the
    note as typed, and it is sent once the server answers again."""
    page = open_section(sign_in("ivy"), "rr-assessment")
    question_on(page, "RR-A1").get_by_label("Yes").check()
    wait_until_saved(page)
    page.route("**/answers/", lambda route: route.abort("connectionrefused"))
    note_for(page, "RR-A1").fill(NOTE)
    expect(page.locator("#autosave-status")).to_contain_text("1 change not saved: retrying")
    page.reload()

    expect(note_for(page, "RR-A1")).to_have_value(NOTE)
    expect(question_on(page, "RR-A1").locator("[data-slot-status]")).to_contain_text(
        "Not saved: retrying"
    )
    assert stored("RR-A1").note == ""
    page.unroute("**/answers/")
    wait_until_saved(page)  # the next retry, within seconds
    assert stored("RR-A1").note == NOTE


def test_an_answer_kept_offline_in_one_tab_survives_another_tabs_changes(case, sign_in):
    """Two tabs of the same case share the browser's copy of what is not saved yet: a change
    in one must not drop what the other is keeping, even once the other tab is closed."""
    planning = open_section(sign_in("ivy"), "rr-planning")
    wait_until_saved(planning)
    context = planning.context
    assessment = open_section(context.new_page(), "rr-assessment")
    wait_until_saved(assessment)

    context.set_offline(True)
    question_on(assessment, "RR-A1").get_by_label("No").check()
    note_for(assessment, "RR-A1").fill(NOTE)
    expect(assessment.locator("#autosave-status")).to_contain_text("1 change not saved")
    question_on(planning, "RR-P3").get_by_label("Yes").check()
    expect(planning.locator("#autosave-status")).to_contain_text("1 change not saved")
    assessment.close()

    context.set_offline(False)
    wait_until_saved(planning)
    # The planning tab also sends what the closed tab kept. Opened while that save is on its
    # way, the page can be read before the save and started after it (nothing then kept), and
    # show the note empty until reloaded; wait, as its banner would tell a person to.
    planning.wait_for_function(
        "() => !Object.keys(localStorage).some((name) => name.startsWith('qi-unsaved:'))"
    )
    assessment = open_section(context.new_page(), "rr-assessment")
    expect(note_for(assessment, "RR-A1")).to_have_value(NOTE)
    wait_until_saved(assessment)
    answer = stored("RR-A1")
    assert (answer.value, answer.note) == ("no", NOTE)
    assert stored("RR-P3").value == "yes"


def test_an_answer_whose_gate_another_tab_shut_says_not_saved_and_is_not_retried(case, sign_in):
    """Tab one still asks RR-R2 (RR-R1 was "yes" when it was opened); tab two has since
    answered RR-R1 "no". What tab one then types is not stored, and it must say so beside the
    question, not "Saved", and not retry as if the connection had dropped."""
    first = open_section(sign_in("ivy"), "rr-reviewing")
    question_on(first, "RR-R1").get_by_label("Yes").check()
    wait_until_saved(first)
    expect(question_on(first, "RR-R2")).to_be_visible()
    second = open_section(first.context.new_page(), "rr-reviewing")
    question_on(second, "RR-R1").get_by_label("No").check()
    wait_until_saved(second)
    assert stored_value("RR-R1") == "no"

    sent = []
    first.on("request", lambda request: sent.append(request) if "/answers/" in request.url else 0)
    question_on(first, "RR-R2").get_by_label("Yes").check()
    note_for(first, "RR-R2").fill(NOTE)
    status = question_on(first, "RR-R2").locator("[data-slot-status]")
    expect(status).to_have_text(
        "RR-R2: no longer asked of this case (asked only where the answer to RR-R1 is Yes), "
        "not saved."
    )
    expect(status).to_have_class("govuk-body-s app-slot-status app-slot-status--error")
    expect(first.locator("#autosave-status")).to_have_text(
        "1 change not saved: see the message beside each."
    )
    expect(note_for(first, "RR-R2")).to_have_value(NOTE)  # still there to copy
    requests_so_far = len(sent)
    first.wait_for_timeout(4000)  # longer than the first retry after a dropped connection
    assert len(sent) == requests_so_far
    assert stored("RR-R2") is None


def test_answers_kept_offline_reach_the_server_gate_first_however_slow_the_gates_save(
    case, sign_in
):
    """Offline, the inspector answers RR-R1 "yes", which asks RR-R2, and answers RR-R2 too. On
    reconnecting the saves go one at a time, in the order given: RR-R2 never overtakes the
    answer that asks it (it would be refused as no longer asked), however slow that save is."""
    page = open_section(sign_in("ivy"), "rr-reviewing")
    wait_until_saved(page)
    page.context.set_offline(True)
    question_on(page, "RR-R1").get_by_label("Yes").check()
    question_on(page, "RR-R2").get_by_label("Yes").check()
    note_for(page, "RR-R2").fill(NOTE)
    gate = f"\r\n\r\n{key('RR-R1')}\r\n"
    held, sent = [], []

    def hold_the_gates_save(route):
        sent.append(route.request.post_data or "")
        if gate in sent[-1] and not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/answers/", hold_the_gates_save)
    page.context.set_offline(False)
    while not held:
        page.wait_for_timeout(100)
    page.wait_for_timeout(1500)  # time enough for RR-R2's save to overtake, were it sent
    assert [body for body in sent if gate not in body] == []
    held[0].continue_()

    wait_until_saved(page)
    assert stored_value("RR-R1") == "yes"
    answer = stored("RR-R2")
    assert (answer.value, answer.note) == ("yes", NOTE)
