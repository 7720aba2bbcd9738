"""The sample profile: who is in the sample, beside who is in the area's caseload.

The counts are the findings engine's descriptor tables (judgements.findings) and, for the
office, which is free text rather than a coded descriptor, `cases.aggregation.office_counts`;
this module only shapes them into tables and sets the lead's caseload shares beside them.

Appendix 3 of the report: "we tried to make sure that the proportions matched in terms of (i)
gender, (ii) ethnicity, (iii) sentence type and (iv) office location – with minimum numbers set
for (i) and (ii)". It does not give the numbers; ours are settings (SAMPLE_MINIMUM_WOMEN,
SAMPLE_MINIMUM_MINORITY_ETHNIC), and `minimum_checks` is the one place the rule lives.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from cases.aggregation import office_counts
from cases.models import CASELOAD_DESCRIPTORS, Case, Ethnicity, Gender, Organisation
from inspection.models import Inspection
from judgements.findings import ALL, GROUPS, Findings, inspection_findings
from judgements.proportions import percent

# Black and minority ethnic groups, of the census's high-level groups the cases record: every
# group but white, and not "not stated", which says nothing either way.
MINORITY_ETHNIC = [Ethnicity.MIXED, Ethnicity.ASIAN, Ethnicity.BLACK, Ethnicity.OTHER]
GROUP_LABELS = {"CRC": "CRC", "NPS": "NPS", ALL: "Sample"}


@dataclass(frozen=True)
class ProfileCell:
    group: str
    count: int
    total: int

    @property
    def label(self) -> str:
        """The column's heading: the organisation, or "Sample" for all cases."""
        return "Sample" if self.group == ALL else self.group

    @property
    def percent(self) -> int | None:
        return percent(self.count, self.total)


@dataclass(frozen=True)
class ProfileRow:
    code: str
    label: str
    cells: list[ProfileCell]
    caseload: Decimal | None


@dataclass(frozen=True)
class ProfileTable:
    descriptor: str
    label: str
    groups: list[str]
    rows: list[ProfileRow]

    @property
    def group_labels(self) -> list[str]:
        return [GROUP_LABELS[group] for group in self.groups]

    @property
    def caseload_entered(self) -> bool:
        return any(row.caseload is not None for row in self.rows)


@dataclass(frozen=True)
class MinimumCheck:
    """Whether the sample holds the methodology's minimum number of one group of people."""

    who: str
    count: int
    sample: int
    minimum: int
    caseload: Decimal | None

    @property
    def met(self) -> bool:
        return self.count >= self.minimum

    @property
    def sample_percent(self) -> int | None:
        return percent(self.count, self.sample)

    @property
    def sentence(self) -> str:
        """ "Women are 14% of the area's caseload; 8 of 47 (17%) of the sample." """
        share = f"{self.count} of {self.sample}"
        if self.sample:
            share += f" ({self.sample_percent}%)"
        if self.caseload is None:
            return f"{self.who.capitalize()}: {share} of the sample."
        return (
            f"{self.who.capitalize()} are {self.caseload.normalize():f}% of the area's "
            f"caseload; {share} of the sample."
        )


@dataclass(frozen=True)
class SampleProfile:
    cases: dict[str, int]
    tables: list[ProfileTable]
    checks: list[MinimumCheck]

    @property
    def shortfalls(self) -> list[MinimumCheck]:
        return [check for check in self.checks if not check.met]


def _caseload_sum(caseload: Mapping[tuple[str, str], Decimal], descriptor, codes):
    shares = [caseload[(descriptor, code)] for code in codes if (descriptor, code) in caseload]
    return sum(shares) if shares else None


def minimum_checks(
    descriptors: Mapping[str, Mapping[str, Mapping[str, int]]],
    sample: int,
    caseload: Mapping[tuple[str, str], Decimal],
    *,
    minimum_women: int,
    minimum_minority_ethnic: int,
) -> list[MinimumCheck]:
    """The sample against the minimum numbers of women and of people from black and minority
    ethnic groups, over the whole sample (CRC and NPS together, as Appendix 3 speaks of "the
    sample"); each carries the caseload's share where the lead has entered it."""
    everyone_by = {name: table[ALL] for name, table in descriptors.items()}
    return [
        MinimumCheck(
            who="women",
            count=everyone_by["gender"][Gender.FEMALE],
            sample=sample,
            minimum=minimum_women,
            caseload=caseload.get(("gender", Gender.FEMALE)),
        ),
        MinimumCheck(
            who="people from black and minority ethnic groups",
            count=sum(everyone_by["ethnicity"][code] for code in MINORITY_ETHNIC),
            sample=sample,
            minimum=minimum_minority_ethnic,
            caseload=_caseload_sum(caseload, "ethnicity", MINORITY_ETHNIC),
        ),
    ]


def _descriptor_table(name, findings: Findings, caseload) -> ProfileTable:
    counts = findings.descriptors[name]
    rows = [
        ProfileRow(
            code=code,
            label=str(label),
            cells=[
                ProfileCell(group, counts[group][code], findings.cases[group]) for group in GROUPS
            ],
            caseload=caseload.get((name, code)),
        )
        for code, label in Case._meta.get_field(name).choices
    ]
    return ProfileTable(name, CASELOAD_DESCRIPTORS[name], GROUPS, rows)


def _organisation_table(findings: Findings, caseload) -> ProfileTable:
    rows = [
        ProfileRow(
            code=code,
            label=f"{code}: {label}",
            cells=[ProfileCell(ALL, findings.cases[code], findings.cases[ALL])],
            caseload=caseload.get(("organisation", code)),
        )
        for code, label in Organisation.choices
    ]
    return ProfileTable("organisation", CASELOAD_DESCRIPTORS["organisation"], [ALL], rows)


def _office_table(inspection: Inspection, findings: Findings, caseload) -> ProfileTable:
    rows = []
    for office, by_organisation in office_counts(inspection).items():
        counts = {**by_organisation, ALL: sum(by_organisation.values())}
        rows.append(
            ProfileRow(
                code=office,
                label=office,
                cells=[
                    ProfileCell(group, counts[group], findings.cases[group]) for group in GROUPS
                ],
                caseload=caseload.get(("office", office)),
            )
        )
    return ProfileTable("office", CASELOAD_DESCRIPTORS["office"], GROUPS, rows)


def sample_profile(inspection: Inspection) -> SampleProfile:
    """The sample profile page's tables and flags: the cached findings, one query for the
    offices and one for the caseload's shares."""
    findings = inspection_findings(inspection)
    caseload = {
        (descriptor, value): share
        for descriptor, value, share in inspection.caseload_proportions.values_list(
            "descriptor", "value", "percent"
        )
    }
    tables = []
    for name in CASELOAD_DESCRIPTORS:
        if name == "organisation":
            tables.append(_organisation_table(findings, caseload))
        elif name == "office":
            tables.append(_office_table(inspection, findings, caseload))
        else:
            tables.append(_descriptor_table(name, findings, caseload))
    checks = minimum_checks(
        findings.descriptors,
        findings.cases[ALL],
        caseload,
        minimum_women=settings.SAMPLE_MINIMUM_WOMEN,
        minimum_minority_ethnic=settings.SAMPLE_MINIMUM_MINORITY_ETHNIC,
    )
    return SampleProfile(cases=findings.cases, tables=tables, checks=checks)
