"""The scoring pages without JavaScript, as a browser with scripts off posts them: a section,
its autosave endpoint, the descriptors, check and submit, the lead's review, the history."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases.models import Case
from judgements.models import Answer
from tests.helpers import item, question, record


def section_url(case, section):
    return reverse("case-section", args=[case.inspection.slug, case.case_ref, section])


def key(code, item_code=None):
    asked = question(code)
    item_id = item(asked.item_set.code, item_code).id if item_code else 0
    return f"{asked.id}-{item_id}"


def form(*answers):
    """A section's POST: (code, value, note, version[, item code]) for each answer."""
    data = {}
    for code, value, note, version, *item_code in answers:
        slot = key(code, *item_code)
        data |= {f"a-{slot}": value, f"n-{slot}": note, f"v-{slot}": str(version)}
    return data


def stored(case, code, item_code=None):
    return Answer.objects.filter(case=case, question__code=code, item__code=item_code).first()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def ivy(as_persona, case):
    return as_persona("inspector")


@pytest.fixture
def lena(as_persona, lead):
    return as_persona("lead")


def test_a_section_shows_its_questions_with_guidance_and_the_cases_contents(ivy, case):
    page = text(ivy.get(section_url(case, "rr-reviewing")))
    assert '<h1 class="govuk-heading-l">Reducing reoffending: reviewing</h1>' in page
    assert question("RR-R1").guidance in page
    assert 'name="a-{}" type="radio" value="yes"'.format(key("RR-R1")) in page
    assert f'id="n-{key("RR-R1")}"' in page
    # RR-R2 waits on RR-R1, on this page: there, hidden, with the reason it is not asked yet.
    assert re.search(rf'id="slot-{key("RR-R2")}"[^>]*hidden', page)
    assert "Not asked of this case: asked only where the answer to RR-R1 is Yes." in page
    assert "Reducing reoffending: priority offending-related factors" in page  # contents
    assert "Save and continue" in page


def test_a_question_shut_by_a_descriptor_is_listed_as_not_asked(ivy, case):
    page = text(ivy.get(section_url(case, "cs-assessment")))  # the factory's case: no report
    assert "Not asked of this case" in page
    assert "C2" in page and "asked only where court report is" in page
    assert f'name="a-{key("C2")}"' not in page


def test_save_and_continue_saves_the_page_and_opens_the_next(ivy, case, inspector):
    response = ivy.post(
        section_url(case, "rr-assessment"),
        form(("RR-A1", "no", "Not updated after allocation.", 0), ("RR-A3", "yes", "", 0)),
    )
    assert response.status_code == 302
    assert response.url == section_url(case, "rr-priority-factors")
    answer = stored(case, "RR-A1")
    assert (answer.value, answer.note, answer.answered_by) == (
        "no",
        "Not updated after allocation.",
        inspector,
    )


def test_an_answer_that_opens_questions_on_the_page_shows_them_there(ivy, case):
    response = ivy.post(
        section_url(case, "rr-reviewing"), form(("RR-R1", "yes", "", 0)), follow=True
    )
    page = text(response)
    assert response.redirect_chain[-1][0].startswith(section_url(case, "rr-reviewing"))
    assert "Your answers opened 2 more questions on this page" in page
    assert not re.search(rf'id="slot-{key("RR-R2")}"[^>]*hidden', page)


def test_a_bad_answer_saves_nothing_and_keeps_what_was_typed(ivy, case):
    response = ivy.post(
        section_url(case, "cd-case-details"),
        form(("CD-1", "yes", "Spoke by phone.", 0), ("CD-2", "seventy", "From the order.", 0)),
    )
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem: nothing on this page was saved" in page
    assert "CD-2: “seventy” is not a number" in page
    assert 'value="seventy"' in page and "From the order." in page and "Spoke by phone." in page
    assert not Answer.objects.filter(case=case).exists()


def test_a_stale_save_shows_both_versions_and_saves_the_choice(ivy, case, lead):
    record(case, "RR-A1", "yes", note="The lead's reading.", user=lead)
    response = ivy.post(section_url(case, "rr-assessment"), form(("RR-A1", "no", "Mine.", 0)))
    page = text(response)
    assert "Someone else changed 1 of these answers since you opened the page" in page
    assert "Your answer</dt>" in page and "Mine." in page
    assert "The lead&#x27;s reading." in page and "Saved by" in page
    assert stored(case, "RR-A1").value == "yes"
    version = stored(case, "RR-A1").version
    assert f'name="v-{key("RR-A1")}" value="{version}"' in page  # the page now holds theirs

    keep = form(("RR-A1", "no", "Mine.", version)) | {f"r-{key('RR-A1')}": "theirs"}
    assert ivy.post(section_url(case, "rr-assessment"), keep).status_code == 302
    assert stored(case, "RR-A1").value == "yes"
    mine = form(("RR-A1", "no", "Mine.", version)) | {f"r-{key('RR-A1')}": "mine"}
    assert ivy.post(section_url(case, "rr-assessment"), mine).status_code == 302
    assert (stored(case, "RR-A1").value, stored(case, "RR-A1").note) == ("no", "Mine.")


