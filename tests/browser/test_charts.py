"""The Durham lead opens the report's charts, reads Chart 3's five bars from its data table,
follows a count to the cases behind it with the keyboard, moves a bar with its button, and
every chart page is clean for axe-core and fits a phone."""

import pytest
from django.contrib.auth import get_user_model

from fixtures.durham_2016 import DEMO_PASSWORD
from judgements.models import Answer
from judgements.services import AnswerSlot, answer_record, case_status_change

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def durham(demo_loader):
    demo_loader()


def sign_in_as_lead(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My inspections").wait_for()


# A cell's text as the eye reads it: without what is there for a screen reader alone.
SEEN_TEXT = """cell => {
    const hidden = [...cell.querySelectorAll(".govuk-visually-hidden")];
    hidden.forEach(element => { element.hidden = true; });
    const seen = cell.innerText;
    hidden.forEach(element => { element.hidden = false; });
    return seen;
}"""


def table_rows(page) -> list[list[str]]:
    table = page.get_by_role("table", name="Chart 3 in figures")
    return [
        [cell.evaluate(SEEN_TEXT).split("\n")[0].strip() for cell in row.locator("th, td").all()]
        for row in table.locator("tbody tr").all()
    ]


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_lead_reads_chart_3_and_moves_a_bar_with_no_accessibility_violations(
    durham, live_server, page, axe_violations
):
    sign_in_as_lead(page, live_server)
    page.get_by_role("link", name="Quality & Impact inspection: Durham").click()
    page.get_by_role("link", name="Appendix 4 charts").click()

    page.get_by_role("heading", name="Charts", exact=True).wait_for()
    assert page.get_by_role("img").count() == 4
    assert axe_violations(page) == []
    page.get_by_role("link", name="Chart 3: Public protection").click()

    page.get_by_role("heading", name="Chart 3: Public protection").wait_for()
    assert page.get_by_role("img", name="Chart 3: Public protection").is_visible()
    assert table_rows(page) == [
        ["The public in general", "17", "14", "31"],
        ["Known victims", "10", "13", "23"],
        ["Children", "7", "7", "14"],
        ["Staff", "6", "5", "11"],
        ["Prisoners", "3", "2", "5"],
    ]
    assert axe_violations(page) == []

    # A count leads to the cases behind it, by its name as read aloud, from the keyboard.
    page.get_by_role(
        "link", name="Known victims: 10 of 23 relevant cases answered yes — list the cases"
    ).focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="10 cases answered yes").wait_for()
    assert page.locator(".app-findings-cases tbody tr").count() == 10
    page.go_back()
    page.get_by_role("heading", name="Chart 3: Public protection").wait_for()

    page.get_by_role("button", name="Move up the bar Known victims").click()
    page.get_by_text("Bar “Known victims” is now bar 1.").wait_for()
    assert [row[0] for row in table_rows(page)][:2] == ["Known victims", "The public in general"]
    labels = page.locator("svg .app-chart__label").all_text_contents()
    assert labels[:2] == ["Known victims", "The public in general"]
    assert axe_violations(page) == []

    page.get_by_role("link", name="Add a bar").click()
    page.get_by_role("button", name="Add bar").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Select the question the bar counts" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Change the title or subtitle").click()
    page.get_by_role("heading", name="Change Chart 3").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Remove Chart 3").click()
    page.get_by_role("heading", name="Remove Chart 3?").wait_for()
    assert axe_violations(page) == []


def test_the_editor_sees_a_chart_an_answer_changed_and_confirms_it_from_the_keyboard(
    durham, live_server, page, axe_violations
):
    """The lead reopens a case and changes its answer behind Chart 2's "Work focused enough
    on risk of harm" bar (26 yes and 14 no when confirmed)."""
    lead = get_user_model().objects.get(username="lead")
    answer = (
        Answer.objects.filter(
            case__inspection__slug="durham-2016", question__code="PP-D1", value="no"
        )
        .select_related("case", "question")
        .first()
    )
    case = case_status_change(
        case=answer.case, to_status="returned", by=lead, comment="Check the risk work"
    )
    answer_record(slot=AnswerSlot(case, answer.question, None), value="yes", user=lead)

    sign_in_as_lead(page, live_server)
    page.goto(f"{live_server.url}/inspections/durham-2016/charts/")
    page.get_by_text("1 chart with figures changed since it was confirmed").wait_for()
    change = (
        "Work focused enough on risk of harm (PP-D1): was 26 yes and 14 no, now 27 yes and 13 no"
    )
    assert page.get_by_text(change).is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Confirm the figures of Chart 2").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Chart 2: Public protection: figures confirmed.").wait_for()
    assert page.get_by_text("figures changed since").count() == 0
    assert axe_violations(page) == []


def test_the_chart_pages_fit_a_phone_without_scrolling_sideways(durham, live_server, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as_lead(page, live_server)
        page.goto(f"{live_server.url}/inspections/durham-2016/charts/")
        page.get_by_role("heading", name="Charts", exact=True).wait_for()
        assert not scrolls_sideways(page)
        widths = page.locator("svg.app-chart").evaluate_all(
            "charts => charts.map(chart => chart.getBoundingClientRect().width)"
        )
        assert len(widths) == 4 and max(widths) <= PHONE["width"]
        page.get_by_role("link", name="Chart 4: Abiding by the sentence").click()
        page.get_by_role("heading", name="Chart 4: Abiding by the sentence").wait_for()
        assert not scrolls_sideways(page)
        page.get_by_role("link", name="Add a bar").click()
        page.get_by_role("heading", name="Add a bar to Chart 4").wait_for()
        assert not scrolls_sideways(page)
    finally:
        context.close()
