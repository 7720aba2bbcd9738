"""The Q&I 2016 framework as the data migration loads it, and the checks on a framework file."""

import copy
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from judgements.framework_loader import load_framework, read_framework_file
from judgements.framework_schema import framework_errors
from judgements.models import Domain, Framework, Item, ItemSet, Question, Theme
from tests.helpers import question

pytestmark = pytest.mark.django_db


def framework_question(data: dict, code: str) -> dict:
    return next(entry for entry in data["questions"] if entry["code"] == code)


def database_snapshot() -> dict:
    """What a person would see of the framework: its sections, questions, items and gates."""
    framework = Framework.objects.get(code="qi-2016")
    return {
        "framework": (framework.pk, framework.version, framework.title),
        "domains": sorted(Domain.objects.values_list("pk", "code", "name", "order")),
        "themes": sorted(Theme.objects.values_list("pk", "code", "name", "order")),
        "item_sets": sorted(ItemSet.objects.values_list("pk", "code", "name")),
        "items": sorted(Item.objects.values_list("pk", "item_set__code", "code", "label")),
        "questions": sorted(
            Question.objects.values_list(
                "pk",
                "code",
                "text",
                "short_label",
                "kind",
                "choices",
                "item_set__code",
                "applies_to_crc",
                "applies_to_nps",
                "gate_question__code",
                "gate_descriptor",
                "gate_values",
                "order",
            )
        ),
    }


# The framework as loaded


def test_framework_has_the_outline_domains():
    codes = set(Domain.objects.filter(framework__code="qi-2016").values_list("code", flat=True))

    assert {"RR", "PP", "AB", "CS", "CD"} <= codes


def test_framework_has_the_practice_themes():
    codes = set(Theme.objects.filter(framework__code="qi-2016").values_list("code", flat=True))

    assert {"assessment", "planning", "delivery", "reviewing", "engagement", "outcomes"} <= codes


def item_codes(item_set_code: str) -> list[str]:
    return list(
        Item.objects.filter(
            item_set__framework__code="qi-2016", item_set__code=item_set_code
        ).values_list("code", flat=True)
    )


def test_priority_factors_are_the_ten_factors_of_the_report():
    codes = item_codes("priority_factors")

    assert len(codes) == 10
    assert {
        "thinking_behaviour",
        "relationships",
        "emotional_wellbeing",
        "attitudes",
        "drugs",
        "alcohol",
        "lifestyle",
        "accommodation",
        "ete",
    } <= set(codes)


def test_risk_of_serious_harm_targets_are_the_five_groups():
    assert sorted(item_codes("rosh_targets")) == sorted(
        ["public", "known_victims", "children", "staff", "prisoners"]
    )


def test_practice_stages_item_set_lists_the_stages():
    assert {"assessment", "planning", "delivery", "reviewing"} <= set(item_codes("practice_stages"))


@pytest.mark.parametrize(
    ("code", "kind", "item_set"),
    [
        ("RR-A1", "yes_no", None),
        ("RR-A2", "yes_no", "priority_factors"),
        ("RR-P1", "yes_no_na", "priority_factors"),
        ("PP-D8a", "yes_no", None),
        ("PP-D8b", "yes_no_na", None),
        ("PP-D8c", "yes_no_na", None),
        ("PP-O1", "yes_no", "rosh_targets"),
        ("AB-O1", "yes_no", None),
        ("RR-O2", "choice", None),
        ("PP-D6", "yes_no", None),
    ],
)
def test_outline_question_exists_with_its_kind_and_items(code, kind, item_set):
    outline_question = question(code)

    assert outline_question.kind == kind
    assert (outline_question.item_set.code if outline_question.item_set else None) == item_set


def test_planning_for_a_priority_factor_is_asked_only_where_it_was_assessed_as_one():
    planning = question("RR-P1")

    assert planning.gate_question.code == "RR-A2"
    assert planning.gate_values == ["yes"]
    assert planning.gate_descriptor == ""


def test_reoffending_outcome_offers_the_four_outcomes():
    assert question("RR-O2").choice_codes() == [
        "convicted_or_cautioned",
        "charged",
        "arrested",
        "none",
    ]


def test_mappa_delivery_question_is_asked_only_at_mappa_level_2_or_3():
    mappa = question("PP-D6")

    assert mappa.gate_descriptor == "mappa_level"
    assert sorted(mappa.gate_values) == ["2", "3"]
    assert mappa.gate_question is None


def test_every_loaded_question_passes_model_validation():
    questions = list(Question.objects.select_related("gate_question"))
    errors = {}
    for loaded in questions:
        try:
            loaded.full_clean()
        except ValidationError as error:
            errors[loaded.code] = error.message_dict

    assert len(questions) == len(read_framework_file("qi-2016")["questions"])
    assert errors == {}


def test_every_question_asked_per_item_has_a_short_label_to_head_its_grid_column():
    per_item = Question.objects.filter(framework__code="qi-2016", item_set__isnull=False)

    assert per_item.count() == 12
    assert list(per_item.filter(short_label="").values_list("code", flat=True)) == []
    assert question("RR-D5").short_label == "Partners involved?"


