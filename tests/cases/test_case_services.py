"""Writes to the sample go through cases.services: the rules of a case hold for every caller."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case
from cases.services import case_create, case_delete, case_rule_errors, case_update
from inspection.models import Inspection
from inspection.services import StaleWrite
from judgements.models import Answer, Question
from judgements.services import AnswerSlot, answer_record, case_change

DESCRIPTORS = {
    "organisation": "CRC",
    "sentence_type": "community_order",
    "gender": "female",
    "ethnicity": "white",
    "office": "Central hub",
    "rosh_level": "low",
}


def answer_rr_a1(case: Case, user) -> Answer:
    return answer_record(
        slot=AnswerSlot(case, Question.objects.get(framework__code="qi-2016", code="RR-A1")),
        value="yes",
        user=user,
    )


def revision(inspection: Inspection) -> int:
    return Inspection.objects.get(pk=inspection.pk).data_revision


# Creating a case


def test_a_case_is_added_with_an_inspector_from_the_team(inspection, inspector, lead):
    case = case_create(
        inspection=inspection,
        case_ref="NS-010",
        assigned_inspector=inspector,
        by=lead,
        **DESCRIPTORS,
    )

    assert Case.objects.get(pk=case.pk).assigned_inspector == inspector


def test_a_case_cannot_be_assigned_to_an_inspector_off_the_team(inspection, other_inspector, lead):
    with pytest.raises(ValidationError) as refused:
        case_create(
            inspection=inspection,
            case_ref="NS-010",
            assigned_inspector=other_inspector,
            by=lead,
            **DESCRIPTORS,
        )

    assert refused.value.message_dict["assigned_inspector"] == [
        "otto is not on the team of northshire; add them to the team first."
    ]
    assert not Case.objects.filter(case_ref="NS-010").exists()


def test_a_case_cannot_be_reassigned_to_an_inspector_off_the_team(case, other_inspector, lead):
    with pytest.raises(ValidationError, match="otto is not on the team of northshire"):
        case_update(case=case, changes={"assigned_inspector": other_inspector}, by=lead)

    assert Case.objects.get(pk=case.pk).assigned_inspector.username == "ivy"


def test_a_case_with_invalid_descriptors_is_refused(inspection, lead):
    with pytest.raises(ValidationError) as refused:
        case_create(
            inspection=inspection, case_ref="NS-010", by=lead, **DESCRIPTORS | {"gender": "x"}
        )

    assert "gender" in refused.value.message_dict
    assert not Case.objects.filter(case_ref="NS-010").exists()


def test_adding_a_case_bumps_the_inspections_data_revision(inspection, lead):
    before = revision(inspection)

    case_create(inspection=inspection, case_ref="NS-010", by=lead, **DESCRIPTORS)

    assert revision(inspection) == before + 1


# Changing a case


def test_the_organisation_of_a_case_without_answers_can_change(case, lead):
    _case, old = case_update(case=case, changes={"organisation": "NPS"}, by=lead)

    assert old == {"organisation": "CRC"}
    assert Case.objects.get(pk=case.pk).organisation == "NPS"


def test_the_organisation_of_a_case_with_answers_cannot_change(case, inspector, lead):
    answer_rr_a1(case, inspector)

    with pytest.raises(ValidationError) as refused:
        case_update(case=case, changes={"organisation": "NPS"}, by=lead)

    assert "its organisation cannot change" in refused.value.message_dict["organisation"][0]
    assert Case.objects.get(pk=case.pk).organisation == "CRC"


def test_a_case_cannot_be_moved_to_another_inspection_by_the_service(case, other_inspection, lead):
    with pytest.raises(ValidationError, match="not changed here: inspection"):
        case_update(case=case, changes={"inspection": other_inspection}, by=lead)

    assert Case.objects.get(pk=case.pk).inspection_id == case.inspection_id


def test_the_case_rules_name_a_move_to_another_inspection(case, other_inspection):
    case.inspection = other_inspection

    errors = case_rule_errors(case)

    assert (
        errors["inspection"] == "A case stays in its inspection; add it to the other one instead."
    )


def test_the_case_rules_find_nothing_wrong_with_a_valid_change(case):
    case.office = "North hub"

    assert case_rule_errors(case) == {}


def test_an_unchanged_case_is_not_saved_again(case, lead):
    version = case.version

    _case, old = case_update(case=case, changes={"office": case.office}, by=lead)

    assert old == {}
    assert Case.objects.get(pk=case.pk).version == version
    assert case.history.count() == 1


def test_each_change_bumps_the_case_version(case, lead):
    version = case.version

    case_update(case=case, changes={"office": "North hub"}, by=lead)

    assert Case.objects.get(pk=case.pk).version == version + 1


def test_a_stale_case_update_keeps_the_other_persons_change(case, lead, editor):
    opened_at = case.version
    case_update(case=case, changes={"office": "North hub"}, by=lead, expected_version=opened_at)

    with pytest.raises(StaleWrite, match="your change was not saved"):
        case_update(case=case, changes={"office": "East"}, by=editor, expected_version=opened_at)

    assert Case.objects.get(pk=case.pk).office == "North hub"


def test_fields_that_identify_a_case_are_not_changed_by_the_service(case, lead):
    with pytest.raises(ValidationError, match="not changed here: case_ref"):
        case_update(case=case, changes={"case_ref": "NS-999"}, by=lead)

    assert Case.objects.get(pk=case.pk).case_ref == "NS-001"


# Deleting a case


def test_deleting_a_case_removes_its_answers_and_records_who_did(case, inspector, lead):
    answer_rr_a1(case, inspector)

    case_delete(case=case, by=lead)

    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Answer.objects.filter(case_id=case.pk).exists()
    deleted = Case.history.filter(id=case.pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", lead)


def test_a_descriptor_change_round_the_answer_services_is_refused_and_nothing_changes(case, lead):
    with pytest.raises(ValidationError, match=r"judgements\.services\.case_change"):
        case_update(case=case, changes={"court_report": "full_written"}, by=lead)

    assert Case.objects.get(pk=case.pk).court_report == case.court_report


# The offence and the requirements of the order


def test_a_case_is_added_with_its_offence_type_and_requirements(inspection, lead):
    case = case_create(
        inspection=inspection,
        case_ref="NS-010",
        by=lead,
        **DESCRIPTORS,
        offence_type="theft",
        unpaid_work=True,
        rehabilitation_activity=True,
    )

    stored = Case.objects.get(pk=case.pk)
    assert (stored.offence_type, stored.unpaid_work, stored.rehabilitation_activity) == (
        "theft",
        True,
        True,
    )
    assert (stored.curfew, stored.accredited_programme) == (False, False)


def test_a_licence_case_with_a_requirement_of_an_order_is_refused(inspection, lead):
    with pytest.raises(ValidationError) as refused:
        case_create(
            inspection=inspection,
            case_ref="NS-010",
            by=lead,
            **DESCRIPTORS | {"sentence_type": "licence"},
            curfew=True,
        )

    assert refused.value.message_dict == {
        "curfew": [
            "A licence has no requirements of an order (its conditions are not recorded "
            "here): untick this, or correct the sentence type."
        ]
    }
    assert not Case.objects.filter(case_ref="NS-010").exists()


def test_a_case_with_unpaid_work_cannot_become_a_licence(case, lead):
    case_change(case=case, changes={"unpaid_work": True}, by=lead)

    with pytest.raises(ValidationError) as refused:
        case_change(case=case, changes={"sentence_type": "licence"}, by=lead)

    assert list(refused.value.message_dict) == ["unpaid_work"]
    stored = Case.objects.get(pk=case.pk)
    assert (stored.sentence_type, stored.unpaid_work) == ("community_order", True)


def test_a_licence_case_loses_its_requirements_and_changes_sentence_in_one_change(case, lead):
    case_change(case=case, changes={"drug_rehabilitation": True}, by=lead)

    case_change(
        case=case, changes={"sentence_type": "licence", "drug_rehabilitation": False}, by=lead
    )

    stored = Case.objects.get(pk=case.pk)
    assert (stored.sentence_type, stored.drug_rehabilitation) == ("licence", False)
