"""The enablers and barriers tables and the recommendations (reports/tables/layout.py reads
them, reports/tables/services.py writes them).

- Guarded like the cases and answers: every row belongs to an inspection, and nothing changes
  once the inspection is published, whoever asks (inspection.models.InspectionData).
- A number is a place, never stored: a row's number is its place in its column, a
  recommendation's its place across the groups, counted when shown, so a move renumbers
  nothing.
- No silent overwrite: a row, a group and a recommendation bump their `version` on every
  save, and the services refuse an edit or a deletion from an older one.
- A finding linked to a row is shown as the findings have it now, never a copy.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Organisation
from inspection.guards import next_version
from inspection.models import InspectionData
from judgements.findings import ALL
from reports.chapters import Perspective

# A report row is a sentence or three; a recommendation about as long. Far above either, so a
# pasted chapter is refused rather than printed as a row.
ROW_TEXT_MAX_CHARS = 2_000
ADDRESSEE_MAX_CHARS = 200


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
