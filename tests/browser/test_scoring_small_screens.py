"""On a phone (390 px wide) no page of scoring a case scrolls sideways, the case page is one
column rather than squeezed ones, and the factor grid becomes a card per factor."""

import pytest
from playwright.sync_api import Page

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

PHONE = 390

# How far the page reaches past the window's right edge, in CSS pixels (0: no sideways scroll).
SIDEWAYS = "document.scrollingElement.scrollWidth - window.innerWidth"

# Elements narrower than most of the main column: a layout of columns side by side.
SQUEEZED = """(selector) => {
  const main = document.querySelector('main').getBoundingClientRect().width;
  return [...document.querySelectorAll(selector)]
    .filter((element) => element.getBoundingClientRect().width < 0.8 * main)
    .map((element) => element.className);
}"""

# Rows whose term and value sit side by side rather than one under the other.
SIDE_BY_SIDE = """(selector) => [...document.querySelectorAll(selector)]
  .filter((row) => {
    const term = row.querySelector('dt').getBoundingClientRect();
    const value = row.querySelector('dd').getBoundingClientRect();
    return value.top < term.bottom - 1;
  })
  .map((row) => row.querySelector('dt').innerText)"""


@pytest.fixture
def sideways():
    """Measure how far a page scrolls sideways, under a name; `sideways.found` maps each name
    measured to its pixels."""
    found: dict[str, int] = {}

    def on(page: Page, name: str) -> None:
        page.wait_for_load_state()
        found[name] = page.evaluate(SIDEWAYS)

    on.found = found
    return on


def scrolling(sideways) -> dict[str, int]:
    return {name: pixels for name, pixels in sideways.found.items() if pixels > 0}


def test_no_page_of_scoring_a_case_scrolls_sideways_on_a_phone(
    part_scored, inspector, lead, sign_in, sideways
):
    ivy = sign_in("ivy", width=PHONE)
    sideways(open_my_cases(ivy), "My cases")
    ivy.goto(CASE_URL)
    sideways(ivy, "case page")
    ivy.goto(f"{CASE_URL}details/")
    sideways(ivy, "descriptors")
    ivy.get_by_label("Court report").select_option(label="No report")
    ivy.get_by_role("button", name="Save and continue").click()
    ivy.locator("#would-clear").wait_for()
    sideways(ivy, "descriptors, asking before clearing C2")
    for section in ("rr-reviewing", "rr-priority-factors", "pp-rosh-targets", "ab-practice-stages"):
        sideways(open_section(ivy, section), section)

    first = open_section(ivy, "rr-assessment")
    second = open_section(ivy.context.new_page(), "rr-assessment")
    question_on(first, "RR-A3").get_by_label("Yes").check()
    wait_until_saved(first)
    question_on(second, "RR-A3").get_by_label("No").check()
    second.locator(".app-conflict").wait_for()
    sideways(second, "conflict shown by autosave")

    ivy.goto(f"{CASE_URL}check/")
    sideways(ivy, "check your answers")
    ivy.goto(f"{CASE_URL}history/")
    sideways(ivy, "history")

    case_moved(CaseStatus.SUBMITTED, inspector, "The record holds nothing more.")
    lena = sign_in("lena", width=PHONE)
    sideways(open_my_cases(lena), "lead's My cases")
    lena.goto(CASE_URL)
    lena.locator("#review").wait_for()
    sideways(lena, "lead's case page with the review form")

    assert scrolling(sideways) == {}


def test_the_case_page_on_a_phone_is_one_column_and_the_grid_a_card_per_factor(
    part_scored, sign_in
):
    ivy = sign_in("ivy", width=PHONE)
    ivy.goto(CASE_URL)
    assert ivy.evaluate(SQUEEZED, "main [class*='govuk-grid-column']") == []
    assert ivy.evaluate(SIDE_BY_SIDE, "main .govuk-summary-list__row") == []
    descriptors = ivy.locator("#case-details").bounding_box()
    sections = ivy.locator(".app-case-contents").bounding_box()
    assert sections["y"] > descriptors["y"], "the sections list comes after, not beside"

    open_section(ivy, "rr-priority-factors")  # a factor's cells one under the other, full width
    cells = ivy.locator("#item-accommodation td").evaluate_all(
        "cells => cells.map((cell) => cell.getBoundingClientRect())"
        ".map((box) => ({top: box.top, width: box.width}))"
    )
    assert [cell["top"] for cell in cells] == sorted({cell["top"] for cell in cells})
    assert min(cell["width"] for cell in cells) > 0.8 * PHONE - 30


def test_my_inspections_and_the_case_list_do_not_scroll_sideways_on_a_phone(
    part_scored, sign_in, sideways
):
    ivy = sign_in("ivy", width=PHONE)
    sideways(ivy, "My inspections")
    ivy.goto("/inspections/northshire/cases/")
    sideways(ivy, "case list")

    assert scrolling(sideways) == {}
