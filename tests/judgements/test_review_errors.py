"""The lead's review refused (a return without a comment, a case changed meanwhile): the case
page again, with the GOV.UK error summary linking to the field, the error beside the field, and
the comment as typed; never an "Important" banner out of view."""

import re

import pytest
from django.urls import reverse

from cases.models import Case
from judgements.services import case_status_change


@pytest.fixture
def submitted(case, inspector) -> Case:
    return case_status_change(case=case, to_status="submitted", by=inspector, comment="Left")


def review(client, case: Case, **data):
    data.setdefault("version", Case.objects.get(pk=case.pk).version)
    return client.post(reverse("case-review", args=["northshire", case.case_ref]), data)


def flat(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_return_without_a_comment_is_shown_in_the_error_summary_and_beside_the_comment(
    as_persona, lead, submitted
):
    response = review(as_persona("lead"), submitted, to_status="returned", comment="  ")

    page = flat(response)
    assert response.status_code == 200
    assert "<title>Error: Case NS-001" in page
    start = page.index('class="govuk-error-summary"')
    summary = page[start : page.index("</ul>", start)]
    assert '<a href="#review-comment-input">Say what the inspector should look at again.</a>' in (
        summary
    )
    assert page.index("govuk-error-summary") < page.index("<h1")
    assert "govuk-form-group govuk-form-group--error" in page
    assert (
        '<p class="govuk-error-message" id="review-comment-error"><span '
        'class="govuk-visually-hidden">Error:</span> Say what the inspector should look at again.'
        in page
    )
    assert 'aria-describedby="review-comment-hint review-comment-error"' in page
    assert "govuk-notification-banner__title" not in page.replace('id="returned-title"', "")
    assert Case.objects.get(pk=submitted.pk).status == "submitted"


def test_a_refused_review_keeps_the_comment_as_typed(as_persona, lead, submitted):
    response = review(
        as_persona("lead"), submitted, to_status="quality_assured", comment="Fine work.", version=1
    )

    page = flat(response)
    assert "was changed by someone else since you opened it" in page
    assert '<a href="#review-actions">' in page and 'id="review-actions-error"' in page
    assert ">Fine work.</textarea>" in page


def test_a_review_that_goes_through_still_moves_on_to_the_case(as_persona, lead, submitted):
    response = review(as_persona("lead"), submitted, to_status="returned", comment="RR-A1 again.")

    assert response.status_code == 302
    assert Case.objects.get(pk=submitted.pk).review_comment == "RR-A1 again."


def test_the_case_page_without_errors_has_no_error_summary(as_persona, lead, submitted):
    page = flat(as_persona("lead").get(submitted.get_absolute_url()))

    assert "govuk-error-summary" not in page and "<title>Error:" not in page
