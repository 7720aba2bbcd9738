"""answers_save: what a scoring page sends is saved whole or not at all, never over someone
else's newer answer, and never clears answers behind a gate without the person's say-so."""

import threading

import pytest
from django.db import connection

from judgements.models import Answer
from judgements.services import (
    AnswerEntry,
    AnswerRefused,
    AnswersNotSaved,
    answers_save,
    case_status_change,
)
from tests.helpers import item, question, record


def entry(code, value, note="", version=0, item_code=None, **kwargs):
    asked = question(code)
    return AnswerEntry(
        question=asked,
        item=item(asked.item_set.code, item_code) if item_code else None,
        value=value,
        note=note,
        version=version,
        **kwargs,
    )


def stored(case, code, item_code=None):
    return Answer.objects.filter(case=case, question__code=code, item__code=item_code).first()


def test_a_page_of_answers_is_saved_with_notes_and_who_gave_them(case, inspector):
    saved = answers_save(
        case=case,
        entries=[entry("RR-A1", "yes", "Assessed on time."), entry("RR-A3", "no")],
        user=inspector,
    )
    assert saved.changed == ["RR-A1", "RR-A3"]
    answer = stored(case, "RR-A1")
    assert (answer.value, answer.note, answer.answered_by) == (
        "yes",
        "Assessed on time.",
        inspector,
    )
    case.refresh_from_db()
    assert case.status == "in_progress"


def test_one_bad_answer_saves_nothing_and_names_the_question(case, inspector):
    with pytest.raises(AnswersNotSaved) as refusal:
        answers_save(
            case=case,
            entries=[entry("RR-A1", "yes"), entry("CD-2", "seven")],
            user=inspector,
        )
    assert list(refusal.value.errors.values()) == [
        "Case NS-001, CD-2: “seven” is not a number; expected a number from 0 to 600, a whole "
        "number."
    ]
    assert not Answer.objects.filter(case=case).exists()


def test_a_note_without_an_answer_is_refused_not_dropped(case, inspector):
    with pytest.raises(AnswersNotSaved) as refusal:
        answers_save(case=case, entries=[entry("RR-A1", "", "Evidence first")], user=inspector)
    assert "choose an answer, so that its evidence note is kept" in str(refusal.value.errors)


def test_an_unchanged_answer_is_left_alone_whatever_version_the_page_had(case, inspector, lead):
    first = record(case, "RR-A1", "yes", note="Seen.", user=lead)
    answers_save(case=case, entries=[entry("RR-A1", "yes", "Seen.", version=0)], user=inspector)
    answer = stored(case, "RR-A1")
    assert (answer.version, answer.answered_by) == (first.version, lead)


def test_a_change_from_an_older_version_is_a_conflict_and_keeps_theirs(case, inspector, lead):
    record(case, "RR-A1", "yes", note="Lead's view.", user=lead)
    with pytest.raises(AnswersNotSaved) as refusal:
        answers_save(
            case=case,
            entries=[entry("RR-A1", "no", "Mine.", version=0), entry("RR-A3", "yes")],
            user=inspector,
        )
    (theirs,) = refusal.value.conflicts.values()
    assert (theirs.value, theirs.note, theirs.answered_by) == ("yes", "Lead's view.", lead)
    assert stored(case, "RR-A1").value == "yes"
    assert stored(case, "RR-A3") is None  # all or nothing


def test_after_a_conflict_the_person_chooses_mine_or_theirs(case, inspector, lead):
    theirs = record(case, "RR-A1", "yes", user=lead)
    answers_save(
        case=case,
        entries=[entry("RR-A1", "no", version=theirs.version, keep_theirs=True)],
        user=inspector,
    )
    assert stored(case, "RR-A1").value == "yes"
    answers_save(case=case, entries=[entry("RR-A1", "no", version=theirs.version)], user=inspector)
    assert (stored(case, "RR-A1").value, stored(case, "RR-A1").answered_by) == ("no", inspector)


def test_shutting_a_gate_asks_first_then_clears_what_it_shut(case, inspector):
    record(case, "RR-R1", "yes", user=inspector)
    record(case, "RR-R2", "no", note="Late review.", user=inspector)
    gate = stored(case, "RR-R1")
    with pytest.raises(AnswersNotSaved) as refusal:
        answers_save(
            case=case, entries=[entry("RR-R1", "no", version=gate.version)], user=inspector
        )
    assert refusal.value.would_clear == ["RR-R2"]
    assert stored(case, "RR-R2").note == "Late review."

    saved = answers_save(
        case=case,
        entries=[entry("RR-R1", "no", version=gate.version)],
        user=inspector,
        confirm_clear=True,
    )
    assert saved.cleared == ["RR-R2"]
    assert saved.cleared_keys == [(question("RR-R2").id, None)]
    assert stored(case, "RR-R2") is None


