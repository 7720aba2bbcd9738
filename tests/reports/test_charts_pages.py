"""The chart pages, GET and POST per persona: the lead and the editor change charts and bars
with forms that work without JavaScript; the rest of the team reads the charts, their data
tables and CSV; a published inspection's charts are read-only. Who may use which URL at all is
in tests/test_url_permissions.py."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspection.models import Inspection
from judgements.framework import framework_loaded
from reports.charts.services import chart_bar_create, chart_confirm_figures, chart_create
from reports.models import Chart
from tests.factories import CaseFactory
from tests.helpers import csv_rows, record


def url(name: str, chart: Chart | None = None, bar=None, *, slug: str = "northshire") -> str:
    args = [slug, *([chart.pk] if chart else []), *([bar.pk] if bar else [])]
    return reverse(name, args=args)


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def labels(chart: Chart) -> list[str]:
    return list(chart.bars.values_list("label", flat=True))


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Reading


@pytest.mark.parametrize("persona", ["inspector", "lead", "editor"])
def test_the_team_reads_the_charts_with_their_svg_and_data_table(chart, persona, as_persona):
    client = as_persona(persona)
    listing = client.get(url("chart-list"))
    assert "Chart 1: Public protection" in text(listing)
    assert text(listing).count('role="img"') == 1
    page = client.get(url("chart-detail", chart))
    body = text(page)
    assert '<title id="chart-1-title">Chart 1: Public protection</title>' in body
    assert "Chart 1 in figures" in body
    assert "Responsible officer" in body and "PP-O1[known_victims]" in body
    assert f'href="{url("chart-csv", chart)}"' in body


def test_an_inspector_sees_no_control_to_change_a_chart(chart, as_persona):
    body = text(as_persona("inspector").get(url("chart-detail", chart)))
    assert "Add a bar" not in body and "Move up" not in body and "Remove" not in body
    listing = text(as_persona("inspector").get(url("chart-list")))
    assert "Add a chart" not in listing


def test_the_lead_sees_the_controls_to_change_and_reorder(chart, as_persona):
    body = text(as_persona("lead").get(url("chart-detail", chart)))
    assert "Add a bar" in body
    # The first bar can only go down and the last only up.
    assert body.count("Move up") == 1 and body.count("Move down") == 1
    assert 'Remove<span class="govuk-visually-hidden"> the bar Known victims</span>' in body


def test_the_csv_download_is_the_charts_figures(chart, as_persona):
    response = as_persona("inspector").get(url("chart-csv", chart))
    assert response["Content-Disposition"] == 'attachment; filename="northshire-chart-1.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [row[3] for row in csv_rows(response.content)[1:]] == [
        "Responsible officer",
        "Known victims",
    ]


def test_another_inspections_chart_is_not_found(chart, other_inspection, as_persona):
    wrong = reverse("chart-detail", args=[other_inspection.slug, chart.pk])
    assert as_persona("other_inspector").get(wrong).status_code == 404
    assert as_persona("lead").get(wrong).status_code == 404


def test_the_overview_links_to_the_charts(inspection, as_persona):
    body = text(as_persona("inspector").get(inspection.get_absolute_url()))
    assert f'href="{url("chart-list")}"' in body


def queries_of(client, page_url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url).status_code == 200
    return len(queries)


def test_the_chart_pages_run_as_many_queries_whatever_their_charts_and_bars(
    chart, inspection, lead, as_persona
):
    client = as_persona("lead")
    framework_loaded(inspection.framework_id)  # kept by the process from its first page on
    before = [queries_of(client, url("chart-detail", chart)), queries_of(client, url("chart-list"))]
    for code in ["PP-A1", "PP-D1", "PP-R2"]:
        chart_bar_create(chart=chart, question_code=code, label=code, by=lead)
    more = chart_create(inspection=inspection, title="Reducing reoffending", by=lead)
    chart_bar_create(chart=more, question_code="C7", label="Assessment", by=lead)
    after = [queries_of(client, url("chart-detail", chart)), queries_of(client, url("chart-list"))]
    assert after == before
    # The session and user, the inspection and the team role, the charts and their bars, and
    # the findings' four (counted afresh in a test: its transaction never commits to cache;
    # the framework's revision among them, judgements.framework keeping its questions).
    assert max(after) <= 16


# Changing charts


def test_the_lead_adds_a_chart_and_is_taken_to_it(inspection, lead, as_persona):
    response = as_persona("lead").post(
        url("chart-new"), {"title": "Abiding by the sentence", "subtitle": ""}
    )
    chart = Chart.objects.get(inspection=inspection)
    assert response.status_code == 302 and response.url == url("chart-detail", chart)
    assert chart.history.latest().history_user == lead


def test_a_chart_without_a_title_is_shown_again_with_the_error(inspection, as_persona):
    response = as_persona("editor").post(url("chart-new"), {"title": "", "subtitle": "x"})
    assert response.status_code == 200
    assert "Enter a title for the chart" in text(response)
    assert response.context["form"]["subtitle"].value() == "x"
    assert not Chart.objects.exists()


def test_the_editor_changes_a_charts_title(chart, editor, as_persona):
    form = {"title": "Protecting the public", "subtitle": "", "version": chart.version}
    response = as_persona("editor").post(url("chart-change", chart), form)
    assert response.status_code == 302
    chart.refresh_from_db()
    assert chart.title == "Protecting the public"
    assert chart.history.latest().history_user == editor


def test_a_change_from_a_stale_page_is_shown_again_and_saves_nothing(chart, as_persona):
    stale = chart.version
    as_persona("editor").post(
        url("chart-change", chart), {"title": "By the editor", "version": stale}
    )
    response = as_persona("lead").post(
        url("chart-change", chart), {"title": "By the lead", "version": stale}
    )
    assert response.status_code == 200
    assert "was changed by someone else since you opened it" in text(response)
    chart.refresh_from_db()
    assert chart.title == "By the editor"


def test_removing_a_chart_asks_first_then_removes_it(chart, lead, as_persona):
    client = as_persona("lead")
    assert "Remove Chart 1?" in text(client.get(url("chart-remove", chart)))
    response = client.post(url("chart-remove", chart), {"version": chart.version})
    assert response.status_code == 302 and response.url == url("chart-list")
    assert not Chart.objects.filter(pk=chart.pk).exists()
    assert chart.history.latest().history_type == "-"


def test_the_lead_moves_a_chart_down_the_list(chart, inspection, lead, as_persona):
    second = Chart.objects.create(inspection=inspection, title="Reducing reoffending", position=2)
    response = as_persona("lead").post(
        url("chart-move", chart), {"direction": "down", "version": chart.version}
    )
    assert response.url == url("chart-list") + "#chart-2"
    assert list(Chart.objects.values_list("title", flat=True)) == [
        second.title,
        "Public protection",
    ]


# Changing bars


def test_the_lead_adds_a_bar_for_a_question_and_item_from_the_list(chart, lead, as_persona):
    client = as_persona("lead")
    form = client.get(url("chart-bar-new", chart)).context["form"]
    options = dict(
        option for _domain, group in form.fields["question"].choices[1:] for option in group
    )
    assert options["PP-O1[children]"].startswith("PP-O1 · Children: Has the responsible officer")
    assert "RR-O2" not in options and "CD-2" not in options  # not yes/no questions
    response = client.post(
        url("chart-bar-new", chart),
        {"question": "PP-O1[children]", "label": "Children", "version": chart.version},
    )
    assert response.status_code == 302
    assert labels(chart) == ["Responsible officer", "Known victims", "Children"]
    assert chart.bars.get(label="Children").history.latest().history_user == lead


def test_a_bar_the_chart_has_already_is_shown_again_beside_the_question(chart, as_persona):
    response = as_persona("lead").post(
        url("chart-bar-new", chart),
        {"question": "PP-O1[known_victims]", "label": "Again", "version": chart.version},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "question": ["Public protection already has a bar for PP-O1[known_victims]."]
    }


def test_the_editor_relabels_a_bar(chart, as_persona):
    bar = chart.bars.get(label="Known victims")
    client = as_persona("editor")
    form = client.get(url("chart-bar-change", chart, bar)).context["form"]
    assert form.initial["question"] == "PP-O1[known_victims]"
    response = client.post(
        url("chart-bar-change", chart, bar),
        {"question": "PP-O1[known_victims]", "label": "Victims", "version": chart.version},
    )
    assert response.status_code == 302
    assert labels(chart) == ["Responsible officer", "Victims"]


def test_the_lead_moves_a_bar_up_with_a_button_and_it_is_logged(chart, lead, as_persona):
    bar = chart.bars.get(label="Known victims")
    response = as_persona("lead").post(
        url("chart-bar-move", chart, bar), {"direction": "up", "version": chart.version}
    )
    assert response.url == url("chart-detail", chart) + "#bars"
    assert labels(chart) == ["Known victims", "Responsible officer"]
    moved = bar.history.latest()
    assert (moved.history_user, moved.position) == (lead, 1)


def test_a_move_from_a_stale_page_is_refused_with_a_message(chart, as_persona):
    bar = chart.bars.get(label="Known victims")
    client = as_persona("lead")
    response = client.post(
        url("chart-bar-move", chart, bar),
        {"direction": "up", "version": chart.version - 1},
        follow=True,
    )
    assert "was changed by someone else" in " ".join(shown_messages(response))
    assert labels(chart) == ["Responsible officer", "Known victims"]


def test_the_lead_removes_a_bar(chart, lead, as_persona):
    bar = chart.bars.get(label="Responsible officer")
    response = as_persona("lead").post(
        url("chart-bar-remove", chart, bar), {"version": chart.version}, follow=True
    )
    assert shown_messages(response) == ["Bar “Responsible officer” removed."]
    assert labels(chart) == ["Known victims"]


def test_another_charts_bar_is_not_found(chart, inspection, as_persona):
    other = Chart.objects.create(inspection=inspection, title="Other", position=2)
    bar = chart.bars.first()
    response = as_persona("lead").post(
        url("chart-bar-move", other, bar), {"direction": "up", "version": other.version}
    )
    assert response.status_code == 404


# A published inspection


def test_a_published_inspections_charts_are_read_only_for_everyone(chart, as_persona):
    Inspection.objects.filter(pk=chart.inspection_id).update(status="published")
    client = as_persona("lead")
    body = text(client.get(url("chart-detail", chart)))
    assert "Chart 1 in figures" in body and "Add a bar" not in body
    bar = chart.bars.first()
    refused = [
        client.get(url("chart-new")),
        client.post(url("chart-change", chart), {"title": "x", "version": chart.version}),
        client.post(url("chart-bar-move", chart, bar), {"direction": "down"}),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403]
    assert labels(chart) == ["Responsible officer", "Known victims"]


# The cases behind each count


CASE_LINK = re.compile(r'<a class="govuk-link app-chart-table__cases" href="([^"]+)">(.*?)</a>')


def case_links(body: str) -> list[tuple[str, str]]:
    """Each link of a data table's counts: its address and its name as read aloud."""
    return [(href, re.sub(r"<[^>]+>", "", name)) for href, name in CASE_LINK.findall(body)]


