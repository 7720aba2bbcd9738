"""A published inspection is frozen: its report has been printed from its data.

Each rule is tried the two ways a person could step round a page: through the admin (a staff
administrator posting the admin's forms) and through a command or the shell (the ORM and the
services called directly). Either way the data stays exactly as it was.
"""

import html
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.test.utils import override_settings
from django.urls import reverse

from cases.models import Case
from cases.services import case_create, case_delete
from fixtures import durham_2016
from inspection.models import Inspection, PublishedError, TeamMembership
from inspection.services import membership_delete, membership_save
from judgements.models import Answer, Question
from judgements.services import AnswerSlot, answer_record
from tests.factories import InspectionFactory, MembershipFactory, UserFactory


def snapshot() -> dict:
    """Everything a published report is printed from, as plain values."""
    return {
        "inspections": list(
            Inspection.objects.order_by("pk").values_list("pk", "slug", "status", "title")
        ),
        "cases": list(
            Case.objects.order_by("pk").values_list("pk", "inspection_id", "case_ref", "office")
        ),
        "team": list(
            TeamMembership.objects.order_by("pk").values_list("pk", "inspection_id", "user_id")
        ),
        "answers": list(
            Answer.objects.order_by("pk").values_list("pk", "case_id", "value", "answered_by")
        ),
    }


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def answered_by(db):
    """A staff member who gave one judgement and is on no team and assigned no case, so only
    the answer holds on to them."""
    return UserFactory(username="quinn", is_staff=True)


@pytest.fixture
def published(inspection, case, lead, answered_by):
    answer_record(
        slot=AnswerSlot(case, Question.objects.get(framework__code="qi-2016", code="RR-A1")),
        value="yes",
        user=answered_by,
    )
    inspection.status = "published"
    inspection.save()
    return inspection


def new_case(inspection: Inspection, case_ref: str = "NS-900") -> Case:
    return Case(
        inspection=inspection,
        case_ref=case_ref,
        organisation="CRC",
        sentence_type="community_order",
        gender="male",
        ethnicity="white",
        office="Central hub",
        rosh_level="medium",
    )


CASE_FORM = {
    "organisation": "CRC",
    "sentence_type": "community_order",
    "gender": "male",
    "ethnicity": "white",
    "office": "Central hub",
    "rosh_level": "medium",
    "mappa_level": "none",
    "likelihood_of_reoffending": "",
    "court_report": "none",
    "status": "not_started",
    "assigned_inspector": "",
}


# Adding a case


def test_a_case_cannot_be_added_to_a_published_inspection_from_the_shell(published):
    before = snapshot()

    with pytest.raises(PublishedError, match="northshire is published"):
        new_case(published).save()

    assert snapshot() == before


def test_a_case_cannot_be_added_to_a_published_inspection_by_a_command(published):
    before = snapshot()

    with pytest.raises(PublishedError, match="northshire is published"):
        case_create(
            inspection=published,
            case_ref="NS-900",
            by=None,
            **CASE_FORM | {"assigned_inspector": None},
        )

    assert snapshot() == before


def test_a_case_cannot_be_added_to_a_published_inspection_in_the_admin(published, as_persona):
    before = snapshot()

    response = as_persona("admin_user").post(
        reverse("admin:cases_case_add"),
        {"inspection": published.pk, "case_ref": "NS-900", **CASE_FORM},
        follow=True,
    )

    assert "northshire is published" in page_text(response)
    assert snapshot() == before


# Adding a team member


def test_a_team_member_cannot_be_added_to_a_published_inspection_from_the_shell(published):
    before = snapshot()

    with pytest.raises(PublishedError, match="northshire is published"):
        MembershipFactory(inspection=published, user=UserFactory(username="newcomer"))

    assert snapshot() == before


def test_a_team_member_cannot_be_added_to_a_published_inspection_by_a_command(published):
    newcomer = UserFactory(username="newcomer")
    before = snapshot()

    with pytest.raises(PublishedError, match="its team cannot change"):
        membership_save(inspection=published, user=newcomer, role="inspector", by=None)

    assert snapshot() == before


def test_a_team_member_cannot_be_added_to_a_published_inspection_in_the_admin(
    published, as_persona
):
    newcomer = UserFactory(username="newcomer")
    before = snapshot()

    response = as_persona("admin_user").post(
        reverse("admin:inspection_teammembership_add"),
        {"inspection": published.pk, "user": newcomer.pk, "role": "inspector"},
        follow=True,
    )

    assert "its team cannot change" in page_text(response)
    assert snapshot() == before


def test_a_team_members_role_cannot_change_on_a_published_inspection(published, lead):
    membership = published.team.get(user=lead)

    with pytest.raises(PublishedError):
        membership_save(inspection=published, user=lead, role="editor", by=None)
    membership.role = "editor"
    with pytest.raises(PublishedError):
        membership.save()

    assert published.team.get(user=lead).role == "lead_inspector"


