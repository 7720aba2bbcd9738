"""Writes to an inspection's Appendix 4 charts, each in one transaction.

Every write locks the inspection's row and refuses a published inspection
(`inspection_locked_for_data`), refuses a person who may not edit the report's tables and
charts, refuses a write from a stale copy of the chart (`refuse_stale`: a chart's version
covers its title, subtitle and bars, so every change to any of them bumps it), records who
made the change (django-simple-history) and bumps the inspection's data revision.

A bar counts the yes and no answers to one question of the inspection's own framework (for
one of its items, where the question is asked item by item), so it is refused otherwise, with
what was expected.
"""

import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from inspection.lib.text import control_character
from inspection.models import Inspection
from inspection.permissions import Capability, user_can
from inspection.services import inspection_data_changed, inspection_locked_for_data, refuse_stale
from judgements.findings import YES_NO_KINDS
from judgements.models import Item, Question
from reports.models import Chart, ChartBar

UP, DOWN = "up", "down"
# A bar named as the README writes it: a question code, and an item code in brackets.
BAR_SOURCE = re.compile(r"\A(?P<question>[^\[\]\s]+)(?:\[(?P<item>[^\[\]\s]+)\])?\Z")


def _refuse_writer(by, inspection: Inspection) -> None:
    """The pages ask the same gate first; this keeps a command or the shell honest too."""
    if by is not None and not user_can(by, inspection, Capability.EDIT_TABLES):
        raise ValidationError(
            f"{by.get_username()} may not change the charts of {inspection.slug}: only its "
            "lead inspector and editor do.",
            code="not_allowed",
        )


def _locked_chart(chart: Chart, by, expected_version: int | None) -> Chart:
    inspection = inspection_locked_for_data(chart.inspection_id, what="charts")
    _refuse_writer(by, inspection)
    current = Chart.objects.select_for_update().get(pk=chart.pk)
    current.inspection = inspection
    refuse_stale(current, expected_version)
    return current


def _text(field: str, value: str, max_length: int, *, name: str, missing: str = "") -> str:
    """Text a person typed, its runs of white space (line breaks too) made one space; refused
    when `missing` and empty, when too long, or holding a control character."""
    text = " ".join(value.split())
    if missing and not text:
        raise ValidationError({field: missing})
    if len(text) > max_length:
        raise ValidationError({field: f"{name} must be {max_length} characters or fewer."})
    bad_character = control_character(text)
    if bad_character:
        raise ValidationError(
            {field: f"{name} holds a control character, {bad_character}; remove it."}
        )
    return text


def _chart_texts(title: str, subtitle: str) -> tuple[str, str]:
    return (
        _text("title", title, 120, name="The title", missing="Enter a title for the chart."),
        _text("subtitle", subtitle, 300, name="The subtitle"),
    )


def _renumber(rows: Sequence[Chart | ChartBar], by) -> None:
    """Give the rows positions 1, 2, 3 … in their order, saving only those that move."""
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row._history_user = by
            row.save()


def _moved(rows: list, row, direction: str) -> list:
    """The rows with `row` one place up or down; at that end already, as they were."""
    if direction not in (UP, DOWN):
        raise ValidationError(f"“{direction}” is not a direction; expected {UP} or {DOWN}.")
    index = next((i for i, other in enumerate(rows) if other.pk == row.pk), None)
    if index is None:
        raise ValidationError(f"“{row}” is no longer there: someone removed it.", code="gone")
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(rows):
        return rows
    rows = list(rows)
    rows[index], rows[other] = rows[other], rows[index]
    return rows


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def chart_create(*, inspection: Inspection, title: str, subtitle: str = "", by) -> Chart:
    """Add a chart, with no bars yet, after the inspection's last."""
    locked = inspection_locked_for_data(inspection.pk, what="charts")
    _refuse_writer(by, locked)
    title, subtitle = _chart_texts(title, subtitle)
    chart = Chart(
        inspection=locked,
        title=title,
        subtitle=subtitle,
        position=Chart.objects.filter(inspection=locked).count() + 1,
    )
    chart._history_user = by
    chart.save()
    inspection_data_changed(locked.pk)
    return chart


@transaction.atomic
def chart_update(
    *, chart: Chart, title: str, subtitle: str = "", by, expected_version: int | None = None
) -> Chart:
    current = _locked_chart(chart, by, expected_version)
    current.title, current.subtitle = _chart_texts(title, subtitle)
    current._history_user = by
    current.save()
    inspection_data_changed(current.inspection_id)
    return current


@transaction.atomic
def chart_delete(*, chart: Chart, by, expected_version: int | None = None) -> None:
    """Remove a chart and its bars; the charts after it move up a number."""
    current = _locked_chart(chart, by, expected_version)
    for bar in current.bars.all():
        bar._history_user = by
        bar.delete()
    current._history_user = by
    current.delete()
    _renumber(list(Chart.objects.filter(inspection_id=current.inspection_id)), by)
    inspection_data_changed(current.inspection_id)


