"""Nothing kept in the browser is forgotten: every page sends what the browser still holds and
says so until it has; the case and its check page name what waits, and submitting warns; a
signed-out save says so and is sent once signed in again; without JavaScript, a save after
the session ended comes back after signing in; before the session ends, a warning offers to
stay signed in."""

import pytest
from playwright.sync_api import Page, expect

from cases.models import CaseStatus
from tests.browser.scoring_steps import (
    CASE_URL,
    PASSWORD,
    key,
    note_for,
    open_section,
    question_on,
    save_and_continue,
    signed_in,
    stored,
    stored_value,
    the_case,
    wait_until_saved,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NOTE = "OASys of 4 April scores reoffending as medium; reasons given in full."
RR_A1 = "RR-A1 After allocation, was the assessment of the likelihood of reoffending sufficient?"


def kept_banner(page: Page):
    return page.locator("#kept-changes")


def saves_sent(page: Page) -> list:
    """Every autosave the page sends from now on."""
    sent = []
    page.on("request", lambda request: sent.append(request) if "/answers/" in request.url else 0)
    return sent


def test_a_change_kept_in_the_browser_is_named_and_sent_by_the_case_and_check_pages(case, sign_in):
    """Kept while the server could not be reached, the change is not left behind when the
    inspector moves on: the case page and Check your answers name it, submitting warns, and
    whichever page is open sends it once the server answers."""
    page = open_section(sign_in("ivy"), "rr-assessment")
    wait_until_saved(page)
    page.route("**/answers/", lambda route: route.abort("connectionrefused"))
    question_on(page, "RR-A1").get_by_label("No").check()
    note_for(page, "RR-A1").fill(NOTE)
    expect(page.locator("#autosave-status")).to_contain_text("1 change not saved: retrying")

    page.goto(CASE_URL)
    expect(kept_banner(page)).to_have_text(
        "1 change kept in this browser, not yet sent: case NS-001 (1)."
    )
    named = page.locator("#kept-for-case")
    expect(named).to_contain_text("This browser holds 1 change to this case")
    expect(named.get_by_role("link", name=RR_A1)).to_have_attribute(
        "href", f"{CASE_URL}sections/rr-assessment/#slot-{key('RR-A1')}"
    )

    page.goto(f"{CASE_URL}check/")
    expect(page.locator("#kept-for-case")).to_contain_text(RR_A1)
    page.get_by_label("Why are these questions left unanswered?").fill("The record is thin.")
    page.get_by_role("button", name="Submit with questions unanswered").click()
    warning = page.get_by_role("alert").filter(has_text="This browser still holds 1 change")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("button", name="Submit without them")).to_be_visible()
    assert the_case().status == CaseStatus.NOT_STARTED

    page.unroute("**/answers/")  # the server answers again: the check page sends it
    expect(kept_banner(page)).to_have_text("", timeout=15000)
    expect(warning).to_have_count(0)
    expect(page.locator("#kept-for-case")).to_contain_text("have been sent")
    answer = stored("RR-A1")
    assert (answer.value, answer.note) == ("no", NOTE)


def test_a_signed_out_save_says_so_keeps_the_change_and_sends_it_once_signed_in_again(
    case, sign_in
):
    page = open_section(sign_in("ivy"), "rr-assessment")
    wait_until_saved(page)
    page.context.clear_cookies(name="sessionid")  # the session has ended
    sent = saves_sent(page)
    question_on(page, "RR-A1").get_by_label("Yes").check()

    status = page.locator("#autosave-status")
    expect(status).to_have_text("Signed out: sign in again; your changes are kept in this browser.")
    expect(status.get_by_role("link", name="sign in again")).to_have_attribute(
        "href",
        "/accounts/login/?next=%2Finspections%2Fnorthshire%2Fcases%2FNS-001%2Fsections"
        "%2Frr-assessment%2F",
    )
    expect(question_on(page, "RR-A1").locator("[data-slot-status]")).to_have_text(
        "Not saved: signed out. Kept in this browser until you sign in again."
    )
    page.wait_for_timeout(4000)  # longer than the first retry after a dropped connection
    assert len(sent) == 1, "a signed-out save is not retried as if the connection dropped"
    assert stored("RR-A1") is None

    signed_in(page.context.new_page(), "ivy")  # in another tab
    page.bring_to_front()
    wait_until_saved(page)
    assert stored_value("RR-A1") == "yes"


def test_without_javascript_a_save_after_the_session_ended_comes_back_after_signing_in(
    case, sign_in
):
    page = open_section(sign_in("ivy", javascript=False), "rr-assessment")
    question_on(page, "RR-A1").get_by_label("No").check()
    note_for(page, "RR-A1").fill(NOTE)
    page.context.clear_cookies(name="sessionid")  # the session ended: eight hours later
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "You were signed out, so your changes were not saved."
    )
    page.get_by_label("Username").fill("ivy")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reducing reoffending: assessment")
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "You were signed out before this page was saved."
    )
    expect(question_on(page, "RR-A1").get_by_label("No")).to_be_checked()
    expect(note_for(page, "RR-A1")).to_have_value(NOTE)
    assert stored("RR-A1") is None
    save_and_continue(page)
    answer = stored("RR-A1")
    assert (answer.value, answer.note) == ("no", NOTE)


def test_before_the_session_ends_a_warning_offers_to_stay_signed_in(
    case, sign_in, settings, axe_violations
):
    """A session of 14 seconds with a warning 10 seconds before its end, so the test waits
    seconds, not hours."""
    settings.SESSION_COOKIE_AGE = 14
    settings.SESSION_WARNING_SECONDS = 10
    page = sign_in("ivy")
    page.goto(CASE_URL)
    dialog = page.get_by_role("dialog", name="about to be signed out")
    expect(dialog).to_be_visible(timeout=10000)
    expect(dialog).to_contain_text("For your security, we will sign you out in")
    assert axe_violations(page) == []
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    page.reload()  # still signed in: the session was pushed back
    expect(page.get_by_role("heading", name="Case NS-001")).to_be_visible()

    expect(dialog).to_be_visible(timeout=10000)
    ended = page.get_by_role("dialog", name="You have been signed out")
    expect(ended).to_be_visible(timeout=20000)
    expect(ended.get_by_role("button", name="Sign in again")).to_have_attribute(
        "href", "/accounts/login/?next=%2Finspections%2Fnorthshire%2Fcases%2FNS-001%2F"
    )


def test_a_change_kept_before_changes_were_kept_per_person_is_still_sent(case, sign_in):
    """A browser may hold changes from before the app kept them per person: the person who
    opens their page sends them, as that page always did."""
    page = open_section(sign_in("ivy"), "rr-assessment")
    wait_until_saved(page)
    unowned = {key("RR-A1"): {"value": "no", "note": NOTE, "version": "0"}}
    page.evaluate(
        "(kept) => localStorage.setItem('qi-unsaved:northshire/NS-001', JSON.stringify(kept))",
        unowned,
    )
    page.reload()
    expect(note_for(page, "RR-A1")).to_have_value(NOTE)
    wait_until_saved(page)
    answer = stored("RR-A1")
    assert (answer.value, answer.note) == ("no", NOTE)
    assert page.evaluate("localStorage.getItem('qi-unsaved:northshire/NS-001')") is None
