"""The report's own content, written by the lead inspector and the editor from the findings."""

from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Organisation
from inspection.guards import next_version
from inspection.models import InspectionData
from judgements.findings import ALL

# ---------------------------------------------------------------------------------------------
# Enablers and barriers; recommendations (reports/tables.py reads them, reports/services.py
# writes them). Every row belongs to an inspection and is guarded like its cases and answers:
# nothing changes once the inspection is published, whoever asks.

# The framework domains the report gives a chapter, each ending its three sections with an
# enablers and barriers table: "whether: reducing reoffending, protecting the public, abiding
# by the sentence" (Appendix 1, the three outcome domains). Codes of the framework's domains.
OUTCOME_DOMAINS = ["RR", "PP", "AB"]
# A report row is a sentence or three; a recommendation about as long. Far above either, so a
# pasted chapter is refused rather than printed as a row.
ROW_TEXT_MAX_CHARS = 2_000
ADDRESSEE_MAX_CHARS = 200


class Perspective(models.TextChoices):
    """Whose work a table is about: each domain chapter has a section on the CRC, one on the
    NPS and one on the two working together (sections x.1, x.2 and x.3 of the report)."""

    CRC = "CRC", "Community Rehabilitation Company"
    NPS = "NPS", "National Probation Service"
    JOINT = "joint", "Working together"


class Column(models.TextChoices):
    ENABLER = "enabler", "Enabler"
    BARRIER = "barrier", "Barrier"


# The groups a finding is counted in (judgements.findings): one organisation or both.
FINDING_GROUPS = [*Organisation.choices, (ALL, "CRC and NPS")]


class TableRow(InspectionData):
    """One numbered entry of an enablers and barriers table: an enabler or a barrier of one
    organisation's work (or of the two working together) in one outcome domain. Its number is
    its place in its column, counted when the table is shown, so a move renumbers nothing."""

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="table_rows"
    )
    domain = models.CharField(max_length=10, help_text="A code of OUTCOME_DOMAINS.")
    perspective = models.CharField(max_length=5, choices=Perspective)
    column = models.CharField(max_length=7, choices=Column)
    position = models.PositiveIntegerField()
    text = models.TextField(max_length=ROW_TEXT_MAX_CHARS)
    # Bumped on every save; the services refuse an edit or a deletion from an older version.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["inspection", "domain", "perspective", "column", "position", "pk"]
        indexes = [
            models.Index(
                fields=["inspection", "domain", "perspective", "column", "position"],
                name="table_row_place",
            )
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else f"{self.text[:59]}…"
        return f"{self.get_column_display()} “{text}”"

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)


class TableRowFinding(InspectionData):
    """A finding that supports a row: a yes/no question of the inspection's framework (for one
    item of an item question), counted for the CRC, the NPS or both. The page shows its
    figure as the findings have it now, never a copy."""

    row = models.ForeignKey(TableRow, on_delete=models.CASCADE, related_name="finding_links")
    question = models.ForeignKey("judgements.Question", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        "judgements.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.CharField(max_length=3, choices=FINDING_GROUPS)
    history = HistoricalRecords()

    owner_path = "row__inspection_id"

    class Meta:
        ordering = ["row", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["row", "question", "item", "group"],
                condition=models.Q(item__isnull=False),
                name="one_link_per_row_question_item_group",
            ),
            models.UniqueConstraint(
                fields=["row", "question", "group"],
                condition=models.Q(item__isnull=True),
                name="one_link_per_row_question_group",
            ),
        ]

    def __str__(self) -> str:
        item = f"[{self.item.code}]" if self.item_id else ""
        return f"{self.question.code}{item} {self.group}"

    def owner_id(self) -> int | None:
        return self.row.inspection_id if self.row_id else None


class TableRowCase(InspectionData):
    """A case of the inspection's sample that supports a row (by its pseudonymous reference)."""

    row = models.ForeignKey(TableRow, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    owner_path = "row__inspection_id"

    class Meta:
        ordering = ["row", "case__case_ref"]
        constraints = [
            models.UniqueConstraint(fields=["row", "case"], name="one_link_per_row_case")
        ]

    def __str__(self) -> str:
        return str(self.case)

    def owner_id(self) -> int | None:
        return self.row.inspection_id if self.row_id else None


class RecommendationGroup(InspectionData):
    """The recommendations addressed to one body ("The Community Rehabilitation Company
    should:"), in the report's order of addressees."""

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="recommendation_groups"
    )
    addressee = models.CharField(
        max_length=ADDRESSEE_MAX_CHARS,
        help_text="Who should act, as the heading names them before “should:”.",
    )
    position = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["inspection", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.addressee} should:"

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)


class Recommendation(InspectionData):
    """One recommendation. Numbered continuously across the groups, as the report prints them,
    so its number is counted when shown, never stored."""

    group = models.ForeignKey(
        RecommendationGroup, on_delete=models.CASCADE, related_name="recommendations"
    )
    position = models.PositiveIntegerField()
    text = models.TextField(max_length=ROW_TEXT_MAX_CHARS)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    owner_path = "group__inspection_id"

    class Meta:
        ordering = ["group", "position", "pk"]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else f"{self.text[:59]}…"
        return f"Recommendation “{text}”"

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)

    def owner_id(self) -> int | None:
        return self.group.inspection_id if self.group_id else None


class RecommendationBarrier(InspectionData):
    """A barrier (a row of one of the inspection's tables) that a recommendation answers."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="barrier_links"
    )
    barrier = models.ForeignKey(
        TableRow, on_delete=models.CASCADE, related_name="recommendation_links"
    )
    history = HistoricalRecords()

    owner_path = "recommendation__group__inspection_id"

    class Meta:
        ordering = ["recommendation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "barrier"], name="one_link_per_recommendation_barrier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} answers {self.barrier}"

    def owner_id(self) -> int | None:
        return self.recommendation.group.inspection_id if self.recommendation_id else None


# ---------------------------------------------------------------------------------------------
# Appendix 4 charts (reports/charts.py draws them, reports/chart_services.py writes them)
# ---------------------------------------------------------------------------------------------


class Chart(InspectionData):
    """One of the report's Appendix 4 charts: a title, an optional subtitle (Chart 3's is the
    question its bars answer) and an ordered list of bars. Its number is its place in the
    inspection's list, so reordering renumbers it, as the report's "Chart 1" … "Chart 4" are.

    `version` covers the chart's title, subtitle and bars: every change to any of them bumps
    it (reports.chart_services), and every form on the chart's page carries it, so two people
    editing one chart cannot silently overwrite each other.
    """

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="charts"
    )
    title = models.CharField(max_length=120)
    subtitle = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
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

    def owner_id(self) -> int | None:
        return self.chart.inspection_id if self.chart_id else None
