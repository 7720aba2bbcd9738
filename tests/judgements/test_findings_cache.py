"""Findings cached under the inspection's data revision: reused while it stands, recounted
once any write bumps it, never stored from a transaction that rolls back."""

import pickle

import pytest
from django.core.cache import cache
from django.db import transaction

from inspection.writing import inspection_data_changed
from judgements.findings import inspection_findings
from judgements.models import Answer, Question
from judgements.services import AnswerSlot, answer_record
from judgements.writing import answer_services_writing
from tests.factories import CaseFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """The cache lives in this process across tests, while each test's rows are rolled back
    and their ids used again: nothing one of these tests stores may outlive it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def answered(inspection):
    """Three CRC cases answering RR-A1 yes, yes, no."""
    rr_a1 = Question.objects.get(framework__code="qi-2016", code="RR-A1")
    for value in ["yes", "yes", "no"]:
        case = CaseFactory(inspection=inspection, organisation="CRC")
        answer_record(slot=AnswerSlot(case, rr_a1), value=value)
    return inspection


def committed_findings(inspection, capture, cut_by=None):
    """Findings as a request outside a transaction gets them: stored once counted."""
    with capture(execute=True):
        return inspection_findings(inspection, cut_by=cut_by)


def yes_count(findings):
    return findings.yes_no_finding("RR-A1", group="CRC").yes


def test_findings_pickle_to_equal_findings(answered):
    for cut_by in [None, "gender"]:
        findings = inspection_findings(answered, cut_by=cut_by)
        assert pickle.loads(pickle.dumps(findings)) == findings


def test_a_second_call_reads_only_the_revision(
    answered, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    first = committed_findings(answered, django_capture_on_commit_callbacks)

    with django_assert_max_num_queries(1):
        second = inspection_findings(answered)

    assert second == first
    assert yes_count(second) == 2


def test_each_cut_is_cached_apart(answered, django_capture_on_commit_callbacks):
    whole = committed_findings(answered, django_capture_on_commit_callbacks)
    by_gender = committed_findings(answered, django_capture_on_commit_callbacks, "gender")

    by_risk = committed_findings(answered, django_capture_on_commit_callbacks, "rosh_level")

    assert inspection_findings(answered) == whole
    assert inspection_findings(answered, cut_by="gender") == by_gender
    assert inspection_findings(answered, cut_by="rosh_level") == by_risk
    assert (whole.cut_by, by_gender.cut_by, by_risk.cut_by) == (None, "gender", "rosh_level")


def test_findings_are_recounted_once_the_data_revision_is_bumped(
    answered, django_capture_on_commit_callbacks
):
    committed_findings(answered, django_capture_on_commit_callbacks)
    with answer_services_writing():  # a write that has not bumped the revision yet
        Answer.objects.filter(case__inspection=answered, value="no").update(value="yes")
    assert yes_count(inspection_findings(answered)) == 2  # no bump yet: the cached count

    inspection_data_changed(answered.id)

    # `answered` still holds revision 0 in memory: the revision is read from the database.
    assert yes_count(inspection_findings(answered)) == 3


def test_findings_counted_in_a_transaction_that_rolls_back_are_not_kept(
    answered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        inspection_data_changed(answered.id)
        with answer_services_writing():
            Answer.objects.filter(case__inspection=answered, value="no").update(value="yes")
        assert yes_count(inspection_findings(answered)) == 3
        transaction.set_rollback(True)
    inspection_data_changed(answered.id)  # the next write takes the same revision number

    assert yes_count(committed_findings(answered, django_capture_on_commit_callbacks)) == 2


def test_a_caller_that_changes_its_findings_does_not_change_the_cached_ones(
    answered, django_capture_on_commit_callbacks
):
    committed_findings(answered, django_capture_on_commit_callbacks).yes_no.clear()

    assert yes_count(inspection_findings(answered)) == 2
