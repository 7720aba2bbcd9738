"""Without JavaScript, "Save and continue" saves a section's answers and notes, a gate an answer
opens shows its questions on the same page, and one an answer shuts asks before clearing."""

import pytest
from playwright.sync_api import expect

from tests.browser.scoring_steps import (
    grid_cell,
    not_asked_on,
    note_for,
    open_section,
    question_on,
    save_and_continue,
    stored,
    stored_value,
    success_banner,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NOTE = "OASys of 4 April scores reoffending as medium; reasons given in full."
CHAIN = ["RR-P1", "RR-D2", "RR-D5", "RR-O1"]


def test_save_and_continue_stores_the_answers_and_opens_the_next_section(case, sign_in):
    page = open_section(sign_in("ivy", javascript=False), "rr-assessment")
    expect(page.locator("#autosave-status")).to_be_hidden()
    question_on(page, "RR-A1").get_by_label("Yes").check()
    note_for(page, "RR-A1").fill(NOTE)
    question_on(page, "RR-A3").get_by_label("No").check()
    save_and_continue(page)

    expect(success_banner(page)).to_contain_text("Reducing reoffending: assessment: saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reducing reoffending: priority offending-related factors"
    )
    answer = stored("RR-A1")
    assert (answer.value, answer.note) == ("yes", NOTE)
    assert stored_value("RR-A3") == "no"


def test_an_answer_that_opens_a_gate_shows_the_questions_it_opened_on_the_same_page(case, sign_in):
    page = open_section(sign_in("ivy", javascript=False), "rr-reviewing")
    expect(question_on(page, "RR-R2")).to_be_hidden()
    expect(not_asked_on(page, "RR-R2")).to_contain_text(
        "Not asked of this case: asked only where the answer to RR-R1 is Yes"
    )
    question_on(page, "RR-R1").get_by_label("Yes").check()
    save_and_continue(page)

    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "Your answers opened 2 more questions on this page: answer them, then save and continue."
    )
    assert page.url.endswith(f"#slot-{question_on(page, 'RR-R2').get_attribute('data-slot')}")
    expect(question_on(page, "RR-R2")).to_be_visible()
    expect(not_asked_on(page, "RR-R2")).to_be_hidden()
    assert stored_value("RR-R1") == "yes"
    question_on(page, "RR-R2").get_by_label("Yes").check()
    question_on(page, "RR-R3").get_by_label("Not applicable").check()
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Reducing reoffending: outcomes")
    assert [stored_value(code) for code in ("RR-R1", "RR-R2", "RR-R3")] == ["yes", "yes", "na"]


def test_the_factor_grid_opens_a_factors_chain_and_asks_before_clearing_it(case, sign_in):
    page = open_section(sign_in("ivy", javascript=False), "rr-priority-factors")
    grid_cell(page, "drugs", "RR-A2").locator("select").select_option("yes")
    save_and_continue(page)

    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "Your answers opened 4 more questions on this page"
    )
    for code in CHAIN:
        grid_cell(page, "drugs", code).locator("select").select_option("yes")
    save_and_continue(page)  # RR-D5 Yes opens RR-D5b
    grid_cell(page, "drugs", "RR-D5b").locator("select").select_option("no")
    save_and_continue(page)
    assert [stored_value(code, "drugs") for code in CHAIN] == ["yes"] * 4

    open_section(page, "rr-priority-factors")
    grid_cell(page, "drugs", "RR-A2").locator("select").select_option("no")
    page.get_by_role("button", name="Save and continue").click()
    warning = page.locator("#would-clear")
    expect(warning).to_contain_text("5 other answers no longer apply and will be cleared")
    for code in [*CHAIN, "RR-D5b"]:
        expect(warning).to_contain_text(f"{code} [drugs]")
    expect(warning).to_contain_text("Nothing has been saved yet.")
    assert stored_value("RR-A2", "drugs") == "yes"
    page.get_by_role("button", name="Save and clear 5 answers").click()

    expect(success_banner(page)).to_contain_text("saved")
    assert stored_value("RR-A2", "drugs") == "no"
    assert [stored(code, "drugs") for code in [*CHAIN, "RR-D5b"]] == [None] * 5
