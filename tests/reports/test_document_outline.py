"""The report's outline (reports/document/outline_views.py): an index of the report's chapters
and other top-level parts with each one's state, a page per chapter with its parts, every link
and button naming the part it acts on, and after a change the message beside the part changed;
per persona, with a constant number of queries."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.document.services import PartContent, report_part_add
from reports.models import ReportPart
from tests.factories import CaseFactory
from tests.helpers import record


def add(inspection, kind, parent=None, **content):
    return report_part_add(
        inspection=inspection, kind=kind, content=PartContent(**content), parent=parent, by=None
    )


def url(name, inspection, *args):
    return reverse(name, args=[inspection.slug, *args])


@pytest.fixture
def crc_cases(inspection):
    cases = [CaseFactory(inspection=inspection) for _ in range(3)]
    for case, value in zip(cases, ["yes", "yes", "no"], strict=True):
        record(case, "PP-D8a", value)
    return cases


@pytest.fixture
def parts(inspection, crc_cases):
    """A foreword, then chapter 1 with section 1.1 holding a sub-heading with two paragraphs
    and a quotation, then an appendix with two background tables."""
    foreword = add(inspection, "foreword", heading="Foreword", body="Hello.")
    chapter = add(inspection, "chapter", heading="Protecting the public", domain="PP")
    section = add(inspection, "section", parent=chapter, perspective="CRC")
    practice = add(inspection, "subsection", parent=section, heading="Practice issues")
    first = add(inspection, "prose", parent=practice, body="Action in [[PP-D8a CRC]] cases.")
    quotation = add(inspection, "quotation", parent=practice, body="It helped.")
    second = add(inspection, "prose", parent=practice, body="Reviews were late.")
    appendix = add(inspection, "appendix", heading="Background data")
    tables = [
        add(inspection, "background_table", parent=appendix, heading=heading, rows=[["A", "1"]])
        for heading in ("Population", "Reoffending")
    ]
    return {
        "foreword": foreword,
        "chapter": chapter,
        "section": section,
        "practice": practice,
        "first": first,
        "quotation": quotation,
        "second": second,
        "appendix": appendix,
        "tables": tables,
    }


# Elements without an end tag.
VOID = {"input", "br", "img", "meta", "link", "hr"}


class _Controls(HTMLParser):
    """The accessible name (all its text, visually hidden included) of every link and button
    inside the outline's rows of actions."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []
        self._depth = 0  # inside an actions block: how many elements deep
        self._control: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag in VOID:
            return
        if self._depth or "app-outline__actions" in classes:
            self._depth += 1
        if self._depth and tag in ("a", "button"):
            self._control = []

    def handle_endtag(self, tag):
        if self._depth and tag in ("a", "button") and self._control is not None:
            self.names.append(" ".join("".join(self._control).split()))
            self._control = None
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._control is not None:
            self._control.append(data)


def control_names(html: str) -> list[str]:
    reading = _Controls()
    reading.feed(html)
    return reading.names


def row_of(html: str, part_id: int) -> str:
    """The markup of one part's row on an outline page."""
    start = html.index(f'id="part-row-{part_id}"')
    ends = [html.find(mark, start + 1) for mark in ('id="part-row-', "</ol>\n")]
    return html[start : min(end for end in ends if end > 0)]


# The index


def test_the_index_lists_each_chapter_with_its_state_and_its_sections(
    inspection, parts, crc_cases, as_persona
):
    record(crc_cases[2], "PP-D8a", "yes")  # the chapter's one figure moves on
    page = as_persona("inspector").get(url("report-outline", inspection)).content.decode()

    chapter = row_of(page, parts["chapter"].pk)
    chapter_page = url("report-chapter", inspection, parts["chapter"].pk)
    assert f'<a class="govuk-link" href="{chapter_page}">1 Protecting the public</a>' in chapter
    assert "5 parts in it" in chapter
    assert "1 part to confirm" in chapter
    section = parts["section"].pk
    assert (
        f'href="{chapter_page}#part-row-{section}">'
        "1.1 Effectiveness of the Community Rehabilitation Company</a>"
    ) in chapter
    appendix = row_of(page, parts["appendix"].pk)
    assert "Appendix 1: Background data" in appendix and "2 parts in it" in appendix
    # The index holds no part's words: those are on the chapters' pages.
    assert "Action in" not in page and "Reviews were late" not in page
    assert "Move up" not in page and "Remove" not in page  # an inspector reads only


