"""A case's status moves one way through review: started by a first answer, submitted by its
inspector (complete, or saying why not), returned with a comment or quality assured by the
lead, which locks its answers until the lead reopens it."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case
from judgements.models import Answer
from judgements.services import AnswerRefused, case_status_change
from tests.factories import UserFactory
from tests.helpers import record


def move(case, to_status, by, comment=""):
    return case_status_change(
        case=Case.objects.get(pk=case.pk), to_status=to_status, by=by, comment=comment
    )


def test_a_first_answer_starts_the_case_and_the_history_says_who(case, inspector):
    record(case, "RR-A1", "yes", user=inspector)

    started = Case.objects.get(pk=case.pk)
    assert started.status == "in_progress"
    assert started.history.first().history_user == inspector


def test_a_case_with_unanswered_questions_is_submitted_only_with_the_reason(case, inspector):
    record(case, "RR-A1", "yes", user=inspector)

    with pytest.raises(ValidationError) as refused:
        move(case, "submitted", inspector)
    assert "questions are unanswered: answer them, or say why" in str(
        refused.value.message_dict["submission_note"]
    )
    assert Case.objects.get(pk=case.pk).status == "in_progress"

    submitted = move(case, "submitted", inspector, "The file holds no review yet.")
    assert (submitted.status, submitted.submission_note) == (
        "submitted",
        "The file holds no review yet.",
    )


def test_the_lead_returns_a_case_with_a_comment_and_the_inspector_resubmits(case, inspector, lead):
    move(case, "submitted", inspector, "Left for the review.")

    with pytest.raises(ValidationError, match="Say what the inspector should look at again"):
        move(case, "returned", lead)
    returned = move(case, "returned", lead, "Check the risk assessment dates.")
    assert (returned.status, returned.review_comment) == (
        "returned",
        "Check the risk assessment dates.",
    )

    assert move(case, "submitted", inspector, "Still no review.").status == "submitted"


def test_only_the_lead_quality_assures_and_that_locks_the_answers_until_reopened(
    case, inspector, lead
):
    record(case, "RR-A1", "yes", user=inspector)
    move(case, "submitted", inspector, "Left for the review.")
    with pytest.raises(ValidationError, match="may not move"):
        move(case, "quality_assured", inspector)
    move(case, "quality_assured", lead)

    with pytest.raises(AnswerRefused, match="quality assured"):
        record(case, "RR-A1", "no", user=lead)
    with pytest.raises(ValidationError, match="may not move"):
        move(case, "returned", inspector, "Let me fix it")

    move(case, "returned", lead, "Reopened: RR-A1 needs another look.")
    assert record(case, "RR-A1", "no", user=inspector).value == "no"
    assert Answer.objects.get().value == "no"


def test_a_case_moves_only_along_the_review_steps(case, inspector, lead, editor):
    with pytest.raises(ValidationError, match="can move only to in_progress or submitted"):
        move(case, "quality_assured", lead)
    with pytest.raises(ValidationError, match="may not move"):
        move(case, "submitted", editor, "An editor does not submit cases.")


def test_the_admin_moves_a_status_through_the_service_with_its_comment(case, inspector, as_persona):
    move(case, "submitted", inspector, "Left for the review.")
    browser = as_persona("admin_user")
    url = reverse("admin:cases_case_change", args=[case.pk])
    form = browser.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name in form.initial}
    data.update(status="returned", status_comment="Please check OASys.")
    data["assigned_inspector"] = inspector.pk

    browser.post(url, data)

    returned = Case.objects.get(pk=case.pk)
    assert (returned.status, returned.review_comment) == ("returned", "Please check OASys.")


def test_each_refusal_stands_beside_the_field_it_is_about(case, inspector, lead, editor):
    with pytest.raises(ValidationError) as wrong_step:
        move(case, "quality_assured", lead)
    assert wrong_step.value.message_dict == {
        "status": [
            "A case not started can move only to in_progress or submitted, not to quality_assured."
        ]
    }
    with pytest.raises(ValidationError) as not_theirs:
        move(case, "submitted", editor, "An editor does not submit cases.")
    assert not_theirs.value.message_dict == {
        "status": ["ed may not move case NS-001 to submitted."]
    }
    move(case, "submitted", inspector, "Left for the review.")
    with pytest.raises(ValidationError) as no_comment:
        move(case, "returned", lead)
    assert no_comment.value.message_dict == {
        "review_comment": ["Say what the inspector should look at again."]
    }


def test_a_first_answer_moves_the_case_version_on_by_one(case, inspector):
    before = Case.objects.get(pk=case.pk).version

    record(case, "RR-A1", "yes", user=inspector)

    assert Case.objects.get(pk=case.pk).version == before + 1


def test_an_administrator_with_the_permission_to_change_cases_may_make_any_move(case, inspector):
    support = UserFactory(username="sol", is_staff=True)
    support.user_permissions.add(Permission.objects.get(codename="change_case"))
    move(case, "submitted", inspector, "Left for the review.")

    assert move(case, "quality_assured", support).status == "quality_assured"
