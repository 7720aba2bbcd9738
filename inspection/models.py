"""The inspection and the team that carries it out."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from inspection.guards import GuardedModel, next_version


class InspectionStatus(models.TextChoices):
    """The life of an inspection, in order. A published inspection is read-only everywhere."""

    SETUP = "setup", "Setting up"
    FIELDWORK = "fieldwork", "Fieldwork"
    ANALYSIS = "analysis", "Analysis"
    DRAFTING = "drafting", "Drafting"
    PUBLISHED = "published", "Published"


STATUS_ORDER = list(InspectionStatus)


def status_is_read_only(status: str) -> bool:
    """A published inspection is read-only everywhere: the freeze, for a status."""
    return status == InspectionStatus.PUBLISHED


class Role(models.TextChoices):
    INSPECTOR = "inspector", "Inspector"
    LEAD_INSPECTOR = "lead_inspector", "Lead inspector"
    EDITOR = "editor", "Editor"


# A slug is the inspection's address (/inspections/<slug>/), so it cannot be a word the
# inspections URLs already use for a page of their own.
RESERVED_SLUGS = frozenset({"new"})


def validate_slug_not_reserved(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            f"The slug “{slug}” is reserved for a page; choose another slug.", code="reserved"
        )


class PublishedError(ValidationError):
    """A change to a published inspection's data: refused whoever asks (a page, an import,
    the admin, a command or the shell), because the report has been printed from it."""


def refuse_if_published(inspection_ids: Iterable[int | None]) -> None:
    """Raise PublishedError if any of these inspections is published."""
    ids = {pk for pk in inspection_ids if pk is not None}
    if not ids:
        return
    published = sorted(
        Inspection.objects.filter(pk__in=ids, status=InspectionStatus.PUBLISHED).values_list(
            "slug", flat=True
        )
    )
    if published:
        raise PublishedError(
            f"Inspection {', '.join(published)} is published, so its data cannot change.",
            code="published",
        )


class InspectionData(GuardedModel):
    """A row of an inspection's data (a case, a team member, an answer): refused, at the model
    level, whenever its old or its new inspection is published. Services check it first with a
    clearer message; this is the rule the admin, commands and shell cannot step round."""

    owner_path = "inspection_id"

    class Meta:
        abstract = True

    @classmethod
    def refuse_owners(cls, owner_ids: Iterable[int | None]) -> None:
        refuse_if_published(owner_ids)

    def owner_id(self) -> int | None:
        return self.inspection_id


class InspectionQuerySet(models.QuerySet):
    """`update` and `delete` on inspections skip `save()` and `delete()` (and a delete cascades
    to the cases, team and answers without asking them), so they ask the published rule here.
    Bumping `data_revision` alone is allowed: it changes no data, only the cache key."""

    def update(self, **kwargs):
        if set(kwargs) != {"data_revision"}:
            refuse_if_published(self.order_by().values_list("pk", flat=True))
        return super().update(**kwargs)

    def delete(self):
        refuse_if_published(self.order_by().values_list("pk", flat=True))
        return super().delete()


class Inspection(models.Model):
    area_name = models.CharField(max_length=120, help_text="The probation area inspected.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True, validators=[validate_slug_not_reserved])
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
    history = HistoricalRecords(excluded_fields=["data_revision", "updated_at"])

    objects = InspectionQuerySet.as_manager()

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

    def save(self, *args, **kwargs):
        """Refuse any change to a published inspection, a reserved slug, or a switch of
        framework under existing answers; bump `version` on every save.

        `data_revision` is never written from memory: the services bump it in the database,
        and a save from a stale copy must not turn it back.
        """
        stored = type(self)._base_manager.filter(pk=self.pk).first() if self.pk else None
        if stored is not None and stored.is_read_only and not self._correction_reopens(stored):
            raise PublishedError(
                f"Inspection {stored.slug} is published, so it cannot change.", code="published"
            )
        validate_slug_not_reserved(self.slug)
        framework_switched = stored is not None and stored.framework_id != self.framework_id
        if framework_switched and stored.cases.filter(answers__isnull=False).exists():
            raise ValidationError(
                {"framework": "The inspection has answers, so its framework cannot change."},
                code="framework_in_use",
            )
        self.version = next_version(self)
        if stored is not None and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "data_revision"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspection-overview", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        refuse_if_published([self.pk])
        return super().delete(*args, **kwargs)

    # Set only by inspection.services.inspection_correction_open, on the copy it saves.
    reopening_for_correction = False

    def _correction_reopens(self, stored: "Inspection") -> bool:
        """This save is the correction service reopening the published inspection to
        drafting, changing nothing else."""
        if not self.reopening_for_correction or self.status != InspectionStatus.DRAFTING:
            return False
        unchanged = [
            field.attname
            for field in self._meta.concrete_fields
            if field.attname not in ("status", "version", "updated_at", "data_revision")
        ]
        return all(getattr(self, name) == getattr(stored, name) for name in unchanged)

    @property
    def is_read_only(self) -> bool:
        return status_is_read_only(self.status)

    def next_status(self) -> str | None:
        position = STATUS_ORDER.index(self.status)
        return STATUS_ORDER[position + 1] if position + 1 < len(STATUS_ORDER) else None

    @classmethod
    def framework_model(cls) -> type[models.Model]:
        """The framework model, the one thing beneath an inspection.

        The inspection layer names it through its own foreign key, never by importing the
        layer above it (judgements), so the import contract in pyproject.toml holds:
        inspection ← cases ← judgements ← reports.
        """
        return cls._meta.get_field("framework").related_model

    def organisation_name(self, organisation: str) -> str:
        return self.crc_name if organisation == "CRC" else self.nps_name


class TeamMembership(InspectionData):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    # PROTECT: deleting a person must not silently take them off a team (deactivate instead).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "user"], name="one_role_per_person_per_inspection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) on {self.inspection}"


class Account(models.Model):
    """What the app keeps about a person's sign-in beyond Django's user: whether the password
    they hold was set by an administrator (who therefore knows it), so that they must choose
    their own before they open any page. Written only by inspection.account_services."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    must_change_password = models.BooleanField(
        "must change password at next sign-in",
        default=False,
        help_text="Set with a temporary password; cleared when they choose their own.",
    )
    password_changed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Account of {self.user}"
