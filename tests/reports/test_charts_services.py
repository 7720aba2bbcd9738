"""The chart services: what a bar may count, the order of charts and bars, stale copies,
who may write, the published freeze and the history every change leaves."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from inspection.models import Inspection, PublishedError
from inspection.services import StaleWrite
from judgements.models import Framework
from judgements.services import framework_copy
from reports.charts.figures import charts_needing_confirmation
from reports.charts.services import (
    chart_bar_create,
    chart_bar_delete,
    chart_bar_move,
    chart_bar_update,
    chart_confirm_figures,
    chart_create,
    chart_delete,
    chart_move,
    chart_update,
    parse_bar_source,
)
from reports.models import Chart, ChartBar
from reports.ordering import DOWN, UP
from tests.factories import CaseFactory, InspectionFactory
from tests.helpers import record


def labels(chart: Chart) -> list[str]:
    return list(chart.bars.values_list("label", flat=True))


def titles(inspection) -> list[tuple[int, str]]:
    return list(Chart.objects.filter(inspection=inspection).values_list("position", "title"))


def revision(inspection) -> int:
    return Inspection.objects.values_list("data_revision", flat=True).get(pk=inspection.pk)


def refusal(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


# What a bar counts


def test_a_bar_counts_a_yes_no_question_of_the_inspections_framework(chart):
    bars = list(chart.bars.select_related("question", "item"))
    assert [(bar.question.code, bar.item.code if bar.item else None) for bar in bars] == [
        ("PP-D8a", None),
        ("PP-O1", "known_victims"),
    ]
    assert {bar.question.framework_id for bar in bars} == {chart.inspection.framework_id}


def test_a_question_the_framework_does_not_have_is_refused_naming_the_framework(chart, lead):
    with pytest.raises(ValidationError) as error:
        chart_bar_create(chart=chart, question_code="PP-Z9", label="Nothing", by=lead)
    assert refusal(error) == {
        "question": [
            "PP-Z9 is not a question of framework qi-2016, which this inspection uses; choose "
            "one of its yes/no questions."
        ]
    }
    assert labels(chart) == ["Responsible officer", "Known victims"]


def test_a_bar_takes_the_question_of_its_own_inspections_framework_version(db):
    """A new version of the framework has the same codes; each inspection's bar counts the
    question of the version it was set up with."""
    original = Framework.objects.get(code="qi-2016")
    copy = framework_copy(framework=original, code="qi-2016-copy", version="2016.2")
    charts = [
        chart_create(inspection=InspectionFactory(framework=framework), title="PP", by=None)
        for framework in (original, copy)
    ]
    bars = [
        chart_bar_create(chart=chart, question_code="PP-D8a", label="Officer", by=None)
        for chart in charts
    ]
    assert [bar.question.framework_id for bar in bars] == [original.pk, copy.pk]


def test_a_choice_question_is_refused_because_a_bar_counts_yes_and_no(chart, lead):
    with pytest.raises(ValidationError) as error:
        chart_bar_create(chart=chart, question_code="RR-O2", label="Reoffending", by=lead)
    assert refusal(error)["question"] == [
        "RR-O2 is answered “Single choice”, but a bar counts yes and no answers: choose a "
        "yes/no question."
    ]


def test_a_question_asked_item_by_item_needs_one_of_its_items(chart, lead):
    with pytest.raises(ValidationError) as error:
        chart_bar_create(chart=chart, question_code="PP-O1", label="Everyone", by=lead)
    assert refusal(error)["item"] == [
        "PP-O1 is asked for each of the risk of harm target groups: choose one of public, "
        "known_victims, children, staff, prisoners."
    ]
    with pytest.raises(ValidationError) as error:
        chart_bar_create(
            chart=chart, question_code="PP-O1", item_code="alcohol", label="Drink", by=lead
        )
    assert refusal(error)["item"][0].endswith("staff, prisoners, not “alcohol”.")


def test_a_question_asked_once_per_case_takes_no_item(chart, lead):
    with pytest.raises(ValidationError) as error:
        chart_bar_create(chart=chart, question_code="C7", item_code="public", label="C7", by=lead)
    assert refusal(error)["item"] == [
        "C7 is asked once per case, not item by item: leave the item out (not “public”)."
    ]


def test_a_chart_counts_each_question_and_item_once(chart, lead):
    with pytest.raises(ValidationError) as error:
        chart_bar_create(
            chart=chart, question_code="PP-O1", item_code="known_victims", label="Again", by=lead
        )
    assert refusal(error)["question"] == [
        "Public protection already has a bar for PP-O1[known_victims]."
    ]
    chart_bar_create(
        chart=chart, question_code="PP-O1", item_code="children", label="Children", by=lead
    )
    assert labels(chart) == ["Responsible officer", "Known victims", "Children"]


def test_titles_and_labels_are_required_short_and_free_of_control_characters(inspection, lead):
    with pytest.raises(ValidationError) as error:
        chart_create(inspection=inspection, title="   ", by=lead)
    assert refusal(error) == {"title": ["Enter a title for the chart."]}
    with pytest.raises(ValidationError) as error:
        chart_create(inspection=inspection, title="x" * 121, by=lead)
    assert refusal(error) == {"title": ["The title has 121 characters; it may have 120 at most."]}
    chart = chart_create(inspection=inspection, title="  Public\n protection ", by=lead)
    assert chart.title == "Public protection"
    with pytest.raises(ValidationError) as error:
        chart_bar_create(chart=chart, question_code="C7", label="Pasted\x1b", by=lead)
    assert refusal(error)["label"] == [
        "The label holds a control character, U+001B (escape) at character 7; remove it."
    ]


def test_parse_bar_source_reads_the_readmes_notation():
    assert parse_bar_source("PP-O1[public]") == ("PP-O1", "public")
    assert parse_bar_source(" C7 ") == ("C7", None)
    with pytest.raises(ValidationError):
        parse_bar_source("PP-O1[public")


# Order


def test_charts_are_numbered_in_the_order_they_are_added_and_move_one_place(inspection, lead):
    for title in ["Reducing reoffending", "Public protection", "Abiding by the sentence"]:
        chart_create(inspection=inspection, title=title, by=lead)
    last = Chart.objects.get(title="Abiding by the sentence")
    moved = chart_move(chart=last, direction=UP, by=lead)
    assert moved.position == 2
    assert titles(inspection) == [
        (1, "Reducing reoffending"),
        (2, "Abiding by the sentence"),
        (3, "Public protection"),
    ]
    first = Chart.objects.get(title="Reducing reoffending")
    assert chart_move(chart=first, direction=UP, by=lead).position == 1  # already first
    chart_move(chart=first, direction=DOWN, by=lead)
    assert [title for _, title in titles(inspection)] == [
        "Abiding by the sentence",
        "Reducing reoffending",
        "Public protection",
    ]


def test_removing_a_chart_renumbers_the_charts_after_it(inspection, lead, chart):
    second = chart_create(inspection=inspection, title="Abiding by the sentence", by=lead)
    chart_delete(chart=chart, by=lead, expected_version=chart.version)
    assert titles(inspection) == [(1, "Abiding by the sentence")]
    assert not ChartBar.objects.filter(chart_id=chart.pk).exists()
    second.refresh_from_db()
    assert second.position == 1


def test_bars_move_up_and_down_and_keep_their_places_after_a_removal(chart, lead):
    chart_bar_create(chart=chart, question_code="PP-A1", label="RoSH level", by=lead)
    assert labels(chart) == ["Responsible officer", "Known victims", "RoSH level"]
    rosh = chart.bars.get(label="RoSH level")
    assert chart_bar_move(bar=rosh, direction=UP, by=lead).position == 2
    assert labels(chart) == ["Responsible officer", "RoSH level", "Known victims"]
    assert chart_bar_move(bar=rosh, direction=UP, by=lead).position == 1
    assert chart_bar_move(bar=rosh, direction=UP, by=lead).position == 1
    chart_bar_delete(bar=chart.bars.get(label="Responsible officer"), by=lead)
    assert list(chart.bars.values_list("position", "label")) == [
        (1, "RoSH level"),
        (2, "Known victims"),
    ]


def test_a_direction_other_than_up_or_down_is_refused(chart, lead):
    with pytest.raises(ValidationError, match="“sideways” is not a direction"):
        chart_bar_move(bar=chart.bars.first(), direction="sideways", by=lead)


def test_changing_a_bar_keeps_its_place(chart, lead):
    officer = chart.bars.get(label="Responsible officer")
    chart_bar_update(bar=officer, question_code="PP-D8b", label="Contracted providers", by=lead)
    assert labels(chart) == ["Contracted providers", "Known victims"]
    officer.refresh_from_db()
    assert officer.question.code == "PP-D8b"


def test_a_bar_may_be_changed_to_what_it_already_counts(chart, lead):
    victims = chart.bars.get(label="Known victims")
    chart_bar_update(
        bar=victims, question_code="PP-O1", item_code="known_victims", label="Victims", by=lead
    )
    assert labels(chart) == ["Responsible officer", "Victims"]


# Two people at once


def test_a_change_from_a_stale_copy_is_refused_and_the_other_change_kept(chart, lead, editor):
    loaded = chart.version
    chart_update(chart=chart, title="Protecting the public", by=editor, expected_version=loaded)
    with pytest.raises(StaleWrite, match="changed by someone else"):
        chart_update(chart=chart, title="Public protection (2)", by=lead, expected_version=loaded)
    chart.refresh_from_db()
    assert chart.title == "Protecting the public"


def test_a_bar_change_makes_every_form_of_the_chart_stale(chart, lead, editor):
    """The chart's version covers its bars: the order the lead saw is not the order now."""
    loaded = chart.version
    chart_bar_create(
        chart=chart, question_code="PP-A1", label="RoSH level", by=editor, expected_version=loaded
    )
    victims = chart.bars.get(label="Known victims")
    with pytest.raises(StaleWrite):
        chart_bar_move(bar=victims, direction=DOWN, by=lead, expected_version=loaded)
    with pytest.raises(StaleWrite):
        chart_bar_delete(bar=victims, by=lead, expected_version=loaded)
    assert labels(chart) == ["Responsible officer", "Known victims", "RoSH level"]