@pytest.fixture
def answered(chart):
    """Three cases behind the chart's first bar: two answered yes, one no; the chart's
    figures confirmed as they then read."""
    cases = [CaseFactory(inspection=chart.inspection) for _ in range(3)]
    for case, value in zip(cases, ["yes", "yes", "no"], strict=True):
        record(case, "PP-D8a", value)
    chart_confirm_figures(chart=Chart.objects.get(pk=chart.pk), by=None)
    return cases


def test_each_count_of_the_data_table_links_to_the_cases_behind_it(chart, answered, as_persona):
    client = as_persona("inspector")
    drill_down = reverse("finding-cases", args=["northshire", "PP-D8a"])
    expected = [
        (
            f"{drill_down}?group=all&answer=yes",
            "Responsible officer: 2 of 3 relevant cases answered yes — list the cases",
        ),
        (
            f"{drill_down}?group=all&answer=no",
            "Responsible officer: 1 of 3 relevant cases answered no — list the cases",
        ),
        (
            f"{drill_down}?group=all&answer=relevant",
            "Responsible officer: 3 relevant cases, answered yes or no — list the cases",
        ),
    ]
    # Known victims counts no case: its noughts are not links to an empty list.
    assert case_links(text(client.get(url("chart-detail", chart)))) == expected
    assert case_links(text(client.get(url("chart-list")))) == expected

    listed = text(client.get(expected[0][0]))
    assert "2 cases answered yes" in listed
    assert [case.case_ref in listed for case in answered] == [True, True, False]


