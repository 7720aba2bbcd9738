"""The enablers and barriers and recommendations pages, as each persona uses them without
JavaScript: reading, adding, editing (with someone else's change in between), moving with the
buttons, deleting; and the number of queries a page runs whatever the number of rows."""

import re

import pytest
from django.urls import reverse

from judgements.framework import framework_loaded
from reports.models import Recommendation, RecommendationGroup, TableRow
from reports.tables.services import (
    FindingLink,
    recommendation_add,
    recommendation_group_add,
    table_row_add,
    table_row_update,
)
from tests.factories import CaseFactory


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def tables_url(inspection) -> str:
    return reverse("enablers-barriers", args=[inspection.slug])


def recommendations_url(inspection) -> str:
    return reverse("recommendations", args=[inspection.slug])


def add_url(inspection, table="pp-crc", column="barriers") -> str:
    return reverse("table-row-add", args=[inspection.slug, table, column])


def row_url(name: str, row) -> str:
    return reverse(name, args=[row.inspection.slug, row.pk])


def add(inspection, text, column="barrier", **links):
    return table_row_add(
        inspection=inspection,
        domain="PP",
        perspective="CRC",
        column=column,
        text=text,
        by=None,
        **links,
    )


def column_texts(inspection, column="barrier") -> list[str]:
    rows = TableRow.objects.filter(
        inspection=inspection, domain="PP", perspective="CRC", column=column
    )
    return list(rows.order_by("position", "pk").values_list("text", flat=True))


@pytest.fixture
def lena(as_persona, lead):
    return as_persona("lead")


@pytest.fixture
def ed(as_persona, editor):
    return as_persona("editor")


@pytest.fixture
def ivy(as_persona, inspector):
    return as_persona("inspector")


@pytest.fixture
def barriers(inspection, case):
    first = add(
        inspection,
        "Risk tasks open at allocation went undone.",
        findings=[FindingLink("PP-A2", None, "CRC")],
        case_refs=["NS-001"],
    )
    return [first, add(inspection, "Oversight was thin."), add(inspection, "Hubs varied.")]


# Reading


def test_the_tables_page_shows_the_nine_tables_with_each_rows_evidence(ivy, inspection, barriers):
    page = text(ivy.get(tables_url(inspection)))

    assert page.count('class="app-eb-table"') == 9
    for heading in ("Reducing reoffending", "Protecting the public", "Abiding by the sentence"):
        assert f">{heading}</h2>" in page
    assert "The CRC and NPS working together" in page
    assert "Risk tasks open at allocation went undone." in page
    drill_down = reverse("finding-cases", args=["northshire", "PP-A2"])
    assert (
        f'<strong>PP-A2 CRC</strong>: <a class="govuk-link app-nowrap" href="{drill_down}'
        '?item=&amp;group=CRC&amp;answer=relevant">no relevant cases yet' in page
    )
    case_url = reverse("case-detail", args=["northshire", "NS-001"])
    assert f'<a class="govuk-link" href="{case_url}">NS-001</a>' in page
    assert "No enablers yet." in page


def test_a_rows_figure_opens_the_cases_it_counts(ivy, inspection, barriers):
    page = text(ivy.get(tables_url(inspection)))
    link = re.search(
        r'<strong>PP-A2 CRC</strong>: <a class="govuk-link app-nowrap" href="([^"]+)"', page
    )

    cases = text(ivy.get(link.group(1).replace("&amp;", "&")))
    assert "PP-A2" in cases and "CRC cases" in cases


def test_an_inspector_reads_the_tables_but_is_offered_no_change(ivy, inspection, barriers):
    page = text(ivy.get(tables_url(inspection)))

    assert "you can read them" in page
    assert "Add a barrier" not in page and "Move up" not in page and ">Edit<" not in page


def test_the_lead_and_the_editor_are_offered_every_change(lena, ed, inspection, barriers):
    for person in (lena, ed):
        page = text(person.get(tables_url(inspection)))
        assert page.count("Add a barrier") == 9 and page.count("Add an enabler") == 9
        # Barrier 1 moves only down, barrier 3 only up, barrier 2 both ways.
        assert page.count(">Move up<") == 2 and page.count(">Move down<") == 2
        assert page.count(">Delete<") == 3