# Who may write


@pytest.mark.parametrize("writer", ["lead", "editor"])
def test_the_lead_and_the_editor_write_charts(inspection, writer, request):
    person = request.getfixturevalue(writer)
    chart = chart_create(inspection=inspection, title="Public protection", by=person)
    chart_bar_create(chart=chart, question_code="C7", label="Assessment", by=person)
    assert labels(chart) == ["Assessment"]


@pytest.mark.parametrize("writer", ["inspector", "other_inspector", "admin_user"])
def test_no_one_else_writes_charts_even_from_the_shell(chart, writer, request):
    person = request.getfixturevalue(writer)
    with pytest.raises(ValidationError, match="only its lead inspector and editor do"):
        chart_bar_create(chart=chart, question_code="C7", label="Assessment", by=person)
    with pytest.raises(ValidationError, match="only its lead inspector and editor do"):
        chart_create(inspection=chart.inspection, title="Another", by=person)
    assert labels(chart) == ["Responsible officer", "Known victims"]


# The published freeze, the history and the data revision


def _publish(inspection) -> None:
    Inspection.objects.filter(pk=inspection.pk).update(status="published")


def test_a_published_inspections_charts_cannot_change_by_service_or_model(chart, lead):
    _publish(chart.inspection)
    chart.inspection.refresh_from_db()
    with pytest.raises(PublishedError):
        chart_create(inspection=chart.inspection, title="Another", by=None)
    with pytest.raises(PublishedError):
        chart_bar_move(bar=chart.bars.last(), direction=UP, by=None)
    with pytest.raises(PublishedError):
        chart_delete(chart=chart, by=None)
    # Round the services: the model and its querysets refuse too.
    with pytest.raises(PublishedError), transaction.atomic():
        chart.title = "Changed in the shell"
        chart.save()
    with pytest.raises(PublishedError), transaction.atomic():
        ChartBar.objects.filter(chart=chart).update(label="Changed")
    with pytest.raises(PublishedError), transaction.atomic():
        ChartBar.objects.filter(chart=chart).delete()
    with pytest.raises(PublishedError), transaction.atomic():
        Chart.objects.filter(pk=chart.pk).delete()
    assert Chart.objects.get(pk=chart.pk).title == "Public protection"
    assert labels(chart) == ["Responsible officer", "Known victims"]


