"""Counts over an inspection's sample (one GROUP BY each)."""

from dataclasses import dataclass

from django.db.models import Count

from cases.models import CASELOAD_DESCRIPTORS, Case, CaseStatus, Organisation
from inspection.models import Inspection


@dataclass(frozen=True)
class SampleCounts:
    by_organisation: dict[str, int]
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_organisation.values())


def sample_counts(inspection: Inspection) -> SampleCounts:
    rows = list(
        inspection.cases.values("organisation", "status").annotate(n=Count("id")).order_by()
    )
    by_organisation = dict.fromkeys(Organisation.values, 0)
    by_status = dict.fromkeys(CaseStatus.values, 0)
    for row in rows:
        by_organisation[row["organisation"]] += row["n"]
        by_status[row["status"]] += row["n"]
    return SampleCounts(by_organisation, by_status)


def office_counts(inspection: Inspection) -> dict[str, dict[str, int]]:
    """Cases by organisation and office (one GROUP BY): office is free text, not one of the
    coded descriptors that judgements.findings tables, so the sample profile reads it here."""
    rows = inspection.cases.values_list("organisation", "office").annotate(n=Count("id")).order_by()
    counts: dict[str, dict[str, int]] = {}
    for organisation, office, n in rows:
        counts.setdefault(office, dict.fromkeys(Organisation.values, 0))[organisation] += n
    return dict(sorted(counts.items()))


def caseload_values(inspection: Inspection, descriptor: str) -> list[tuple[str, str]]:
    """The values of a descriptor that a share of the caseload may be given for, as (code,
    label): its codes, or for the office every office of the sample."""
    if descriptor not in CASELOAD_DESCRIPTORS:
        return []
    if descriptor == "office":
        offices = inspection.cases.order_by("office").values_list("office", flat=True).distinct()
        return [(office, office) for office in offices]
    return list(Case._meta.get_field(descriptor).choices)
