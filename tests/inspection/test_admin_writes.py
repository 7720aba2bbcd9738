"""The admin writes through the services: a stale copy, a case rule or a reserved slug is
refused there as on any page, shown as an error, and nothing of the change is kept."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case
from cases.services import case_update
from inspection.models import Inspection, TeamMembership
from inspection.services import StaleWrite, inspection_create, inspection_update
from judgements.models import Question
from judgements.services import AnswerSlot, answer_record
from tests.factories import CaseFactory, InspectionFactory
from tests.helpers import inspection_admin_form


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def case_form(case: Case, **changes) -> dict:
    """The Case admin's change form (inspection and reference are read-only there)."""
    return {
        "organisation": case.organisation,
        "sentence_type": case.sentence_type,
        "gender": case.gender,
        "ethnicity": case.ethnicity,
        "office": case.office,
        "rosh_level": case.rosh_level,
        "mappa_level": case.mappa_level,
        "likelihood_of_reoffending": case.likelihood_of_reoffending,
        "court_report": case.court_report,
        "status": case.status,
        "assigned_inspector": case.assigned_inspector_id or "",
        "loaded_version": case.version,
        **changes,
    }


# Stale writes


def test_an_inspection_update_from_an_old_copy_is_refused_and_keeps_the_other_change(
    inspection, admin_user
):
    opened_at = inspection.version
    inspection_update(inspection=inspection, changes={"title": "Theirs"}, by=admin_user)

    with pytest.raises(StaleWrite, match="changed by someone else"):
        inspection_update(
            inspection=inspection,
            changes={"title": "Mine"},
            by=admin_user,
            expected_version=opened_at,
        )

    assert Inspection.objects.get(pk=inspection.pk).title == "Theirs"


def test_a_case_update_from_an_old_copy_is_refused_and_keeps_the_other_change(case, lead):
    opened_at = case.version
    case_update(case=case, changes={"office": "North hub"}, by=lead)

    with pytest.raises(StaleWrite, match="NS-001 was changed by someone else"):
        case_update(case=case, changes={"office": "South hub"}, by=lead, expected_version=opened_at)

    assert Case.objects.get(pk=case.pk).office == "North hub"


def test_an_update_from_the_current_copy_is_saved(case, lead):
    case_update(case=case, changes={"office": "North hub"}, by=lead, expected_version=case.version)

    assert Case.objects.get(pk=case.pk).office == "North hub"


def test_the_inspection_admin_refuses_a_form_loaded_before_someone_elses_save(
    inspection, admin_user, as_persona
):
    stale_form = inspection_admin_form(inspection, title="Mine")
    inspection_update(inspection=inspection, changes={"title": "Theirs"}, by=admin_user)

    response = as_persona("admin_user").post(
        reverse("admin:inspection_inspection_change", args=[inspection.pk]),
        stale_form,
        follow=True,
    )

    assert "changed by someone else since you opened it" in page_text(response)
    assert Inspection.objects.get(pk=inspection.pk).title == "Theirs"


def test_the_inspection_admin_page_carries_the_version_it_was_loaded_at(inspection, as_persona):
    page = as_persona("admin_user").get(
        reverse("admin:inspection_inspection_change", args=[inspection.pk])
    )

    assert 'name="loaded_version"' in page.content.decode()


def test_the_case_admin_refuses_a_form_loaded_before_someone_elses_save(case, lead, as_persona):
    stale_form = case_form(case, office="South hub")
    case_update(case=case, changes={"office": "North hub"}, by=lead)

    response = as_persona("admin_user").post(
        reverse("admin:cases_case_change", args=[case.pk]), stale_form, follow=True
    )

    assert "changed by someone else since you opened it" in page_text(response)
    assert Case.objects.get(pk=case.pk).office == "North hub"


# Case rules shown as form errors


def test_the_case_admin_refuses_an_inspector_who_is_not_on_the_team(
    case, other_inspector, as_persona
):
    response = as_persona("admin_user").post(
        reverse("admin:cases_case_change", args=[case.pk]),
        case_form(case, assigned_inspector=other_inspector.pk),
    )

    assert response.status_code == 200  # the form again, with its errors
    assert "otto is not on the team of northshire" in page_text(response)
    assert Case.objects.get(pk=case.pk).assigned_inspector_id == case.assigned_inspector_id


def test_the_case_admin_refuses_a_new_organisation_under_existing_answers(
    case, inspector, as_persona
):
    answer_record(
        slot=AnswerSlot(case, Question.objects.get(framework__code="qi-2016", code="RR-A1")),
        value="yes",
        user=inspector,
    )

    response = as_persona("admin_user").post(
        reverse("admin:cases_case_change", args=[case.pk]), case_form(case, organisation="NPS")
    )

    assert "The case has answers, so its organisation cannot change" in page_text(response)
    assert Case.objects.get(pk=case.pk).organisation == "CRC"


def test_the_case_admin_refuses_a_requirement_of_an_order_on_a_licence(case, as_persona):
    response = as_persona("admin_user").post(
        reverse("admin:cases_case_change", args=[case.pk]),
        case_form(case, sentence_type="licence", curfew="on"),
    )

    assert response.status_code == 200  # the form again, with its errors
    assert "A licence has no requirements of an order" in page_text(response)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.sentence_type, stored.curfew) == ("community_order", False)


