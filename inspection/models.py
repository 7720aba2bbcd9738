"""The inspection and the team that carries it out."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class InspectionStatus(models.TextChoices):
    """The life of an inspection, in order. A published inspection is read-only everywhere."""

    SETUP = "setup", "Setting up"
    FIELDWORK = "fieldwork", "Fieldwork"
    ANALYSIS = "analysis", "Analysis"
    DRAFTING = "drafting", "Drafting"
    PUBLISHED = "published", "Published"


STATUS_ORDER = list(InspectionStatus)


class Role(models.TextChoices):
    INSPECTOR = "inspector", "Inspector"
    LEAD_INSPECTOR = "lead_inspector", "Lead inspector"
    EDITOR = "editor", "Editor"


class Inspection(models.Model):
    area_name = models.CharField(max_length=120, help_text="The probation area inspected.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    crc_name = models.CharField(
        "Community Rehabilitation Company", max_length=200, help_text="The CRC inspected."
    )
    nps_name = models.CharField(
        "National Probation Service division", max_length=200, help_text="The NPS inspected."
    )
    fieldwork_start = models.DateField(null=True, blank=True)
    fieldwork_end = models.DateField(null=True, blank=True)
    framework = models.ForeignKey(
        "judgements.Framework", on_delete=models.PROTECT, related_name="inspections"
    )
    status = models.CharField(
        max_length=20, choices=InspectionStatus, default=InspectionStatus.SETUP
    )
    # Bumped on every change, so two people editing at once cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    # Bumped by every service that changes the inspection's data (a case, an answer, the team,
    # the status), in the same transaction: caches of its findings are keyed on it.
    data_revision = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-fieldwork_start", "area_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fieldwork_end__gte=models.F("fieldwork_start"))
                | models.Q(fieldwork_end__isnull=True)
                | models.Q(fieldwork_start__isnull=True),
                name="inspection_fieldwork_ends_after_it_starts",
                violation_error_message="Fieldwork must end on or after the day it starts.",
            )
        ]
        permissions = [
            ("view_all_inspections", "Can view every inspection, without being on its team"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspection-overview", kwargs={"slug": self.slug})

    @property
    def is_read_only(self) -> bool:
        return self.status == InspectionStatus.PUBLISHED

    def next_status(self) -> str | None:
        position = STATUS_ORDER.index(self.status)
        return STATUS_ORDER[position + 1] if position + 1 < len(STATUS_ORDER) else None

    def organisation_name(self, organisation: str) -> str:
        return self.crc_name if organisation == "CRC" else self.nps_name


class TeamMembership(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role)

    class Meta:
        ordering = ["role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "user"], name="one_role_per_person_per_inspection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) on {self.inspection}"
