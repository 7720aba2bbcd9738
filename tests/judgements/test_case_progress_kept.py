"""The case list's "answered of asked" is kept per case under a stamp of its answers and
descriptors (judgements.findings.case_progress): after every kind of write, the list shows
what the case's own pages count, never a count kept from before the write."""

import re

import pytest
from django.urls import reverse

from cases.models import Case
from inspection.lib.spreadsheets import csv_bytes, read_sheet
from inspection.services import inspection_data_changed
from judgements.findings import inspection_progress
from judgements.models import answer_services_writing
from judgements.scoring import scoring_sheet
from judgements.services import (
    answer_clear,
    answers_behind_shut_gates_clear,
    answers_import,
    answers_save,
    case_change,
)
from tests.factories import CaseFactory
from tests.helpers import record, slot
from tests.judgements.test_answers_save import entry

ANSWER_HEADER = ["case_ref", "question", "item", "value", "note"]


@pytest.fixture
def listed(inspection, case, django_capture_on_commit_callbacks):
    """The case and a neighbour, their progress read once and kept (as a worker keeps it once
    it has shown the list), so a stale count would show."""
    CaseFactory(inspection=inspection, case_ref="NS-002")
    record(case, "RR-A1", "yes")

    def shown() -> tuple[int, int]:
        with django_capture_on_commit_callbacks(execute=True):
            progress = inspection_progress(inspection)[case.pk]
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
