"""The case list's "answered of asked": what it needs from each case's answers is kept by the
answer services as they write (judgements.models.KeptProgress), and what the case's
descriptors open is added as the list reads the case. After every kind of write, the list
shows what the case's own pages count, never a count kept from before the write."""

import re
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case
from inspection.lib.spreadsheets import csv_bytes, read_sheet
from inspection.writing import inspection_data_changed
from judgements.models import KeptProgress
from judgements.progress import PROGRESS_CODE, _keep_where_stale, case_progress
from judgements.scoring import scoring_sheet
from judgements.services import (
    answer_clear,
    answers_behind_shut_gates_clear,
    answers_import,
    answers_save,
    case_change,
)
from judgements.writing import answer_services_writing
from tests.factories import CaseFactory
from tests.helpers import record, slot
from tests.judgements.test_answers_save import entry

ANSWER_HEADER = ["case_ref", "question", "item", "value", "note"]


def _progress_of(case):
    """The case's progress as a list of its inspection's cases reads it: every case with its
    kept progress, in one go."""
    cases = case.inspection.cases.select_related("kept_progress").order_by()
    return case_progress(list(cases))[case.pk]


@pytest.fixture
def listed(inspection, case, django_capture_on_commit_callbacks):
    """The case and a neighbour, their progress read once and kept (as a worker keeps it once
    it has shown the list), so a stale count would show."""
    CaseFactory(inspection=inspection, case_ref="NS-002")
    record(case, "RR-A1", "yes")

    def shown() -> tuple[int, int]:
        with django_capture_on_commit_callbacks(execute=True):
            progress = _progress_of(case)
        return progress.answered, progress.asked

    shown()
    return shown


def counted(case) -> tuple[int, int]:
    """What the case's own pages count, slot by slot."""
    sheet = scoring_sheet(Case.objects.select_related("inspection").get(pk=case.pk))
    return sheet.answered, sheet.asked


def test_kept_progress_is_what_the_pages_count(case, listed):
    assert listed() == counted(case) == (1, counted(case)[1])


def test_a_page_saved_moves_its_case_on(case, inspector, listed):
    before = listed()
    # RR-A3 yes opens RR-P2: one more answered, one more asked.
    answers_save(case=case, entries=[entry("RR-A3", "yes")], user=inspector)
    assert listed() == counted(case) == (before[0] + 1, before[1] + 1)


def test_an_answer_recorded_then_changed(case, listed):
    before = listed()
    answer = record(case, "RR-A3", "yes")
    assert listed() == counted(case) == (before[0] + 1, before[1] + 1)
    record(case, "RR-A3", "no", expected_version=answer.version)  # RR-P2 shut again
    assert listed() == counted(case) == (before[0] + 1, before[1])


def test_an_answer_cleared(case, listed):
    before = listed()
    record(case, "RR-A3", "yes")
    assert listed() == counted(case)
    answer_clear(slot=slot(case, "RR-A3"))
    assert listed() == counted(case) == before


def test_answers_imported(inspection, case, lead, listed):
    before = listed()
    rows = read_sheet(
        csv_bytes(ANSWER_HEADER, [["NS-001", "RR-A3", "", "yes", ""]]),
        required=ANSWER_HEADER[:4],
        optional=ANSWER_HEADER[4:],
    )
    answers_import(inspection=inspection, rows=rows, user=lead)
    assert listed() == counted(case) == (before[0] + 1, before[1] + 1)


def test_descriptors_changed_through_the_services(case, lead, listed):
    before = listed()
    case_change(case=case, changes={"gender": "female"}, by=lead)  # CD-4 asked of women
    assert listed() == counted(case) == (before[0], before[1] + 1)


def test_answers_behind_a_gate_shut_outside_the_services_are_cleared(case, lead, listed):
    case, _cleared = case_change(case=case, changes={"mappa_level": "2"}, by=lead)
    # MAPPA level 2 opens PP-D6 and PP-D6b.
    record(case, "PP-D6", "yes")
    opened = listed()
    # A descriptor changed without the answer services (as the cases app writes a case, the
    # inspection's data revision moved on): the kept count follows it at once (PP-D6b shut),
    # and the clearing service removes the answer it left behind.
    Case.objects.filter(pk=case.pk).update(mappa_level="1")
    inspection_data_changed(case.inspection_id)
    assert listed()[1] < opened[1]
    with answer_services_writing():  # as the services that call it are, and as they do,
        answers_behind_shut_gates_clear(Case.objects.get(pk=case.pk), lead)
        inspection_data_changed(case.inspection_id)
    assert listed() == counted(case) == (opened[0] - 1, opened[1] - 2)