def test_every_change_is_in_the_history_with_who_made_it(chart, lead, editor):
    victims = chart.bars.get(label="Known victims")
    chart_bar_move(bar=victims, direction=UP, by=editor)
    chart_update(chart=chart, title="Protecting the public", by=lead)
    moved = victims.history.latest()
    assert (moved.history_user, moved.position, moved.history_type) == (editor, 1, "~")
    renamed = chart.history.latest()
    assert (renamed.history_user, renamed.title) == (lead, "Protecting the public")
    chart_bar_delete(bar=victims, by=editor)
    assert victims.history.latest().history_type == "-"
    assert victims.history.latest().history_user == editor


def test_every_change_bumps_the_inspections_data_revision(chart, lead):
    before = revision(chart.inspection)
    chart_bar_move(bar=chart.bars.last(), direction=UP, by=lead)
    chart_update(chart=chart, title="Protecting the public", by=lead)
    assert revision(chart.inspection) == before + 2


def test_moving_a_bar_someone_removed_says_so(chart, lead):
    victims = chart.bars.get(label="Known victims")
    chart_bar_delete(bar=victims, by=lead)
    with pytest.raises(ValidationError, match="“Known victims” is no longer there"):
        chart_bar_move(bar=victims, direction=UP, by=lead)


# Confirming a chart's figures, as the report's prose figures are


def changes_of(inspection) -> dict[str, list[str]]:
    return {
        figures.name: [change.text for change in figures.changes]
        for figures in charts_needing_confirmation(inspection)
    }


