"""Writes to an inspection's sample of cases, each in one write block (inspection.writing)."""

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from cases.aggregation import caseload_values
from cases.descriptors import DESCRIPTORS
from cases.models import CASELOAD_DESCRIPTORS, REQUIREMENTS, Case, CaseloadProportion
from inspection.lib.spreadsheets import ImportRefused, SheetRow
from inspection.lib.text import text_problem
from inspection.models import Inspection, PublishedError
from inspection.services import StaleWrite, refuse_stale
from inspection.writing import InspectionWrite, inspection_writing

CASE_COLUMNS = [
    "case_ref",
    "organisation",
    "sentence_type",
    "gender",
    "ethnicity",
    "office",
    "rosh_level",
]
# Left out or empty, these take the Case model's defaults (not MAPPA, no court report, not
# interviewed, offence not recorded, no requirement, ...).
OPTIONAL_CASE_COLUMNS = [
    "mappa_level",
    "court_report",
    "interviewed",
    "likelihood_of_reoffending",
    "assigned_inspector",
    "offence_type",
    *REQUIREMENTS,
]
YES_NO = {"yes": True, "no": False}
# The columns that are yes or no (a flag on the case); empty means no.
YES_NO_COLUMNS = [name for name, descriptor in DESCRIPTORS.items() if descriptor.choices is None]


def _where(row: SheetRow, ref: str, column: str) -> str:
    return (
        f"Row {row.number}: case {ref}, column {column}"
        if ref
        else f"Row {row.number}, column {column}"
    )


def _field_error(row: SheetRow, ref: str, column: str, messages: list[str]) -> str:
    """Name the allowed codes for a coded column, rather than Django's “not a valid choice”."""
    where = _where(row, ref, column)
    field = Case._meta.get_field(column)
    if field.choices:
        codes = ", ".join(str(value) for value, _label in field.choices)
        given = row[column].strip()
        problem = f"“{given}” is not one of its codes" if given else "it is empty"
        return f"{where}: {problem}; expected one of {codes}."
    return f"{where}: {' '.join(messages)}"


class _CaseFile:
    """The lookups a cases import checks its rows against, each read once for the file."""

    def __init__(self, inspection: Inspection):
        self.inspection = inspection
        self.existing_refs = set(inspection.cases.values_list("case_ref", flat=True))
        self.team = {
            user.username: user
            for user in get_user_model().objects.filter(memberships__inspection=inspection)
        }
        self.first_row: dict[str, int] = {}

    def case(self, row: SheetRow) -> tuple[Case | None, list[str]]:
        ref = row["case_ref"].strip()
        fields = {
            column: row[column].strip()
            for column in [*CASE_COLUMNS, *OPTIONAL_CASE_COLUMNS]
            if row[column].strip()
        }
        errors = self._reference_errors(row, ref)
        flags = {column: fields.pop(column, "no") for column in YES_NO_COLUMNS}
        errors += [
            f"{_where(row, ref, column)}: “{given}” is not one of its codes; "
            f"expected one of {', '.join(DESCRIPTORS[column].codes)}."
            for column, given in flags.items()
            if given not in YES_NO
        ]
        username = fields.pop("assigned_inspector", "")
        if username and username not in self.team:
            team = ", ".join(sorted(self.team)) or "no one (the team is empty)"
            errors.append(
                f"{_where(row, ref, 'assigned_inspector')}: “{username}” is not on the team of "
                f"{self.inspection.slug}; expected one of {team}."
            )
        case = Case(
            inspection=self.inspection,
            assigned_inspector=self.team.get(username),
            **{column: YES_NO.get(given, False) for column, given in flags.items()},
            **fields,
        )
        try:
            # The references were checked against the whole file and inspection above, once.
            case.full_clean(
                exclude=["inspection", "assigned_inspector"], validate_constraints=False
            )
        except ValidationError as invalid:
            errors += [
                _field_error(row, ref, column, messages)
                for column, messages in invalid.message_dict.items()
            ]
        errors += [
            f"{_where(row, ref, column)}: a licence has no requirements of an order; "
            "expected no (or empty), or a sentence_type other than licence."
            for column in case.requirements_on_a_licence()
        ]
        return (None if errors else case), errors

    def _reference_errors(self, row: SheetRow, ref: str) -> list[str]:
        if not ref:
            return []  # full_clean names the empty column
        if ref in self.existing_refs:
            return [
                f"Row {row.number}: case {ref} is already in inspection {self.inspection.slug}."
            ]
        if ref in self.first_row:
            return [f"Row {row.number}: case {ref} is also in row {self.first_row[ref]}."]
        self.first_row[ref] = row.number
        return []