def test_a_question_asked_per_item_cannot_be_saved_without_a_short_label():
    unlabelled = question("RR-D5")
    unlabelled.short_label = ""

    with pytest.raises(ValidationError) as refused:
        unlabelled.full_clean()

    assert refused.value.message_dict["short_label"] == [
        "A question asked per item needs a short label, the few words that head its column in "
        "the grid (such as “In plan?”)."
    ]


# Checking a framework file


def test_framework_file_has_no_errors():
    assert framework_errors(read_framework_file("qi-2016")) == []


def gate_names_a_later_question(data: dict) -> None:
    framework_question(data, "RR-A1")["gate"] = {"question": "RR-A3", "values": ["yes"]}


def gate_value_is_not_an_answer_to_the_gate_question(data: dict) -> None:
    framework_question(data, "RR-P1")["gate"]["values"] = ["maybe"]


def gate_names_an_unknown_descriptor(data: dict) -> None:
    framework_question(data, "PP-D6")["gate"]["descriptor"] = "star_sign"


def gate_on_a_requirement_of_the_order_is_not_yes_or_no(data: dict) -> None:
    framework_question(data, "RR-P4")["gate"] = {
        "descriptor": "rehabilitation_activity",
        "values": ["some"],
    }


def choice_question_lists_no_choices(data: dict) -> None:
    framework_question(data, "RR-O2")["choices"] = []


def question_code_appears_twice(data: dict) -> None:
    duplicate = copy.deepcopy(framework_question(data, "RR-A1"))
    duplicate["text"] = "A second question with the same code"
    data["questions"].append(duplicate)


def item_question_gated_by_an_item_question_of_another_item_set(data: dict) -> None:
    framework_question(data, "PP-O1")["gate"] = {"question": "RR-A2", "values": ["yes"]}


def item_question_has_no_short_label(data: dict) -> None:
    del framework_question(data, "RR-D5")["short_label"]


def short_label_is_a_sentence(data: dict) -> None:
    framework_question(data, "PP-A3")["short_label"] = "Was the risk to this group assessed?"


BROKEN_FILES: list[tuple[Callable[[dict], None], str, str]] = [
    (gate_names_a_later_question, "RR-A1", "must come earlier"),
    (gate_value_is_not_an_answer_to_the_gate_question, "RR-P1", "'maybe'"),
    (gate_names_an_unknown_descriptor, "PP-D6", "'star_sign'"),
    (gate_on_a_requirement_of_the_order_is_not_yes_or_no, "RR-P4", "['yes', 'no']"),
    (choice_question_lists_no_choices, "RR-O2", "lists choices"),
    (question_code_appears_twice, "RR-A1", "more than once"),
    (item_question_gated_by_an_item_question_of_another_item_set, "PP-O1", "same items"),
    (item_question_has_no_short_label, "RR-D5", "needs a short label"),
    (short_label_is_a_sentence, "PP-A3", "at most 24"),
]


@pytest.mark.parametrize(
    ("descriptor", "values"),
    [("rehabilitation_activity", ["yes"]), ("offence_type", ["violence", "sexual"])],
)
def test_a_framework_file_may_gate_a_question_on_the_new_descriptors(descriptor, values):
    data = copy.deepcopy(read_framework_file("qi-2016"))
    framework_question(data, "RR-P4")["gate"] = {"descriptor": descriptor, "values": values}

    assert framework_errors(data) == []


def broken_copy(breakage: Callable[[dict], None]) -> dict:
    data = copy.deepcopy(read_framework_file("qi-2016"))
    breakage(data)
    return data


@pytest.mark.parametrize(
    ("breakage", "code", "explanation"), BROKEN_FILES, ids=[b[0].__name__ for b in BROKEN_FILES]
)
def test_broken_framework_file_is_reported_naming_the_question(breakage, code, explanation):
    errors = framework_errors(broken_copy(breakage))

    assert len(errors) == 1, errors
    assert code in errors[0]
    assert explanation in errors[0]


@pytest.mark.parametrize(
    ("breakage", "code", "explanation"), BROKEN_FILES, ids=[b[0].__name__ for b in BROKEN_FILES]
)
def test_loading_a_broken_framework_file_is_refused_and_changes_nothing(
    breakage, code, explanation
):
    data = broken_copy(breakage)
    data["title"] = "A retitled framework"
    framework_question(data, "RR-A3")["text"] = "Reworded in the broken file"
    data["questions"].append({**framework_question(data, "AB-O6"), "code": "AB-O7"})
    before = database_snapshot()

    with pytest.raises(ValidationError) as refused:
        load_framework(data)

    assert any(code in message and explanation in message for message in refused.value.messages)
    assert database_snapshot() == before


def test_loading_the_framework_file_again_changes_nothing():
    before = database_snapshot()

    load_framework(read_framework_file("qi-2016"))

    assert database_snapshot() == before
    assert Framework.objects.filter(code="qi-2016").count() == 1