def test_a_team_member_cannot_be_taken_off_a_published_inspection(published, lead, as_persona):
    membership = published.team.get(user=lead)
    before = snapshot()

    with pytest.raises(PublishedError):
        membership_delete(membership=membership, by=None)
    with pytest.raises(PublishedError):
        membership.delete()
    response = as_persona("admin_user").post(
        reverse("admin:inspection_teammembership_delete", args=[membership.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert snapshot() == before


# Moving a case or a membership into (or out of) a published inspection


def test_a_case_cannot_be_moved_into_a_published_inspection_from_the_shell(published, other_case):
    before = snapshot()
    other_case.inspection_id = published.pk

    with pytest.raises(PublishedError, match="northshire is published"):
        other_case.save()

    assert snapshot() == before


def test_a_case_cannot_be_moved_out_of_a_published_inspection_from_the_shell(
    published, case, other_inspection
):
    before = snapshot()
    case.inspection_id = other_inspection.pk

    with pytest.raises(PublishedError, match="northshire is published"):
        case.save()

    assert snapshot() == before


def test_a_membership_cannot_be_moved_into_a_published_inspection_from_the_shell(
    published, other_inspector
):
    membership = TeamMembership.objects.get(user=other_inspector)
    before = snapshot()
    membership.inspection_id = published.pk

    with pytest.raises(PublishedError, match="northshire is published"):
        membership.save()

    assert snapshot() == before


# Deleting a case


def test_a_case_of_a_published_inspection_cannot_be_deleted_from_the_shell(published, case):
    before = snapshot()

    with pytest.raises(PublishedError):
        case.delete()
    with pytest.raises(PublishedError, match="its cases cannot change"):
        case_delete(case=case, by=None)

    assert snapshot() == before


def test_a_case_of_a_published_inspection_cannot_be_deleted_in_the_admin(
    published, case, as_persona
):
    before = snapshot()

    response = as_persona("admin_user").post(
        reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_the_admins_bulk_delete_action_leaves_a_published_inspections_cases(
    published, case, other_case, as_persona
):
    before = snapshot()

    as_persona("admin_user").post(
        reverse("admin:cases_case_changelist"),
        {"action": "delete_selected", "_selected_action": [case.pk, other_case.pk], "post": "yes"},
        follow=True,
    )

    assert snapshot() == before


# Bulk writes from the shell


@pytest.mark.parametrize(
    "write",
    [
        lambda: Case.objects.filter(inspection__slug="northshire").update(office="Elsewhere"),
        lambda: Case.objects.filter(inspection__slug="northshire").delete(),
        lambda: Case.objects.bulk_create([new_case(Inspection.objects.get(slug="northshire"))]),
        lambda: Case.objects.bulk_update([Case.objects.get(case_ref="NS-001")], ["office"]),
        lambda: TeamMembership.objects.filter(inspection__slug="northshire").update(role="editor"),
        lambda: TeamMembership.objects.filter(inspection__slug="northshire").delete(),
        lambda: TeamMembership.objects.bulk_create(
            [
                TeamMembership(
                    inspection=Inspection.objects.get(slug="northshire"),
                    user=UserFactory(username="newcomer"),
                    role="inspector",
                )
            ]
        ),
        lambda: Answer.objects.filter(case__inspection__slug="northshire").update(value="no"),
        lambda: Answer.objects.filter(case__inspection__slug="northshire").delete(),
        lambda: Answer.objects.bulk_create(
            [
                Answer(
                    case=Case.objects.get(case_ref="NS-001"),
                    question=Question.objects.get(framework__code="qi-2016", code="RR-A3"),
                    value="yes",
                    answered_at="2016-05-10T10:00:00Z",
                )
            ]
        ),
    ],
    ids=[
        "case update",
        "case delete",
        "case bulk_create",
        "case bulk_update",
        "team update",
        "team delete",
        "team bulk_create",
        "answer update",
        "answer delete",
        "answer bulk_create",
    ],
)
def test_bulk_writes_to_a_published_inspections_data_are_refused(published, write):
    before = snapshot()

    # Each in its own transaction, as the shell runs a statement.
    with pytest.raises(PublishedError, match="northshire is published"), transaction.atomic():
        write()

    assert snapshot() == before


def test_a_case_cannot_be_moved_out_of_a_published_inspection_by_a_bulk_update(
    published, case, other_inspection
):
    before = snapshot()
    case.inspection = other_inspection

    with pytest.raises(PublishedError, match="northshire is published"), transaction.atomic():
        Case.objects.bulk_update([case], ["inspection"])

    assert snapshot() == before


def test_bulk_writes_to_an_inspection_in_fieldwork_still_work(inspection, case):
    assert Case.objects.filter(inspection=inspection).update(office="Elsewhere") == 1
    assert Case.objects.get(pk=case.pk).office == "Elsewhere"


# The inspection itself


def test_a_published_inspection_cannot_be_changed_or_deleted_from_the_shell(published):
    before = snapshot()
    published.title = "Rewritten"

    with pytest.raises(PublishedError):
        published.save()
    with pytest.raises(PublishedError):
        Inspection.objects.get(pk=published.pk).delete()

    assert snapshot() == before


def test_a_published_inspection_cannot_be_changed_by_a_queryset_update(published):
    before = snapshot()

    with pytest.raises(PublishedError):
        Inspection.objects.filter(pk=published.pk).update(status="drafting")

    assert snapshot() == before


def test_a_published_inspection_cannot_be_changed_by_an_update_that_also_bumps_its_revision(
    published,
):
    """Bumping data_revision alone is let through (it changes no data, only the findings cache
    key); a change that carries a bump along with it is still a change."""
    before = snapshot()

    with pytest.raises(PublishedError, match="northshire is published"):
        Inspection.objects.filter(pk=published.pk).update(
            status="drafting", data_revision=F("data_revision") + 1
        )

    assert snapshot() == before


def test_bumping_only_the_revision_of_a_published_inspection_is_allowed(published):
    before = snapshot()
    revision = Inspection.objects.values_list("data_revision", flat=True).get(pk=published.pk)

    Inspection.objects.filter(pk=published.pk).update(data_revision=F("data_revision") + 1)

    assert Inspection.objects.get(pk=published.pk).data_revision == revision + 1
    assert snapshot() == before


def test_a_published_inspection_cannot_be_deleted_by_a_queryset_delete(published):
    before = snapshot()

    with pytest.raises(PublishedError):
        Inspection.objects.filter(pk=published.pk).delete()

    assert snapshot() == before


def test_a_published_inspection_cannot_be_changed_or_deleted_in_the_admin(published, as_persona):
    browser = as_persona("admin_user")
    before = snapshot()

    change = browser.post(
        reverse("admin:inspection_inspection_change", args=[published.pk]),
        {"title": "Rewritten", "status": "drafting"},
    )
    delete = browser.post(
        reverse("admin:inspection_inspection_delete", args=[published.pk]), {"post": "yes"}
    )

    assert change.status_code == 403
    assert delete.status_code == 403
    assert snapshot() == before


# The demo loader


@pytest.fixture
def published_durham(db):
    return InspectionFactory(slug=durham_2016.SLUG, area_name="Durham", status="published")


@override_settings(DEBUG=True)
def test_the_demo_loader_leaves_a_published_demo_inspection_alone(published_durham):
    users_before = get_user_model().objects.count()
    before = snapshot()

    with pytest.raises((CommandError, PublishedError), match="durham-2016 is published"):
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())

    assert snapshot() == before
    assert get_user_model().objects.count() == users_before  # the demo users were rolled back


@override_settings(DEBUG=True)
def test_the_demo_loader_says_why_it_refuses_a_published_demo_inspection(published_durham):
    with pytest.raises(CommandError, match="durham-2016 is published"):
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


# People who gave a published judgement


def test_a_person_who_answered_a_published_question_cannot_be_deleted(published, answered_by):
    with pytest.raises(ProtectedError):
        answered_by.delete()

    answer = Answer.objects.get(case__inspection=published)
    assert answer.answered_by == answered_by


def test_the_admin_refuses_to_delete_a_person_who_answered_a_published_question(
    published, answered_by, as_persona
):
    response = as_persona("admin_user").post(
        reverse("admin:auth_user_delete", args=[answered_by.pk]), {"post": "yes"}
    )

    assert "Cannot delete user" in page_text(response)
    assert get_user_model().objects.filter(pk=answered_by.pk).exists()
    assert Answer.objects.get(case__inspection=published).answered_by == answered_by


def test_a_queryset_update_cannot_move_a_case_or_a_member_into_a_published_inspection(
    published, other_inspection
):
    stray = Case.objects.create(
        inspection=other_inspection, case_ref="SS-1", organisation="CRC", sentence_type="licence",
        gender="male", ethnicity="white", office="South", rosh_level="low",
    )  # fmt: skip
    member = MembershipFactory(inspection=other_inspection)

    with pytest.raises(PublishedError):
        Case.objects.filter(pk=stray.pk).update(inspection=published)
    with pytest.raises(PublishedError):
        TeamMembership.objects.filter(pk=member.pk).update(inspection=published)

    assert Case.objects.get(pk=stray.pk).inspection == other_inspection
    assert TeamMembership.objects.get(pk=member.pk).inspection == other_inspection


def test_loaddata_cannot_add_a_case_to_a_published_inspection_or_change_its_answers(
    published, tmp_path
):
    answer = Answer.objects.get()
    fixture = tmp_path / "sneak.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "judgements.answer",
                    "pk": answer.pk,
                    "fields": {
                        "case": answer.case_id,
                        "question": answer.question_id,
                        "item": None,
                        "value": "no",
                        "note": "",
                        "answered_by": None,
                        "answered_at": "2016-05-10T10:00:00Z",
                        "version": 9,
                    },
                }
            ]
        )
    )

    with pytest.raises(PublishedError):
        call_command("loaddata", str(fixture), verbosity=0)

    assert Answer.objects.get().value == "yes"
