"""An inspector scores a case in the browser from first answer to quality assurance: the
descriptors, every section (the factor grid too), gates opening and shutting, evidence notes,
the check before submitting; the lead returns it with a comment, the inspector corrects and
resubmits it, the lead quality-assures it and the inspector can no longer change it."""

import pytest
from playwright.sync_api import Page, expect

from cases.models import CaseStatus
from tests.browser.scoring_steps import (
    CASE_URL,
    answer_every_question_shown,
    grid_cell,
    key,
    not_asked_on,
    note_for,
    open_my_cases,
    open_section,
    question_on,
    save_and_continue,
    stored,
    stored_value,
    success_banner,
    the_case,
    wait_until_saved,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# The sections of a CRC community order with a full written court report, MAPPA level 2 and
# an interview, in the order "Save and continue" walks them. Case descriptors: engagement and
# diversity (CD-4, asked only of a woman) asks nothing of this case, so it is stepped over.
SECTIONS = [
    "cs-assessment",
    "cs-planning",
    "cs-engagement",
    "cd-case-details",
    "rr-assessment",
    "rr-priority-factors",
    "rr-planning",
    "rr-delivery",
    "rr-reviewing",
    "rr-outcomes",
    "pp-rosh-targets",
    "pp-assessment",
    "pp-delivery",
    "pp-reviewing",
    "ab-practice-stages",
    "ab-engagement",
    "ab-reviewing",
    "ab-delivery",
    "ab-outcomes",
    "ab-management",
    "lm-management",
]
PRIORITY_FACTORS = [
    "accommodation",
    "ete",
    "finance",
    "relationships",
    "lifestyle",
    "drugs",
    "alcohol",
    "emotional_wellbeing",
    "thinking_behaviour",
    "attitudes",
]
ROSH_TARGETS = ["public", "known_victims", "children", "staff", "prisoners"]
# The chain of questions a priority factor opens (RR-D5b only where RR-D5 is Yes).
CHAIN = ["RR-P1", "RR-D2", "RR-D5", "RR-O1"]
LEFT_FOR_LATER = "AB-X1"
REASON = "nDelius was down on the day: recording could not be checked."
COMMENT = "AB-X1: nDelius is back up; please check the recording and answer it."


def fill_the_descriptors(page: Page) -> None:
    """The court report, MAPPA level and interview open questions the sample's defaults shut."""
    page.get_by_role("link", name="Change the case descriptors").click()
    page.get_by_role("heading", name="Case descriptors").wait_for()
    page.get_by_label("Court report").select_option(label="Full written report")
    page.get_by_label("MAPPA level").select_option(label="Level 2")
    page.get_by_label("Likelihood of reoffending").select_option(label="Medium")
    page.get_by_role("group", name="Was the person on probation interviewed").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(success_banner(page)).to_contain_text("Case descriptors saved")


def answer_with_evidence(page: Page) -> None:
    """Court stage: assessment, with an evidence note typed under two answers."""
    # C2 is asked only where there was a court report: the descriptors just opened it.
    expect(question_on(page, "C2")).to_be_visible()
    note_for(page, "C2").fill("PSR of 3 March: OASys score quoted and explained.")
    note_for(page, "C3").fill("RoSH screening done at court; full analysis on day 12.")
    answer_every_question_shown(page)


def score_the_priority_factors(page: Page) -> None:
    """Two factors are priorities: their chains open; one is set back to No, which asks
    before clearing the chain's answers, and clears them once confirmed."""
    for item in PRIORITY_FACTORS:
        expect(grid_cell(page, item, "RR-P1").locator(".app-slot")).to_be_hidden()
    for item in PRIORITY_FACTORS:
        priority = "yes" if item in ("accommodation", "ete") else "no"
        grid_cell(page, item, "RR-A2").locator("select").select_option(priority)
    for item in ("accommodation", "ete"):
        for code in CHAIN:
            expect(grid_cell(page, item, code).locator("select")).to_be_visible()
        expect(grid_cell(page, item, "RR-D5b").locator("select")).to_be_hidden()
    expect(grid_cell(page, "finance", "RR-P1").get_by_text("Not asked")).to_be_visible()
    answer_every_question_shown(page)  # a first choice of Yes for RR-D5 opens RR-D5b
    expect(grid_cell(page, "ete", "RR-D5b").locator("select")).to_be_visible()
    page.get_by_text("Evidence for Accommodation").click()
    note_for(page, "RR-A2", "accommodation").fill("Sofa-surfing at sentence; hostel since May.")
    wait_until_saved(page)
    assert stored_value("RR-O1", "ete") == "yes"

    grid_cell(page, "ete", "RR-A2").locator("select").select_option("no")
    confirm = page.get_by_role("alert").filter(has_text="will be cleared")
    expect(confirm).to_contain_text("5 other answers no longer apply")
    expect(confirm).to_contain_text("RR-P1 [ete]")
    assert stored_value("RR-A2", "ete") == "yes", "nothing changes before it is confirmed"
    confirm.get_by_role("button", name="Change it and clear them").click()
    for code in [*CHAIN, "RR-D5b"]:
        expect(grid_cell(page, "ete", code).locator("select")).to_be_hidden()
        expect(grid_cell(page, "ete", code)).to_contain_text("Not asked")
    wait_until_saved(page)
    assert stored_value("RR-A2", "ete") == "no"
    assert [stored(code, "ete") for code in [*CHAIN, "RR-D5b"]] == [None] * 5


def score_the_risk_of_harm_targets(page: Page) -> None:
    """A risk to the public and to known victims; the chains of those two rows."""
    for item in ROSH_TARGETS:
        risk = "yes" if item in ("public", "known_victims") else "no"
        grid_cell(page, item, "PP-A0").locator("select").select_option(risk)
    answer_every_question_shown(page)
    expect(grid_cell(page, "children", "PP-A3").get_by_text("Not asked")).to_be_visible()


def open_and_shut_the_review_gate(page: Page) -> None:
    """RR-R2 and RR-R3 are asked only where a review was needed (RR-R1 Yes)."""
    gated = [question_on(page, "RR-R2"), question_on(page, "RR-R3")]
    for question in gated:
        expect(question).to_be_hidden()
    expect(not_asked_on(page, "RR-R2")).to_contain_text(
        "Not asked of this case: asked only where the answer to RR-R1 is Yes"
    )
    question_on(page, "RR-R1").get_by_label("Yes").check()
    for question in gated:
        expect(question).to_be_visible()
    expect(not_asked_on(page, "RR-R2")).to_be_hidden()
    question_on(page, "RR-R1").get_by_label("No").check()
    for question in gated:
        expect(question).to_be_hidden()
    question_on(page, "RR-R1").get_by_label("Yes").check()
    answer_every_question_shown(page)
    for question in gated:
        expect(question).to_be_visible()


def leave_one_for_later(page: Page) -> None:
    answer_every_question_shown(page, leave=frozenset({LEFT_FOR_LATER}))


SECTION_STEPS = {
    "cs-assessment": answer_with_evidence,
    "rr-priority-factors": score_the_priority_factors,
    "rr-reviewing": open_and_shut_the_review_gate,
    "pp-rosh-targets": score_the_risk_of_harm_targets,
    "ab-management": leave_one_for_later,
}


def score_every_section(page: Page) -> list[str]:
    """From the first section to the check page by "Save and continue"; the sections seen."""
    seen = []
    while not page.url.endswith("/check/"):
        section = page.url.rstrip("/").rsplit("/", 1)[-1]
        seen.append(section)
        SECTION_STEPS.get(section, answer_every_question_shown)(page)
        wait_until_saved(page)
        save_and_continue(page)
    return seen


def test_inspector_scores_the_case_and_the_lead_quality_assures_it_after_a_return(
    case, lead, sign_in
):
    ivy = sign_in("ivy")
    open_my_cases(ivy)
    card = ivy.locator(".app-case-card", has_text="Case NS-001")
    expect(card).to_contain_text("Not started")
    card.get_by_role("link", name="Case NS-001").click()
    ivy.get_by_role("heading", name="Case NS-001").wait_for()
    fill_the_descriptors(ivy)

    assert score_every_section(ivy) == SECTIONS
    expect(ivy.locator("#check-to-do")).to_have_text("1 question not answered.")
    left = ivy.locator(".app-check-answers .govuk-summary-list__row", has_text="Not answered")
    expect(left).to_have_count(1)
    expect(left.locator(".app-question-code")).to_have_text(LEFT_FOR_LATER)
    assert stored("C2").note == "PSR of 3 March: OASys score quoted and explained."
    assert stored("RR-A2", "accommodation").note.startswith("Sofa-surfing")

    ivy.get_by_role("button", name="Submit with questions unanswered").click()
    expect(ivy.locator(".govuk-error-summary")).to_contain_text("say why they are left")
    assert the_case().status == CaseStatus.IN_PROGRESS
    ivy.get_by_label("Why are these questions left unanswered?").fill(REASON)
    ivy.get_by_role("button", name="Submit with questions unanswered").click()
    expect(success_banner(ivy)).to_contain_text("submitted")
    assert (the_case().status, the_case().submission_note) == (CaseStatus.SUBMITTED, REASON)

    lena = sign_in("lena")
    open_my_cases(lena)
    waiting = lena.locator(".app-case-card", has_text="Case NS-001")
    expect(waiting).to_contain_text("Submitted")
    waiting.get_by_role("link", name="Case NS-001").click()
    expect(lena.get_by_text(REASON)).to_be_visible()
    lena.get_by_label("Comments for the inspector").fill(COMMENT)
    lena.get_by_role("button", name="Return to inspector").click()
    expect(success_banner(lena)).to_contain_text("returned")
    assert (the_case().status, the_case().review_comment) == (CaseStatus.RETURNED, COMMENT)

    open_my_cases(ivy)
    card = ivy.locator(".app-case-card", has_text="Case NS-001")
    expect(card).to_contain_text("Returned")
    expect(card).to_contain_text(f"The lead inspector said: {COMMENT}")
    card.get_by_role("link", name="Case NS-001").click()
    banner = ivy.get_by_role("region", name="Returned by the lead inspector")
    expect(banner).to_contain_text(COMMENT)
    banner.get_by_role("link", name="check your answers and submit it again").click()
    ivy.get_by_role("link", name=f"Change the answer to {LEFT_FOR_LATER}").click()
    question_on(ivy, LEFT_FOR_LATER).get_by_label("Yes").check()
    note_for(ivy, LEFT_FOR_LATER).fill("Recording up to date to the week before fieldwork.")
    wait_until_saved(ivy)
    ivy.get_by_role("link", name="Check your answers and submit").click()
    expect(ivy.get_by_text("Every question asked of this case is answered")).to_be_visible()
    ivy.get_by_role("button", name="Submit the case").click()
    expect(success_banner(ivy)).to_contain_text("submitted")
    assert (the_case().status, the_case().submission_note) == (CaseStatus.SUBMITTED, "")

    lena.reload()
    lena.get_by_role("button", name="Mark as quality assured").click()
    expect(success_banner(lena)).to_contain_text("quality assured")
    assert the_case().status == CaseStatus.QUALITY_ASSURED

    the_inspector_can_no_longer_change_it(ivy)


def the_inspector_can_no_longer_change_it(page: Page) -> None:
    page.goto(CASE_URL)
    expect(page.get_by_text("Quality assured").first).to_be_visible()
    expect(page.get_by_role("link", name="Continue scoring")).to_have_count(0)
    expect(page.get_by_role("link", name="Change the case descriptors")).to_have_count(0)
    open_section(page, "rr-assessment")
    expect(page.get_by_text("This case is quality assured")).to_be_visible()
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)
    answers = page.locator("#section-form input[type=radio], #section-form textarea")
    assert answers.count() > 0
    for index in range(answers.count()):
        expect(answers.nth(index)).to_be_disabled()

    slot = key("RR-A1")
    before = stored("RR-A1")
    form = {
        "csrfmiddlewaretoken": page.locator("input[name=csrfmiddlewaretoken]").first.input_value(),
        "key": slot,
        f"a-{slot}": "no" if before.value == "yes" else "yes",
        f"n-{slot}": "Changed after quality assurance.",
        f"v-{slot}": str(before.version),
    }
    # The page's save is refused as a whole, before any answer is looked at, and the section
    # is shown again with why.
    forged_page = page.request.post(page.url, form=form).text()
    assert "the case is quality assured, so its answers cannot change" in forged_page
    forged_autosave = page.request.post(f"{CASE_URL}answers/", form=form)
    assert forged_autosave.status == 422
    assert "the case is quality assured" in forged_autosave.json()["message"]
    after = stored("RR-A1")
    assert (after.value, after.note, after.version) == (before.value, before.note, before.version)
