"""What a page (answer_record) refuses in an answer's text and note, before anything is saved."""

import pytest

from judgements.models import Answer, Question
from judgements.services import AnswerRefused, AnswerSlot, answer_record


def _record(case, code, value, note=""):
    question = Question.objects.get(framework__code="qi-2016", code=code)
    return answer_record(slot=AnswerSlot(case, question), value=value, note=note)


@pytest.mark.parametrize("note", ["NUL \x00 in the middle", "Word line break\x0b", "\x7f"])
def test_a_note_with_a_control_character_is_refused_and_nothing_is_saved(case, note):
    with pytest.raises(AnswerRefused, match="control character, U\\+00"):
        _record(case, "RR-A1", "yes", note)

    assert not Answer.objects.exists()


def test_a_note_longer_than_a_spreadsheet_cell_is_refused(case):
    with pytest.raises(AnswerRefused, match="at most 32,767"):
        _record(case, "RR-A1", "yes", "n" * 32_768)

    assert not Answer.objects.exists()


def test_a_note_with_line_breaks_and_tabs_is_kept_exactly(case):
    note = "Seen twice:\r\n\tat home\n\tat the office"

    assert _record(case, "RR-A1", "yes", note).note == note


def test_a_text_answer_over_500_characters_is_refused(case, text_question):
    with pytest.raises(AnswerRefused, match="at most 500 characters"):
        _record(case, "RR-N1", "x" * 501)

    assert _record(case, "RR-N1", "x" * 500).value == "x" * 500