# Figures changed since the chart was confirmed


def hidden_fields(body: str) -> dict[str, str]:
    """The confirm button's form as the browser would send it."""
    form = re.search(r'<form method="post" action="[^"]*/confirm/">(.*?)</form>', body).group(1)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))


def test_a_chart_whose_answers_changed_shows_what_it_was_and_is_until_the_editor_confirms(
    chart, answered, editor, as_persona
):
    record(answered[2], "PP-D8a", "yes")
    client = as_persona("editor")
    change = "Responsible officer (PP-D8a): was 2 yes and 1 no, now 3 yes and 0 no"
    listing = text(client.get(url("chart-list")))
    assert "1 chart with figures changed since it was confirmed: Chart 1." in re.sub(
        r"<[^>]+>", "", listing
    )
    assert "Figures changed" in listing and change in listing
    page = text(client.get(url("chart-detail", chart)))
    assert "Chart 1\u2019s figures changed since they were confirmed" in page and change in page

    response = client.post(url("chart-confirm", chart), hidden_fields(page), follow=True)

    assert shown_messages(response) == ["Chart 1: Public protection: figures confirmed."]
    assert response.redirect_chain[-1][0] == url("chart-detail", chart)
    assert "changed since" not in text(response) and "Figures changed" not in text(
        client.get(url("chart-list"))
    )
    confirmed = Chart.objects.get(pk=chart.pk)
    assert confirmed.confirmed_figures["PP-D8a"] == {"yes": 3, "no": 0}
    assert confirmed.history.latest().history_user == editor


