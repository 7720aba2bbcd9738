"""Writes that touch several models of an inspection, each in one transaction."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from cases.models import Case, CaseStatus
from fixtures import durham_2016
from fixtures import durham_2016_answers as durham_answers
from inspection.models import Inspection, TeamMembership
from judgements.framework_loader import load_framework, read_framework_file
from judgements.models import Framework


@transaction.atomic
def demo_durham_load(*, framework_code: str = "qi-2016", with_answers: bool = True) -> Inspection:
    """Create the Durham 2016 demo: users, inspection, team, 47 cases and their answers.

    Idempotent and non-destructive: anything that already exists (a user, the inspection, a
    case, any answer) is left exactly as it is, so running it twice adds nothing and
    overwrites nobody. The answers (fixtures/durham_2016_answers.py) reproduce the published
    report's figures; once written, the cases read as submitted by their inspectors.
    """
    User = get_user_model()
    users = {}
    for username, first_name, last_name, role in durham_2016.USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": role is None,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(durham_2016.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    framework = Framework.objects.filter(code=framework_code).first()
    if framework is None:  # a flushed database (transactional tests) has lost the migration's copy
        framework = load_framework(read_framework_file(framework_code))
    inspection, _ = Inspection.objects.get_or_create(
        slug=durham_2016.SLUG, defaults={**durham_2016.INSPECTION, "framework": framework}
    )
    for username, _first, _last, role in durham_2016.USERS:
        if role:
            TeamMembership.objects.get_or_create(
                inspection=inspection, user=users[username], defaults={"role": role}
            )
    for demo_case in durham_2016.demo_cases():
        Case.objects.get_or_create(
            inspection=inspection,
            case_ref=demo_case.case_ref,
            defaults={
                "organisation": demo_case.organisation,
                "assigned_inspector": users[demo_case.reader],
                **demo_case.descriptors,
            },
        )
    if with_answers and durham_answers.load_durham_answers(inspection):
        inspection.cases.filter(status=CaseStatus.NOT_STARTED).update(status=CaseStatus.SUBMITTED)
    return inspection


def inspection_data_changed(inspection_id: int) -> None:
    """Record that an inspection's data changed: called by every service that writes a case,
    an answer, a membership or the status, inside its transaction, so a cache keyed on
    `data_revision` can never serve findings older than the data."""
    Inspection.objects.filter(pk=inspection_id).update(data_revision=F("data_revision") + 1)


# A slug is the inspection's address (/inspections/<slug>/), so it cannot be a word the
# inspections URLs already use for a page of their own.
RESERVED_SLUGS = {"new"}


def _slug_taken(slug: str) -> ValidationError:
    return ValidationError(
        {"slug": f"An inspection with the slug “{slug}” already exists; choose another slug."}
    )


@transaction.atomic
def inspection_create(
    *,
    slug: str,
    area_name: str,
    framework_code: str,
    title: str = "",
    crc_name: str = "",
    nps_name: str = "",
    fieldwork_start: date | None = None,
    fieldwork_end: date | None = None,
) -> Inspection:
    """Create an empty inspection (no team, no cases) in set-up.

    Names left blank are made from the area, as the published reports name them. Refuses with
    a ValidationError keyed by field, listing every problem at once, so the command and the
    page can each show all of them.
    """
    framework = Framework.objects.filter(code=framework_code).first()
    inspection = Inspection(
        slug=slug,
        area_name=area_name,
        framework=framework,
        title=title or f"Quality & Impact inspection: {area_name}",
        crc_name=crc_name or f"{area_name} Community Rehabilitation Company",
        nps_name=nps_name or f"National Probation Service, {area_name}",
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
    )
    errors: dict[str, list[str]] = {}
    if framework is None:
        known = ", ".join(Framework.objects.values_list("code", flat=True)) or "none loaded"
        errors["framework"] = [f"There is no framework “{framework_code}”; known: {known}."]
    if slug in RESERVED_SLUGS:
        errors["slug"] = [f"The slug “{slug}” is reserved for a page; choose another slug."]
    elif Inspection.objects.filter(slug=slug).exists():
        errors.update(_slug_taken(slug).message_dict)
    try:
        # Uniqueness is checked above, with a message that names the slug.
        inspection.full_clean(exclude=["framework"], validate_unique=False)
    except ValidationError as invalid:
        for field, messages in invalid.message_dict.items():
            # The one rule across fields is the fieldwork dates' order: it is the end date
            # that a person corrects.
            errors.setdefault("fieldwork_end" if field == NON_FIELD_ERRORS else field, []).extend(
                messages
            )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            inspection.save()
    except IntegrityError:  # someone took the slug since the check above
        raise _slug_taken(slug) from None
    return inspection
