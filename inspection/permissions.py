"""The one permission gate for every object type.

Each view asks for an object through these functions, never through a bare queryset. An object
of an inspection the user is not on is a 404 (it does not exist for them); a thing they can see
but may not do is a 403. Beyond the team, only Django permissions widen access: being staff
lets a person into the admin, not into every inspection.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from inspection.models import Inspection, Role, TeamMembership


class Capability(StrEnum):
    VIEW = "view"
    ANSWER = "answer"
    REVIEW = "review"
    EDIT_REPORT = "edit_report"
    # The tables and charts the report prints from the findings (enablers and barriers,
    # recommendations, Appendix 4 charts): the lead writes them, the editor shapes them.
    EDIT_TABLES = "edit_tables"
    # Reading the inspection's findings beside the national figure (counts of the published
    # inspections of its framework): for those who write the report's judgements, the lead
    # and the editor. Inspectors score their cases without another area's figures before them.
    COMPARE = "compare"


# The capabilities as a refusal names them to a person ("You cannot …"), never by their code.
CAPABILITY_NAMES: dict[Capability, str] = {
    Capability.VIEW: "see this inspection",
    Capability.ANSWER: "answer cases",
    Capability.REVIEW: "review cases",
    Capability.EDIT_REPORT: "edit the report",
    Capability.EDIT_TABLES: "edit the report's tables, recommendations and charts",
    Capability.COMPARE: "compare the findings with the national figure",
}

# Who exports, publishes and opens a correction of the report (reports/export/).
PUBLISHERS = {Role.LEAD_INSPECTOR, Role.EDITOR}


class InspectionPublished(PermissionDenied):
    """A change refused because the inspection is published, to someone whose role would
    otherwise allow it: the refusal page says so and points to the correction, which
    reopens it (templates/403.html)."""

    def __init__(self, inspection: Inspection, *, may_correct: bool):
        super().__init__("The report of this inspection is published, so it cannot change.")
        self.inspection = inspection
        self.may_correct = may_correct


# What each team role may do. Every page asks for its capability here, so the URL × role table
# stays in one place.
ROLE_CAPABILITIES: dict[str, set[Capability]] = {
    Role.INSPECTOR: {Capability.VIEW, Capability.ANSWER},
    Role.LEAD_INSPECTOR: {
        Capability.VIEW,
        Capability.ANSWER,
        Capability.REVIEW,
        Capability.EDIT_TABLES,
        Capability.COMPARE,
    },
    Role.EDITOR: {
        Capability.VIEW,
        Capability.EDIT_REPORT,
        Capability.EDIT_TABLES,
        Capability.COMPARE,
    },
}
WRITE_CAPABILITIES = {
    Capability.ANSWER,
    Capability.REVIEW,
    Capability.EDIT_REPORT,
    Capability.EDIT_TABLES,
}
# What reading every inspection grants on each: reading, never writing.
READ_CAPABILITIES = {Capability.VIEW, Capability.COMPARE}

# Granted in the admin (superusers have every permission). Reading every inspection is its own
# permission, so an administrator who manages users need not read every case.
VIEW_ALL_INSPECTIONS = "inspection.view_all_inspections"
CREATE_INSPECTION = "inspection.add_inspection"


def inspections_for_user(user) -> QuerySet[Inspection]:
    inspections = Inspection.objects.select_related("framework")
    if user.has_perm(VIEW_ALL_INSPECTIONS):
        return inspections
    return inspections.filter(team__user=user)


def scores_cases(user) -> bool:
    """Whether the person answers or reviews cases on some team (an inspector or a lead): the
    people for whom a list of their cases means something."""
    roles = [role for role, can in ROLE_CAPABILITIES.items() if Capability.ANSWER in can]
    return TeamMembership.objects.filter(user=user, role__in=roles).exists()


def role_of(user, inspection: Inspection) -> str | None:
    """The person's role on the inspection's team, or None. Remembered on the inspection
    object, which a view reads afresh for each request, so a page that asks several times
    (may they answer? review?) asks the database once."""
    roles = inspection.__dict__.setdefault("_team_roles", {})
    if user.pk not in roles:
        membership = TeamMembership.objects.filter(inspection=inspection, user=user).first()
        roles[user.pk] = membership.role if membership else None
    return roles[user.pk]


def user_can(user, inspection: Inspection, capability: Capability) -> bool:
    if capability in WRITE_CAPABILITIES and inspection.is_read_only:
        return False
    role = role_of(user, inspection)
    if role is not None and capability in ROLE_CAPABILITIES[role]:
        return True
    return capability in READ_CAPABILITIES and user.has_perm(VIEW_ALL_INSPECTIONS)


def may_publish(user, inspection: Inspection) -> bool:
    return user.is_superuser or role_of(user, inspection) in PUBLISHERS


def user_can_create_inspection(user) -> bool:
    """Setting up an inspection needs the permission the Django admin asks for the same form."""
    return user.has_perm(CREATE_INSPECTION)


def check_can_create_inspection(user) -> None:
    # A 403, not a 404: the page is no secret (the admin has the same form), and a signed-in
    # inspector who follows a shared link should learn that it needs an administrator.
    if not user_can_create_inspection(user):
        raise PermissionDenied("Only an administrator can create an inspection.")


def get_inspection_for_user(
    user, slug: str, capability: Capability = Capability.VIEW
) -> Inspection:
    # One query for the inspection and the person's role on it; the permissions (two more
    # queries) only for someone who is not on its team.
    role = TeamMembership.objects.filter(inspection=OuterRef("pk"), user=user).values("role")[:1]
    inspection = (
        Inspection.objects.select_related("framework")
        .annotate(team_role=Subquery(role))
        .filter(slug=slug)
        .first()
    )
    if inspection is None or (
        inspection.team_role is None and not user.has_perm(VIEW_ALL_INSPECTIONS)
    ):
        raise Http404("No such inspection")
    inspection.__dict__["_team_roles"] = {user.pk: inspection.team_role}
    if not user_can(user, inspection, capability):
        role = inspection.team_role
        if inspection.is_read_only and role is not None and capability in ROLE_CAPABILITIES[role]:
            raise InspectionPublished(inspection, may_correct=may_publish(user, inspection))
        raise PermissionDenied(f"You cannot {CAPABILITY_NAMES[capability]} in this inspection.")
    return inspection