@transaction.atomic
def chart_move(*, chart: Chart, direction: str, by, expected_version: int | None = None) -> Chart:
    """Move a chart one place up or down the list, which renumbers the two it swaps."""
    current = _locked_chart(chart, by, expected_version)
    charts = list(Chart.objects.filter(inspection_id=current.inspection_id))
    _renumber(_moved(charts, current, direction), by)
    inspection_data_changed(current.inspection_id)
    return Chart.objects.get(pk=current.pk)


# ---------------------------------------------------------------------------------------------
# Bars
# ---------------------------------------------------------------------------------------------


def bar_source(inspection: Inspection, question_code: str, item_code: str | None):
    """The framework question (and item) a bar counts, or a ValidationError saying what the
    inspection's framework expects instead."""
    framework = inspection.framework
    question = (
        Question.objects.filter(framework_id=framework.pk, code=question_code)
        .select_related("item_set")
        .first()
    )
    if question is None:
        raise ValidationError(
            {
                "question": f"{question_code} is not a question of framework {framework.code}, "
                "which this inspection uses; choose one of its yes/no questions."
            }
        )
    if question.kind not in YES_NO_KINDS:
        raise ValidationError(
            {
                "question": f"{question.code} is answered “{question.get_kind_display()}”, but a "
                "bar counts yes and no answers: choose a yes/no question."
            }
        )
    if question.item_set is None:
        if item_code:
            raise ValidationError(
                {
                    "item": f"{question.code} is asked once per case, not item by item: leave the "
                    f"item out (not “{item_code}”)."
                }
            )
        return question, None
    items = list(Item.objects.filter(item_set=question.item_set))
    item = next((item for item in items if item.code == item_code), None)
    if item is None:
        given = f", not “{item_code}”" if item_code else ""
        raise ValidationError(
            {
                "item": f"{question.code} is asked for each of the "
                f"{question.item_set.name.lower()}: choose one of "
                f"{', '.join(item.code for item in items)}{given}."
            }
        )
    return question, item


def _bar_for(current: Chart, question: Question, item: Item | None, label: str, bar=None):
    """A bar of the chart (a new one, or `bar` changed), checked against the chart's others."""
    label = _text("label", label, 80, name="The label", missing="Enter a short label for the bar.")
    others = current.bars.exclude(pk=bar.pk) if bar is not None else current.bars.all()
    if others.filter(question=question, item=item).exists():
        source = f"{question.code}[{item.code}]" if item else question.code
        raise ValidationError({"question": f"{current} already has a bar for {source}."})
    bar = bar or ChartBar(chart=current, position=current.bars.count() + 1)
    bar.question, bar.item, bar.label = question, item, label
    return bar


def _bar_saved(current: Chart, bar: ChartBar, by) -> ChartBar:
    bar._history_user = by
    bar.save()
    # The chart's version covers its bars: a form loaded before this change is now stale.
    current._history_user = by
    current.save()
    inspection_data_changed(current.inspection_id)
    return bar


@transaction.atomic
def chart_bar_create(
    *,
    chart: Chart,
    question_code: str,
    item_code: str | None = None,
    label: str,
    by,
    expected_version: int | None = None,
) -> ChartBar:
    """Add a bar at the end of the chart."""
    current = _locked_chart(chart, by, expected_version)
    question, item = bar_source(current.inspection, question_code, item_code)
    return _bar_saved(current, _bar_for(current, question, item, label), by)


@transaction.atomic
def chart_bar_update(
    *,
    bar: ChartBar,
    question_code: str,
    item_code: str | None = None,
    label: str,
    by,
    expected_version: int | None = None,
) -> ChartBar:
    """Change what a bar counts, or its label; `expected_version` is its chart's."""
    current = _locked_chart(bar.chart, by, expected_version)
    question, item = bar_source(current.inspection, question_code, item_code)
    stored = current.bars.get(pk=bar.pk)
    return _bar_saved(current, _bar_for(current, question, item, label, stored), by)


@transaction.atomic
def chart_bar_delete(*, bar: ChartBar, by, expected_version: int | None = None) -> None:
    """Remove a bar; the bars after it move up a place. `expected_version` is its chart's."""
    current = _locked_chart(bar.chart, by, expected_version)
    stored = current.bars.get(pk=bar.pk)
    stored._history_user = by
    stored.delete()
    _renumber(list(current.bars.all()), by)
    current._history_user = by
    current.save()
    inspection_data_changed(current.inspection_id)


@transaction.atomic
def chart_bar_move(
    *, bar: ChartBar, direction: str, by, expected_version: int | None = None
) -> ChartBar:
    """Move a bar one place up or down its chart. `expected_version` is its chart's."""
    current = _locked_chart(bar.chart, by, expected_version)
    bars = list(current.bars.all())
    _renumber(_moved(bars, bar, direction), by)
    current._history_user = by
    current.save()
    inspection_data_changed(current.inspection_id)
    return ChartBar.objects.get(pk=bar.pk)


def parse_bar_source(source: str) -> tuple[str, str | None]:
    """ "PP-O1[public]" → ("PP-O1", "public"); "C7" → ("C7", None)."""
    match = BAR_SOURCE.match(source.strip())
    if match is None:
        raise ValidationError(
            {
                "question": f"“{source}” is not a question code, nor a code with an item in "
                "brackets such as PP-O1[public]."
            }
        )
    return match["question"], match["item"]
