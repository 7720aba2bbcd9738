"""Who sees which inspection, and who may create one.

Every URL against every persona is in the one table, tests/test_url_permissions.py; these are
the rules behind it, one behaviour each.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from inspection.permissions import Capability, user_can
from tests.factories import MembershipFactory, UserFactory

NOT_FOUND, FORBIDDEN = 404, 403


def staff_with(*codenames: str):
    """A staff user (who may open the admin) holding only the named inspection permissions."""
    user = UserFactory(username="sam", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="inspection", codename__in=codenames)
    )
    return user


def signed_in(client, user):
    client.force_login(user)
    return client


def test_inspector_cannot_see_another_inspections_case(inspector, other_case, as_persona):
    browser = as_persona("inspector")
    url = reverse("case-detail", kwargs={"slug": "southshire", "case_ref": other_case.case_ref})
    assert browser.get(url).status_code == NOT_FOUND


def test_another_inspections_case_ref_is_not_found_under_your_own_inspection(
    case, other_case, as_persona
):
    url = reverse("case-detail", kwargs={"slug": "northshire", "case_ref": other_case.case_ref})
    assert as_persona("inspector").get(url).status_code == NOT_FOUND


def test_my_inspections_lists_only_the_inspections_you_are_on(
    inspector, other_inspection, as_persona
):
    page = as_persona("inspector").get(reverse("my-inspections")).content.decode()
    assert "Northshire" in page
    assert "Southshire" not in page


def test_an_administrator_sees_every_inspection(inspection, other_inspection, as_persona):
    page = as_persona("admin_user").get(reverse("my-inspections")).content.decode()
    assert "Northshire" in page and "Southshire" in page


def test_nothing_about_cases_is_visible_signed_out(case, client):
    response = client.get(reverse("case-list", kwargs={"slug": "northshire"}), follow=True)
    page = response.content.decode()
    assert "Sign in" in page
    assert case.case_ref not in page


def test_staff_without_permissions_sees_only_the_inspections_they_are_on(
    inspection, other_inspection, client
):
    staff = staff_with()
    MembershipFactory(inspection=other_inspection, user=staff)
    browser = signed_in(client, staff)
    page = browser.get(reverse("my-inspections")).content.decode()
    assert "Southshire" in page
    assert "Northshire" not in page
    overview = reverse("inspection-overview", kwargs={"slug": "northshire"})
    assert browser.get(overview).status_code == NOT_FOUND


def test_staff_without_permissions_cannot_open_the_create_page(db, client):
    browser = signed_in(client, staff_with())
    assert browser.get(reverse("inspection-new")).status_code == FORBIDDEN
    assert "Create an inspection" not in browser.get(reverse("my-inspections")).content.decode()


def test_the_view_all_permission_lets_staff_read_every_inspection_but_not_answer(
    inspection, other_inspection, client
):
    staff = staff_with("view_all_inspections")
    page = signed_in(client, staff).get(reverse("my-inspections")).content.decode()
    assert "Northshire" in page and "Southshire" in page
    assert user_can(staff, inspection, Capability.VIEW)
    assert not user_can(staff, inspection, Capability.ANSWER)


def test_the_add_inspection_permission_opens_the_create_page(db, client):
    browser = signed_in(client, staff_with("add_inspection"))
    assert browser.get(reverse("inspection-new")).status_code == 200
    assert "Create an inspection" in browser.get(reverse("my-inspections")).content.decode()


def test_the_demo_administrator_still_sees_every_inspection_and_may_create_one(
    other_inspection, settings, client
):
    settings.DEBUG = True  # as under `make run`; the loader refuses with DEBUG off
    call_command("load_demo", "--without-answers", verbosity=0)
    browser = signed_in(client, get_user_model().objects.get(username="admin"))
    page = browser.get(reverse("my-inspections")).content.decode()
    assert "Durham" in page and "Southshire" in page
    assert browser.get(reverse("inspection-new")).status_code == 200


@pytest.mark.parametrize(
    ("persona", "capabilities"),
    [
        ("inspector", [Capability.ANSWER]),
        ("lead", [Capability.ANSWER, Capability.REVIEW, Capability.EDIT_TABLES]),
        ("editor", [Capability.EDIT_REPORT, Capability.EDIT_TABLES]),
    ],
)
def test_a_published_inspection_lets_its_team_read_and_nobody_write(
    request, inspection, persona, capabilities
):
    """The team keeps what their role gives them until publication, and then only reading:
    the read-only check comes before the role's capabilities, for every role."""
    person = request.getfixturevalue(persona)
    assert all(user_can(person, inspection, capability) for capability in capabilities)

    inspection.status = "published"
    inspection.save()
    published = type(inspection).objects.get(pk=inspection.pk)

    assert user_can(person, published, Capability.VIEW)
    assert [c for c in capabilities if user_can(person, published, c)] == []
