"""Counts over an inspection's sample (one GROUP BY each)."""

from dataclasses import dataclass

from django.db.models import Count

from cases.models import CaseStatus, Organisation
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
