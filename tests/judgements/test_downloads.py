"""The inspection overview's Data section: the answers and the framework as downloads.

Who may download is in the URL × persona table (tests/inspection/test_permissions.py).
"""

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from judgements import exports
from judgements.models import Question
from tests.factories import CaseFactory
from tests.helpers import record


@pytest.fixture
def answered(inspection, case):
    record(case, "RR-A1", "yes", note="=1+1, on file")
    return inspection


def download(browser, name: str):
    response = browser.get(reverse(name, args=["northshire"]))
    assert response.status_code == 200
    return response


def test_answers_download_as_csv_named_after_the_inspection(answered, as_persona):
    response = download(as_persona("inspector"), "answers-csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="northshire-answers.csv"'
    assert response.getvalue() == (
        b'case_ref,question,item,value,note\r\nNS-001,RR-A1,,yes,"\'=1+1, on file"\r\n'
    )


def test_answers_csv_download_streams_the_rows_as_they_are_written(
    inspection, as_persona, monkeypatch
):
    monkeypatch.setattr(exports, "CSV_CHUNK_ROWS", 2)
    cases = CaseFactory.create_batch(3, inspection=inspection)
    for case in cases:
        record(case, "RR-A1", "yes")

    response = download(as_persona("inspector"), "answers-csv")

    assert response.streaming
    pieces = list(response.streaming_content)
    assert [piece.count(b"\r\n") for piece in pieces] == [1, 2, 1]  # header, 2 rows, 1 row
    assert b"".join(pieces) == b"case_ref,question,item,value,note\r\n" + b"".join(
        f"{case.case_ref},RR-A1,,yes,\r\n".encode() for case in sorted(cases, key=str)
    )


def test_answers_download_as_xlsx(answered, as_persona):
    response = download(as_persona("editor"), "answers-xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="northshire-answers.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[2]] == ["NS-001", "RR-A1", None, "yes", "'=1+1, on file"]


def test_framework_downloads_as_json_named_after_the_framework(inspection, as_persona):
    response = download(as_persona("lead"), "framework-json")

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="qi-2016.json"'
    document = json.loads(response.content)
    assert (document["code"], document["version"]) == ("qi-2016", "2016.1")
    framework_order = Question.objects.filter(framework__code="qi-2016").order_by("order")
    assert [q["code"] for q in document["questions"]] == [q.code for q in framework_order]
    assert next(q for q in document["questions"] if q["code"] == "RR-O2")["choices"] == [
        "convicted_or_cautioned",
        "charged",
        "arrested",
        "none",
    ]


def test_a_published_inspection_can_still_be_downloaded(answered, as_persona):
    answered.status = "published"
    answered.save()

    assert b"RR-A1" in download(as_persona("inspector"), "answers-csv").getvalue()


def test_overview_links_to_every_download(inspection, inspector, as_persona):
    page = as_persona("inspector").get(inspection.get_absolute_url()).content.decode()

    assert '<h2 class="govuk-heading-l">Data</h2>' in page
    for name in ["answers-csv", "answers-xlsx", "framework-json"]:
        assert f'href="{reverse(name, args=["northshire"])}"' in page


def test_answers_download_runs_the_same_queries_for_1_or_40_answered_cases(
    inspection, inspector, as_persona, django_assert_max_num_queries
):
    browser = as_persona("inspector")

    def answer(cases):
        for case in cases:
            record(case, "RR-A1", "yes")

    answer(CaseFactory.create_batch(1, inspection=inspection))
    # The rows are read while the response streams, so the file is read inside the count.
    with django_assert_max_num_queries(13) as few:
        download(browser, "answers-csv").getvalue()
    answer(CaseFactory.create_batch(39, inspection=inspection))
    with django_assert_max_num_queries(13) as many:
        download(browser, "answers-csv").getvalue()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_findings_download_as_csv_and_json_with_the_same_counts_as_the_command(
    answered, as_persona
):
    browser = as_persona("editor")
    csv_response = download(browser, "findings-csv")
    assert csv_response["Content-Disposition"] == 'attachment; filename="northshire-findings.csv"'
    assert b"RR-A1,,CRC,,1,0,0,0,1,100,all,all,," in csv_response.content
    document = json.loads(download(browser, "findings-json").content)
    assert document["inspection"] == "northshire"
    row = next(r for r in document["findings"] if (r["question"], r["group"]) == ("RR-A1", "CRC"))
    assert (row["yes"], row["relevant"], row["percent"], row["phrase"]) == (1, 1, 100, "all")
    assert row["summary_phrase"] == "all"