def test_a_published_inspections_tables_are_read_only_on_the_page(lena, inspection, barriers):
    inspection.status = "published"
    inspection.save()

    page = text(lena.get(tables_url(inspection)))

    assert "This inspection is published: its tables are read-only." in page
    assert "Add a barrier" not in page and "Move up" not in page
    assert lena.get(add_url(inspection)).status_code == 403
    assert lena.post(row_url("table-row-move", barriers[1]), {"direction": "up"}).status_code == 403


def test_another_inspections_row_does_not_exist_for_the_team(lena, inspection, other_inspection):
    elsewhere = table_row_add(
        inspection=other_inspection,
        domain="PP",
        perspective="CRC",
        column="barrier",
        text="Southshire's",
        by=None,
    )
    wrong_inspection = reverse("table-row-edit", args=[inspection.slug, elsewhere.pk])

    assert lena.get(wrong_inspection).status_code == 404
    assert lena.get(row_url("table-row-edit", elsewhere)).status_code == 404


def test_the_tables_page_runs_the_same_queries_for_three_rows_or_thirty(
    lena, inspection, case, django_assert_max_num_queries
):
    def links():
        return {"findings": [FindingLink("PP-D8a", None, "CRC")], "case_refs": ["NS-001"]}

    group = recommendation_group_add(inspection=inspection, addressee="The CRC", by=None)
    few = [add(inspection, f"Barrier {n}", **links()) for n in range(3)]
    recommendation_add(group=group, text="act", barrier_ids=[few[0].pk], by=None)
    framework_loaded(inspection.framework_id)  # kept by the process from its first page on
    with django_assert_max_num_queries(20) as three:
        lena.get(tables_url(inspection))
    many = [add(inspection, f"More {n}", **links()) for n in range(27)]
    recommendation_add(group=group, text="act", barrier_ids=[row.pk for row in many], by=None)
    with django_assert_max_num_queries(20) as thirty:
        lena.get(tables_url(inspection))

    assert len(thirty.captured_queries) == len(three.captured_queries)


def test_the_recommendations_page_runs_the_same_queries_for_two_or_twenty(
    lena, inspection, django_assert_max_num_queries
):
    barrier = add(inspection, "A barrier")
    group = recommendation_group_add(inspection=inspection, addressee="The CRC", by=None)
    for n in range(2):
        recommendation_add(group=group, text=f"act {n}", barrier_ids=[barrier.pk], by=None)
    with django_assert_max_num_queries(14) as two:
        lena.get(recommendations_url(inspection))
    other = recommendation_group_add(inspection=inspection, addressee="The NPS", by=None)
    for n in range(18):
        recommendation_add(group=other, text=f"act {n}", barrier_ids=[barrier.pk], by=None)
    with django_assert_max_num_queries(14) as twenty:
        lena.get(recommendations_url(inspection))

    assert len(twenty.captured_queries) == len(two.captured_queries)


# Adding, editing, moving, deleting a row


def test_the_lead_adds_a_barrier_and_lands_on_it(lena, lead, inspection, case):
    response = lena.post(
        add_url(inspection),
        {"text": "Checks were often outstanding.", "findings": "PP-A2\nC8 all", "cases": "ns-001"},
    )

    row = TableRow.objects.get()
    assert response.status_code == 302
    assert response.url == f"{tables_url(inspection)}#row-{row.pk}"
    assert (row.domain, row.perspective, row.column) == ("PP", "CRC", "barrier")
    # A line without a group counts the table's own organisation.
    assert [str(link) for link in row.finding_links.all()] == ["PP-A2 CRC", "C8 all"]
    assert row.history.get().history_user == lead
    page = text(lena.get(response.url))
    assert "Protecting the public, CRC: barrier added." in page


def test_a_joint_tables_finding_without_a_group_counts_both_organisations(lena, inspection):
    lena.post(
        add_url(inspection, "ab-joint", "enablers"), {"text": "Joint work.", "findings": "AB-O3"}
    )

    row = TableRow.objects.get()
    assert (row.domain, row.perspective, row.column) == ("AB", "joint", "enabler")
    assert [str(link) for link in row.finding_links.all()] == ["AB-O3 all"]


