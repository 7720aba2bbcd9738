"""Writes that touch several models of an inspection, each in one transaction."""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from inspection.lib.moves import moves_for, moves_from
from inspection.models import (
    RESERVED_SLUGS,
    Inspection,
    InspectionStatus,
    PublishedError,
    Role,
    TeamMembership,
)
from inspection.permissions import role_of

S = InspectionStatus
# Where an inspection's status may go next, and which team roles may move it there (a user
# with the `inspection.change_inspection` permission, an administrator, may make any of these
# moves too). One step at a time, forward or back; published is final for these moves: only a
# correction of the published report reopens it (inspection_correction_open).
STATUS_MOVES: dict[tuple[str, str], set[str]] = {
    (S.SETUP, S.FIELDWORK): {Role.LEAD_INSPECTOR},
    (S.FIELDWORK, S.SETUP): {Role.LEAD_INSPECTOR},
    (S.FIELDWORK, S.ANALYSIS): {Role.LEAD_INSPECTOR},
    (S.ANALYSIS, S.FIELDWORK): {Role.LEAD_INSPECTOR},
    (S.ANALYSIS, S.DRAFTING): {Role.LEAD_INSPECTOR},
    (S.DRAFTING, S.ANALYSIS): {Role.LEAD_INSPECTOR, Role.EDITOR},
    (S.DRAFTING, S.PUBLISHED): {Role.LEAD_INSPECTOR, Role.EDITOR},
}