def test_a_gate_opened_on_the_same_page_lets_its_question_be_answered(case, inspector):
    answers_save(
        case=case,
        entries=[
            entry("RR-A2", "yes", item_code="alcohol"),
            entry("RR-P1", "no", item_code="alcohol"),
            entry("RR-A2", "", item_code="drugs"),  # the grid sends every row, blank or not
            entry("RR-P1", "yes", item_code="drugs"),  # drugs is no priority: skipped
        ],
        user=inspector,
    )
    assert stored(case, "RR-P1", "alcohol").value == "no"
    assert stored(case, "RR-P1", "drugs") is None


def test_an_answer_whose_gate_was_shut_elsewhere_is_refused_not_dropped(case, inspector, lead):
    """The inspector's page still asks RR-R2, but the lead (or another tab) has answered its
    gate RR-R1 "no" since: the answer is not stored, and the inspector is told so, rather than
    shown "saved" for an answer that is nowhere."""
    record(case, "RR-R1", "no", user=lead)
    with pytest.raises(AnswersNotSaved) as refusal:
        answers_save(
            case=case,
            entries=[entry("RR-A1", "yes"), entry("RR-R2", "no", "Review was late.")],
            user=inspector,
        )
    assert refusal.value.errors == {
        (question("RR-R2").id, None): "RR-R2: no longer asked of this case (asked only where "
        "the answer to RR-R1 is Yes), not saved."
    }
    assert stored(case, "RR-A1") is None  # nothing of the page is half-saved
    assert stored(case, "RR-R2") is None


def test_an_answer_shut_by_a_descriptor_changed_since_is_refused(case, inspector):
    case.gender = "male"
    case.save()
    with pytest.raises(AnswersNotSaved) as refusal:
        answers_save(
            case=case, entries=[entry("CD-4", "", "Seen at the women's centre.")], user=inspector
        )
    assert list(refusal.value.errors.values()) == [
        "CD-4: no longer asked of this case (asked only where gender is female), not saved."
    ]


def test_a_blank_question_behind_a_shut_gate_is_left_quietly(case, inspector, lead):
    """A page without JavaScript sends every input it shows, blank ones too: nothing is lost."""
    record(case, "RR-R1", "no", user=lead)
    answers_save(
        case=case, entries=[entry("RR-A1", "yes"), entry("RR-R2", "", "  ")], user=inspector
    )
    assert stored(case, "RR-A1").value == "yes"


def test_a_question_the_page_itself_says_no_longer_applies_is_skipped(case, inspector, lead):
    """Both tabs answered the gate "no": the page's own answer says RR-R2 is not asked, so its
    leftover answer is no news to the person and is skipped as before."""
    gate = record(case, "RR-R1", "no", user=lead)
    answers_save(
        case=case,
        entries=[entry("RR-R1", "no", version=gate.version), entry("RR-R2", "no")],
        user=inspector,
    )
    assert stored(case, "RR-R2") is None


def test_clearing_an_answer_from_a_page_needs_the_version_it_cleared(case, inspector, lead):
    record(case, "CD-2", "6", user=lead)
    with pytest.raises(AnswersNotSaved):
        answers_save(case=case, entries=[entry("CD-2", "", version=0)], user=inspector)
    version = stored(case, "CD-2").version
    answers_save(case=case, entries=[entry("CD-2", "", version=version)], user=inspector)
    assert stored(case, "CD-2") is None


def test_only_the_cases_inspector_or_the_lead_may_save(case, inspection, lead, editor):
    from tests.factories import MembershipFactory, UserFactory

    colleague = MembershipFactory(inspection=inspection, user=UserFactory(username="cole")).user
    for person in (colleague, editor):
        with pytest.raises(AnswerRefused, match="Only the inspector case NS-001 is assigned to"):
            answers_save(case=case, entries=[entry("RR-A1", "yes")], user=person)
    answers_save(case=case, entries=[entry("RR-A1", "yes")], user=lead)
    assert stored(case, "RR-A1").answered_by == lead


def test_a_quality_assured_case_refuses_every_change(case, inspector, lead):
    record(case, "RR-A1", "yes", user=inspector)
    case = case_status_change(case=case, to_status="submitted", by=inspector, comment="Partial.")
    case_status_change(case=case, to_status="quality_assured", by=lead)
    with pytest.raises(AnswerRefused, match="quality assured"):
        answers_save(case=case, entries=[entry("RR-A3", "yes")], user=inspector)
    with pytest.raises(AnswerRefused, match="quality assured"):
        answers_save(case=case, entries=[entry("RR-A1", "")], user=lead)


@pytest.mark.usefixtures("database_for_threads")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_of_one_answer_never_both_win(case, inspector, lead):
    """Two people press save at the same moment from the same version: one is stored, the
    other is told of the conflict; neither is silently lost."""
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(person, value):
        barrier.wait()
        try:
            answers_save(case=case, entries=[entry("RR-A1", value)], user=person)
            outcomes[person.username] = "saved"
        except AnswersNotSaved as refusal:
            outcomes[person.username] = "conflict" if refusal.conflicts else "error"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(inspector, "yes")),
        threading.Thread(target=save, args=(lead, "no")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    answer = stored(case, "RR-A1")
    assert answer.answered_by.username == winner
    assert answer.history.count() == 1
