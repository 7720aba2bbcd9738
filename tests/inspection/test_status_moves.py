"""An inspection moves one step at a time along its life, by the roles allowed to move it;
published is final. The admin goes through the same rule."""

import html
import itertools

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from inspection.models import Inspection, InspectionStatus
from inspection.services import STATUS_MOVES, inspection_status_change, status_moves_for
from tests.factories import UserFactory
from tests.helpers import inspection_admin_form

ALL_PAIRS = [(source, to) for source, to in itertools.permutations(InspectionStatus.values, 2)]


def at_status(inspection: Inspection, status: str) -> Inspection:
    Inspection.objects.filter(pk=inspection.pk).update(status=status)
    inspection.refresh_from_db()
    return inspection


def stored_status(inspection: Inspection) -> str:
    return Inspection.objects.get(pk=inspection.pk).status


@pytest.fixture
def change_inspection_staff(db):
    """A staff member who is on no team but holds the inspection.change_inspection permission."""
    user = UserFactory(username="cass", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_inspection"))
    return user


@pytest.mark.parametrize(("source", "to"), ALL_PAIRS)
def test_only_the_listed_moves_are_possible_even_for_an_administrator(
    inspection, admin_user, source, to
):
    at_status(inspection, source)

    if (source, to) in STATUS_MOVES:
        inspection_status_change(inspection=inspection, to_status=to, by=admin_user)
        assert stored_status(inspection) == to
    else:
        with pytest.raises(ValidationError) as refused:
            inspection_status_change(inspection=inspection, to_status=to, by=admin_user)
        assert f"not to {to}" in refused.value.message_dict["status"][0]
        assert stored_status(inspection) == source


def test_the_moves_are_one_step_forward_or_back():
    order = InspectionStatus.values
    for source, to in STATUS_MOVES:
        assert abs(order.index(source) - order.index(to)) == 1


def test_published_is_final(inspection, admin_user):
    at_status(inspection, "published")

    with pytest.raises(ValidationError, match="nothing: it is final"):
        inspection_status_change(inspection=inspection, to_status="drafting", by=admin_user)

    assert stored_status(inspection) == "published"
    assert status_moves_for(admin_user, inspection) == []


def test_an_inspector_cannot_move_the_inspection_on(inspection, inspector):
    with pytest.raises(ValidationError, match="ivy may not move this inspection to analysis"):
        inspection_status_change(inspection=inspection, to_status="analysis", by=inspector)

    assert stored_status(inspection) == "fieldwork"
    assert status_moves_for(inspector, inspection) == []


def test_an_inspector_of_another_inspection_cannot_move_it(inspection, other_inspector):
    with pytest.raises(ValidationError, match="may not move"):
        inspection_status_change(inspection=inspection, to_status="analysis", by=other_inspector)

    assert stored_status(inspection) == "fieldwork"


def test_the_lead_inspector_moves_it_forward_and_back(inspection, lead):
    inspection_status_change(inspection=inspection, to_status="analysis", by=lead)
    inspection_status_change(inspection=inspection, to_status="fieldwork", by=lead)

    assert stored_status(inspection) == "fieldwork"


@pytest.mark.parametrize(("source", "to"), list(STATUS_MOVES))
def test_the_lead_inspector_may_make_every_move(inspection, lead, source, to):
    at_status(inspection, source)

    inspection_status_change(inspection=inspection, to_status=to, by=lead)

    assert stored_status(inspection) == to


def test_the_editor_can_publish_from_drafting(inspection, editor):
    at_status(inspection, "drafting")

    assert sorted(status_moves_for(editor, inspection)) == ["analysis", "published"]
    inspection_status_change(inspection=inspection, to_status="published", by=editor)

    assert stored_status(inspection) == "published"


def test_the_editor_cannot_move_an_inspection_before_drafting(inspection, editor):
    at_status(inspection, "analysis")

    with pytest.raises(ValidationError, match="ed may not move this inspection to drafting"):
        inspection_status_change(inspection=inspection, to_status="drafting", by=editor)

    assert stored_status(inspection) == "analysis"


def test_a_person_with_the_change_inspection_permission_may_move_it(
    inspection, change_inspection_staff
):
    inspection_status_change(
        inspection=inspection, to_status="analysis", by=change_inspection_staff
    )

    assert stored_status(inspection) == "analysis"


def test_a_status_move_bumps_the_data_revision(inspection, lead):
    revision = inspection.data_revision

    inspection_status_change(inspection=inspection, to_status="analysis", by=lead)

    assert Inspection.objects.get(pk=inspection.pk).data_revision == revision + 1


# Through the admin


def test_the_admin_moves_the_status_one_step(inspection, as_persona):
    response = as_persona("admin_user").post(
        reverse("admin:inspection_inspection_change", args=[inspection.pk]),
        inspection_admin_form(inspection, status="analysis"),
    )

    assert response.status_code == 302
    assert stored_status(inspection) == "analysis"


def test_the_admin_refuses_a_status_jump_and_saves_nothing(inspection, as_persona):
    response = as_persona("admin_user").post(
        reverse("admin:inspection_inspection_change", args=[inspection.pk]),
        inspection_admin_form(inspection, status="published", title="Renamed on the way"),
        follow=True,
    )

    assert "can move only to setup or analysis, not to published" in html.unescape(
        response.content.decode()
    )
    stored = Inspection.objects.get(pk=inspection.pk)
    assert (stored.status, stored.title) == ("fieldwork", inspection.title)


def test_a_staff_member_without_the_permission_cannot_move_it_in_the_admin(inspection):
    browser = Client()
    browser.force_login(UserFactory(username="sam", is_staff=True))

    response = browser.post(
        reverse("admin:inspection_inspection_change", args=[inspection.pk]),
        inspection_admin_form(inspection, status="analysis"),
    )

    assert response.status_code == 403
    assert stored_status(inspection) == "fieldwork"


def test_a_staff_member_with_the_change_inspection_permission_moves_it_in_the_admin(
    inspection, change_inspection_staff
):
    browser = Client()
    browser.force_login(change_inspection_staff)

    response = browser.post(
        reverse("admin:inspection_inspection_change", args=[inspection.pk]),
        inspection_admin_form(inspection, status="analysis"),
    )

    assert response.status_code == 302
    assert stored_status(inspection) == "analysis"
