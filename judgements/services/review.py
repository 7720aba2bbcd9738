"""A case's status: submitting it, and the lead's review (return, quality assure, reopen).

CASE_MOVES says where a status may go and who may move it there; `case_status_change` checks
the move, the comment a return or reopening needs, the reason a submission with questions
left unanswered needs, the required descriptors and the version, then records the history,
in the inspection's write block (inspection.writing).
"""

from django.core.exceptions import ValidationError

from cases.descriptors import unset_required_descriptors
from cases.models import Case, CaseStatus
from inspection.lib.moves import moves_for, moves_from
from inspection.lib.text import COMMENT_MAX_CHARS, refuse_text
from inspection.models import Role
from inspection.permissions import role_of
from inspection.services import refuse_stale
from inspection.writing import inspection_writing
from judgements.progress import case_progress

CS = CaseStatus
ASSIGNED = "assigned_inspector"
# Where a case's status may go next, and who may move it there: the inspector it is assigned
# to, the lead inspector (a user with the cases.change_case permission, an administrator, may
# make any of these moves too). A first answer moves a case from not started to in progress.
CASE_MOVES: dict[tuple[str, str], set[str]] = {
    (CS.NOT_STARTED, CS.IN_PROGRESS): {ASSIGNED, Role.LEAD_INSPECTOR},
    (CS.NOT_STARTED, CS.SUBMITTED): {ASSIGNED, Role.LEAD_INSPECTOR},
    (CS.IN_PROGRESS, CS.SUBMITTED): {ASSIGNED, Role.LEAD_INSPECTOR},
    (CS.RETURNED, CS.SUBMITTED): {ASSIGNED, Role.LEAD_INSPECTOR},
    (CS.SUBMITTED, CS.RETURNED): {Role.LEAD_INSPECTOR},
    (CS.SUBMITTED, CS.QUALITY_ASSURED): {Role.LEAD_INSPECTOR},
    # Reopening: only the lead, with a comment, and the history keeps it.
    (CS.QUALITY_ASSURED, CS.RETURNED): {Role.LEAD_INSPECTOR},
}


def case_status_moves_for(user, case: Case) -> list[str]:
    """The statuses this user may move the case to now."""
    is_admin = user is not None and user.has_perm("cases.change_case")
    movers = {role_of(user, case.inspection)} if user is not None else set()
    if user is not None and case.assigned_inspector_id == user.pk:
        movers.add(ASSIGNED)
    return moves_for(CASE_MOVES, case.status, movers, anyone=is_admin)


def _status_move_errors(case: Case, to_status: str, by, comment: str) -> dict[str, str]:
    if (case.status, to_status) not in CASE_MOVES:
        allowed = moves_from(CASE_MOVES, case.status)
        return {
            "status": f"A case {case.get_status_display().lower()} can move only to "
            f"{' or '.join(allowed) or 'nothing'}, not to {to_status}."
        }
    if by is not None and to_status not in case_status_moves_for(by, case):
        return {"status": f"{by.get_username()} may not move case {case} to {to_status}."}
    if to_status == CS.RETURNED and not comment:
        return {"review_comment": "Say what the inspector should look at again."}
    return {}


def case_status_change(
    *, case: Case, to_status: str, by, comment: str = "", expected_version: int | None = None
) -> Case:
    """Move a case along CASE_MOVES: submit it (complete, or with the reason for what is left),
    return it with a comment, quality-assure it (which locks its answers) or reopen it."""
    with inspection_writing(case.inspection_id, what="cases") as write:
        current = Case.objects.select_for_update().select_related("inspection").get(pk=case.pk)
        refuse_stale(current, expected_version)
        comment = comment.strip()
        comment_field, what = (
            ("submission_note", "the reason")
            if to_status == CS.SUBMITTED
            else ("review_comment", "the comment")
        )
        refuse_text(comment_field, comment, what=what, max_chars=COMMENT_MAX_CHARS)
        errors = _status_move_errors(current, to_status, by, comment)
        if to_status == CS.SUBMITTED and not errors:
            unset = unset_required_descriptors(current)
            if unset:
                errors["descriptors"] = (
                    f"Record the {' and the '.join(d.label.lower() for d in unset)} in the case "
                    "descriptors before submitting the case."
                )
            progress = case_progress([current])[current.pk]
            missing = progress.asked - progress.answered
            if missing and not comment:
                errors["submission_note"] = (
                    f"{missing} of the case's {progress.asked} questions are unanswered: answer "
                    "them, or say why they are left."
                )
            current.submission_note = comment if missing else ""
        if errors:
            raise ValidationError(errors)
        if to_status == CS.RETURNED:
            current.review_comment = comment
        current.status = to_status
        current._history_user = by
        current.save()
        write.changed()
    return current