def cases_import(*, inspection: Inspection, rows: Sequence[SheetRow], by=None) -> list[Case]:
    """Check every row of a cases file, then add all the cases or none.

    A file adds cases: a reference already in the inspection is an error, so importing the
    same file twice cannot double the sample or overwrite a descriptor someone corrected.
    """
    published = ImportRefused(f"Inspection {inspection.slug} is published, so its sample is fixed.")
    with inspection_writing(inspection.pk, published_refusal=published) as write:
        case_file = _CaseFile(inspection)
        cases, errors = [], []
        for row in rows:
            case, row_errors = case_file.case(row)
            errors += row_errors
            if case is not None:
                cases.append(case)
        if errors:
            raise ImportRefused(errors)
        try:
            with transaction.atomic():
                created = bulk_create_with_history(cases, Case, default_user=by)
        except IntegrityError:
            raise ImportRefused(
                "Someone added one of these cases while the file was being imported; nothing "
                "was saved. Import the file again."
            ) from None
        write.changed()
    return created


# What a person may change of a case; its inspection and reference identify it.
CASE_FIELDS = [
    "organisation",
    *(name for name in DESCRIPTORS),
    "office",
    "assigned_inspector",
]


def _case_rule_errors(case: Case, stored: Case | None) -> dict[str, str]:
    errors = {}
    inspection = case.inspection
    if inspection.is_read_only or (stored is not None and stored.inspection.is_read_only):
        raise PublishedError(
            f"Inspection {inspection.slug} is published, so its cases cannot change.",
            code="published",
        )
    if stored is not None and stored.inspection_id != case.inspection_id:
        errors["inspection"] = "A case stays in its inspection; add it to the other one instead."
    if (
        case.assigned_inspector_id
        and not inspection.team.filter(user_id=case.assigned_inspector_id).exists()
    ):
        errors["assigned_inspector"] = (
            f"{case.assigned_inspector} is not on the team of {inspection.slug}; "
            "add them to the team first."
        )
    office_problem = text_problem(
        case.office, what="the office or hub", max_chars=Case._meta.get_field("office").max_length
    )
    if office_problem:
        errors["office"] = office_problem
    for name in case.requirements_on_a_licence():
        errors[name] = (
            "A licence has no requirements of an order (its conditions are not recorded here): "
            "untick this, or correct the sentence type."
        )
    if stored is not None and stored.organisation != case.organisation and stored.answers.exists():
        errors["organisation"] = (
            "The case has answers, so its organisation cannot change: the framework asks "
            "different questions of CRC and NPS cases."
        )
    return errors


def case_rule_errors(case: Case) -> dict[str, str]:
    """Why this (new or changed, unsaved) case may not be saved, by field; empty if it may.

    The admin form shows these beside the fields; the services raise them.
    """
    stored = (
        Case.objects.select_related("inspection").filter(pk=case.pk).first() if case.pk else None
    )
    return _case_rule_errors(case, stored)


def _case_save(case: Case, by, write: InspectionWrite) -> Case:
    errors = case_rule_errors(case)
    if errors:
        raise ValidationError(errors)
    case.full_clean(exclude=["inspection", "assigned_inspector"])
    case._history_user = by
    case.save()
    write.changed()
    return case


def case_create(*, inspection: Inspection, by, **fields) -> Case:
    """Add one case to the sample (the admin's add form and the demo use this)."""
    with inspection_writing(inspection.pk, what="cases") as write:
        return _case_save(Case(inspection=inspection, **fields), by, write)


def _locked_case(case: Case) -> Case:
    """The case as stored, locked until the write ends (its inspection's row is locked first,
    as every write locks it)."""
    return Case.objects.select_for_update().select_related("inspection").get(pk=case.pk)


def case_update(
    *,
    case: Case,
    changes: dict,
    by,
    expected_version: int | None = None,
    clear_shut_gates: Callable[[Case], object] | None = None,
) -> tuple[Case, dict]:
    """Change a case's descriptors or assignment; returns the case and the old values of the
    fields that changed. Refused from a stale copy. (Its status moves by
    judgements.services.case_status_change, which knows the answers.)

    Changing a descriptor can shut a framework gate, and the answers behind it must go in the
    same transaction: that is the judgements layer's work, so a descriptor change needs its
    `clear_shut_gates` (judgements.services.case_change passes it; pages and the admin call
    that one). Without it, only the office and the assignment change here.
    """
    with inspection_writing(case.inspection_id, what="cases") as write:
        current = _locked_case(case)
        refuse_stale(current, expected_version)
        unknown = set(changes) - set(CASE_FIELDS)
        if unknown:
            raise ValidationError(
                f"These fields are not changed here: {', '.join(sorted(unknown))}."
            )
        old = {
            name: getattr(current, name)
            for name in changes
            if getattr(current, name) != changes[name]
        }
        descriptors = sorted(set(old) & set(DESCRIPTORS))
        if descriptors and clear_shut_gates is None:
            raise ValidationError(
                f"Changing {', '.join(descriptors)} can shut framework gates: make the change "
                "with judgements.services.case_change, which clears the answers behind them."
            )
        for name, value in changes.items():
            setattr(current, name, value)
        if old:
            _case_save(current, by, write)
            if descriptors:
                clear_shut_gates(current)
    return current, old