def saved_on_7_december_2026_at_1214(case, code):
    """Date the stored answer as the issue quotes it (December: London is on UTC)."""
    Answer.objects.filter(case=case, question__code=code).update(
        answered_at=datetime(2026, 12, 7, 12, 14, tzinfo=UTC)
    )


def test_a_stale_save_of_ones_own_change_in_another_tab_says_so_not_someone_else(
    ivy, case, inspector
):
    record(case, "RR-A1", "yes", note="From the other tab.", user=inspector)
    saved_on_7_december_2026_at_1214(case, "RR-A1")
    page = text(ivy.post(section_url(case, "rr-assessment"), form(("RR-A1", "no", "", 0))))
    assert "You changed 1 of these answers in another tab or window since you opened" in page
    assert "You changed this answer in another tab or window since you opened" in page
    assert "Saved by you in another tab or window, 7 Dec 2026, 12:14</dt>" in page
    assert "Someone else" not in page


def test_autosave_says_whose_the_newer_answer_is_with_its_date_as_the_pages_write_it(
    ivy, case, inspector, lead
):
    url = reverse("answer-autosave", args=["northshire", "NS-001"])
    record(case, "RR-A1", "yes", user=inspector)
    saved_on_7_december_2026_at_1214(case, "RR-A1")
    mine = ivy.post(url, {"key": key("RR-A1")} | form(("RR-A1", "no", "", 0))).json()["theirs"]
    assert (mine["mine"], mine["when"]) == (True, "7 Dec 2026, 12:14")

    record(case, "RR-A3", "yes", user=lead)
    theirs = ivy.post(url, {"key": key("RR-A3")} | form(("RR-A3", "no", "", 0))).json()["theirs"]
    assert (theirs["mine"], theirs["by"]) == (False, lead.get_full_name())


def test_autosave_gives_the_counts_of_the_answers_own_page(ivy, case, inspector):
    record(case, "RR-A1", "yes", user=inspector)
    url = reverse("answer-autosave", args=["northshire", "NS-001"])
    saved = ivy.post(url, {"key": key("RR-A3")} | form(("RR-A3", "no", "", 0))).json()
    assert saved["section"] == {"slug": "rr-assessment", "answered": 2, "asked": 2}


def test_a_change_that_clears_answers_asks_first(ivy, case, inspector):
    record(case, "RR-R1", "yes", user=inspector)
    record(case, "RR-R2", "yes", note="Reviewed monthly.", user=inspector)
    version = stored(case, "RR-R1").version
    page = text(ivy.post(section_url(case, "rr-reviewing"), form(("RR-R1", "no", "", version))))
    assert "1 other answer no longer applies and will be cleared: RR-R2" in page
    assert "Save and clear 1 answer" in page
    assert stored(case, "RR-R2") is not None
    confirmed = form(("RR-R1", "no", "", version)) | {"confirm_clear": "1"}
    assert ivy.post(section_url(case, "rr-reviewing"), confirmed).status_code == 302
    assert stored(case, "RR-R2") is None


def column_headings(page: str) -> list[str]:
    """A grid's column headings as they read: the text of each header cell of its head."""
    head = re.search(r"<thead.*?</thead>", page).group()
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th.*?</th>", head)]


def test_the_grid_has_a_row_per_factor_and_its_chain_under_short_headings(ivy, case, inspector):
    record(case, "RR-A2", "yes", "alcohol", user=inspector)
    page = text(ivy.get(section_url(case, "rr-priority-factors")))
    assert column_headings(page) == [
        "Priority offending-related factors",
        "Priority? RR-A2",
        "In plan? RR-P1",
        "Delivered? RR-D2",
        "Partners involved? RR-D5",
        "Partners sufficient? RR-D5b",
        "Progress? RR-O1",
    ]
    # The key above the grid gives each heading its code and the whole question.
    assert (
        '<strong>In plan?</strong> <span class="app-grid-code">RR-P1</span> '
        f"{escape(question('RR-P1').text)}" in page
    )
    assert page.count('class="govuk-table__row app-grid-row"') == 10
    assert not re.search(rf'id="slot-{key("RR-P1", "alcohol")}"[^>]*hidden', page)
    assert re.search(rf'id="slot-{key("RR-P1", "drugs")}"[^>]*hidden', page)


