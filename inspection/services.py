"""Writes that touch several models of an inspection, each in one transaction."""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from inspection.models import Inspection


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
    Framework = Inspection.framework_model()
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