def test_a_form_with_problems_is_shown_again_with_each_beside_its_field(lena, inspection):
    response = lena.post(
        add_url(inspection),
        {"text": "", "findings": "PP-D8a somewhere\nPP-Z9 CRC", "cases": "NS-404"},
    )

    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and page.startswith("<!DOCTYPE html>")
    assert "Enter the barrier" in page
    assert "Line 1, “PP-D8a somewhere”: write a question code" in page
    assert not TableRow.objects.exists()
    # The service's own refusals, once the form reads: unknown question and case, at once.
    page = text(
        lena.post(add_url(inspection), {"text": "T", "findings": "PP-Z9", "cases": "NS-404"})
    )
    assert "PP-Z9 CRC: there is no question PP-Z9 in framework qi-2016" in page
    assert "Not a case of northshire: NS-404." in page


def test_an_unknown_table_or_column_is_not_found(lena, inspection):
    assert lena.get(add_url(inspection, "cs-crc")).status_code == 404
    assert lena.get(add_url(inspection, "pp-hmpps")).status_code == 404
    assert lena.get(add_url(inspection, "pp-crc", "notes")).status_code == 404


def test_an_inspector_cannot_add_a_row_even_by_posting_the_form(ivy, inspection):
    response = ivy.post(add_url(inspection), {"text": "Forged"})

    assert response.status_code == 403
    assert not TableRow.objects.exists()


def test_the_edit_form_shows_the_row_as_stored(lena, inspection, barriers):
    page = text(lena.get(row_url("table-row-edit", barriers[0])))

    assert "Risk tasks open at allocation went undone.</textarea>" in page
    assert "PP-A2 CRC</textarea>" in page
    assert 'value="NS-001"' in page
    assert 'name="version" value="1"' in page


def test_an_edit_made_meanwhile_is_shown_beside_mine_and_saved_only_when_i_save_again(
    lena, ed, editor, inspection, barriers
):
    row = barriers[1]
    form = {"text": "Lena's words", "findings": "", "cases": "", "version": "1"}
    table_row_update(row=row, text="Ed's words", by=editor, expected_version=1)

    response = lena.post(row_url("table-row-edit", row), form)

    page = text(response)
    assert response.status_code == 200
    # Who saved it and when, theirs where it differs, mine kept, and two plain choices.
    assert f"{editor.get_full_name()} saved this at " in page
    assert "Your changes are not saved yet." in page
    assert "Ed&#x27;s words" in page and "Lena&#x27;s words</textarea>" in page
    assert ">Save mine instead of theirs</button>" in page
    assert f'href="{tables_url(inspection)}#row-{row.pk}">Discard mine and keep theirs</a>' in page
    assert "Reload" not in page and ">Save</button>" not in page
    assert 'name="version" value="2"' in page
    assert TableRow.objects.get(pk=row.pk).text == "Ed's words"

    again = lena.post(row_url("table-row-edit", row), {**form, "version": "2"})

    assert again.status_code == 302
    assert TableRow.objects.get(pk=row.pk).text == "Lena's words"


def test_a_form_without_a_version_never_overwrites(lena, inspection, barriers):
    response = lena.post(row_url("table-row-edit", barriers[1]), {"text": "Forged"})

    assert "Your changes are not saved yet." in text(response)
    assert TableRow.objects.get(pk=barriers[1].pk).text == "Oversight was thin."


def test_the_move_buttons_reorder_the_column_and_return_to_the_row(lena, inspection, barriers):
    first, second, third = barriers

    response = lena.post(
        row_url("table-row-move", third), {"direction": "up", "neighbour": second.pk}
    )

    assert response.status_code == 302
    assert response.url == f"{tables_url(inspection)}#row-{third.pk}"
    assert column_texts(inspection) == [first.text, third.text, second.text]
    page = text(lena.get(response.url))
    assert "Barrier moved up." in page
    # The page names each button's neighbour as it now stands.
    assert f'name="neighbour" value="{first.pk}"' in page


