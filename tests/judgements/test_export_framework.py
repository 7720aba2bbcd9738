"""manage.py export_framework: the questions as the research team's scripts read them."""

import json

import pytest
from django.core.management import CommandError, call_command

from judgements.models import Question
from tests.helpers import question, run

QUESTION_KEYS = [
    "code",
    "domain",
    "theme",
    "text",
    "short_label",
    "kind",
    "choices",
    "items",
    "applies_to",
    "gate",
    "number",
]
PRIORITY_FACTORS = [
    "accommodation",
    "ete",
    "finance",
    "relationships",
    "lifestyle",
    "drugs",
    "alcohol",
    "emotional_wellbeing",
    "thinking_behaviour",
    "attitudes",
]


@pytest.fixture
def exported(db) -> dict:
    return json.loads(run("export_framework", "qi-2016", "--format", "json"))


def by_code(exported: dict) -> dict[str, dict]:
    return {question["code"]: question for question in exported["questions"]}


def test_framework_export_has_its_code_version_and_every_question_in_framework_order(exported):
    assert list(exported) == ["code", "version", "questions"]
    assert (exported["code"], exported["version"]) == ("qi-2016", "2016.1")
    framework_order = Question.objects.filter(framework__code="qi-2016").order_by("order")
    assert [q["code"] for q in exported["questions"]] == [q.code for q in framework_order]
    assert all(list(question) == QUESTION_KEYS for question in exported["questions"])


def test_a_question_gated_per_item_on_another_lists_its_items_and_gate(exported):
    assert by_code(exported)["RR-P1"] == {
        "code": "RR-P1",
        "domain": "RR",
        "theme": "planning",
        "text": "Does planning adequately address this priority factor?",
        "short_label": "In plan?",
        "kind": "yes_no_na",
        "choices": None,
        "items": PRIORITY_FACTORS,
        "applies_to": ["CRC", "NPS"],
        "gate": {"question": "RR-A2", "descriptor": None, "values": ["yes"]},
        "number": None,
    }


def test_a_question_gated_on_a_case_descriptor_names_the_descriptor(exported):
    assert by_code(exported)["PP-D6"] == {
        "code": "PP-D6",
        "domain": "PP",
        "theme": "delivery",
        "text": "Is the case being managed at the correct MAPPA level?",
        "short_label": None,
        "kind": "yes_no",
        "choices": None,
        "items": None,
        "applies_to": ["CRC", "NPS"],
        "gate": {"question": None, "descriptor": "mappa_level", "values": ["2", "3"]},
        "number": None,
    }


def test_a_choice_question_lists_its_choice_codes_in_order(exported):
    rr_o2 = by_code(exported)["RR-O2"]

    assert rr_o2["choices"] == ["convicted_or_cautioned", "charged", "arrested", "none"]
    assert (rr_o2["kind"], rr_o2["items"], rr_o2["gate"]) == ("choice", None, None)


def test_a_question_asked_of_one_organisation_lists_only_that_one(db):
    crc_only = question("RR-A1")
    crc_only.applies_to_nps = False
    crc_only.save()

    exported = json.loads(run("export_framework", "qi-2016"))

    assert by_code(exported)["RR-A1"]["applies_to"] == ["CRC"]


def test_output_option_writes_the_same_json_to_a_file(exported, tmp_path):
    path = tmp_path / "framework.json"

    assert run("export_framework", "qi-2016", "--output", str(path)) == ""
    assert json.loads(path.read_text(encoding="utf-8")) == exported


def test_an_unknown_framework_is_an_error_naming_the_known_ones(db):
    with pytest.raises(CommandError) as error:
        call_command("export_framework", "qi-2099")

    assert str(error.value) == "There is no framework “qi-2099”; known: qi-2016."


def test_a_number_question_carries_its_bounds_and_others_carry_none(exported):
    assert by_code(exported)["CD-2"]["number"] == {"min": 0, "max": 600, "decimal_places": 0}
    assert by_code(exported)["RR-A1"]["number"] is None
