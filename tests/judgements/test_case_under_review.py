"""A submitted case is with the lead inspector: its inspector reads it but cannot change it
until the lead returns it. The descriptors to record come first, Check your answers lists every
answer, a resubmission keeps its reason, and cleared answers are named in words."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case
from inspection.lib.spreadsheets import ImportRefused, SheetRow
from judgements.scoring import scoring_sheet
from judgements.services import (
    AnswerRefused,
    AnswerSlot,
    answer_record,
    answers_import,
    case_change,
    case_status_change,
)
from tests.helpers import question, record
from tests.judgements.test_scoring_pages import form, key, section_url, stored, text

UNDER_REVIEW = "with the lead inspector for review"


@pytest.fixture
def ivy(as_persona, case):
    return as_persona("inspector")


@pytest.fixture
def lena(as_persona, lead):
    return as_persona("lead")


def submitted(case, inspector):
    record(case, "RR-A1", "yes", user=inspector)
    return case_status_change(
        case=case, to_status="submitted", by=inspector, comment="The record is thin."
    )


def autosave(client, case, code, value, version):
    url = reverse("answer-autosave", args=[case.inspection.slug, case.case_ref])
    return client.post(url, {"key": key(code)} | form((code, value, "", version)))


def test_autosave_refuses_the_inspector_of_a_submitted_case_and_saves_the_leads(
    ivy, lena, case, inspector
):
    submitted(case, inspector)
    version = stored(case, "RR-A1").version
    refused = autosave(ivy, case, "RR-A1", "no", version)
    assert refused.status_code == 422
    assert refused.json()["state"] == "refused"
    assert UNDER_REVIEW in refused.json()["message"]
    assert "when the lead inspector returns the case" in refused.json()["message"]
    assert stored(case, "RR-A1").value == "yes"
    saved = autosave(lena, case, "RR-A1", "no", version)
    assert saved.json()["state"] == "saved"
    assert stored(case, "RR-A1").value == "no"


def test_save_and_continue_refuses_the_inspector_of_a_submitted_case_and_saves_the_leads(
    ivy, lena, case, inspector
):
    submitted(case, inspector)
    version = stored(case, "RR-A1").version
    url = section_url(case, "rr-assessment")
    refused = ivy.post(url, form(("RR-A1", "no", "", version)), follow=True)
    assert UNDER_REVIEW in text(refused)
    assert stored(case, "RR-A1").value == "yes"
    # Clearing is a change too.
    ivy.post(url, form(("RR-A1", "", "", version)))
    assert stored(case, "RR-A1") is not None
    assert lena.post(url, form(("RR-A1", "no", "", version))).status_code == 302
    assert stored(case, "RR-A1").value == "no"


def test_the_inspector_sees_a_submitted_case_read_only_with_why(ivy, lena, case, inspector):
    submitted(case, inspector)
    for url in (
        case.get_absolute_url(),
        section_url(case, "rr-assessment"),
        reverse("case-descriptors", args=["northshire", "NS-001"]),
        reverse("case-check", args=["northshire", "NS-001"]),
    ):
        page = text(ivy.get(url))
        assert UNDER_REVIEW in page, url
        assert "change them again if the lead inspector returns the case" in page, url
        assert "Save and continue" not in page and 'id="comment"' not in page, url
    section = text(ivy.get(section_url(case, "rr-assessment")))
    assert 'name="a-{}" type="radio" value="yes" checked disabled'.format(key("RR-A1")) in section
    lead_page = text(lena.get(section_url(case, "rr-assessment")))
    assert "Save and continue" in lead_page and UNDER_REVIEW not in lead_page


def test_returned_the_case_is_the_inspectors_to_change_again(ivy, lena, case, inspector, lead):
    case = submitted(case, inspector)
    case_status_change(case=case, to_status="returned", by=lead, comment="Look at RR-A1.")
    version = stored(case, "RR-A1").version
    assert autosave(ivy, case, "RR-A1", "no", version).json()["state"] == "saved"
    assert UNDER_REVIEW not in text(ivy.get(case.get_absolute_url()))


def test_every_write_path_refuses_a_submitted_case_by_its_inspector(case, inspector, lead):
    case = submitted(case, inspector)
    slot = AnswerSlot(case, question("RR-A3"))
    with pytest.raises(AnswerRefused, match=UNDER_REVIEW):
        answer_record(slot=slot, value="yes", user=inspector)
    rows = [row(2, "NS-001", "RR-A3", "yes")]
    with pytest.raises(ImportRefused, match=UNDER_REVIEW):
        answers_import(inspection=case.inspection, rows=rows, user=inspector)
    with pytest.raises(ValidationError, match=UNDER_REVIEW):
        case_change(case=case, changes={"gender": "female"}, by=inspector)
    answer_record(slot=slot, value="yes", user=lead)
    assert stored(case, "RR-A3").answered_by == lead


def row(number, case_ref, code, value):
    values = {"case_ref": case_ref, "question": code, "item": "", "value": value, "note": ""}
    return SheetRow(number, values)


def test_start_scoring_goes_to_the_descriptors_while_the_offence_is_not_recorded(ivy, case):
    Case.objects.filter(pk=case.pk).update(offence_type="")
    page = text(ivy.get(case.get_absolute_url()))
    descriptors = reverse("case-descriptors", args=["northshire", "NS-001"])
    assert re.search(rf'href="{descriptors}">Start scoring</a>', page)
    Case.objects.filter(pk=case.pk).update(offence_type="theft")
    page = text(ivy.get(case.get_absolute_url()))
    first = next(s.slug for s in scoring_sheet(case).sections if s.state == "not_started")
    first = section_url(case, first)
    assert f'href="{first}">Start scoring</a>' in page


def test_check_lists_an_unrecorded_offence_and_submitting_links_to_it(ivy, case, inspector):
    Case.objects.filter(pk=case.pk).update(offence_type="")
    record(case, "RR-A1", "yes", user=inspector)
    url = reverse("case-check", args=["northshire", "NS-001"])
    page = text(ivy.get(url))
    assert "1 case descriptor to record" in page
    assert "Offence type (main offence)</dt>" in page and "Not recorded</strong>" in page
    version = Case.objects.get(pk=case.pk).version
    refused = text(ivy.post(url, {"version": version, "comment": "Short case."}))
    descriptors = reverse("case-descriptors", args=["northshire", "NS-001"])
    assert (
        f'<a href="{descriptors}#id_offence_type">Record the offence type (main offence) '
        "in the case descriptors before submitting the case.</a>"
    ) in refused
    assert Case.objects.get(pk=case.pk).status == "in_progress"


def test_check_your_answers_lists_every_answer_by_section_with_a_change_link(ivy, case, inspector):
    record(case, "RR-A1", "yes", note="OASys dated.", user=inspector)
    page = text(ivy.get(reverse("case-check", args=["northshire", "NS-001"])))
    headings = re.findall(r'<h2 class="govuk-heading-m" id="check-([a-z0-9-]+)"', page)
    assert headings[0] == "descriptors"
    assert headings.index("rr-assessment") < headings.index("rr-reviewing")
    rr_a1 = re.search(rf'id="check-{key("RR-A1")}">(.*?)</div>', page).group(1)
    assert question("RR-A1").text in rr_a1 and "<strong>Yes</strong>" in rr_a1
    assert f'href="{section_url(case, "rr-assessment")}#slot-{key("RR-A1")}">Change' in rr_a1
    assert '<span class="govuk-visually-hidden"> the answer to RR-A1:' in rr_a1
    rr_a3 = re.search(rf'id="check-{key("RR-A3")}">(.*?)</div>', page).group(1)
    assert "Not answered" in rr_a3
    count = scoring_sheet(Case.objects.get(pk=case.pk)).unanswered
    assert f"{count} questions not answered" in page


def test_check_your_answers_costs_the_same_queries_on_a_full_case(
    ivy, case, inspector, django_assert_max_num_queries
):
    url = reverse("case-check", args=["northshire", "NS-001"])
    ivy.get(url)  # the framework, read once per process
    with django_assert_max_num_queries(20) as few:
        ivy.get(url)
    for code in ["RR-A1", "RR-A3", "RR-R1", "RR-R2"]:
        record(case, code, "yes", user=inspector)
    with django_assert_max_num_queries(len(few.captured_queries)):
        ivy.get(url)


def test_a_resubmission_offers_the_reason_given_before(ivy, case, inspector, lead):
    case = submitted(case, inspector)
    case_status_change(case=case, to_status="returned", by=lead, comment="Look again.")
    url = reverse("case-check", args=["northshire", "NS-001"])
    page = text(ivy.get(url))
    assert ">The record is thin.</textarea>" in page
    version = Case.objects.get(pk=case.pk).version
    assert ivy.post(url, {"version": version, "comment": "The record is thin."}).status_code == 302
    assert Case.objects.get(pk=case.pk).submission_note == "The record is thin."


def test_cleared_answers_are_named_with_their_question(ivy, case, inspector):
    record(case, "RR-R1", "yes", user=inspector)
    record(case, "RR-R2", "yes", user=inspector)
    version = stored(case, "RR-R1").version
    url = section_url(case, "rr-reviewing")
    words = question("RR-R2").text
    asked = text(ivy.post(url, form(("RR-R1", "no", "", version))))
    assert f"will be cleared: RR-R2 “{words}”" in asked
    saving = form(("RR-R1", "no", "", version)) | {"confirm_clear": "1"}
    done = text(ivy.post(url, saving, follow=True))
    assert f"no longer applies: RR-R2 “{words}”" in done


def test_autosave_names_the_answers_it_would_clear_with_their_question(ivy, case, inspector):
    record(case, "RR-R1", "yes", user=inspector)
    record(case, "RR-R2", "yes", user=inspector)
    reply = autosave(ivy, case, "RR-R1", "no", stored(case, "RR-R1").version).json()
    assert reply["would_clear"] == [f"RR-R2 “{question('RR-R2').text}”"]


def test_a_read_only_section_is_no_form_without_a_submit_button(ivy, lena, case, inspector, lead):
    """HTML_CodeSniffer H32.2: a form needs a submit button; read-only, there is no form."""
    case = submitted(case, inspector)
    case_status_change(case=case, to_status="quality_assured", by=lead)
    for client in (ivy, lena):
        page = text(client.get(section_url(case, "rr-assessment")))
        forms = re.findall(r"<form\b.*?</form>", page)
        assert all('type="submit"' in found for found in forms)
        assert 'id="section-form"' in page