def test_the_lead_confirms_from_the_list_of_charts_and_is_taken_back_to_the_chart(
    chart, answered, as_persona
):
    record(answered[2], "PP-D8a", "yes")
    client = as_persona("lead")
    fields = hidden_fields(text(client.get(url("chart-list"))))
    assert fields["next"] == "list"
    response = client.post(url("chart-confirm", chart), fields)
    assert response.url == url("chart-list") + "#chart-1"
    assert Chart.objects.get(pk=chart.pk).confirmed_figures["PP-D8a"] == {"yes": 3, "no": 0}


def test_a_confirmation_from_a_page_whose_figures_moved_again_is_refused(
    chart, answered, as_persona
):
    record(answered[2], "PP-D8a", "yes")
    client = as_persona("editor")
    fields = hidden_fields(text(client.get(url("chart-detail", chart))))
    record(answered[0], "PP-D8a", "no")

    response = client.post(url("chart-confirm", chart), fields, follow=True)

    assert shown_messages(response) == [
        "The figures of “Public protection” changed again while the page was open: check them "
        "and confirm again."
    ]
    assert "was 2 yes and 1 no, now 2 yes and 1 no" not in text(response)
    assert Chart.objects.get(pk=chart.pk).confirmed_figures["PP-D8a"] == {"yes": 2, "no": 1}


def test_an_inspector_sees_a_changed_chart_but_no_button_to_confirm_it(chart, answered, as_persona):
    record(answered[2], "PP-D8a", "yes")
    page = text(as_persona("inspector").get(url("chart-detail", chart)))
    assert "Chart 1\u2019s figures changed since they were confirmed" in page
    assert "Confirm the figures" not in page
    assert "The lead inspector or the editor confirms them" in page