def test_a_grid_column_is_headed_by_its_questions_short_label_from_the_framework(ivy, case):
    reworded = question("RR-D5")
    reworded.short_label = "Partners worked on it?"
    reworded.save()

    page = text(ivy.get(section_url(case, "rr-priority-factors")))

    assert "Partners worked on it? RR-D5" in column_headings(page)


def test_autosave_answers_in_json_saved_conflict_and_confirm(ivy, case, lead):
    url = reverse("answer-autosave", args=["northshire", "NS-001"])
    saved = ivy.post(url, {"key": key("RR-R1")} | form(("RR-R1", "yes", "Due.", 0))).json()
    assert (saved["state"], saved["version"], saved["value"]) == ("saved", 1, "yes")
    record(case, "RR-R2", "no", user=lead)

    stale = ivy.post(url, {"key": key("RR-R2")} | form(("RR-R2", "yes", "", 0)))
    assert stale.status_code == 409
    assert stale.json()["state"] == "conflict"
    assert stale.json()["theirs"]["value"] == "no"

    shut = ivy.post(url, {"key": key("RR-R1")} | form(("RR-R1", "no", "", 1)))
    assert (shut.status_code, shut.json()) == (
        409,
        {"state": "confirm-clear", "would_clear": [f"RR-R2 “{question('RR-R2').text}”"]},
    )
    confirmed = ivy.post(
        url, {"key": key("RR-R1"), "confirm_clear": "1"} | form(("RR-R1", "no", "", 1))
    ).json()
    assert confirmed["cleared_keys"] == [key("RR-R2")]

    note_only = ivy.post(url, {"key": key("RR-A1")} | form(("RR-A1", "", "Typed first.", 0)))
    assert (note_only.status_code, note_only.json()["state"]) == (422, "needs-answer")


def test_autosave_of_an_answer_whose_gate_shut_meanwhile_says_it_was_not_saved(ivy, case, lead):
    """The inspector's page still shows RR-R2, but the lead has answered RR-R1 "no" since: the
    autosave must not answer "saved" for a note that is stored nowhere."""
    url = reverse("answer-autosave", args=["northshire", "NS-001"])
    record(case, "RR-R1", "no", user=lead)
    response = ivy.post(url, {"key": key("RR-R2")} | form(("RR-R2", "yes", "Reviewed.", 0)))
    assert (response.status_code, response.json()) == (
        422,
        {
            "state": "not-asked",
            "message": "RR-R2: no longer asked of this case (asked only where the answer to "
            "RR-R1 is Yes), not saved.",
        },
    )
    assert stored(case, "RR-R2") is None


def test_save_and_continue_names_an_answer_whose_gate_shut_and_saves_nothing(ivy, case):
    """The page was built while the case had a court report; its descriptor was changed in
    another tab since, so C2 is no longer asked: the page says so, keeps what was typed in
    view, and saves nothing of the page (not C3 either)."""
    Case.objects.filter(pk=case.pk).update(court_report="none")
    response = ivy.post(
        section_url(case, "cs-assessment"),
        form(("C2", "yes", "The report named the risks.", 0), ("C3", "yes", "", 0)),
    )
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem: nothing on this page was saved" in page
    message = "C2: no longer asked of this case (asked only where court report is full written "
    assert page.count(message) == 2  # in the summary and beside C2 in the list of not asked
    assert f'href="#slot-{key("C2")}"' in page and f'id="slot-{key("C2")}"' in page
    assert "The report named the risks." in page  # what was typed, to copy elsewhere
    assert not Answer.objects.filter(case=case).exists()
    # The page now asks no C2, so saving it again saves the rest.
    again = ivy.post(section_url(case, "cs-assessment"), form(("C3", "yes", "", 0)))
    assert again.status_code == 302 and stored(case, "C3").value == "yes"


def test_save_and_continue_on_a_section_that_asks_nothing_of_the_case_moves_on(ivy, case):
    """CD-4 is asked only of women: on a man's case its section lists it as not asked, and
    its "Save and continue" (found by the scoring benchmark to fail with a server error)
    moves on to the next section like any other."""
    Case.objects.filter(pk=case.pk).update(gender="male")
    response = ivy.post(section_url(case, "cd-engagement"), {})
    assert response.status_code == 302
    assert response["Location"] != section_url(case, "cd-engagement")


def test_descriptor_change_that_shuts_gates_names_what_it_clears(ivy, case, inspector):
    Case.objects.filter(pk=case.pk).update(court_report="full_written")
    case.refresh_from_db()
    record(case, "C2", "yes", note="Thorough report.", user=inspector)
    case.refresh_from_db()
    url = reverse("case-descriptors", args=["northshire", "NS-001"])
    data = {
        "sentence_type": "community_order",
        "gender": "male",
        "ethnicity": "white",
        "office": "Central hub",
        "rosh_level": "medium",
        "mappa_level": "none",
        "likelihood_of_reoffending": "",
        "court_report": "none",
        "interviewed": "no",
        "version": str(case.version),
    }
    page = text(ivy.post(url, data))
    assert "1 answer no longer applies to this case and will be cleared: C2" in page
    assert stored(case, "C2") is not None
    response = ivy.post(url, data | {"confirm_clear": "1"})
    assert response.status_code == 302
    assert stored(case, "C2") is None
    case.refresh_from_db()
    assert case.court_report == "none"


