"""Writes to an inspection itself and its team, each in one write block (inspection.writing)."""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from inspection.lib.moves import moves_for, moves_from
from inspection.lib.text import refuse_text, text_problem
from inspection.models import (
    RESERVED_SLUGS,
    Inspection,
    InspectionStatus,
    Role,
    TeamMembership,
)
from inspection.permissions import role_of
from inspection.writing import inspection_writing

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


# The inspection's names as people type them, as a refusal words them; the rule of
# inspection.lib.text holds for each.
NAME_FIELDS = {
    "area_name": "the probation area",
    "title": "the title",
    "crc_name": "the Community Rehabilitation Company's name",
    "nps_name": "the National Probation Service division's name",
}


def _name_errors(inspection: Inspection) -> dict[str, list[str]]:
    """Each name longer than its column holds or holding a control character, with why."""
    errors = {}
    for name, what in NAME_FIELDS.items():
        max_chars = Inspection._meta.get_field(name).max_length
        problem = text_problem(getattr(inspection, name), what=what, max_chars=max_chars)
        if problem:
            errors[name] = [problem]
    return errors


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
    names_refused = _name_errors(inspection)
    errors: dict[str, list[str]] = dict(names_refused)
    if framework is None:
        known = ", ".join(Framework.objects.values_list("code", flat=True)) or "none loaded"
        errors["framework"] = [f"There is no framework “{framework_code}”; known: {known}."]
    # A reserved slug is the model's own rule (full_clean below names it).
    if slug not in RESERVED_SLUGS and Inspection.objects.filter(slug=slug).exists():
        errors.update(_slug_taken(slug).message_dict)
    try:
        # Uniqueness is checked above, with a message that names the slug; names refused
        # above are not named twice.
        inspection.full_clean(exclude=["framework", *names_refused], validate_unique=False)
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


def _by_name(user) -> str:
    return user.get_username() if user is not None else "a command"


def status_moves_for(user, inspection: Inspection) -> list[str]:
    """The statuses this user may move the inspection to now."""
    is_admin = user is not None and user.has_perm("inspection.change_inspection")
    movers = {role_of(user, inspection)} if user is not None else set()
    return moves_for(STATUS_MOVES, inspection.status, movers, anyone=is_admin)


def inspection_status_change(
    *, inspection: Inspection, to_status: str, by, expected_version: int | None = None
) -> Inspection:
    """Move the inspection to `to_status`, along an allowed move, by a role allowed to (from
    published there is none: STATUS_MOVES refuses it in its own words, not the write block)."""
    with inspection_writing(inspection.pk, refuse_published=False) as write:
        current = write.inspection
        refuse_stale(current, expected_version)
        if (current.status, to_status) not in STATUS_MOVES:
            allowed = moves_from(STATUS_MOVES, current.status)
            raise ValidationError(
                {
                    "status": f"An inspection in {current.get_status_display().lower()} can "
                    f"move only to {' or '.join(allowed) or 'nothing: it is final'}, not to "
                    f"{to_status}."
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
        write.changed()
    return current


# Who reopens a published inspection for a correction: the roles that publish it.
CORRECTORS = {Role.LEAD_INSPECTOR, Role.EDITOR}
# What the correction is for, kept as the history's change reason (which holds 100 characters).
CORRECTION_REASON_MAX = 100


def _correction_reason(reason: str) -> str:
    """What the correction is for, as the history keeps it, or why it cannot be kept."""
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
    refuse_text("reason", reason, what="the reason", max_chars=CORRECTION_REASON_MAX)
    return reason


def inspection_correction_open(*, inspection: Inspection, by, reason: str) -> Inspection:
    """Reopen a published inspection to drafting so its report can be corrected and published
    again as a new version (reports.export.services.report_publish); every version already
    published is kept as it went out. Only the lead inspector or the editor (or an
    administrator; `by` None: a command) reopens it, saying why; the reopening is in the
    inspection's history with that reason."""
    with inspection_writing(inspection.pk, refuse_published=False) as write:
        current = write.inspection
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
                    "status": f"{_by_name(by)} may not reopen this inspection: the lead "
                    "inspector or the editor reopens a published report for a correction."
                },
                code="not_allowed",
            )
        reason = _correction_reason(reason)
        current.status = S.DRAFTING
        current._history_user = by
        current._change_reason = reason
        current.reopening_for_correction = True
        current.save()
        write.changed()
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


def inspection_update(
    *, inspection: Inspection, changes: dict, by, expected_version: int | None = None
) -> Inspection:
    """Change an inspection's details (not its status): refused from a stale copy, when
    published or when the framework would change under answers (both Inspection.save's)."""
    with inspection_writing(inspection.pk, refuse_published=False) as write:
        current = write.inspection
        refuse_stale(current, expected_version)
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValidationError(
                f"These fields are not edited here: {', '.join(sorted(unknown))}."
            )
        for name, value in changes.items():
            setattr(current, name, value)
        names_refused = _name_errors(current)
        if names_refused:
            raise ValidationError(names_refused)
        current.full_clean(exclude=["status"])
        current._history_user = by
        current.save()
        write.changed()
    return current


def membership_save(*, inspection: Inspection, user, role: str, by) -> TeamMembership:
    """Put a person on the team in a role, or change their role."""
    with inspection_writing(inspection.pk, what="team") as write:
        if role not in Role.values:
            raise ValidationError(
                {"role": f"“{role}” is not a role; expected one of {Role.values}."}
            )
        current = write.inspection
        membership = TeamMembership.objects.filter(inspection=current, user=user).first()
        if membership is None:
            membership = TeamMembership(inspection=current, user=user)
        elif membership.role == role:
            return membership
        membership.role = role
        membership._history_user = by
        membership.save()
        write.changed()
    return membership


def membership_delete(*, membership: TeamMembership, by) -> None:
    """Take a person off the team; refused while cases of the inspection are assigned to them."""
    with inspection_writing(membership.inspection_id, what="team") as write:
        assigned = list(
            write.inspection.cases.filter(assigned_inspector=membership.user_id).values_list(
                "case_ref", flat=True
            )
        )
        if assigned:
            raise ValidationError(
                f"{membership.user} is assigned cases {', '.join(sorted(assigned))}; assign "
                "them to someone else first.",
                code="assigned",
            )
        membership._history_user = by
        membership.delete()
        write.changed()
