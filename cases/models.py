"""The sampled cases of an inspection and their descriptors.

A case is pseudonymous: it carries a case reference, never the name of the person on probation.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from inspection.guards import next_version
from inspection.models import InspectionData


class Organisation(models.TextChoices):
    CRC = "CRC", "Community Rehabilitation Company"
    NPS = "NPS", "National Probation Service"


class SentenceType(models.TextChoices):
    COMMUNITY_ORDER = "community_order", "Community order"
    SUSPENDED_SENTENCE_ORDER = "suspended_sentence_order", "Suspended sentence order"
    LICENCE = "licence", "Licence"


class OffenceType(models.TextChoices):
    """The main offence of the sentence, by the offence groups of the Ministry of Justice's
    criminal justice statistics (the classification in use since 2015, which the Offender
    Management Statistics also use for people on probation), so a sample can be set against
    the national figures. Burglary is a theft offence there. Domestic abuse is not an offence
    group but a context of offences in several (violence, criminal damage, public order), so
    it is not a choice here. Left blank, the offence is not recorded.
    """

    VIOLENCE = "violence", "Violence against the person"
    SEXUAL = "sexual", "Sexual offences"
    ROBBERY = "robbery", "Robbery"
    THEFT = "theft", "Theft offences (including burglary)"
    CRIMINAL_DAMAGE = "criminal_damage", "Criminal damage and arson"
    DRUGS = "drugs", "Drug offences"
    WEAPONS = "weapons", "Possession of weapons"
    PUBLIC_ORDER = "public_order", "Public order offences"
    MISCELLANEOUS = "miscellaneous", "Miscellaneous crimes against society"
    FRAUD = "fraud", "Fraud offences"
    SUMMARY_NON_MOTORING = "summary_non_motoring", "Summary non-motoring offences"
    SUMMARY_MOTORING = "summary_motoring", "Summary motoring offences"


# The requirements a court can set in a community order or suspended sentence order that the
# report's findings look at (the full list: Criminal Justice Act 2003 s.177 in 2016, the
# Sentencing Code's Schedule 9 since 2020). A licence has
# conditions set on release, not requirements of an order (a home detention curfew is a
# licence condition): the case rules refuse these on a licence case.
REQUIREMENTS = [
    "unpaid_work",
    "accredited_programme",
    "rehabilitation_activity",
    "alcohol_treatment",
    "drug_rehabilitation",
    "curfew",
]


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"


class Ethnicity(models.TextChoices):
    """Census 2011 high-level groups, as Appendix 3 sampling matched on ethnicity."""

    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, African, Caribbean or Black British"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class RoshLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class MappaLevel(models.TextChoices):
    NONE = "none", "Not MAPPA"
    LEVEL_1 = "1", "Level 1"
    LEVEL_2 = "2", "Level 2"
    LEVEL_3 = "3", "Level 3"


class LikelihoodOfReoffending(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class CourtReport(models.TextChoices):
    FULL_WRITTEN = "full_written", "Full written report"
    SHORT_OR_ORAL = "short_or_oral", "Short or oral report on the day"
    NONE = "none", "No report"


class CaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    QUALITY_ASSURED = "quality_assured", "Quality assured"


# After the cases waiting for the person (case_work_rank), the order a lead or an inspector
# works through the rest: cases sent back to an inspector (the lead will see them again soon),
# work in hand, work not begun, cases waiting for someone else's review, and finished ones.
_WORK_ORDER = [
    CaseStatus.RETURNED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.NOT_STARTED,
    CaseStatus.SUBMITTED,
    CaseStatus.QUALITY_ASSURED,
]


def case_work_rank(status: str, *, reviews: bool, assigned: bool) -> int:
    """Where a case stands in a person's list of cases, lowest first: the cases waiting for
    them come first (a submitted case for the lead who reviews it, a returned case for the
    inspector it is assigned to), then _WORK_ORDER. So a lead reads submitted, returned, in
    progress, not started, quality assured; an inspector returned, in progress, not started,
    submitted, quality assured."""
    if (reviews and status == CaseStatus.SUBMITTED) or (assigned and status == CaseStatus.RETURNED):
        return 0
    return 1 + _WORK_ORDER.index(status)


case_ref_validator = RegexValidator(
    r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,39}\Z",
    "Enter a case reference of 1 to 40 letters, digits, dots, hyphens or underscores, "
    "starting with a letter or digit. It is pseudonymous: never a person's name.",
)


class Case(InspectionData):
    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="cases"
    )
    case_ref = models.CharField("Case reference", max_length=40, validators=[case_ref_validator])
    organisation = models.CharField(max_length=3, choices=Organisation)
    sentence_type = models.CharField(max_length=30, choices=SentenceType)
    offence_type = models.CharField(
        "Offence type (main offence)", max_length=30, choices=OffenceType, blank=True
    )
    unpaid_work = models.BooleanField("Unpaid work requirement", default=False)
    accredited_programme = models.BooleanField("Accredited programme requirement", default=False)
    rehabilitation_activity = models.BooleanField(
        "Rehabilitation activity requirement (RAR)", default=False
    )
    alcohol_treatment = models.BooleanField("Alcohol treatment requirement", default=False)
    drug_rehabilitation = models.BooleanField("Drug rehabilitation requirement", default=False)
    curfew = models.BooleanField("Curfew requirement", default=False)
    gender = models.CharField(max_length=10, choices=Gender)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity)
    office = models.CharField("Office or hub", max_length=120)
    rosh_level = models.CharField("Risk of serious harm level", max_length=10, choices=RoshLevel)
    mappa_level = models.CharField(
        "MAPPA level", max_length=4, choices=MappaLevel, default=MappaLevel.NONE
    )
    likelihood_of_reoffending = models.CharField(
        "Likelihood of reoffending", max_length=10, choices=LikelihoodOfReoffending, blank=True
    )
    court_report = models.CharField(
        "Court report", max_length=20, choices=CourtReport, default=CourtReport.NONE
    )
    # PROTECT: deleting a person must not silently unassign their cases (deactivate instead).
    assigned_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    interviewed = models.BooleanField("Person on probation interviewed", default=False)
    status = models.CharField(max_length=20, choices=CaseStatus, default=CaseStatus.NOT_STARTED)
    # What the lead inspector said when returning the case, and what the inspector said of the
    # questions left unanswered when submitting it (judgements.services.case_status_change).
    review_comment = models.TextField("Lead inspector's comment", blank=True)
    submission_note = models.TextField("Reason for unanswered questions", blank=True)
    # Bumped on every save; the services refuse a write based on an older version, so two
    # people editing at once cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["inspection", "organisation", "case_ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "case_ref"],
                name="case_ref_unique_within_inspection",
                violation_error_message="This inspection already has a case with this reference.",
            )
        ]

    def __str__(self) -> str:
        return self.case_ref

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "case-detail", kwargs={"slug": self.inspection.slug, "case_ref": self.case_ref}
        )

    def requirements_on_a_licence(self) -> list[str]:
        """The requirement flags set although the case is a licence: a licence has none
        (REQUIREMENTS). The case rules and the cases import refuse them, each in its words."""
        if self.sentence_type != SentenceType.LICENCE:
            return []
        return [name for name in REQUIREMENTS if getattr(self, name)]

    def descriptor_value(self, name: str) -> str:
        """The code a framework gate compares against (see cases.descriptors)."""
        from cases.descriptors import DESCRIPTORS

        return DESCRIPTORS[name].value_of(self)


# The descriptors the sample profile sets beside the area's caseload (Appendix 3: the sample
# was matched on gender, ethnicity, sentence type and office; organisation and risk of serious
# harm level are how the report describes it). The caseload's office names are the sample's.
CASELOAD_DESCRIPTORS: dict[str, str] = {
    "organisation": "Organisation",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "sentence_type": "Sentence type",
    "office": "Office or hub",
    "rosh_level": "Risk of serious harm level",
}


class CaseloadProportion(InspectionData):
    """The share of the area's caseload (the cases the sample is drawn from) with one value of
    a descriptor, as the lead inspector reads it from the area's figures: "women are 14% of
    the caseload". Written only by cases.services.caseload_proportions_save."""

    inspection = models.ForeignKey(
        "inspection.Inspection", on_delete=models.CASCADE, related_name="caseload_proportions"
    )
    descriptor = models.CharField(max_length=40, choices=list(CASELOAD_DESCRIPTORS.items()))
    # A descriptor's code (female, black, licence …), or an office's name as the sample has it.
    value = models.CharField(max_length=120)
    percent = models.DecimalField("Per cent of the caseload", max_digits=4, decimal_places=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "descriptor", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "descriptor", "value"],
                name="one_caseload_proportion_per_value",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100),
                name="caseload_proportion_is_a_percentage",
                violation_error_message="A share of the caseload is between 0 and 100 per cent.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.descriptor} {self.value}: {self.percent}%"
