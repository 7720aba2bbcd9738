"""A framework that an inspection's answers use is frozen: editing it in place would silently
rewrite published findings. It changes by a new version, "Copy as a new version", and an
inspection keeps the framework its answers were given under."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from inspection.models import Inspection
from inspection.services import inspection_update
from judgements.findings import inspection_findings
from judgements.models import Domain, Framework, FrameworkInUse, Item, ItemSet, Question, Theme
from judgements.services import AnswerSlot, answer_record, framework_copy


def question(code: str, framework: str = "qi-2016") -> Question:
    return Question.objects.get(framework__code=framework, code=code)


def alcohol(framework: str = "qi-2016") -> Item:
    return Item.objects.get(
        item_set__framework__code=framework, item_set__code="priority_factors", code="alcohol"
    )


def framework_rows(framework: Framework) -> dict:
    """A framework as a person reading it sees it, by codes rather than database ids."""
    return {
        "questions": [
            (
                q.code,
                q.text,
                q.guidance,
                q.kind,
                q.choices,
                q.domain.code,
                q.theme.code,
                q.item_set.code if q.item_set else None,
                q.gate_question.code if q.gate_question else None,
                q.gate_descriptor,
                q.gate_values,
                q.applies_to_crc,
                q.applies_to_nps,
                q.number_min,
                q.number_max,
                q.number_decimal_places,
                q.order,
            )
            for q in framework.questions.select_related(
                "domain", "theme", "item_set", "gate_question"
            ).order_by("order")
        ],
        "items": sorted(
            Item.objects.filter(item_set__framework=framework).values_list(
                "item_set__code", "code", "label", "order"
            )
        ),
        "domains": sorted(framework.domains.values_list("code", "name", "order")),
        "themes": sorted(framework.themes.values_list("code", "name", "order")),
    }


@pytest.fixture
def answered(case, inspector):
    """An inspection on qi-2016 with one factor judged, so the framework is in use."""
    answer_record(slot=AnswerSlot(case, question("RR-A2"), alcohol()), value="yes", user=inspector)
    answer_record(slot=AnswerSlot(case, question("RR-O2")), value="charged", user=inspector)
    return case


def findings_of(case) -> dict:
    return inspection_findings(case.inspection).as_json()


# Frozen in place


def edit_question_text():
    asked = question("RR-A2")
    asked.text = "Is this something else entirely?"
    asked.save()


def edit_a_choice():
    asked = question("RR-O2")
    asked.choices = [{**asked.choices[0], "label": "Found guilty"}, *asked.choices[1:]]
    asked.save()


def edit_an_item_label():
    item = alcohol()
    item.label = "Alcohol and gambling"
    item.save()


def add_a_question():
    Question.objects.create(
        framework=Framework.objects.get(code="qi-2016"),
        code="RR-X1",
        domain=Domain.objects.get(framework__code="qi-2016", code="RR"),
        theme=Theme.objects.get(framework__code="qi-2016", code="assessment"),
        text="A question added after the answers",
        kind="yes_no",
        order=998,
    )


EDITS = {
    "question text": edit_question_text,
    "a choice label": edit_a_choice,
    "an item label": edit_an_item_label,
    "a new question": add_a_question,
    "question update": lambda: Question.objects.filter(code="RR-A2").update(text="Changed"),
    "item update": lambda: Item.objects.filter(code="alcohol").update(label="Changed"),
    "item delete": lambda: Item.objects.filter(code="ete").delete(),
    "item set rename": lambda: ItemSet.objects.filter(code="priority_factors").update(name="X"),
    "domain rename": lambda: Domain.objects.filter(code="RR").update(name="Changed"),
    "theme rename": lambda: Theme.objects.filter(code="planning").update(name="Changed"),
    "framework rename": lambda: Framework.objects.filter(code="qi-2016").update(title="Changed"),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_framework_with_answers_cannot_be_edited_from_the_shell(answered, edit):
    framework = Framework.objects.get(code="qi-2016")
    before, findings_before = framework_rows(framework), findings_of(answered)

    with pytest.raises(FrameworkInUse, match="qi-2016 has answers"), transaction.atomic():
        edit()

    assert framework_rows(framework) == before
    assert findings_of(answered) == findings_before


def test_a_framework_without_answers_can_be_edited(db):
    edit_question_text()

    assert question("RR-A2").text == "Is this something else entirely?"


def test_the_admin_shows_a_question_in_use_read_only_and_refuses_a_change(answered, as_persona):
    browser = as_persona("admin_user")
    url = reverse("admin:judgements_question_change", args=[question("RR-A2").pk])
    findings_before = findings_of(answered)

    page = browser.get(url)
    response = browser.post(url, {"text": "Is this something else entirely?", "kind": "yes_no"})

    assert 'name="text"' not in page.content.decode()
    assert response.status_code == 403
    assert question("RR-A2").text.startswith("Is this a priority factor")
    assert findings_of(answered) == findings_before


def test_the_admin_refuses_a_change_to_an_item_in_use(answered, as_persona):
    response = as_persona("admin_user").post(
        reverse("admin:judgements_item_change", args=[alcohol().pk]),
        {"label": "Alcohol and gambling", "code": "alcohol", "order": 7},
    )

    assert response.status_code == 403
    assert alcohol().label == "Alcohol misuse"


def test_the_admin_refuses_to_delete_a_question_in_use(answered, as_persona):
    response = as_persona("admin_user").post(
        reverse("admin:judgements_question_delete", args=[question("RR-O2").pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert question("RR-O2")


# A new version


def copy_in_the_admin(browser) -> Framework:
    browser.post(
        reverse("admin:judgements_framework_changelist"),
        {
            "action": "copy_as_new_version",
            "_selected_action": [Framework.objects.get(code="qi-2016").pk],
        },
        follow=True,
    )
    return Framework.objects.get(code="qi-2016-copy")


def test_the_copy_as_a_new_version_action_copies_every_question_gate_and_item(answered, as_persona):
    original = Framework.objects.get(code="qi-2016")

    copy = copy_in_the_admin(as_persona("admin_user"))

    assert copy.version == f"{original.version}-draft"
    assert framework_rows(copy) == framework_rows(original)
    assert not Question.objects.filter(framework=copy, answers__isnull=False).exists()
    gated = question("RR-D5b", "qi-2016-copy")
    assert gated.gate_question.framework == copy


def test_the_copy_is_editable_in_the_shell_and_in_the_admin(answered, as_persona):
    browser = as_persona("admin_user")
    copy = copy_in_the_admin(browser)

    asked = question("RR-A2", copy.code)
    asked.text = "Is this a priority factor for this person?"
    asked.save()
    item = alcohol(copy.code)
    item.label = "Alcohol and gambling"
    item.save()
    page = browser.get(reverse("admin:judgements_question_change", args=[asked.pk]))

    assert 'name="text"' in page.content.decode()
    assert question("RR-A2", copy.code).text == "Is this a priority factor for this person?"
    assert alcohol(copy.code).label == "Alcohol and gambling"
    assert alcohol().label == "Alcohol misuse"  # the framework in use is untouched


def test_copying_twice_gives_each_copy_its_own_code(answered, as_persona):
    browser = as_persona("admin_user")
    copy_in_the_admin(browser)

    copy_in_the_admin(browser)

    assert Framework.objects.filter(code="qi-2016-copy-2").exists()


def test_a_copy_under_a_code_already_taken_is_refused(db):
    with pytest.raises(ValidationError, match="already exists"):
        framework_copy(framework=Framework.objects.get(code="qi-2016"), code="qi-2016", version="2")


# An inspection's framework


@pytest.fixture
def copy(db):
    """Another framework to switch to (made directly: what matters here is only that it is
    another framework)."""
    return Framework.objects.create(code="qi-2017", version="2", title="Q&I 2017")


def test_an_inspections_framework_cannot_be_switched_under_answers(answered, copy, admin_user):
    inspection = answered.inspection
    inspection.framework = copy

    with pytest.raises(ValidationError, match="its framework cannot change"):
        inspection.save()
    with pytest.raises(ValidationError, match="its framework cannot change"):
        inspection_update(inspection=inspection, changes={"framework": copy}, by=admin_user)

    assert Inspection.objects.get(pk=inspection.pk).framework.code == "qi-2016"


def test_an_inspections_framework_can_be_switched_before_any_answer(inspection, copy, admin_user):
    inspection_update(inspection=inspection, changes={"framework": copy}, by=admin_user)

    assert Inspection.objects.get(pk=inspection.pk).framework == copy


def test_the_admin_refuses_to_switch_the_framework_under_answers(answered, copy, as_persona):
    inspection = answered.inspection
    response = as_persona("admin_user").post(
        reverse("admin:inspection_inspection_change", args=[inspection.pk]),
        {
            "area_name": inspection.area_name,
            "title": inspection.title,
            "slug": inspection.slug,
            "crc_name": inspection.crc_name,
            "nps_name": inspection.nps_name,
            "framework": copy.pk,
            "status": inspection.status,
            "loaded_version": Inspection.objects.get(pk=inspection.pk).version,
        },
        follow=True,
    )

    assert "its framework cannot change" in html.unescape(response.content.decode())
    assert Inspection.objects.get(pk=inspection.pk).framework.code == "qi-2016"


def test_a_change_to_a_framework_without_answers_refreshes_its_inspections_findings(inspection):
    revision = Inspection.objects.get(pk=inspection.pk).data_revision
    question = Question.objects.get(framework__code="qi-2016", code="RR-A1")
    question.applies_to_nps = False
    question.save()

    assert Inspection.objects.get(pk=inspection.pk).data_revision == revision + 1
