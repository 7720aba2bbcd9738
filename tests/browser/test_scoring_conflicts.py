"""Two people (or two tabs) changing the same answer never silently overwrite each other: the
second sees both versions and chooses, with autosave and without JavaScript alike."""

import re

import pytest
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from playwright.sync_api import Locator, Page, expect

from tests.browser.scoring_steps import (
    note_for,
    open_section,
    question_on,
    save_and_continue,
    stored,
    wait_until_saved,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

FIRST_NOTE = "OASys of 4 April: reoffending scored and explained."
SECOND_NOTE = "The OASys reasons do not match the PSR; assessment not sufficient."
THIRD_NOTE = "Reasons match the PSR after all."


ANOTHER_TAB = "You changed this answer in another tab or window since you opened this page"


def conflict_box(page: Page, code: str) -> Locator:
    """The box autosave puts beside an answer changed first in another tab or by someone else."""
    return question_on(page, code).get_by_role("alert").filter(has_text="since you opened")


def versions(box: Locator) -> dict[str, str]:
    """Both versions as a conflict shows them: "Your answer" and "Saved by <who>, <when>",
    each to its answer and note (a line each)."""
    expect(box).to_be_visible()
    rows = box.locator(".govuk-summary-list__row").evaluate_all(
        "rows => rows.map((row) => [row.querySelector('dt'), row.querySelector('dd')]"
        ".map((cell) => cell.innerText.trim()))"
    )
    return {" ".join(term.split()): answer for term, answer in rows}


def saved_by(shown: dict[str, str], name: str) -> str:
    """The other version's answer, checking it names who saved it."""
    (term,) = [term for term in shown if term != "Your answer"]
    assert term.startswith(f"Saved by {name}, "), term
    return shown[term]


def as_the_server_writes(answer) -> str:
    """A date as the pages write it ("7 Dec 2026, 12:14"), in the server's time zone."""
    return date_format(localtime(answer.answered_at), "j M Y, H:i")


def test_two_tabs_changing_one_answer_show_both_versions_and_keep_the_chosen_one(case, sign_in):
    first = open_section(sign_in("ivy"), "rr-assessment")
    second = open_section(first.context.new_page(), "rr-assessment")
    wait_until_saved(first)
    wait_until_saved(second)
    # Ivy's own other tab, not someone else; its date as the server writes dates.
    ivy = "you in another tab or window"

    note_for(first, "RR-A1").fill(FIRST_NOTE)
    question_on(first, "RR-A1").get_by_label("Yes").check()
    wait_until_saved(first)
    question_on(second, "RR-A1").get_by_label("No").check()

    expect(conflict_box(second, "RR-A1").get_by_role("heading")).to_have_text(ANOTHER_TAB)
    shown = versions(conflict_box(second, "RR-A1"))
    assert shown["Your answer"] == "No"
    assert saved_by(shown, ivy) == f"Yes\n{FIRST_NOTE}"
    assert f"Saved by {ivy}, {as_the_server_writes(stored('RR-A1'))}" in shown
    expect(question_on(second, "RR-A1").locator("[data-slot-status]")).to_have_text(
        "Not saved: you changed this answer in another tab or window."
    )
    assert (stored("RR-A1").value, stored("RR-A1").version) == ("yes", 1)
    # Writing the evidence before choosing: the choice is offered again, with the note.
    note_for(second, "RR-A1").fill(SECOND_NOTE)
    shown = versions(conflict_box(second, "RR-A1"))
    assert shown["Your answer"] == f"No\n{SECOND_NOTE}"
    conflict_box(second, "RR-A1").get_by_role("button", name="Keep my answer").click()
    wait_until_saved(second)
    expect(conflict_box(second, "RR-A1")).to_have_count(0)
    assert (stored("RR-A1").value, stored("RR-A1").note) == ("no", SECOND_NOTE)

    # The first tab, still showing its Yes, changes its note: the second tab's No is newer.
    note_for(first, "RR-A1").fill(THIRD_NOTE)
    shown = versions(conflict_box(first, "RR-A1"))
    assert shown["Your answer"] == f"Yes\n{THIRD_NOTE}"
    assert saved_by(shown, ivy) == f"No\n{SECOND_NOTE}"
    conflict_box(first, "RR-A1").get_by_role("button", name="Keep the saved answer").click()
    expect(conflict_box(first, "RR-A1")).to_have_count(0)
    expect(question_on(first, "RR-A1").get_by_label("No")).to_be_checked()
    expect(note_for(first, "RR-A1")).to_have_value(SECOND_NOTE)
    wait_until_saved(first)
    assert (stored("RR-A1").value, stored("RR-A1").note) == ("no", SECOND_NOTE)

    first.reload()  # nothing of the discarded change comes back from the browser's copy
    expect(question_on(first, "RR-A1").get_by_label("No")).to_be_checked()
    expect(note_for(first, "RR-A1")).to_have_value(SECOND_NOTE)
    wait_until_saved(first)


def test_without_javascript_a_stale_save_shows_both_versions_and_saves_what_is_chosen(
    case, inspector, lead, sign_in
):
    """The inspector and the lead save the same section from pages opened at the same time."""
    ivy = open_section(sign_in("ivy", javascript=False), "rr-assessment")
    lena = open_section(sign_in("lena", javascript=False), "rr-assessment")

    question_on(ivy, "RR-A1").get_by_label("Yes").check()
    note_for(ivy, "RR-A1").fill(FIRST_NOTE)
    question_on(ivy, "RR-A3").get_by_label("Yes").check()
    save_and_continue(ivy)
    question_on(lena, "RR-A1").get_by_label("No").check()
    note_for(lena, "RR-A1").fill(SECOND_NOTE)
    question_on(lena, "RR-A3").get_by_label("No").check()
    lena.get_by_role("button", name="Save and continue").click()

    expect(lena).to_have_title(re.compile(r"^Error: "))
    expect(lena.locator(".govuk-error-summary")).to_contain_text(
        "Someone else changed 2 of these answers since you opened the page"
    )
    ivy_name = inspector.get_full_name()
    shown = versions(question_on(lena, "RR-A1").locator(".app-conflict"))
    assert shown["Your answer"] == f"No\n{SECOND_NOTE}"
    assert saved_by(shown, ivy_name) == f"Yes\n{FIRST_NOTE}"
    shown = versions(question_on(lena, "RR-A3").locator(".app-conflict"))
    assert (shown["Your answer"], saved_by(shown, ivy_name)) == ("No", "Yes")
    assert [stored("RR-A1").value, stored("RR-A3").value] == ["yes", "yes"]

    question_on(lena, "RR-A1").get_by_label("Replace it with my answer").check()
    question_on(lena, "RR-A3").get_by_label("Keep the saved answer").check()
    save_and_continue(lena)

    expect(lena.get_by_role("heading", level=1)).to_have_text(
        "Reducing reoffending: priority offending-related factors"
    )
    first, second = stored("RR-A1"), stored("RR-A3")
    assert (first.value, first.note, first.answered_by.username) == ("no", SECOND_NOTE, "lena")
    assert (second.value, second.answered_by.username) == ("yes", "ivy")
