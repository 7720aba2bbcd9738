"""The permission gate for a case: the inspection's gate, then the case within it."""

from django.shortcuts import get_object_or_404

from cases.models import Case
from inspection.permissions import Capability, get_inspection_for_user


def get_case_for_user(
    user, slug: str, case_ref: str, capability: Capability = Capability.VIEW
) -> Case:
    inspection = get_inspection_for_user(user, slug, capability)
    case = get_object_or_404(
        Case.objects.select_related("assigned_inspector"), inspection=inspection, case_ref=case_ref
    )
    # The gate's own copy of the inspection (with its framework), which knows the person's
    # role on it: a page that asks again (may they answer? review?) needs no query for it.
    case.inspection = inspection
    return case