@pytest.fixture
def answered(chart):
    """Three cases behind the chart's first bar, two answered yes and one no, the chart's
    figures confirmed as they then read."""
    cases = [CaseFactory(inspection=chart.inspection) for _ in range(3)]
    for case, value in zip(cases, ["yes", "yes", "no"], strict=True):
        record(case, "PP-D8a", value)
    chart_confirm_figures(chart=Chart.objects.get(pk=chart.pk), by=None)
    return cases


def test_a_chart_is_confirmed_as_its_bars_are_added(chart):
    assert chart.confirmed_figures == {
        "PP-D8a": {"yes": 0, "no": 0},
        "PP-O1[known_victims]": {"yes": 0, "no": 0},
    }
    assert changes_of(chart.inspection) == {}


def test_an_answer_changed_behind_a_bar_flags_the_chart_with_what_it_was_and_is(chart, answered):
    assert changes_of(chart.inspection) == {}

    record(answered[2], "PP-D8a", "yes")

    assert changes_of(chart.inspection) == {
        "Chart 1": ["Responsible officer (PP-D8a): was 2 yes and 1 no, now 3 yes and 0 no"]
    }


def test_confirming_clears_the_flag_and_is_in_the_history_with_who_confirmed(
    chart, answered, editor
):
    record(answered[2], "PP-D8a", "yes")
    chart.refresh_from_db()
    before = revision(chart.inspection)

    confirmed = chart_confirm_figures(chart=chart, by=editor, expected_version=chart.version)

    assert confirmed.confirmed_figures["PP-D8a"] == {"yes": 3, "no": 0}
    assert changes_of(chart.inspection) == {}
    entry = confirmed.history.latest()
    assert (entry.history_user, entry.confirmed_figures["PP-D8a"]) == (editor, {"yes": 3, "no": 0})
    assert entry.prev_record.confirmed_figures["PP-D8a"] == {"yes": 2, "no": 1}
    assert revision(chart.inspection) == before + 1


def test_confirming_what_the_page_no_longer_shows_confirms_nothing(chart, answered, editor):
    """The editor read 3 yes and 0 no; answers moved it to 1 and 2 before the click."""
    record(answered[2], "PP-D8a", "yes")
    chart.refresh_from_db()
    seen = charts_needing_confirmation(chart.inspection)[0].seen
    for case in answered[:2]:
        record(case, "PP-D8a", "no")

    with pytest.raises(ValidationError, match="changed again while the page was open"):
        chart_confirm_figures(chart=chart, by=editor, expected_version=chart.version, seen=seen)
    assert changes_of(chart.inspection) == {
        "Chart 1": ["Responsible officer (PP-D8a): was 2 yes and 1 no, now 1 yes and 2 no"]
    }


def test_relabelling_or_moving_a_bar_leaves_a_flag_for_the_editor_to_confirm(chart, answered, lead):
    record(answered[2], "PP-D8a", "yes")
    officer = chart.bars.get(label="Responsible officer")
    chart_bar_update(bar=officer, question_code="PP-D8a", label="Officer's action", by=lead)
    chart_bar_move(bar=chart.bars.get(label="Known victims"), direction=UP, by=lead)

    assert changes_of(chart.inspection) == {
        "Chart 1": ["Officer's action (PP-D8a): was 2 yes and 1 no, now 3 yes and 0 no"]
    }


def test_a_bar_pointed_at_another_question_or_removed_takes_its_confirmation_with_it(
    chart, answered, lead
):
    record(answered[2], "PP-D8a", "yes")
    officer = chart.bars.get(label="Responsible officer")
    chart_bar_update(bar=officer, question_code="PP-D1", label="Officer", by=lead)
    chart.refresh_from_db()
    assert set(chart.confirmed_figures) == {"PP-D1", "PP-O1[known_victims]"}
    assert changes_of(chart.inspection) == {}

    chart_bar_delete(bar=chart.bars.get(label="Known victims"), by=lead)
    chart.refresh_from_db()
    assert set(chart.confirmed_figures) == {"PP-D1"}


def test_a_published_inspections_chart_is_not_confirmed(chart, answered, editor):
    record(answered[2], "PP-D8a", "yes")
    _publish(chart.inspection)
    with pytest.raises(PublishedError):
        chart_confirm_figures(chart=chart, by=editor)
    assert Chart.objects.get(pk=chart.pk).confirmed_figures["PP-D8a"] == {"yes": 2, "no": 1}


@pytest.mark.parametrize("writer", ["inspector", "other_inspector"])
def test_no_one_but_the_lead_and_the_editor_confirms_a_charts_figures(
    chart, answered, writer, request
):
    record(answered[2], "PP-D8a", "yes")
    with pytest.raises(ValidationError, match="only its lead inspector and editor do"):
        chart_confirm_figures(chart=chart, by=request.getfixturevalue(writer))
    assert len(changes_of(chart.inspection)) == 1
