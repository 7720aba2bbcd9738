"""Check your answers as an inspector uses it: every answer by section with what is left marked,
a Change link to the very question, back to the check and submit; then the case is the lead's
to review and the inspector reads it without inputs. And on a factor grid, the confirmation
that an answer will clear others appears beside the control that was changed."""

import pytest
from playwright.sync_api import expect

from cases.models import CaseStatus
from tests.browser.scoring_steps import (
    CASE_URL,
    DATABASE,
    grid_cell,
    key,
    open_section,
    question_on,
    success_banner,
    the_case,
    wait_until_saved,
)
from tests.helpers import record

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

REASON = "The record holds nothing on reviews."


def test_inspector_checks_changes_an_answer_submits_and_then_reads_the_case_only(
    case, inspector, sign_in, axe_violations
):
    with DATABASE:
        record(case, "RR-A1", "yes", note="OASys of 4 April.", user=inspector)
    ivy = sign_in("ivy")
    ivy.goto(f"{CASE_URL}check/")
    ivy.get_by_role("heading", name="Check your answers").wait_for()
    expect(ivy.locator("#check-to-do")).to_contain_text("questions not answered")
    headings = ivy.locator("h2.govuk-heading-m[id^='check-']")
    expect(headings.first).to_have_text("Case descriptors")
    rows = ivy.locator(".app-check-answers .govuk-summary-list__row")
    answered = rows.filter(has=ivy.locator(".app-question-code", has_text="RR-A1"))
    expect(answered).to_contain_text("Yes")
    expect(answered).to_contain_text("OASys of 4 April.")
    left = rows.filter(has=ivy.locator(".app-question-code", has_text="RR-A3"))
    expect(left).to_contain_text("Not answered")
    assert axe_violations(ivy) == []

    left.get_by_role("link", name="Change the answer to RR-A3").click()
    ivy.wait_for_url(f"**/sections/rr-assessment/#slot-{key('RR-A3')}")
    expect(question_on(ivy, "RR-A3")).to_be_in_viewport()
    question_on(ivy, "RR-A3").get_by_label("Yes").check()
    wait_until_saved(ivy)

    ivy.get_by_role("link", name="Check your answers and submit").click()
    ivy.get_by_role("heading", name="Check your answers").wait_for()
    changed = ivy.locator(f"#check-{key('RR-A3')}")
    expect(changed).to_contain_text("Yes")
    expect(changed).not_to_contain_text("Not answered")
    ivy.get_by_label("Why are these questions left unanswered?").fill(REASON)
    ivy.get_by_role("button", name="Submit with questions unanswered").click()
    expect(success_banner(ivy)).to_contain_text("submitted")
    assert (the_case().status, the_case().submission_note) == (CaseStatus.SUBMITTED, REASON)

    notice = ivy.locator("#read-only-notice")
    expect(notice).to_contain_text("with the lead inspector for review")
    expect(ivy.get_by_role("link", name="Continue scoring")).to_have_count(0)
    expect(ivy.get_by_role("link", name="Change the case descriptors")).to_have_count(0)
    assert axe_violations(ivy) == []

    open_section(ivy, "rr-assessment")
    expect(ivy.locator("#read-only-notice")).to_contain_text("returns the case to you")
    expect(question_on(ivy, "RR-A3").get_by_label("Yes")).to_be_disabled()
    expect(ivy.get_by_role("button", name="Save and continue")).to_have_count(0)
    assert axe_violations(ivy) == []


def test_on_a_grid_the_confirmation_to_clear_answers_is_beside_the_changed_control(
    case, inspector, sign_in
):
    with DATABASE:
        record(case, "RR-A2", "yes", "accommodation", user=inspector)
        record(case, "RR-P1", "yes", "accommodation", user=inspector)
    ivy = sign_in("ivy")
    open_section(ivy, "rr-priority-factors")
    control = grid_cell(ivy, "accommodation", "RR-A2").locator("select")
    control.select_option("no")
    box = ivy.locator(".app-conflict", has_text="will be cleared")
    expect(box).to_be_visible()
    expect(box).to_contain_text("RR-P1 [accommodation] “")
    below_control = control.bounding_box()["y"] + control.bounding_box()["height"]
    # In a row of its own straight under the item's row: within a row's height of the control.
    assert 0 <= box.bounding_box()["y"] - below_control < 120
    expect(ivy.locator("#item-accommodation + tr.app-grid-box-row")).to_contain_text(
        "will be cleared"
    )
