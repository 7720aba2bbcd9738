"""The case descriptors a framework question may be gated on, with their codes.

Codes are the ones the cases.csv import uses, so a gate written in a framework file, a case
imported from the research team's spreadsheet and a findings cut all speak the same language.
"""

from dataclasses import dataclass

from django.db import models

from cases import models as case_models

# The code of a descriptor left blank (likelihood of reoffending or offence type may be unknown).
NOT_RECORDED = "not_recorded"
# Beside the coded descriptors, what a case is sampled by, as the pages and the workbook name it:
# its organisation (a code) and its office or hub (free text).
ORGANISATION_LABEL = "Organisation"
OFFICE_LABEL = str(case_models.Case._meta.get_field("office").verbose_name)


@dataclass(frozen=True)
class Descriptor:
    name: str
    label: str
    choices: type[models.TextChoices] | None
    # Whether a case may leave it blank (not recorded), as its model field allows.
    may_be_blank: bool = False
    # Whether the inspector must record it before submitting the case, though a sample file
    # may leave it blank: the case record always holds it (unset_required_descriptors).
    required_to_submit: bool = False

    @property
    def codes(self) -> list[str]:
        """The codes a cases file or a framework gate may give."""
        if self.choices is None:
            return ["yes", "no"]
        return list(self.choices.values)

    @property
    def counted_codes(self) -> list[str]:
        """Every code a case can have, "not_recorded" included where it may be blank: the
        findings count cases by these, so a case left blank is not lost from a cut."""
        return [*self.codes, NOT_RECORDED] if self.may_be_blank else self.codes

    def code(self, value) -> str:
        """The code of a stored value: yes/no for a flag, "not_recorded" for a blank."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value or NOT_RECORDED

    def stored_values(self, codes: list[str]) -> list:
        """The stored values these codes stand for (the inverse of `code`)."""
        if self.choices is None:
            return [code == "yes" for code in codes]
        return ["" if code == NOT_RECORDED else code for code in codes]

    def value_of(self, case: "case_models.Case") -> str:
        return self.code(getattr(case, self.name))

    def value_label(self, code: str) -> str:
        """A code as a person reads it: "female" is "Female", a flag "Yes" or "No", a blank
        "Not recorded"."""
        if code == NOT_RECORDED:
            return "Not recorded"
        if self.choices is None:
            return "Yes" if code == "yes" else "No"
        return str(self.choices(code).label)


DESCRIPTORS: dict[str, Descriptor] = {
    descriptor.name: descriptor
    for descriptor in [
        Descriptor("sentence_type", "Sentence type", case_models.SentenceType),
        Descriptor(
            "offence_type",
            "Offence type (main offence)",
            case_models.OffenceType,
            may_be_blank=True,
            # Every sentence has a main offence, on the record if not in the sample file; a
            # likelihood of reoffending may have no assessment behind it, so it may stay blank.
            required_to_submit=True,
        ),
        *(
            Descriptor(name, str(case_models.Case._meta.get_field(name).verbose_name), None)
            for name in case_models.REQUIREMENTS
        ),
        Descriptor("gender", "Gender", case_models.Gender),
        Descriptor("ethnicity", "Ethnicity", case_models.Ethnicity),
        Descriptor("rosh_level", "Risk of serious harm level", case_models.RoshLevel),
        Descriptor("mappa_level", "MAPPA level", case_models.MappaLevel),
        Descriptor(
            "likelihood_of_reoffending",
            "Likelihood of reoffending",
            case_models.LikelihoodOfReoffending,
            may_be_blank=True,
        ),
        Descriptor("court_report", "Court report", case_models.CourtReport),
        Descriptor("interviewed", "Person on probation interviewed", None),
    ]
}

DESCRIPTOR_CHOICES = [(name, descriptor.label) for name, descriptor in DESCRIPTORS.items()]


@dataclass(frozen=True)
class DescriptorRow:
    """One descriptor of a case as a person reads it."""

    name: str
    label: str
    text: str
    # Left blank although the inspector must record it before submitting the case.
    to_record: bool


def descriptor_summary(case: "case_models.Case") -> list[DescriptorRow]:
    """The case's descriptors in the order above, each in words ("Not recorded" if blank)."""
    rows = []
    for name, descriptor in DESCRIPTORS.items():
        value = getattr(case, name)
        if descriptor.choices is None:
            text = "Yes" if value else "No"
        else:
            text = getattr(case, f"get_{name}_display")() or "Not recorded"
        rows.append(
            DescriptorRow(name, descriptor.label, text, descriptor.required_to_submit and not value)
        )
    return rows


def descriptor_rows(case: "case_models.Case") -> list[tuple[str, str]]:
    """The case's descriptors as a person reads them: (label, value) in the order above."""
    return [(row.label, row.text) for row in descriptor_summary(case)]


def unset_required_descriptors(case: "case_models.Case") -> list[Descriptor]:
    """The descriptors the inspector must still record before submitting the case: the
    scoring journey starts with them and Check your answers lists them."""
    return [
        descriptor
        for descriptor in DESCRIPTORS.values()
        if descriptor.required_to_submit and not getattr(case, descriptor.name)
    ]