def inspection_data_changed(inspection_id: int) -> None:
    """Record that an inspection's data changed: called by every service that writes a case,
    an answer, a membership or the status, inside its transaction, so a cache keyed on
    `data_revision` can never serve findings older than the data."""
    Inspection.objects.filter(pk=inspection_id).update(data_revision=F("data_revision") + 1)


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
    by=None,
) -> Inspection:
    """Create an empty inspection (no team, no cases) in set-up, recorded as made `by`.

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
    # A reserved slug is the model's own rule (full_clean below names it).
    if slug not in RESERVED_SLUGS and Inspection.objects.filter(slug=slug).exists():
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
    inspection._history_user = by
    try:
        with transaction.atomic():
            inspection.save()
    except IntegrityError:  # someone took the slug since the check above
        raise _slug_taken(slug) from None
    return inspection


class StaleWrite(ValidationError):
    """Someone else saved this record since the person loaded it; their change is kept."""


def refuse_stale(record, expected_version: int | None) -> None:
    """Refuse a write based on an older version of `record` (None: the caller holds no copy,
    as a command or import does, and the row lock alone orders the writes)."""
    if expected_version is not None and expected_version != record.version:
        raise StaleWrite(
            f"{record} was changed by someone else since you opened it (version "
            f"{expected_version}, now {record.version}); your change was not saved. Reload it "
            "and make your change again.",
            code="stale",
        )


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def inspection_locked_for_data(inspection_id: int, what: str = "data") -> Inspection:
    """Lock the inspection's row for the rest of the transaction, then check it is not
    published: a write to its data and a publish cannot interleave (PostgreSQL; every data
    write bumps the row's data_revision anyway, so the lock costs no extra waiting)."""
    current = Inspection.objects.select_for_update().get(pk=inspection_id)
    if current.is_read_only:
        raise PublishedError(
            f"Inspection {current.slug} is published, so its {what} cannot change.",
            code="published",
        )
    return current


def _by_name(user) -> str:
    return user.get_username() if user is not None else "a command"


def status_moves_for(user, inspection: Inspection) -> list[str]:
    """The statuses this user may move the inspection to now."""
    is_admin = user is not None and user.has_perm("inspection.change_inspection")
    movers = {role_of(user, inspection)} if user is not None else set()
    return moves_for(STATUS_MOVES, inspection.status, movers, anyone=is_admin)


@transaction.atomic
def inspection_status_change(
    *, inspection: Inspection, to_status: str, by, expected_version: int | None = None
) -> Inspection:
    """Move the inspection to `to_status`, along an allowed move, by a role allowed to."""
    current = _locked(inspection)
    refuse_stale(current, expected_version)
    if (current.status, to_status) not in STATUS_MOVES:
        allowed = moves_from(STATUS_MOVES, current.status)
        raise ValidationError(
            {
                "status": f"An inspection in {current.get_status_display().lower()} can move "
                f"only to {' or '.join(allowed) or 'nothing: it is final'}, not to {to_status}."
            },
            code="transition",
        )
    if by is not None and to_status not in status_moves_for(by, current):
        raise ValidationError(
            {"status": f"{_by_name(by)} may not move this inspection to {to_status}."},
            code="not_allowed",
        )
    current.status = to_status
    current._history_user = by
    current.save()
    inspection_data_changed(current.pk)
    return current


# Who reopens a published inspection for a correction: the roles that publish it.
CORRECTORS = {Role.LEAD_INSPECTOR, Role.EDITOR}
# What the correction is for, kept as the history's change reason (which holds 100 characters).
CORRECTION_REASON_MAX = 100


@transaction.atomic
def inspection_correction_open(*, inspection: Inspection, by, reason: str) -> Inspection:
    """Reopen a published inspection to drafting so its report can be corrected and published
    again as a new version (reports.export_services.report_publish); every version already
    published is kept as it went out. Only the lead inspector or the editor (or an
    administrator; `by` None: a command) reopens it, saying why; the reopening is in the
    inspection's history with that reason."""
    current = _locked(inspection)
    if current.status != S.PUBLISHED:
        raise ValidationError(
            {
                "status": f"Only a published inspection is reopened for a correction; "
                f"{current.slug} is in {current.get_status_display().lower()}."
            },
            code="not_published",
        )
    is_admin = by is not None and by.has_perm("inspection.change_inspection")
    if by is not None and not is_admin and role_of(by, current) not in CORRECTORS:
        raise ValidationError(
            {
                "status": f"{_by_name(by)} may not reopen this inspection: the lead inspector or "
                "the editor reopens a published report for a correction."
            },
            code="not_allowed",
        )
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(
            {"reason": "Say what the correction is for: it goes into the history."},
            code="required",
        )
    if len(reason) > CORRECTION_REASON_MAX:
        raise ValidationError(
            {
                "reason": f"Say what the correction is for in at most {CORRECTION_REASON_MAX} "
                f"characters (this has {len(reason)}); the new version's note can say more."
            },
            code="max_length",
        )
    current.status = S.DRAFTING
    current._history_user = by
    current._change_reason = reason
    current.reopening_for_correction = True
    current.save()
    inspection_data_changed(current.pk)
    return current


def inspection_corrections(inspection: Inspection) -> list:
    """Every reopening of the inspection for a correction, latest first (its history)."""
    return list(
        inspection.history.filter(status=S.DRAFTING)
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date")
    )


# The fields of an inspection an administrator edits directly; status has its own service.
EDITABLE_FIELDS = [
    "area_name",
    "title",
    "slug",
    "crc_name",
    "nps_name",
    "fieldwork_start",
    "fieldwork_end",
    "framework",
]


@transaction.atomic
def inspection_update(
    *, inspection: Inspection, changes: dict, by, expected_version: int | None = None
) -> Inspection:
    """Change an inspection's details (not its status): refused when published, when the
    framework would change under answers (Inspection.save), or from a stale copy."""
    current = _locked(inspection)
    refuse_stale(current, expected_version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields are not edited here: {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean(exclude=["status"])
    current._history_user = by
    current.save()
    inspection_data_changed(current.pk)
    return current


def _team_member_errors(inspection: Inspection) -> None:
    if inspection.is_read_only:
        raise PublishedError(
            f"Inspection {inspection.slug} is published, so its team cannot change.",
            code="published",
        )


@transaction.atomic
def membership_save(*, inspection: Inspection, user, role: str, by) -> TeamMembership:
    """Put a person on the team in a role, or change their role."""
    current = _locked(inspection)
    _team_member_errors(current)
    if role not in Role.values:
        raise ValidationError({"role": f"“{role}” is not a role; expected one of {Role.values}."})
    membership = TeamMembership.objects.filter(inspection=current, user=user).first()
    if membership is None:
        membership = TeamMembership(inspection=current, user=user)
    elif membership.role == role:
        return membership
    membership.role = role
    membership._history_user = by
    membership.save()
    inspection_data_changed(current.pk)
    return membership


@transaction.atomic
def membership_delete(*, membership: TeamMembership, by) -> None:
    """Take a person off the team; refused while cases of the inspection are assigned to them."""
    current = _locked(membership.inspection)
    _team_member_errors(current)
    assigned = list(
        current.cases.filter(assigned_inspector=membership.user_id).values_list(
            "case_ref", flat=True
        )
    )
    if assigned:
        raise ValidationError(
            f"{membership.user} is assigned cases {', '.join(sorted(assigned))}; assign them "
            "to someone else first.",
            code="assigned",
        )
    membership._history_user = by
    membership.delete()
    inspection_data_changed(current.pk)
