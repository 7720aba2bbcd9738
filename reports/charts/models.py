"""The report's Appendix 4 charts (reports/charts/figures.py draws them,
reports/charts/services.py writes them).

- Guarded like the cases and answers: nothing changes once the inspection is published
  (inspection.models.InspectionData).
- A chart's number is its place in the inspection's list, never stored; a bar counts the yes
  and no answers to one framework question (for one item), which cannot be deleted from
  under it.
- No silent overwrite: any change to a chart or its bars bumps the chart's `version`, which
  every form on its page carries.
- Its figures are confirmed like the report's live figures: `confirmed_figures` keeps what each
  bar counted when the editor last confirmed it, and a bar whose answers have moved since flags
  the chart (reports.charts.figures) until the editor confirms it again; publishing waits.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from inspection.guards import next_version
from inspection.models import InspectionData


class Chart(InspectionData):
    """One of the report's Appendix 4 charts: a title, an optional subtitle (Chart 3's is the
    question its bars answer) and an ordered list of bars. Its number is its place in the
    inspection's list, so reordering renumbers it, as the report's "Chart 1" … "Chart 4" are.

    `version` covers the chart's title, subtitle and bars: every change to any of them bumps
    it (reports.charts.services), and every form on the chart's page carries it, so two people
    editing one chart cannot silently overwrite each other.

    `confirmed_figures` maps each bar's source ("PP-O1[known_victims]") to the counts the
    editor last confirmed ({"yes": 31, "no": 16}): a bar added or pointed at another question
    is confirmed as it reads then; an answer changed later flags the chart until the editor
    confirms it again (reports.charts.services.chart_confirm_figures).
    """

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="charts"
    )
    title = models.CharField(max_length=120)
    subtitle = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    confirmed_figures = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["inspection", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)


class ChartBar(InspectionData):
    """A bar of a chart: the yes and no answers to one framework question (for one item, where
    the question is asked item by item), under a short label."""

    chart = models.ForeignKey(Chart, on_delete=models.CASCADE, related_name="bars")
    # PROTECT: a framework question or item a chart shows cannot vanish from under it.
    question = models.ForeignKey(
        "judgements.Question", on_delete=models.PROTECT, related_name="chart_bars"
    )
    item = models.ForeignKey(
        "judgements.Item",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chart_bars",
    )
    label = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    owner_path = "chart__inspection_id"

    class Meta:
        ordering = ["chart", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chart", "question", "item"],
                condition=models.Q(item__isnull=False),
                name="one_bar_per_chart_question_item",
            ),
            models.UniqueConstraint(
                fields=["chart", "question"],
                condition=models.Q(item__isnull=True),
                name="one_bar_per_chart_question",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def source(self) -> str:
        """What the bar counts as the README writes it ("PP-O1[public]"), the key of its
        chart's `confirmed_figures`."""
        return f"{self.question.code}[{self.item.code}]" if self.item_id else self.question.code

    def owner_id(self) -> int | None:
        return self.chart.inspection_id if self.chart_id else None