def case_delete(*, case: Case, by) -> None:
    """Remove a case (and its answers) from an inspection's sample."""
    with inspection_writing(case.inspection_id, what="cases") as write:
        current = _locked_case(case)
        current._history_user = by
        current.delete()
        write.changed()


# The area's caseload beside the sample


def caseload_signature(inspection: Inspection, descriptor: str) -> str:
    """The stored shares of one descriptor as a short text: a form carries the one it was
    built from, and a save from a page loaded before someone else's is refused (no silent
    overwrite), as a case's version does for a case."""
    rows = inspection.caseload_proportions.filter(descriptor=descriptor).order_by("value")
    return ";".join(f"{value}={percent}" for value, percent in rows.values_list("value", "percent"))


def _percent_problem(percent: Decimal) -> str | None:
    if not percent.is_finite() or not 0 <= percent <= 100:
        return f"expected a percentage from 0 to 100, not {percent}"
    if percent != percent.quantize(Decimal("0.1")):
        return f"expected at most one decimal place, not {percent}"
    return None


def _caseload_errors(
    label: str, values: dict[str, str], percents: Mapping[str, Decimal | None]
) -> dict[str, str]:
    errors = {}
    for value, percent in percents.items():
        if value not in values:
            expected = ", ".join(values) or "none: the sample has no cases yet"
            errors[value] = (
                f"{label}: “{value}” is not one of its values; expected one of {expected}."
            )
        elif percent is not None and (problem := _percent_problem(percent)):
            errors[value] = f"{label}, {values[value]}: {problem}."
    return errors


def _caseload_write(inspection, descriptor, stored, percents, by) -> None:
    for value, percent in percents.items():
        row = stored.get(value)
        if percent is None:
            if row is not None:
                row._history_user = by
                row.delete()
            continue
        if row is None:
            row = CaseloadProportion(inspection=inspection, descriptor=descriptor, value=value)
        elif row.percent == percent:
            continue
        row.percent = percent
        row._history_user = by
        row.save()


def caseload_proportions_save(
    *,
    inspection: Inspection,
    descriptor: str,
    percents: Mapping[str, Decimal | None],
    by,
    expected_signature: str | None = None,
) -> list[CaseloadProportion]:
    """Set the area caseload's shares for the values of one descriptor ("women are 14% of the
    caseload"); a value given None has its share removed, a value left out keeps it.

    Refused, with every problem at once keyed by the value (or "descriptor", "__all__"): on a
    published inspection, for a descriptor or value the profile does not have, for a share
    outside 0–100 or finer than one decimal place, and when a descriptor's shares would add
    up to more than 100% (the caseload is split between its values, so no more than all of
    it). Recorded in the history and bumping the data revision, like every write.
    """
    with inspection_writing(inspection.pk, what="caseload proportions") as write:
        current = write.inspection
        label = CASELOAD_DESCRIPTORS.get(descriptor)
        if label is None:
            raise ValidationError(
                {
                    "descriptor": f"“{descriptor}” is not a descriptor of the sample profile; "
                    f"expected one of {', '.join(CASELOAD_DESCRIPTORS)}."
                },
                code="unknown_descriptor",
            )
        if expected_signature is not None and expected_signature != caseload_signature(
            current, descriptor
        ):
            raise StaleWrite(
                f"Someone changed the caseload's shares by {label.lower()} since you opened "
                "the page; your change was not saved. Reload the page and make it again.",
                code="stale",
            )
        values = dict(caseload_values(current, descriptor))
        errors = _caseload_errors(label, values, percents)
        if errors:
            raise ValidationError(errors, code="invalid_percent")
        stored = {
            row.value: row for row in current.caseload_proportions.filter(descriptor=descriptor)
        }
        shares = {value: row.percent for value, row in stored.items()} | dict(percents)
        total = sum(percent for percent in shares.values() if percent is not None)
        if total > 100:
            raise ValidationError(
                f"{label}: the shares add up to {total.normalize():f}%; the caseload's shares "
                f"by {label.lower()} may add up to 100% at most.",
                code="over_100",
            )
        _caseload_write(current, descriptor, stored, percents, by)
        write.changed()
    return list(current.caseload_proportions.filter(descriptor=descriptor))
