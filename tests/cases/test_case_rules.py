"""What makes a case reference acceptable, and the descriptor codes framework gates compare."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from cases.models import Case
from tests.factories import CaseFactory

CASE_REF_RULE = "letters, digits, dots, hyphens or underscores"


def validation_messages(case: Case) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as invalid:
        case.full_clean()
    return invalid.value.message_dict


# One reference per inspection


def test_duplicate_case_reference_within_an_inspection_fails_validation(case):
    duplicate = CaseFactory.build(inspection=case.inspection, case_ref=case.case_ref)

    messages = validation_messages(duplicate)

    assert messages[NON_FIELD_ERRORS] == ["This inspection already has a case with this reference."]


def test_duplicate_case_reference_within_an_inspection_is_refused_by_the_database(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(inspection=case.inspection, case_ref=case.case_ref)

    assert Case.objects.filter(inspection=case.inspection, case_ref=case.case_ref).count() == 1


def test_same_case_reference_in_another_inspection_is_allowed(case, other_inspection):
    same_ref = CaseFactory.build(inspection=other_inspection, case_ref=case.case_ref)

    same_ref.full_clean()
    same_ref.save()

    assert Case.objects.filter(case_ref=case.case_ref).count() == 2


# The shape of a reference


@pytest.mark.parametrize("case_ref", ["NS-001", "ns_001.2", "7", "A" * 40])
def test_case_reference_of_letters_digits_dots_hyphens_and_underscores_is_valid(
    inspection, case_ref
):
    CaseFactory.build(inspection=inspection, case_ref=case_ref).full_clean()


@pytest.mark.parametrize(
    "case_ref",
    ["NS 001", "NS/001", "-NS001", "Jane Smith", "A" * 41],
    ids=["space", "slash", "leading-hyphen", "a-name", "too-long"],
)
def test_case_reference_with_other_characters_fails_validation(inspection, case_ref):
    messages = validation_messages(CaseFactory.build(inspection=inspection, case_ref=case_ref))

    assert any(CASE_REF_RULE in message for message in messages["case_ref"])


def test_case_reference_ending_in_a_newline_fails_validation(inspection):
    messages = validation_messages(CaseFactory.build(inspection=inspection, case_ref="NS-001\n"))

    assert any(CASE_REF_RULE in message for message in messages["case_ref"])


# Descriptors as framework gates see them


@pytest.mark.parametrize(("interviewed", "code"), [(True, "yes"), (False, "no")])
def test_interviewed_descriptor_is_yes_or_no(inspection, interviewed, code):
    case = CaseFactory(inspection=inspection, interviewed=interviewed)

    assert case.descriptor_value("interviewed") == code


@pytest.mark.parametrize("mappa_level", ["none", "1", "2", "3"])
def test_mappa_level_descriptor_is_its_code(inspection, mappa_level):
    case = CaseFactory(inspection=inspection, mappa_level=mappa_level)

    assert Case.objects.get(pk=case.pk).descriptor_value("mappa_level") == mappa_level
