"""axe-core finds no violation (WCAG 2.2 AA and best practice) on any page of scoring a case,
in each of the states a person meets: a question page and the factor grid, a conflict with
and without JavaScript, a change of descriptors waiting to be confirmed, the check page and
its error, the history, the lead's review (and its error) and the inspector's returned case."""

import pytest
from playwright.sync_api import expect

from cases.models import CaseStatus
from tests.browser.scoring_steps import (
    CASE_URL,
    case_moved,
    open_my_cases,
    open_section,
    question_on,
    wait_until_saved,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def audit(axe_violations):
    """Run axe on a page as it stands and keep its violations under a name; `audit.found`
    maps each name audited to its violations."""
    found: dict[str, list] = {}

    def run(page, name: str) -> None:
        page.wait_for_load_state()
        found[name] = axe_violations(page)

    run.found = found
    return run


def violations(audit) -> dict[str, list]:
    return {name: found for name, found in audit.found.items() if found}


def test_no_page_an_inspector_scores_on_has_an_accessibility_violation(part_scored, sign_in, audit):
    ivy = sign_in("ivy")
    audit(open_my_cases(ivy), "My cases")
    ivy.goto(CASE_URL)
    audit(ivy, "case page")
    ivy.goto(f"{CASE_URL}details/")
    audit(ivy, "descriptors")
    ivy.get_by_label("Court report").select_option(label="No report")
    ivy.get_by_role("button", name="Save and continue").click()
    ivy.locator("#would-clear").wait_for()
    audit(ivy, "descriptors, asking before clearing C2")
    audit(open_section(ivy, "rr-reviewing"), "question section")
    audit(open_section(ivy, "rr-priority-factors"), "factor grid")

    # RR-A3 changed by another tab (and so, to a page opened before, by someone else). The
    # page without JavaScript is one whose scripts are refused: axe itself needs JavaScript.
    without_javascript = sign_in("ivy")
    without_javascript.context.route("**/*.js", lambda route: route.abort())
    open_section(without_javascript, "rr-assessment")
    first = open_section(ivy, "rr-assessment")
    second = open_section(ivy.context.new_page(), "rr-assessment")
    question_on(first, "RR-A3").get_by_label("Yes").check()
    wait_until_saved(first)
    question_on(second, "RR-A3").get_by_label("No").check()
    second.locator(".app-conflict").wait_for()
    audit(second, "conflict shown by autosave")
    question_on(without_javascript, "RR-A3").get_by_label("No").check()
    without_javascript.get_by_role("button", name="Save and continue").click()
    without_javascript.locator(".app-conflict").wait_for()
    audit(without_javascript, "conflict page without JavaScript")

    ivy.goto(f"{CASE_URL}check/")
    audit(ivy, "check your answers")
    ivy.get_by_role("button", name="Submit with questions unanswered").click()
    ivy.locator(".govuk-error-summary").wait_for()
    audit(ivy, "check your answers, with an error")
    ivy.goto(f"{CASE_URL}history/")
    audit(ivy, "history")

    assert violations(audit) == {}


def test_no_page_of_the_leads_review_and_the_returned_case_has_an_accessibility_violation(
    part_scored, inspector, lead, sign_in, audit
):
    case_moved(CaseStatus.SUBMITTED, inspector, "The record holds nothing more.")
    lena = sign_in("lena")
    audit(open_my_cases(lena), "lead's My cases, waiting for review")
    lena.goto(CASE_URL)
    lena.locator("#review").wait_for()
    audit(lena, "lead's case page with the review form")
    lena.get_by_role("button", name="Return to inspector").click()
    summary = lena.locator(".govuk-error-summary")
    summary.wait_for()
    # GOV.UK Frontend moves focus to the summary, whose link goes to the comment.
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Say what the inspector should look at again.").click()
    expect(lena.locator("#review-comment-input")).to_be_focused()
    audit(lena, "lead's case page with the review refused")

    case_moved(CaseStatus.RETURNED, lead, "Please answer RR-A3.")
    ivy = sign_in("ivy")
    audit(open_my_cases(ivy), "My cases with a returned case")
    ivy.goto(CASE_URL)
    audit(ivy, "returned case page")

    assert violations(audit) == {}