def test_the_case_list_page_shows_the_progress_after_a_save(
    inspection, case, inspector, as_persona, django_capture_on_commit_callbacks
):
    client = as_persona("inspector")
    url = reverse("case-list", args=[inspection.slug])

    def progress_shown() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            body = client.get(url).content.decode()
        row = re.search(r'href="[^"]*/NS-001/">NS-001</a>.*?(\d+) of (\d+)', body, re.S)
        return row.group(1), row.group(2)

    progress_shown()
    answers_save(case=case, entries=[entry("RR-A1", "yes"), entry("RR-A3", "yes")], user=inspector)
    answered, asked = counted(case)
    assert progress_shown() == (str(answered), str(asked)) and answered == 2


@pytest.mark.parametrize(
    "moved",
    [
        {"framework_revision": uuid.uuid4()},  # counted before the framework was edited
        {"organisation": "NPS"},  # counted while the case was another organisation's
        {"counted_by": "older-code"},  # counted by a deploy that counted otherwise
    ],
)
def test_progress_kept_under_other_terms_is_not_read(case, listed, moved):
    record(case, "RR-A3", "yes")
    KeptProgress.objects.filter(case=case).update(answered=999, **moved)
    assert listed() == counted(case)


def test_a_descriptor_changed_anywhere_counts_at_once_without_any_answer_written(case, listed):
    before = listed()
    Case.objects.filter(pk=case.pk).update(gender="female")  # CD-4 is asked of women
    assert listed() == counted(case) == (before[0], before[1] + 1)


def test_the_case_list_reads_kept_progress_with_its_cases_not_their_answers(
    inspection, case, inspector, as_persona, django_assert_max_num_queries
):
    client = as_persona("lead")
    url = reverse("case-list", args=[inspection.slug])
    for number in range(2, 12):
        other = CaseFactory(
            inspection=inspection, case_ref=f"NS-{number:03}", assigned_inspector=inspector
        )
        answers_save(case=other, entries=[entry("RR-A1", "yes")], user=inspector)
    answers_save(case=case, entries=[entry("RR-A1", "yes")], user=inspector)
    with django_assert_max_num_queries(20) as read:
        body = client.get(url).content.decode()
    assert body.count(" of ") >= 11
    assert not [q for q in read.captured_queries if "judgements_answer" in q["sql"]]


@pytest.mark.usefixtures("database_for_threads")
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_to_one_case_keep_its_count_whole(case):
    """Four answers of one case saved at the same moment: the kept count is what the
    committed answers give, not whichever save counted last from what it saw."""
    codes = ["RR-A1", "RR-A3", "PP-A1", "AB-D1"]
    barrier = threading.Barrier(len(codes))
    errors = []

    def save(code):
        barrier.wait()
        try:
            record(case, code, "yes")
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    kept = KeptProgress.objects.get(case=case)
    progress = _progress_of(case)
    assert (kept.answered, progress.answered, progress.asked) == (4, *counted(case))


def test_a_read_keeps_what_it_counted_afresh_for_the_next(case, listed):
    """A row counted under older terms (a deploy that counts otherwise) is counted again by
    the first read, and kept, so the next read counts nothing."""
    record(case, "RR-A3", "yes")
    KeptProgress.objects.filter(case=case).update(answered=999, counted_by="older-code")
    assert listed() == counted(case)
    kept = KeptProgress.objects.get(case=case)
    assert (kept.counted_by, kept.answered) == (PROGRESS_CODE, counted(case)[0])


def test_a_read_never_overwrites_progress_kept_under_the_current_terms(case, listed):
    """What a read counted may be older than what the answer services kept since (they
    count in commit order): its write applies only to a row kept under other terms."""
    record(case, "RR-A3", "yes")
    kept = KeptProgress.objects.get(case=case)
    older = KeptProgress(
        case_id=case.pk,
        framework_revision=kept.framework_revision,
        organisation=kept.organisation,
        counted_by=kept.counted_by,
        answered=kept.answered - 1,
        opened_by_answers=kept.opened_by_answers - 1,
    )
    _keep_where_stale([older])
    assert KeptProgress.objects.get(case=case).answered == kept.answered
    KeptProgress.objects.filter(case=case).update(counted_by="older-code")
    _keep_where_stale([older])
    assert KeptProgress.objects.get(case=case).answered == kept.answered - 1
