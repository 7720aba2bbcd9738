"""Combinations the lead inspector names: several of one question's counts read as one figure.

The report pools what the framework asks separately: "assessment and planning" (two of the
practice stages), "known victims or children" (two of the risk of harm groups), "abided by any
route" (three of a choice question's answers). A combination is kept per inspection, written
only by judgements.services.combinations (which checks its items or answers against the
question), and counted by the findings engine from the same grouped rows as every other figure
(judgements.findings.combination_findings).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from inspection.models import InspectionData
from judgements.models.framework import Question

# Lower case letters, digits and hyphens, starting with a letter: as a live figure names it
# in the report ("[[victims-or-children CRC phrase]]"), unlike a question code's capitals.
COMBINATION_CODE = RegexValidator(
    r"^[a-z][a-z0-9-]{1,39}$",
    "A code is 2 to 40 lower case letters, digits and hyphens, starting with a letter, "
    "such as victims-or-children.",
)
COMBINATION_NAME_MAX_CHARS = 120


class Combination(InspectionData):
    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="combinations"
    )
    code = models.CharField(max_length=40, validators=[COMBINATION_CODE])
    name = models.CharField(max_length=COMBINATION_NAME_MAX_CHARS)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # Item codes of the question's item set (a yes/no item question), or choice codes of a
    # choice question's answers: one of the two, never both.
    items = models.JSONField(default=list, blank=True)
    choices = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question__order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "code"], name="combination_code_unique_per_inspection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def parts(self) -> list[str]:
        """The item or choice codes it joins."""
        return list(self.items or self.choices)