def test_the_index_offers_the_editor_each_top_level_parts_buttons(inspection, parts, as_persona):
    page = as_persona("editor").get(url("report-outline", inspection)).content.decode()

    assert control_names(page) == [
        "Edit Foreword",
        "Move down Foreword",
        "Add after Foreword",
        "Add inside Foreword",
        "Remove Foreword",
        "Edit 1 Protecting the public",
        "Move up 1 Protecting the public",
        "Move down 1 Protecting the public",
        "Add after 1 Protecting the public",
        "Add inside 1 Protecting the public",
        "Remove 1 Protecting the public",
        "Edit Appendix 1: Background data",
        "Move up Appendix 1: Background data",
        "Add after Appendix 1: Background data",
        "Add inside Appendix 1: Background data",
        "Remove Appendix 1: Background data",
    ]
    assert "Add a part at the end" in page


# A chapter's page


def test_a_chapters_page_shows_its_parts_words_and_figures(inspection, parts, as_persona):
    client = as_persona("inspector")
    page = client.get(url("report-chapter", inspection, parts["chapter"].pk)).content.decode()

    assert '<h1 class="govuk-heading-l">1 Protecting the public</h1>' in page
    assert "1.1 Effectiveness of the Community Rehabilitation Company" in page
    assert "Action in 2 out of 3 cases." in page and "Reviews were late." in page
    assert "Hello." not in page  # the foreword is on a page of its own
    assert "Move up" not in page and "Remove" not in page
    # The pages follow one another in the report's order.
    assert 'rel="prev"' in page and "Foreword" in page
    assert 'rel="next"' in page and "Appendix 1: Background data" in page


def test_every_link_and_button_on_a_chapters_page_says_which_part_it_is_for(
    inspection, parts, as_persona
):
    page = as_persona("editor").get(url("report-chapter", inspection, parts["chapter"].pk))
    names = control_names(page.content.decode())

    assert len(names) == len(set(names)), "two controls share a name"
    crc = "1.1 Effectiveness of the Community Rehabilitation Company"
    assert f"Edit {crc}" in names
    assert f"Edit Practice issues in {crc}" in names
    assert f"Edit prose 1 in Practice issues, {crc}" in names
    assert f"Move down prose 1 in Practice issues, {crc}" in names
    assert f"Edit quotation in Practice issues, {crc}" in names
    assert f"Remove prose 2 in Practice issues, {crc}" in names
    assert not [name for name in names if name in ("Edit", "Edit Prose", "Remove")]


def test_only_a_top_level_part_that_holds_parts_has_a_page(inspection, parts, as_persona):
    client = as_persona("editor")
    title_page = add(inspection, "title_page")

    assert client.get(url("report-chapter", inspection, parts["section"].pk)).status_code == 404
    assert client.get(url("report-chapter", inspection, title_page.pk)).status_code == 404
    assert client.get(url("report-chapter", inspection, 999_999)).status_code == 404


def test_the_outline_pages_run_as_many_queries_for_a_long_report_as_a_short_one(
    inspection, parts, as_persona
):
    editor = as_persona("editor")
    pages = [
        url("report-outline", inspection),
        url("report-chapter", inspection, parts["chapter"].pk),
    ]

    def queries() -> list[int]:
        counts = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert editor.get(page).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    short = queries()
    for number in range(40):
        add(inspection, "prose", parent=parts["section"], body=f"In [[PP-D8a CRC]] ({number}).")
    chapter = add(inspection, "chapter", domain="RR")
    add(inspection, "section", parent=chapter, perspective="NPS")

    assert queries() == short
    assert max(short) <= 25