def test_a_second_click_on_a_page_reordered_since_moves_nothing(lena, inspection, barriers):
    first, second, third = barriers
    move = {"direction": "up", "neighbour": second.pk}
    lena.post(row_url("table-row-move", third), move)

    response = lena.post(row_url("table-row-move", third), move, follow=True)

    assert "The order changed since you opened the page" in text(response)
    assert column_texts(inspection) == [first.text, third.text, second.text]


def test_deleting_asks_first_and_warns_of_the_recommendations_that_answer_it(
    lena, inspection, barriers
):
    group = recommendation_group_add(inspection=inspection, addressee="The CRC", by=None)
    recommendation_add(group=group, text="act", barrier_ids=[barriers[0].pk], by=None)

    page = text(lena.get(row_url("table-row-delete", barriers[0])))

    assert "Delete this barrier?" in page
    assert "A recommendation answers it: the link will go, the recommendation stays." in page
    response = lena.post(row_url("table-row-delete", barriers[0]), {"version": "1"})
    assert response.status_code == 302
    assert column_texts(inspection) == ["Oversight was thin.", "Hubs varied."]
    assert Recommendation.objects.count() == 1


# Recommendations


@pytest.fixture
def groups(inspection):
    both = recommendation_group_add(inspection=inspection, addressee="The CRC and NPS", by=None)
    crc = recommendation_group_add(inspection=inspection, addressee="The CRC", by=None)
    for n in (1, 2):
        recommendation_add(group=both, text=f"recommendation {n}", by=None)
    recommendation_add(group=crc, text="recommendation 3", by=None)
    return both, crc


def test_recommendations_are_numbered_through_the_groups_on_the_page(ivy, inspection, groups):
    page = text(ivy.get(recommendations_url(inspection)))

    assert ">The CRC and NPS should:</h2>" in page and ">The CRC should:</h2>" in page
    numbers = re.findall(r'<li value="(\d)" id="recommendation-\d+" [^>]*> <p [^>]*>([^<]+)<', page)
    assert numbers == [
        ("1", "recommendation 1"),
        ("2", "recommendation 2"),
        ("3", "recommendation 3"),
    ]
    assert "Add a recommendation" not in page


def test_the_lead_adds_a_group_and_a_recommendation_answering_two_barriers(
    lena, lead, inspection, barriers
):
    response = lena.post(
        reverse("recommendation-group-add", args=[inspection.slug]),
        {"addressee": "The National Probation Service should:"},
    )
    group = RecommendationGroup.objects.get()
    assert response.url == f"{recommendations_url(inspection)}#group-{group.pk}"
    add_page = text(lena.get(reverse("recommendation-add", args=[inspection.slug, group.pk])))
    assert "Protecting the public, CRC</h2>" in add_page
    assert f'id="barrier-{barriers[2].pk}"' in add_page

    lena.post(
        reverse("recommendation-add", args=[inspection.slug, group.pk]),
        {
            "text": "train report writers",
            "group": group.pk,
            "barriers": [barriers[2].pk, barriers[0].pk],
        },
    )

    recommendation = Recommendation.objects.get()
    assert recommendation.history.get().history_user == lead
    page = text(lena.get(recommendations_url(inspection)))
    assert ">The National Probation Service should:</h2>" in page
    assert "Protecting the public, CRC: barrier 3</a>; " in page
    assert "Protecting the public, CRC: barrier 1</a></p>" in page
    tables = text(lena.get(tables_url(inspection)))
    assert "Answered by recommendation" in tables


def test_a_recommendation_edited_into_another_group_joins_its_end(lena, inspection, groups):
    both, crc = groups
    first = both.recommendations.get(text="recommendation 1")

    lena.post(
        reverse("recommendation-edit", args=[inspection.slug, first.pk]),
        {"text": "recommendation 1", "group": crc.pk, "version": "1"},
    )

    assert list(crc.recommendations.order_by("position").values_list("text", flat=True)) == [
        "recommendation 3",
        "recommendation 1",
    ]


