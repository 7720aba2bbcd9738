"""The permission gate for a case: the inspection's gate, then the case within it."""

from django.shortcuts import get_object_or_404

from cases.models import Case
from inspection.permissions import Capability, get_inspection_for_user


def get_case_for_user(
    user, slug: str, case_ref: str, capability: Capability = Capability.VIEW
) -> Case:
    inspection = get_inspection_for_user(user, slug, capability)
    cases = Case.objects.select_related("inspection__framework", "assigned_inspector")
    return get_object_or_404(cases, inspection=inspection, case_ref=case_ref)
