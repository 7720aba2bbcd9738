"""The editor's pages for one part of the report: editing it (its live figures, someone else's
save shown beside one's own, with who and when), adding by kind, moving it under another part
(chosen, never a default), removing with confirmation, the title page; per persona, with what
each write records; script in any field printed as text. The outline's own pages are tested in
test_document_outline.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localtime

from reports.document.models import BODY_MAX_CHARS
from reports.document.services import PartContent, report_part_add, report_part_update
from reports.models import Report, ReportPart
from tests.factories import CaseFactory
from tests.helpers import record

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def add(inspection, kind, parent=None, **content):
    return report_part_add(
        inspection=inspection, kind=kind, content=PartContent(**content), parent=parent, by=None
    )


@pytest.fixture
def crc_cases(inspection):
    cases = [CaseFactory(inspection=inspection) for _ in range(3)]
    for case, value in zip(cases, ["yes", "yes", "no"], strict=True):
        record(case, "PP-D8a", value)
    return cases


@pytest.fixture
def parts(inspection, crc_cases):
    foreword = add(inspection, "foreword", heading="Foreword", body="Hello.")
    chapter = add(inspection, "chapter", heading="Protecting the public", domain="PP")
    section = add(inspection, "section", parent=chapter, perspective="CRC")
    prose = add(inspection, "prose", parent=section, body="Action in [[PP-D8a CRC]] cases.")
    return {"foreword": foreword, "chapter": chapter, "section": section, "prose": prose}


def url(name, inspection, *args):
    return reverse(name, args=[inspection.slug, *args])


# Editing


def test_the_edit_page_shows_the_texts_figures_now_and_saving_records_who(
    inspection, parts, as_persona, lead
):
    prose = parts["prose"]
    client = as_persona("lead")
    page = client.get(url("report-part-edit", inspection, prose.pk)).content.decode()
    assert "[[PP-D8a CRC]]" in page and "2 out of 3" in page

    response = client.post(
        url("report-part-edit", inspection, prose.pk),
        {"heading": "", "body": "Now [[PP-D8a CRC percent]].", "version": prose.version},
    )

    assert response.status_code == 302
    prose.refresh_from_db()
    assert (prose.body, prose.version) == ("Now [[PP-D8a CRC percent]].", 2)
    assert prose.history.first().history_user == lead


def test_a_parts_page_runs_as_many_queries_for_a_long_report_as_a_short_one(
    inspection, parts, as_persona
):
    editor = as_persona("editor")
    page = url("report-part-edit", inspection, parts["prose"].pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor.get(page).status_code == 200
        return len(captured.captured_queries)

    short = queries()
    for number in range(30):
        add(inspection, "prose", parent=parts["section"], body=f"In [[PP-D8a CRC]] ({number}).")
    for domain in ("RR", "AB"):  # more places it may move to
        add(
            inspection,
            "section",
            parent=add(inspection, "chapter", domain=domain),
            perspective="NPS",
        )

    assert queries() == short


def test_an_unknown_figure_is_refused_on_the_page_naming_its_place(inspection, parts, as_persona):
    prose = parts["prose"]
    response = as_persona("editor").post(
        url("report-part-edit", inspection, prose.pk),
        {"body": "In [[PP-Q1 CRC]] cases.", "version": prose.version},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Prose: [[PP-Q1 CRC]]: there is no question PP-Q1 in framework qi-2016" in page
    prose.refresh_from_db()
    assert prose.body == "Action in [[PP-D8a CRC]] cases."


def test_an_edit_saved_meanwhile_says_who_and_when_and_offers_two_plain_choices(
    inspection, parts, as_persona, lead
):
    foreword = parts["foreword"]
    report_part_update(
        part=foreword, content=PartContent(heading="Foreword", body="The lead's words."), by=lead
    )
    saved_at = foreword.history.first().history_date
    editor = as_persona("editor")

    response = editor.post(
        url("report-part-edit", inspection, foreword.pk),
        {"heading": "Foreword", "body": "The editor's words.", "version": 1},
    )

    page = response.content.decode()
    when = (
        f"at {localtime(saved_at):%H:%M} on {localtime(saved_at).day} {localtime(saved_at):%B %Y}"
    )
    assert (
        f'<a href="#theirs">{lead.get_full_name()} saved this {when}, after you opened it.' in page
    )
    # Theirs where it differs (the text; the heading is the same), mine kept in the form.
    assert "The lead&#x27;s words." in page and "The editor&#x27;s words.</textarea>" in page
    assert ">Save mine instead of theirs</button>" in page
    back = f"{url('report-chapter', inspection, foreword.pk)}#part-row-{foreword.pk}"
    assert f'href="{back}">Discard mine and keep theirs</a>' in page
    assert "Reload" not in page and "replaces their version with yours" in page
    foreword.refresh_from_db()
    assert foreword.body == "The lead's words."

    again = editor.post(
        url("report-part-edit", inspection, foreword.pk),
        {"heading": "Foreword", "body": "The editor's words.", "version": foreword.version},
    )

    assert again.status_code == 302
    foreword.refresh_from_db()
    assert foreword.body == "The editor's words."


def test_kind_specific_fields_are_read_from_their_lines(inspection, as_persona):
    appendix = add(inspection, "appendix", heading="Glossary")
    client = as_persona("editor")
    add_url = url("report-part-add", inspection)

    choose = client.get(add_url, {"parent": appendix.pk}).content.decode()
    assert 'value="glossary"' in choose and 'value="chapter"' not in choose
    form = client.get(add_url, {"parent": appendix.pk, "kind": "glossary"}).content.decode()
    assert 'name="terms"' in form and 'name="signatory"' not in form

    response = client.post(
        add_url,
        {
            "parent": appendix.pk,
            "kind": "glossary",
            "terms": "NPS | National Probation Service\nCRC | Community Rehabilitation Company",
        },
    )

    assert response.status_code == 302
    glossary = ReportPart.objects.get(kind="glossary")
    assert glossary.terms == [
        ["NPS", "National Probation Service"],
        ["CRC", "Community Rehabilitation Company"],
    ]
    assert glossary.parent == appendix


def test_a_part_added_after_another_takes_the_next_place(inspection, parts, as_persona):
    response = as_persona("editor").post(
        url("report-part-add", inspection),
        {"kind": "local_context", "position": 2, "body": "Durham is large."},
    )

    assert response.status_code == 302
    top = ReportPart.objects.filter(inspection=inspection, parent=None).order_by("position")
    assert [part.kind for part in top] == ["foreword", "local_context", "chapter"]


# Moving and removing


def test_moving_a_part_needs_the_neighbour_the_page_showed(inspection, parts, as_persona):
    client = as_persona("editor")
    chapter, foreword = parts["chapter"], parts["foreword"]

    client.post(
        url("report-part-move", inspection, chapter.pk),
        {"direction": "up", "neighbour": foreword.pk},
    )
    top = ReportPart.objects.filter(inspection=inspection, parent=None).order_by("position")
    assert [part.kind for part in top] == ["chapter", "foreword"]

    response = client.post(
        url("report-part-move", inspection, chapter.pk),
        {"direction": "down", "neighbour": 999999},
        follow=True,
    )
    assert "The order changed since you opened the page" in response.content.decode()


def test_the_editor_moves_a_section_into_another_chapter_from_its_page(
    inspection, parts, as_persona
):
    other = add(inspection, "chapter", heading="Abiding by the sentence", domain="AB")
    editor = as_persona("editor")
    page = editor.get(url("report-part-edit", inspection, parts["section"].pk)).content.decode()
    # The other chapter is offered, by its name; the section's own chapter and the top are not.
    assert f'<option value="{other.pk}">2 Abiding by the sentence</option>' in page
    assert f'<option value="{parts["chapter"].pk}">' not in page
    assert 'value="top"' not in page

    moved = editor.post(
        url("report-part-move-to", inspection, parts["section"].pk),
        {"parent": other.pk, "version": parts["section"].version},
    )

    assert moved.status_code == 302
    assert moved.url == (
        f"{url('report-chapter', inspection, other.pk)}#part-row-{parts['section'].pk}"
    )
    outline = editor.get(moved.url).content.decode()
    assert "2.1 Effectiveness of the Community Rehabilitation Company moved under" in outline
    assert ReportPart.objects.get(pk=parts["prose"].pk).parent_id == parts["section"].pk
    stale = editor.post(
        url("report-part-move-to", inspection, parts["section"].pk),
        {"parent": parts["chapter"].pk, "version": parts["section"].version},
        follow=True,
    )
    assert ReportPart.objects.get(pk=parts["section"].pk).parent_id == other.pk
    assert "changed" in stale.content.decode().lower()


def test_the_move_to_list_chooses_nothing_until_the_editor_does(inspection, parts, as_persona):
    other = add(inspection, "chapter", heading="Abiding by the sentence", domain="AB")
    section = parts["section"]
    editor = as_persona("editor")

    page = editor.get(url("report-part-edit", inspection, section.pk)).content.decode()
    select = page[page.index('<select class="govuk-select') :]
    select = select[: select.index("</select>")]
    assert select.count("<option") == 2
    assert '<option value="">Choose where to move it</option>' in select
    assert "selected" not in select

    response = editor.post(
        url("report-part-move-to", inspection, section.pk),
        {"parent": "", "version": section.version},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#move-to-parent">Choose where to move it</a>' in page  # the summary
    assert '<p id="move-to-parent-error" class="govuk-error-message">' in page
    assert "govuk-select--error" in page and "<title>Error: " in page
    assert ReportPart.objects.get(pk=section.pk).parent_id == parts["chapter"].pk
    assert other.pk != parts["chapter"].pk


def test_a_background_tables_page_says_how_the_text_cites_it(inspection, as_persona):
    appendix = add(inspection, "appendix", heading="Background data")
    add(inspection, "background_table", parent=appendix, heading="Population")
    table = add(inspection, "background_table", parent=appendix, heading="Reoffending")

    page = as_persona("editor").get(url("report-part-edit", inspection, table.pk))

    html = page.content.decode()
    assert "The report numbers it Table 2: cite it in the text as “Appendix 1, table 2”." in html
    assert "<title>Edit Appendix 1, table 2: Reoffending – " in html


def test_removing_a_chapter_asks_first_and_takes_what_is_under_it(
    inspection, parts, as_persona, editor
):
    client = as_persona("editor")
    chapter = parts["chapter"]
    remove = url("report-part-remove", inspection, chapter.pk)

    page = client.get(remove).content.decode()
    assert "2 parts under it will be removed too." in page

    client.post(remove, {"version": chapter.version, "confirmed": "yes"})

    assert list(ReportPart.objects.values_list("kind", flat=True)) == ["foreword"]
    assert set(
        ReportPart.history.filter(history_type="-").values_list("history_user", flat=True)
    ) == {editor.pk}


# Who may write


@pytest.mark.parametrize("persona", ["inspector", "other_inspector"])
def test_only_the_lead_and_the_editor_change_the_report(inspection, parts, as_persona, persona):
    client = as_persona(persona)
    prose = parts["prose"]
    expected = 403 if persona == "inspector" else 404

    posts = [
        client.post(url("report-part-edit", inspection, prose.pk), {"body": "x", "version": 1}),
        client.post(url("report-part-move", inspection, prose.pk), {"direction": "up"}),
        client.post(url("report-part-remove", inspection, prose.pk), {"confirmed": "yes"}),
        client.post(url("report-part-confirm", inspection, prose.pk), {"version": 1}),
        client.post(url("report-part-add", inspection), {"kind": "foreword"}),
        client.post(url("report-front-edit", inspection), {"title": "x"}),
    ]

    assert [response.status_code for response in posts] == [expected] * 6
    assert ReportPart.objects.count() == 4 and not Report.objects.exists()
    prose.refresh_from_db()
    assert prose.version == 1


def test_the_title_page_is_saved_with_who_saved_it(inspection, as_persona, editor):
    response = as_persona("editor").post(
        url("report-front-edit", inspection),
        {"title": "The effectiveness of probation work in Northshire", "publisher": "A\n\nB"},
    )

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.publisher == ["A", "B"]
    assert report.history.get().history_user == editor


# Safety


def test_script_in_any_field_prints_as_text_on_every_page(inspection, as_persona):
    appendix = add(inspection, "appendix", heading=EVIL)
    add(inspection, "quotation", parent=appendix, body=EVIL, attribution=EVIL)
    add(inspection, "glossary", parent=appendix, terms=[[EVIL, EVIL]])
    table = add(
        inspection,
        "background_table",
        parent=appendix,
        heading=EVIL,
        body=EVIL,
        columns=[EVIL],
        rows=[[EVIL]],
        source=EVIL,
    )
    client = as_persona("editor")

    pages = [
        client.get(url("report-outline", inspection)),
        client.get(url("report-figures", inspection)),
        client.get(url("report-part-edit", inspection, table.pk)),
        client.get(url("report-part-remove", inspection, table.pk)),
    ]

    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert(1)" not in page and "<img src=x" not in page


def test_an_over_long_paste_is_refused_whole_and_kept_in_the_form(inspection, parts, as_persona):
    """A textarea's maxlength would cut a paste short and save the stump (issue 16): the
    limit is counted, not enforced by the browser, and the page refuses the whole text."""
    prose = parts["prose"]
    pasted = "x" * BODY_MAX_CHARS + " and the end [[PP-D8a CRC]]"

    response = as_persona("editor").post(
        url("report-part-edit", inspection, prose.pk),
        {"heading": "", "body": pasted, "version": prose.version},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"The text has {len(pasted):,} characters; it may have 20,000 at most." in page
    assert "and the end [[PP-D8a CRC]]</textarea>" in page
    prose.refresh_from_db()
    assert (prose.body, prose.version) == ("Action in [[PP-D8a CRC]] cases.", 1)


def test_the_texts_limit_is_a_character_count_not_a_maxlength(inspection, parts, as_persona):
    page = as_persona("editor").get(url("report-part-edit", inspection, parts["prose"].pk))

    textarea = re.search(r'<textarea[^>]*name="body"[^>]*>', page.content.decode()).group(0)
    assert "maxlength" not in textarea
    html = page.content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="20000"' in html
    assert "You can enter up to 20000 characters" in html