def test_the_group_buttons_move_a_group_and_its_recommendations_renumber(lena, inspection, groups):
    both, crc = groups

    lena.post(
        reverse("recommendation-group-move", args=[inspection.slug, crc.pk]),
        {"direction": "up", "neighbour": both.pk},
    )

    page = text(lena.get(recommendations_url(inspection)))
    assert re.findall(
        r'<li value="(\d)" id="recommendation-\d+" [^>]*> <p [^>]*>([^<]+)<', page
    ) == [
        ("1", "recommendation 3"),
        ("2", "recommendation 1"),
        ("3", "recommendation 2"),
    ]


def test_a_group_with_recommendations_is_not_deleted(lena, inspection, groups):
    both, _crc = groups
    url = reverse("recommendation-group-delete", args=[inspection.slug, both.pk])

    assert "It still has 2 recommendations" in text(lena.get(url))
    response = lena.post(url, {"version": "1"}, follow=True)

    assert "still has 2 recommendations" in text(response)
    assert RecommendationGroup.objects.count() == 2


def test_an_inspector_cannot_reach_the_recommendation_forms(ivy, inspection, groups):
    both, _crc = groups
    recommendation = both.recommendations.first()

    for url in (
        reverse("recommendation-group-add", args=[inspection.slug]),
        reverse("recommendation-add", args=[inspection.slug, both.pk]),
        reverse("recommendation-edit", args=[inspection.slug, recommendation.pk]),
    ):
        assert ivy.get(url).status_code == 403
    response = ivy.post(
        reverse("recommendation-delete", args=[inspection.slug, recommendation.pk]),
        {"version": "1"},
    )
    assert response.status_code == 403
    assert Recommendation.objects.count() == 3


def test_the_overview_links_to_the_tables(ivy, inspection):
    page = text(ivy.get(reverse("inspection-overview", args=[inspection.slug])))

    assert f'href="{tables_url(inspection)}">Enablers and barriers, and recommendations</a>' in page


def test_the_case_hint_gives_two_of_the_inspections_own_references(lena, inspection, case):
    CaseFactory(inspection=inspection, case_ref="NS-002")

    page = text(lena.get(add_url(inspection)))

    assert "for example NS-001, NS-002." in page


def test_an_over_long_row_is_refused_whole_and_its_limit_counted_not_cut(lena, inspection):
    """A textarea's maxlength would cut a paste short without a word (issue 16)."""
    form = lena.get(add_url(inspection)).content.decode()
    textarea = re.search(r'<textarea[^>]*name="text"[^>]*>', form).group(0)
    assert "maxlength" not in textarea
    assert 'data-module="govuk-character-count" data-maxlength="2000"' in form

    page = text(lena.post(add_url(inspection), {"text": "x" * 2_001, "findings": "", "cases": ""}))

    assert "The barrier has 2,001 characters; it may have 2,000 at most." in page
    assert not TableRow.objects.exists()


def test_the_recommendations_limit_is_counted_not_set_as_a_maxlength(lena, inspection, groups):
    form = lena.get(reverse("recommendation-add", args=[inspection.slug, groups[0].pk]))

    textarea = re.search(r'<textarea[^>]*name="text"[^>]*>', form.content.decode()).group(0)
    assert "maxlength" not in textarea
    assert 'data-maxlength="2000"' in form.content.decode()


def test_a_change_to_a_published_inspection_says_so_and_links_to_the_correction(
    lena, ivy, inspection, barriers
):
    """Issue 16: the refusal once read "You cannot edit_tables in this inspection"."""
    inspection.status = "published"
    inspection.save()
    correction = reverse("report-export", args=[inspection.slug]) + "#correction"

    response = lena.post(row_url("table-row-move", barriers[1]), {"direction": "up"})

    page = text(response)
    assert response.status_code == 403
    assert ">The report is published</h1>" in page
    assert "The report of this inspection is published, so it cannot change." in page
    assert f'href="{correction}">open a correction of the published report</a>' in page
    assert "edit_tables" not in page
    # An inspector, whose role never edits the tables, hears that, in words.
    page = text(ivy.get(add_url(inspection)))
    assert "You cannot edit the report&#x27;s tables, recommendations and charts" in page
    assert "edit_tables" not in page and correction not in page