def test_a_changed_figure_is_flagged_on_the_chapter_until_confirmed_there(
    inspection, parts, crc_cases, as_persona
):
    record(crc_cases[2], "PP-D8a", "yes")
    client = as_persona("editor")
    chapter_url = url("report-chapter", inspection, parts["chapter"].pk)

    index = client.get(url("report-outline", inspection)).content.decode()
    assert "1 part with figures changed since it was confirmed" in index
    page = client.get(chapter_url).content.decode()
    assert "[[PP-D8a CRC]] was 2 out of 3, now 3 out of 3" in row_of(page, parts["first"].pk)

    first = parts["first"]
    response = client.post(
        url("report-part-confirm", inspection, first.pk),
        {"version": first.version, "next": "outline"},
    )

    assert response.url == f"{chapter_url}#part-row-{first.pk}"
    page = client.get(response.url).content.decode()
    row = row_of(page, first.pk)
    assert "figures confirmed." in row and "was 2 out of 3" not in row


# The message beside what changed


def banner_in(html: str) -> list[str]:
    return re.findall(r'govuk-notification-banner__heading">([^<]*)<', html)


def test_after_saving_a_part_the_message_is_in_its_row_where_the_page_returns(
    inspection, parts, as_persona
):
    client = as_persona("editor")
    second = parts["second"]

    response = client.post(
        url("report-part-edit", inspection, second.pk),
        {"heading": "", "body": "Reviews were on time.", "version": second.version},
    )

    chapter_url = url("report-chapter", inspection, parts["chapter"].pk)
    assert response.url == f"{chapter_url}#part-row-{second.pk}"
    page = client.get(response.url).content.decode()
    saved = (
        "Prose 2 in Practice issues, 1.1 Effectiveness of the Community Rehabilitation "
        "Company saved."
    )
    assert banner_in(row_of(page, second.pk)) == [saved]
    assert banner_in(page) == [saved]  # once, and not at the top of the page
    assert banner_in(client.get(chapter_url).content.decode()) == []


def test_moving_and_removing_say_so_beside_the_part_or_where_it_was(inspection, parts, as_persona):
    client = as_persona("editor")
    first, quotation = parts["first"], parts["quotation"]

    moved = client.post(
        url("report-part-move", inspection, quotation.pk),
        {"direction": "up", "neighbour": first.pk},
    )
    page = client.get(moved.url).content.decode()
    assert banner_in(row_of(page, quotation.pk)) == [
        "Quotation in Practice issues, 1.1 Effectiveness of the Community Rehabilitation "
        "Company moved up."
    ]

    removed = client.post(
        url("report-part-remove", inspection, quotation.pk),
        {"version": ReportPart.objects.get(pk=quotation.pk).version, "confirmed": "yes"},
    )
    assert removed.url.endswith(f"#part-row-{parts['practice'].pk}")
    page = client.get(removed.url).content.decode()
    assert banner_in(row_of(page, parts["practice"].pk)) == [
        "Quotation in Practice issues, 1.1 Effectiveness of the Community Rehabilitation "
        "Company removed."
    ]


def test_a_chapter_moved_on_the_index_returns_there_renumbered_with_the_message_beside_it(
    inspection, parts, as_persona
):
    client = as_persona("editor")
    appendix, chapter = parts["appendix"], parts["chapter"]
    # An appendix moved above a chapter keeps its own numbering: the chapter stays 1.
    response = client.post(
        url("report-part-move", inspection, chapter.pk),
        {"direction": "up", "neighbour": parts["foreword"].pk},
    )

    assert response.url == f"{url('report-outline', inspection)}#part-row-{chapter.pk}"
    page = client.get(response.url).content.decode()
    assert banner_in(row_of(page, chapter.pk)) == ["1 Protecting the public moved up."]
    assert banner_in(row_of(page, appendix.pk)) == []
