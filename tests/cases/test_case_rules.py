"""What makes a case reference acceptable, and the descriptor codes framework gates compare."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from cases.models import REQUIREMENTS, Case
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


@pytest.mark.parametrize(("offence_type", "code"), [("robbery", "robbery"), ("", "not_recorded")])
def test_offence_type_descriptor_is_its_code_or_not_recorded(inspection, offence_type, code):
    case = CaseFactory(inspection=inspection, offence_type=offence_type)

    assert Case.objects.get(pk=case.pk).descriptor_value("offence_type") == code


@pytest.mark.parametrize("requirement", REQUIREMENTS)
def test_each_requirement_of_the_order_is_a_yes_or_no_descriptor(inspection, requirement):
    imposed = CaseFactory(inspection=inspection, **{requirement: True})
    not_imposed = CaseFactory(inspection=inspection)

    assert Case.objects.get(pk=imposed.pk).descriptor_value(requirement) == "yes"
    assert Case.objects.get(pk=not_imposed.pk).descriptor_value(requirement) == "no"


def test_an_offence_type_outside_the_offence_groups_fails_validation(inspection):
    messages = validation_messages(CaseFactory.build(inspection=inspection, offence_type="arson"))

    assert "offence_type" in messages


# A licence has conditions, not requirements of an order


def test_a_licence_with_requirements_names_them(inspection):
    case = CaseFactory.build(
        inspection=inspection, sentence_type="licence", curfew=True, unpaid_work=True
    )

    assert case.requirements_on_a_licence() == ["unpaid_work", "curfew"]


@pytest.mark.parametrize("sentence_type", ["community_order", "suspended_sentence_order"])
def test_an_order_may_have_every_requirement(inspection, sentence_type):
    case = CaseFactory.build(
        inspection=inspection,
        sentence_type=sentence_type,
        **dict.fromkeys(REQUIREMENTS, True),
    )

    assert case.requirements_on_a_licence() == []