def test_check_lists_what_is_left_and_submit_needs_a_reason(ivy, case, inspector):
    record(case, "RR-A1", "yes", user=inspector)
    url = reverse("case-check", args=["northshire", "NS-001"])
    page = text(ivy.get(url))
    assert f'href="{section_url(case, "rr-assessment")}#slot-{key("RR-A3")}"' in page
    refused = text(ivy.post(url, {"version": Case.objects.get(pk=case.pk).version}))
    assert "questions are unanswered: answer them, or say why they are left" in refused
    response = ivy.post(
        url,
        {"version": Case.objects.get(pk=case.pk).version, "comment": "The record is thin."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.submission_note) == ("submitted", "The record is thin.")


def test_the_lead_returns_and_quality_assures_and_the_inspector_sees_it(ivy, lena, case, inspector):
    record(case, "RR-A1", "yes", user=inspector)
    check = reverse("case-check", args=["northshire", "NS-001"])
    review = reverse("case-review", args=["northshire", "NS-001"])
    ivy.post(check, {"version": Case.objects.get(pk=case.pk).version, "comment": "Short case."})

    lead_page = text(lena.get(case.get_absolute_url()))
    assert "Return to inspector" in lead_page and "Mark as quality assured" in lead_page
    assert "Return to inspector" not in text(ivy.get(case.get_absolute_url()))
    version = Case.objects.get(pk=case.pk).version
    refused = lena.post(review, {"to_status": "returned", "version": version}, follow=True)
    assert "Say what the inspector should look at again." in text(refused)
    stale = lena.post(review, {"to_status": "quality_assured", "version": 1}, follow=True)
    assert "was changed by someone else since you opened it" in text(stale)
    assert Case.objects.get(pk=case.pk).status == "submitted"
    lena.post(
        review,
        {
            "to_status": "returned",
            "comment": "RR-A1 needs its evidence.",
            "version": Case.objects.get(pk=case.pk).version,
        },
    )
    assert "RR-A1 needs its evidence." in text(ivy.get(case.get_absolute_url()))
    assert "RR-A1 needs its evidence." in text(ivy.get(reverse("my-cases")))

    ivy.post(section_url(case, "rr-assessment"), form(("RR-A1", "yes", "OASys dated.", 2)))
    ivy.post(check, {"version": Case.objects.get(pk=case.pk).version, "comment": "Short case."})
    assert "Waiting for your review" in text(lena.get(reverse("my-cases")))
    lena.post(
        review,
        {"to_status": "quality_assured", "version": Case.objects.get(pk=case.pk).version},
    )
    locked = text(ivy.get(section_url(case, "rr-assessment")))
    assert "This case is quality assured" in locked and "Save and continue" not in locked
    forged = ivy.post(section_url(case, "rr-assessment"), form(("RR-A1", "no", "", 3)), follow=True)
    assert "quality assured" in text(forged)
    assert stored(case, "RR-A1").value == "yes"

    lena.post(
        review,
        {
            "to_status": "returned",
            "comment": "Reopened: one more look at RR-A1.",
            "version": Case.objects.get(pk=case.pk).version,
        },
    )
    history = text(ivy.get(reverse("case-history", args=["northshire", "NS-001"])))
    assert '<del>Quality assured</del> → <ins><strong class="app-answer-note">Returned' in history
    assert "Reopened: one more look at RR-A1." in history


def test_history_shows_who_changed_what_from_what(ivy, case, inspector, lead):
    record(case, "RR-A1", "yes", note="First look.", user=inspector)
    version = stored(case, "RR-A1").version
    record(case, "RR-A1", "no", note="Second look.", user=lead, expected_version=version)
    page = text(ivy.get(reverse("case-history", args=["northshire", "NS-001"])))
    assert "RR-A1: changed" in page and "RR-A1: answered" in page
    assert '<del>Yes</del> → <ins><strong class="app-answer-note">No</strong></ins>' in page
    assert "First look." in page and "Second look." in page
    assert lead.get_full_name() in page


def test_my_cases_lists_mine_with_what_is_left(ivy, case, inspector):
    record(case, "RR-A1", "yes", user=inspector)
    page = text(ivy.get(reverse("my-cases")))
    assert "Case NS-001" in page
    assert re.search(r"1 answered, \d+ to answer", page)
