"""The steps an inspector or a lead takes to score a case, for tests/browser/test_scoring_*.py.

Plain functions over a Playwright page, so a test reads as what a person does; the fixtures
that build on them (a signed-in persona per browser context) are in tests/browser/conftest.py.
"""

import threading

from playwright.sync_api import Locator, Page, expect

from cases.models import Case
from judgements.models import Answer, Item, Question
from judgements.scoring import slot_key
from judgements.services import case_status_change

# Held while the live server answers a request on SQLite (conftest.served_one_at_a_time), and
# by the tests' reads of the database below, which share its one in-memory connection.
DATABASE = threading.Lock()
PASSWORD = "correct horse battery staple"
SLUG, CASE_REF = "northshire", "NS-001"
CASE_URL = f"/inspections/{SLUG}/cases/{CASE_REF}/"


def signed_in(page: Page, username: str) -> Page:
    """Sign in on a page whose context knows the server (its base_url): paths are enough."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My inspections").wait_for()
    return page


def open_my_cases(page: Page) -> Page:
    """Follow "My cases" in the header, from whatever page is open (on a phone the header's
    links are behind its Menu button); the link then says it is the current page."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My cases").click()
    page.get_by_role("heading", name="My cases").wait_for()
    # Read from the page whether or not the phone's menu is open again.
    expect(page.locator(".govuk-service-navigation__link[href='/my-cases/']")).to_have_attribute(
        "aria-current", "page"
    )
    return page


def open_section(page: Page, section: str) -> Page:
    page.goto(f"{CASE_URL}sections/{section}/")
    return page


# A section's questions as its page shows them: each slot's key, question code, how it is
# answered and whether it is answered yet. Read in one go, not a round trip per input.
SLOTS_SHOWN = """() => [...document.querySelectorAll('#section-form [data-slot]')]
  .filter((slot) => !slot.closest('[hidden]'))
  .map((slot) => {
    const key = slot.dataset.slot;
    const field = document.getElementById(`a-${key}`);
    const kind = field.tagName === 'SELECT' ? 'select' : field.type;
    const radios = [...slot.querySelectorAll(`input[name="a-${key}"]`)];
    const answered = kind === 'radio' ? radios.some((radio) => radio.checked) : field.value !== '';
    const code = slot.querySelector('.app-question-code')?.textContent.trim()
      || slot.closest('td')?.dataset.label;
    return {key, code, kind, answered};
  })"""


def slots_shown(page: Page) -> list[dict]:
    return page.evaluate(SLOTS_SHOWN)


def answer(page: Page, key: str, kind: str, choice: int = 0) -> None:
    """Answer one question as a person does: click a radio, choose from a list, type."""
    if kind == "radio":
        page.locator(f'input[name="a-{key}"]').nth(choice).check()
    elif kind == "select":
        page.locator(f"#a-{key}").select_option(index=choice + 1)  # after the blank "–"
    else:
        page.locator(f"#a-{key}").fill("6")


def answer_every_question_shown(page: Page, *, leave: frozenset[str] = frozenset()) -> list[str]:
    """Answer every question the page shows with its first choice, again and again while an
    answer opens more (a first choice of Yes opens the questions behind it); questions whose
    code is in `leave` stay unanswered. The codes answered, in order."""
    answered = []
    while True:
        todo = [
            slot for slot in slots_shown(page) if not slot["answered"] and slot["code"] not in leave
        ]
        if not todo:
            return answered
        for slot in todo:
            answer(page, slot["key"], slot["kind"])
            answered.append(slot["code"])


def success_banner(page: Page) -> Locator:
    return page.get_by_role("alert", name="Success")


def wait_until_saved(page: Page) -> None:
    expect(page.locator("#autosave-status")).to_have_text("All changes saved.")


def save_and_continue(page: Page) -> None:
    before = page.url
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(lambda url: url != before)


def key(code: str, item: str | None = None) -> str:
    """The key a section's form names a question (for one item) by: a-<key>, n-<key>."""
    with DATABASE:
        question = Question.objects.get(framework__code="qi-2016", code=code)
        item_id = Item.objects.get(item_set_id=question.item_set_id, code=item).id if item else None
    return slot_key(question.id, item_id)


def question_on(page: Page, code: str, item: str | None = None) -> Locator:
    """A question's block on its section's page: its answer, its note, its saved state."""
    return page.locator(f"#slot-{key(code, item)}")


def not_asked_on(page: Page, code: str, item: str | None = None) -> Locator:
    """What the page says in a gated question's place while its gate is shut."""
    return page.locator(f"[data-not-asked-for='{key(code, item)}']")


def grid_cell(page: Page, item: str, code: str) -> Locator:
    """One cell of a factor grid: the row of an item, the column of a question."""
    return page.locator(f"#item-{item} td[data-label='{code}']")


def note_for(page: Page, code: str, item: str | None = None) -> Locator:
    return page.locator(f"#n-{key(code, item)}")


# What the server stored


def stored(code: str, item: str | None = None) -> Answer | None:
    """The case's stored answer to a question (for one item), or None."""
    answers = Answer.objects.filter(case__case_ref=CASE_REF, question__code=code)
    with DATABASE:
        if item:
            return answers.filter(item__code=item).first()
        return answers.filter(item__isnull=True).first()


def stored_value(code: str, item: str | None = None) -> str | None:
    answer = stored(code, item)
    return answer.value if answer else None


def the_case() -> Case:
    with DATABASE:
        return Case.objects.get(case_ref=CASE_REF)


def case_moved(to_status: str, by, comment: str = "") -> None:
    """Move the case along its review steps through the service, as a page would."""
    with DATABASE:
        case_status_change(
            case=Case.objects.get(case_ref=CASE_REF), to_status=to_status, by=by, comment=comment
        )
