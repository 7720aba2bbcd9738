"""Writes to an inspection's Appendix 4 charts.

Every write is one write to the inspection's data (inspection.writing: the lock, the published
refusal, the data revision), for a person who may edit the report's tables and charts
(Capability.EDIT_TABLES, asked by the same block); it refuses a write from a stale copy of the
chart (`refuse_stale`: a chart's version covers its title, subtitle and bars, so every change
to any of them bumps it) and records who made the change (django-simple-history).

A bar counts the yes and no answers to one question of the inspection's own framework (for
one of its items, where the question is asked item by item), so it is refused otherwise, with
what was expected.

A chart's figures are confirmed as the report's prose figures are: a bar added, or pointed at
another question, is confirmed as it counts then (the page shows it at once); a bar's label or
place changing confirms nothing, so a chart flagged because answers moved stays flagged until
the editor confirms it (`chart_confirm_figures`), which the history records.
"""

import re
from contextlib import AbstractContextManager

from django.core.exceptions import ValidationError

from inspection.lib.text import refuse_text
from inspection.models import Inspection
from inspection.permissions import Capability
from inspection.services import refuse_stale
from inspection.writing import InspectionWrite, inspection_writing
from judgements.findings import ALL, YES_NO_KINDS, inspection_findings
from judgements.models import Item, Question
from reports.charts.figures import chart_figures, confirmation, figures_seen
from reports.charts.models import Chart, ChartBar
from reports.ordering import delete_as, move_one_place, renumber, save_as

# Far beyond any code of the framework's (RR-A2, PP-O1, public), and short of a pasted sentence.
CODE_MAX_CHARS = 40
# A bar named as the README writes it: a question code, and an item code in brackets.
BAR_SOURCE = re.compile(r"\A(?P<question>[^\[\]\s]+)(?:\[(?P<item>[^\[\]\s]+)\])?\Z")


def _charts_writing(inspection_id: int, by) -> AbstractContextManager[InspectionWrite]:
    """A write to the charts, by a person who may edit them (the pages ask the same gate
    first; this keeps a command or the shell honest too)."""
    return inspection_writing(
        inspection_id, what="charts", by=by, capability=Capability.EDIT_TABLES
    )


def _locked_chart(chart: Chart, write: InspectionWrite, expected_version: int | None) -> Chart:
    """The chart as stored, locked until the write ends; refused from a stale copy."""
    current = Chart.objects.select_for_update().get(pk=chart.pk)
    current.inspection = write.inspection
    refuse_stale(current, expected_version)
    return current


def _text(field: str, value: str, max_length: int, *, name: str, missing: str = "") -> str:
    """Text a person typed, its runs of white space (line breaks too) made one space; refused
    when `missing` and empty, when too long, or holding a control character."""
    text = " ".join(value.split())
    if missing and not text:
        raise ValidationError({field: missing})
    refuse_text(field, text, what=name, max_chars=max_length)
    return text


def _chart_texts(title: str, subtitle: str) -> tuple[str, str]:
    return (
        _text("title", title, 120, name="The title", missing="Enter a title for the chart."),
        _text("subtitle", subtitle, 300, name="The subtitle"),
    )


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


def chart_create(*, inspection: Inspection, title: str, subtitle: str = "", by) -> Chart:
    """Add a chart, with no bars yet, after the inspection's last."""
    with _charts_writing(inspection.pk, by) as write:
        title, subtitle = _chart_texts(title, subtitle)
        chart = Chart(
            inspection=write.inspection,
            title=title,
            subtitle=subtitle,
            position=Chart.objects.filter(inspection=write.inspection).count() + 1,
        )
        save_as(chart, by)
        write.changed()
    return chart


def chart_update(
    *, chart: Chart, title: str, subtitle: str = "", by, expected_version: int | None = None
) -> Chart:
    with _charts_writing(chart.inspection_id, by) as write:
        current = _locked_chart(chart, write, expected_version)
        current.title, current.subtitle = _chart_texts(title, subtitle)
        save_as(current, by)
        write.changed()
    return current


def chart_delete(*, chart: Chart, by, expected_version: int | None = None) -> None:
    """Remove a chart and its bars; the charts after it move up a number."""
    with _charts_writing(chart.inspection_id, by) as write:
        current = _locked_chart(chart, write, expected_version)
        for bar in current.bars.all():
            delete_as(bar, by)
        delete_as(current, by)
        renumber(list(Chart.objects.filter(inspection_id=current.inspection_id)), by)
        write.changed()


