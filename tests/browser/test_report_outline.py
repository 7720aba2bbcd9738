"""The Durham editor opens the report's outline (an index, then a chapter's page), edits a
paragraph with a live figure and sees the figure filled in beside the message saying it was
saved, is refused a figure that names nothing, moves a part only where they chose, and is not
offered Publish while a part's figures wait to be confirmed. Every link and button says which
part it acts on, every page is clean for axe-core and fits a phone."""

import pytest
from playwright.sync_api import expect

from fixtures.durham_2016 import DEMO_PASSWORD
from inspection.models import InspectionStatus
from inspection.services import inspection_status_change
from reports.document.compose import build_document
from reports.export.pdf import document_html, printed_fingerprint
from reports.models import ExportStatus, PartKind, ReportExport, ReportPart

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
CRC = "5.1 Effectiveness of the CRC"


@pytest.fixture
def durham(demo_loader):
    return demo_loader()


def sign_in_as_editor(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My inspections").wait_for()


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def chapter_url(live_server, durham, number: str) -> str:
    chapter = next(n for n in build_document(durham, printing=False).parts if n.number == number)
    return f"{live_server.url}/inspections/{durham.slug}/report/parts/{chapter.part_id}/outline/"


def test_editor_edits_a_paragraph_with_a_live_figure_with_no_accessibility_violations(
    durham, live_server, page, axe_violations
):
    sign_in_as_editor(page, live_server)
    page.get_by_role("link", name="Quality & Impact inspection: Durham").click()
    page.get_by_role("link", name="Report", exact=True).click()
    page.get_by_role("heading", name="Report", exact=True).wait_for()
    assert page.get_by_role("link", name=CRC, exact=True).is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Edit 1 Overall judgements", exact=True).click()
    page.get_by_role("heading", name="Edit overall judgements").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Text").fill("The CRC took all reasonable action in [[PP-D8a CRC]] cases.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("1 Overall judgements saved.").wait_for()
    assert page.get_by_text(
        "The CRC took all reasonable action in 19 out of 31 cases."
    ).is_visible()

    page.get_by_role("link", name="Edit 1 Overall judgements", exact=True).click()
    page.get_by_label("Text").fill("In [[PP-Q9 CRC]] cases.")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    assert (
        "[[PP-Q9 CRC]]: there is no question PP-Q9"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert axe_violations(page) == []

    page.set_viewport_size(PHONE)
    paths = ("report/", "report/figures/", "report/parts/add/")
    for path in [f"{live_server.url}/inspections/durham-2016/{path}" for path in paths] + [
        chapter_url(live_server, durham, "5")
    ]:
        page.goto(path)
        assert not scrolls_sideways(page), path
        assert axe_violations(page) == [], path


def test_every_link_and_button_of_a_chapter_names_its_part(
    durham, live_server, page, axe_violations
):
    sign_in_as_editor(page, live_server)
    page.goto(f"{live_server.url}/inspections/durham-2016/report/")
    page.get_by_role("link", name="5 Reducing reoffending", exact=True).click()
    page.get_by_role("heading", name="5 Reducing reoffending", level=1).wait_for()

    # What a screen reader's list of links and buttons reads, visually hidden words included.
    names = (
        page.locator(".app-outline__actions")
        .locator("a, button")
        .evaluate_all(r"all => all.map(control => control.textContent.replace(/\s+/g, ' ').trim())")
    )
    assert len(names) > 400 and len(names) == len(set(names))
    assert "Edit Prose" not in names and "Edit" not in names
    prose = page.get_by_role("link", name=f"Edit prose 7 in Organisational issues, {CRC}")
    expect(prose).to_have_count(1)
    # Seen: "Edit"; the rest is for those who hear it (GOV.UK's visually hidden text).
    hidden = prose.locator(".govuk-visually-hidden")
    expect(hidden).to_have_text(f" prose 7 in Organisational issues, {CRC}")
    assert hidden.bounding_box()["width"] <= 1
    expect(
        page.get_by_role("button", name=f"Move up prose 7 in Organisational issues, {CRC}")
    ).to_have_count(1)
    assert axe_violations(page) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_after_saving_a_part_deep_in_a_chapter_the_message_is_in_view_beside_it(
    durham, live_server, browser, javascript
):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    sign_in_as_editor(page, live_server)
    page.goto(chapter_url(live_server, durham, "5"))
    name = f"prose 19 in Operational issues, {CRC}"
    page.get_by_role("link", name=f"Edit {name}", exact=True).click()
    text = page.get_by_label("Text")
    text.fill(f"{text.input_value()} A sentence more.")
    page.get_by_role("button", name="Save").click()

    banner = page.locator(".govuk-notification-banner")
    banner.wait_for()
    expect(banner).to_have_count(1)
    expect(banner).to_contain_text(f"{name[0].upper()}{name[1:]} saved.")
    expect(banner).to_be_in_viewport()
    # The banner is in the saved part's row, and the part's own buttons are in view with it.
    row = page.locator(".app-outline__part", has=banner)
    expect(row.get_by_role("link", name=f"Edit {name}", exact=True)).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 2_000  # far down the chapter, not at its top
    if javascript:  # GOV.UK Frontend moves the focus to a success banner
        expect(banner).to_be_focused()
    context.close()


def test_the_move_to_list_starts_on_no_place_and_refuses_a_move_without_one(
    durham, live_server, page, axe_violations
):
    sign_in_as_editor(page, live_server)
    section = next(n for n in build_document(durham, printing=False).walk() if n.number == "5.1")
    page.goto(f"{live_server.url}/inspections/durham-2016/report/parts/{section.part_id}/")
    where = page.get_by_label("Move it, with everything under it, to the end of")
    assert where.input_value() == ""
    expect(where.locator("option:checked")).to_have_text("Choose where to move it")

    page.get_by_role("button", name="Move", exact=True).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose where to move it")
    expect(summary).to_be_focused()  # GOV.UK Frontend, so it is read first
    expect(page.locator("#move-to-parent-error")).to_contain_text("Choose where to move it")
    summary.get_by_role("link", name="Choose where to move it").click()
    expect(where).to_be_focused()
    assert ReportPart.objects.get(pk=section.part_id).parent_id is not None
    assert axe_violations(page) == []


def test_publish_is_not_offered_while_a_parts_figures_wait_to_be_confirmed(
    durham, live_server, page, axe_violations
):
    lead = durham.team.get(role="lead_inspector").user
    inspection_status_change(inspection=durham, to_status=InspectionStatus.DRAFTING, by=lead)
    methodology = ReportPart.objects.get(inspection=durham, kind=PartKind.METHODOLOGY)
    ReportPart.objects.filter(pk=methodology.pk).update(confirmed_figures={})  # never confirmed
    # A PDF of the report as it prints now, as version 1 (what the worker records, without
    # the minute WeasyPrint takes): only the methodology's figures hold it back.
    printed = printed_fingerprint(document_html(build_document(durham)), [])
    ReportExport.objects.create(
        inspection=durham,
        status=ExportStatus.DONE,
        pdf=b"%PDF-1.7",
        pages=50,
        checksum="0",
        fingerprint=printed,
        static_files=[],
        version=1,
    )
    sign_in_as_editor(page, live_server)
    page.goto(f"{live_server.url}/inspections/durham-2016/report/export/")

    expect(page.get_by_role("button", name="Publish the report with this PDF")).to_have_count(0)
    expect(page.get_by_text("You cannot publish this PDF yet")).to_be_visible()
    # The PDF itself would do: the page gives no other reason.
    expect(page.locator("#cannot-publish + ul")).to_have_count(0)
    confirm = page.get_by_role(
        "link", name="Confirm the figures of Methodology in Appendix 3: Methodology"
    )
    assert axe_violations(page) == []
    confirm.click()

    # The figures page, at the part, with the button that confirms it.
    expect(page.locator(f"#part-{methodology.pk}")).to_be_in_viewport()
    button = page.get_by_role(
        "button", name="Confirm the figures of Methodology in Appendix 3: Methodology"
    )
    expect(button).to_have_count(1)
