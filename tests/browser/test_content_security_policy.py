"""Under the Content Security Policy, GOV.UK Frontend still starts and the browser refuses
nothing on the pages a demo administrator walks through (the Django admin included) or on the
page that says sign-in is locked."""

import pytest
from playwright.sync_api import expect

from fixtures.durham_2016 import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def refusals(page) -> list[str]:
    """What the browser reports refusing under the policy, as it happens."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_govuk_frontend_starts_and_nothing_is_refused(demo_loader, live_server, page, refusals):
    demo_loader("--without-answers")
    page.goto(f"{live_server.url}/accounts/login/")
    # Set by static/js/govuk-frontend-supported.js, which replaced GOV.UK's inline script.
    assert page.evaluate("document.body.className").split() == [
        "govuk-template__body",
        "js-enabled",
        "govuk-frontend-supported",
    ]

    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    # GOV.UK Frontend's error summary moves focus to itself once initAll() has run it.
    expect(page.locator(".govuk-error-summary")).to_be_focused()

    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My inspections").wait_for()
    page.get_by_role("link", name="Quality & Impact inspection: Durham").click()
    page.get_by_role("heading", name="Sample").wait_for()
    page.goto(f"{live_server.url}/inspections/durham-2016/cases/DUR-CRC-01/")
    page.get_by_role("heading", name="Case DUR-CRC-01").wait_for()
    page.goto(f"{live_server.url}/admin/inspection/inspection/")
    page.get_by_role("link", name="Quality & Impact inspection: Durham").click()
    page.get_by_role("heading", name="Change inspection").wait_for()

    assert refusals == []


def test_the_lockout_page_is_accessible_and_refuses_nothing(
    demo_loader, live_server, page, refusals, axe_violations
):
    demo_loader("--without-answers")
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("inspector1")
        page.get_by_label("Password").fill("not the password")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="You cannot sign in for now").wait_for()
    assert axe_violations(page) == []
    assert refusals == []