def chart_move(*, chart: Chart, direction: str, by, expected_version: int | None = None) -> Chart:
    """Move a chart one place up or down the list, which renumbers the two it swaps."""
    with _charts_writing(chart.inspection_id, by) as write:
        current = _locked_chart(chart, write, expected_version)
        charts = list(Chart.objects.filter(inspection_id=current.inspection_id))
        move_one_place(charts, current, direction, by=by, refuse_at_end=False)
        write.changed()
    return Chart.objects.get(pk=current.pk)


# ---------------------------------------------------------------------------------------------
# Bars
# ---------------------------------------------------------------------------------------------


def bar_source(inspection: Inspection, question_code: str, item_code: str | None):
    """The framework question (and item) a bar counts, or a ValidationError saying what the
    inspection's framework expects instead."""
    for field, code in (("question", question_code), ("item", item_code or "")):
        refuse_text(field, code, what=f"the {field} code", max_chars=CODE_MAX_CHARS)
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


def _source(bar: ChartBar) -> str:
    return f"{bar.question.code}[{bar.item.code}]" if bar.item_id else bar.question.code


def _bar_saved(
    current: Chart, bar: ChartBar, by, write: InspectionWrite, was: str | None = None
) -> ChartBar:
    """Save the bar; a bar new or counting another question than `was` is confirmed as it
    counts now, the confirmation of what it counted before dropped."""
    save_as(bar, by)
    source = _source(bar)
    if source != was:
        confirmed = {key: value for key, value in current.confirmed_figures.items() if key != was}
        finding = inspection_findings(write.inspection).yes_no_finding(
            bar.question.code, bar.item.code if bar.item_id else None, ALL
        )
        confirmed[source] = {"yes": finding.yes, "no": finding.no}
        current.confirmed_figures = confirmed
    # The chart's version covers its bars: a form loaded before this change is now stale.
    save_as(current, by)
    write.changed()
    return bar


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
    with _charts_writing(chart.inspection_id, by) as write:
        current = _locked_chart(chart, write, expected_version)
        question, item = bar_source(current.inspection, question_code, item_code)
        return _bar_saved(current, _bar_for(current, question, item, label), by, write)


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
    with _charts_writing(bar.chart.inspection_id, by) as write:
        current = _locked_chart(bar.chart, write, expected_version)
        question, item = bar_source(current.inspection, question_code, item_code)
        stored = current.bars.select_related("question", "item").get(pk=bar.pk)
        was = _source(stored)
        changed = _bar_for(current, question, item, label, stored)
        return _bar_saved(current, changed, by, write, was)


def chart_bar_delete(*, bar: ChartBar, by, expected_version: int | None = None) -> None:
    """Remove a bar; the bars after it move up a place. `expected_version` is its chart's."""
    with _charts_writing(bar.chart.inspection_id, by) as write:
        current = _locked_chart(bar.chart, write, expected_version)
        stored = current.bars.select_related("question", "item").get(pk=bar.pk)
        delete_as(stored, by)
        renumber(list(current.bars.all()), by)
        current.confirmed_figures.pop(_source(stored), None)
        save_as(current, by)
        write.changed()


def chart_bar_move(
    *, bar: ChartBar, direction: str, by, expected_version: int | None = None
) -> ChartBar:
    """Move a bar one place up or down its chart. `expected_version` is its chart's."""
    with _charts_writing(bar.chart.inspection_id, by) as write:
        current = _locked_chart(bar.chart, write, expected_version)
        bars = list(current.bars.all())
        move_one_place(bars, bar, direction, by=by, refuse_at_end=False)
        save_as(current, by)
        write.changed()
    return ChartBar.objects.get(pk=bar.pk)


# ---------------------------------------------------------------------------------------------
# Confirming a chart's figures
# ---------------------------------------------------------------------------------------------


def chart_confirm_figures(
    *, chart: Chart, by, expected_version: int | None = None, seen: str | None = None
) -> Chart:
    """Record the chart's figures as the editor has now read them: its flag clears.

    `seen` is the counts the editor's page showed (`ChartFigures.seen`): if answers moved them
    again while the page was open, nothing is confirmed and the editor is told to look again,
    so a confirmation never covers a count nobody read."""
    with _charts_writing(chart.inspection_id, by) as write:
        current = _locked_chart(chart, write, expected_version)
        figures = chart_figures(current, 0, inspection_findings(write.inspection))
        if seen is not None and seen != figures_seen(figures.bars):
            raise ValidationError(
                f"The figures of “{current.title}” changed again while the page was open: "
                "check them and confirm again.",
                code="stale",
            )
        confirmed = {bar.source: confirmation(bar) for bar in figures.bars}
        if confirmed == current.confirmed_figures:
            return current
        current.confirmed_figures = confirmed
        save_as(current, by)
        write.changed()
    return current


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
