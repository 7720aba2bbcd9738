"""CD-2 asks for whole months since sentence or release, 0 to 600. Anything else is refused
with a message naming the question and the range, whichever way it arrives: never a crash,
never a huge number stored."""

import pytest
from django.core.exceptions import ValidationError

from judgements.framework_loader import read_framework_file
from judgements.framework_schema import framework_errors
from judgements.models import Answer, Question
from judgements.services import AnswerRefused, AnswerSlot, answer_record
from tests.helpers import csv_file, refused

HEADER = ["case_ref", "question", "item", "value", "note"]
RANGE = "expected a number from 0 to 600, a whole number"

REFUSED = {
    "a billion-digit exponent": "1e999999999",
    "a million-digit exponent": "1e999990",
    "negative": "-1",
    "above the range": "601",
    "a fraction": "6.5",
    "NaN": "NaN",
    "signalling NaN": "sNaN",
    "Infinity": "Infinity",
    "minus infinity": "-Infinity",
    "a thousand digits": "9" * 1000,
    "words": "six",
}


def cd2() -> Question:
    return Question.objects.get(framework__code="qi-2016", code="CD-2")


@pytest.mark.parametrize("value", ["0", "1", "600", " 36 "])
def test_whole_months_from_0_to_600_are_accepted(case, inspector, value):
    answer = answer_record(slot=AnswerSlot(case, cd2()), value=value, user=inspector)

    assert Answer.objects.get(pk=answer.pk).value == value.strip()


@pytest.mark.parametrize("value", REFUSED.values(), ids=REFUSED.keys())
def test_a_value_outside_whole_months_0_to_600_is_refused_by_the_answer_service(
    case, inspector, value
):
    with pytest.raises(AnswerRefused) as refusal:
        answer_record(slot=AnswerSlot(case, cd2()), value=value, user=inspector)

    message = refusal.value.messages[0]
    assert message.startswith("Case NS-001, CD-2: ")
    assert RANGE in message
    assert len(message) < 300  # a thousand digits are not echoed back
    assert not Answer.objects.exists()


@pytest.mark.parametrize("value", REFUSED.values(), ids=REFUSED.keys())
def test_a_value_outside_whole_months_0_to_600_is_refused_by_the_import(case, tmp_path, value):
    path = csv_file(tmp_path / "answers.csv", HEADER, [["NS-001", "CD-2", "", value, ""]])

    problems = refused("import_answers", "northshire", str(path))

    assert len(problems) == 1
    assert "case NS-001, CD-2: " in problems[0]
    assert RANGE in problems[0]
    assert len(problems[0]) < 300
    assert not Answer.objects.exists()


def test_an_empty_value_is_refused_by_the_answer_service(case, inspector):
    with pytest.raises(AnswerRefused, match=f"CD-2: “” is not a number; {RANGE}"):
        answer_record(slot=AnswerSlot(case, cd2()), value="", user=inspector)


def test_a_value_out_of_range_says_so(case, inspector):
    with pytest.raises(AnswerRefused, match="CD-2: 601 is out of range"):
        answer_record(slot=AnswerSlot(case, cd2()), value="601", user=inspector)


def test_a_fraction_is_refused_for_its_decimal_places(case, inspector):
    with pytest.raises(AnswerRefused, match=r"CD-2: 6\.5 has too many decimal places"):
        answer_record(slot=AnswerSlot(case, cd2()), value="6.5", user=inspector)


def test_a_whole_number_written_with_a_zero_fraction_is_stored_plainly(case, inspector):
    answer = answer_record(slot=AnswerSlot(case, cd2()), value="12.0", user=inspector)

    assert Answer.objects.get(pk=answer.pk).value == "12"


def test_a_number_written_with_an_exponent_is_stored_plainly(case, inspector):
    answer = answer_record(slot=AnswerSlot(case, cd2()), value="1e2", user=inspector)

    assert Answer.objects.get(pk=answer.pk).value == "100"


# Fractions the decimal context rounds away before the decimal places are checked:
# Decimal.normalize() rounds to 28 significant digits and flushes a tiny exponent to zero.
ROUNDED_AWAY = {
    "a tiny exponent": "1e-999999999",
    "29 nines after the point": "599.99999999999999999999999999999",
    "a one in the 30th place": "12.000000000000000000000000000001",
}


@pytest.mark.parametrize("value", ROUNDED_AWAY.values(), ids=ROUNDED_AWAY.keys())
def test_a_fraction_too_small_to_see_is_still_refused_by_the_answer_service(case, inspector, value):
    with pytest.raises(AnswerRefused, match=r"CD-2: .* too many decimal places"):
        answer_record(slot=AnswerSlot(case, cd2()), value=value, user=inspector)

    assert not Answer.objects.exists()


@pytest.mark.parametrize("value", ROUNDED_AWAY.values(), ids=ROUNDED_AWAY.keys())
def test_a_fraction_too_small_to_see_is_still_refused_by_the_import(case, tmp_path, value):
    path = csv_file(tmp_path / "answers.csv", HEADER, [["NS-001", "CD-2", "", value, ""]])

    problems = refused("import_answers", "northshire", str(path))

    assert "too many decimal places" in problems[0]
    assert not Answer.objects.exists()


def test_minus_zero_is_stored_as_zero(case, inspector):
    answer = answer_record(slot=AnswerSlot(case, cd2()), value="-0", user=inspector)

    assert Answer.objects.get(pk=answer.pk).value == "0"


def test_a_framework_file_with_unusable_number_bounds_is_refused_naming_the_question():
    data = read_framework_file("qi-2016")
    cd2 = next(q for q in data["questions"] if q["code"] == "CD-2")
    cd2["number"] = {"min": 10, "max": 5, "decimal_places": 25}

    assert [e for e in framework_errors(data) if e.startswith("CD-2")] == [
        "CD-2: decimal places must be 0 to 4, not 25"
    ]


def test_a_question_saved_with_unusable_bounds_refuses_answers_with_a_clear_message(case):
    cd2 = Question.objects.get(framework__code="qi-2016", code="CD-2")
    cd2.number_decimal_places = 25
    cd2.save()

    with pytest.raises(ValidationError, match="an administrator must correct the framework"):
        cd2.clean_value("1000000")
    with pytest.raises(ValidationError, match="decimal places must be 0 to 4"):
        cd2.full_clean()