def test_the_case_admin_changes_the_offence_type_and_requirements_with_history(case, as_persona):
    as_persona("admin_user").post(
        reverse("admin:cases_case_change", args=[case.pk]),
        case_form(case, offence_type="fraud", unpaid_work="on", rehabilitation_activity="on"),
    )

    stored = Case.objects.get(pk=case.pk)
    assert (stored.offence_type, stored.unpaid_work, stored.rehabilitation_activity) == (
        "fraud",
        True,
        True,
    )
    change = stored.history.latest()
    assert (change.history_user.username, change.offence_type) == ("ada", "fraud")


def test_the_case_admin_page_shows_the_offence_type_and_every_requirement(case, as_persona):
    page = page_text(
        as_persona("admin_user").get(reverse("admin:cases_case_change", args=[case.pk]))
    )

    for label in [
        "Offence type (main offence)",
        "Unpaid work requirement",
        "Accredited programme requirement",
        "Rehabilitation activity requirement (RAR)",
        "Alcohol treatment requirement",
        "Drug rehabilitation requirement",
        "Curfew requirement",
    ]:
        assert label in page


def test_the_case_admin_does_not_move_a_case_to_another_inspection(
    case, other_inspection, as_persona
):
    as_persona("admin_user").post(
        reverse("admin:cases_case_change", args=[case.pk]),
        case_form(case, inspection=other_inspection.pk, case_ref="MOVED", office="North hub"),
    )

    stored = Case.objects.get(pk=case.pk)
    # The inspection and reference are read-only there: the rest of the change is saved.
    assert (stored.inspection_id, stored.case_ref, stored.office) == (
        case.inspection_id,
        "NS-001",
        "North hub",
    )


def test_the_case_admin_adds_a_case_through_the_service_with_its_history(
    inspection, inspector, as_persona
):
    as_persona("admin_user").post(
        reverse("admin:cases_case_add"),
        {
            **case_form(CaseFactory.build(inspection=inspection)),
            "inspection": inspection.pk,
            "case_ref": "NS-050",
            "assigned_inspector": inspector.pk,
        },
    )

    added = Case.objects.get(inspection=inspection, case_ref="NS-050")
    assert added.history.get().history_user.username == "ada"


# The team through the admin


def test_the_admin_changes_a_role_and_records_who_did(inspection, lead, as_persona):
    membership = TeamMembership.objects.get(user=lead)

    as_persona("admin_user").post(
        reverse("admin:inspection_teammembership_change", args=[membership.pk]), {"role": "editor"}
    )

    membership.refresh_from_db()
    assert membership.role == "editor"
    assert membership.history.first().history_user.username == "ada"


def test_the_admin_cannot_take_an_inspector_with_cases_off_the_team(case, inspector, as_persona):
    membership = TeamMembership.objects.get(user=inspector)

    response = as_persona("admin_user").post(
        reverse("admin:inspection_teammembership_delete", args=[membership.pk]),
        {"post": "yes"},
        follow=True,
    )

    assert "is assigned cases NS-001; assign them to someone else first" in page_text(response)
    assert TeamMembership.objects.filter(pk=membership.pk).exists()


# The reserved slug


def test_the_reserved_slug_is_refused_by_save(db):
    with pytest.raises(ValidationError, match="reserved"):
        InspectionFactory(slug="new")

    assert not Inspection.objects.filter(slug="new").exists()


def test_an_inspection_cannot_be_renamed_to_the_reserved_slug(inspection):
    inspection.slug = "new"

    with pytest.raises(ValidationError, match="reserved"):
        inspection.save()

    assert Inspection.objects.get(pk=inspection.pk).slug == "northshire"


def test_the_reserved_slug_is_refused_by_full_clean(inspection):
    inspection.slug = "new"

    with pytest.raises(ValidationError) as refused:
        inspection.full_clean()

    assert "reserved for a page" in refused.value.message_dict["slug"][0]


def test_the_reserved_slug_is_refused_by_the_create_service(db):
    with pytest.raises(ValidationError) as refused:
        inspection_create(slug="new", area_name="Newtown", framework_code="qi-2016")

    assert "reserved for a page" in refused.value.message_dict["slug"][0]


def test_the_admin_shows_the_reserved_slug_as_a_form_error(db, as_persona):
    response = as_persona("admin_user").post(
        reverse("admin:inspection_inspection_add"),
        {
            **inspection_admin_form(InspectionFactory.build(slug="new")),
            "framework": InspectionFactory.build().framework.pk,
        },
    )

    assert response.status_code == 200
    assert "reserved for a page" in page_text(response)
    assert not Inspection.objects.filter(slug="new").exists()


def test_the_admin_adds_an_inspection_through_the_create_service(db, as_persona):
    form = inspection_admin_form(InspectionFactory.build(slug="westshire", area_name="Westshire"))
    form["framework"] = InspectionFactory.build().framework.pk

    as_persona("admin_user").post(reverse("admin:inspection_inspection_add"), form)

    assert Inspection.objects.get(slug="westshire").status == "setup"


def test_the_case_admin_page_carries_the_version_it_was_loaded_at(case, as_persona):
    page = as_persona("admin_user").get(reverse("admin:cases_case_change", args=[case.pk]))

    assert 'name="loaded_version"' in page.content.decode()


def test_the_admin_history_page_offers_no_revert_round_the_services(case, as_persona):
    history = as_persona("admin_user").get(reverse("admin:cases_case_history", args=[case.pk]))

    assert history.status_code == 200
    assert "revert" not in history.content.decode().lower()
