"""A process keeps each framework it loads (judgements.framework) under the framework's
revision: asked again, it reads only the revision; after any write to the framework or its
parts, through save(), a queryset or a rolled-back transaction, it serves what is stored."""

import pytest
from django.db import transaction

from judgements.framework import framework_questions, items_by_set
from judgements.models import Domain, Item, Question
from judgements.services import framework_copy


@pytest.fixture
def draft(inspection):
    """A copy of the inspection's framework: no answers, so it may still change."""
    return framework_copy(framework=inspection.framework, code="qi-draft", version="draft")


def text(framework, code: str) -> str:
    return next(q.text for q in framework_questions(framework.id) if q.code == code)


def test_asked_again_a_process_reads_only_the_framework_revision(draft, django_assert_num_queries):
    first = framework_questions(draft.id)
    with django_assert_num_queries(1):
        again = framework_questions(draft.id)
    assert [q.id for q in again] == [q.id for q in first] and again[0] is first[0]


def test_a_question_saved_is_served_as_saved(draft):
    text(draft, "RR-A1")
    question = Question.objects.get(framework=draft, code="RR-A1")
    question.text = "Saved through the model."
    question.save()
    assert text(draft, "RR-A1") == "Saved through the model."


def test_a_queryset_update_and_delete_are_served_as_stored(draft):
    Question.objects.filter(framework=draft, code="RR-A1").update(text="Updated in bulk.")
    assert text(draft, "RR-A1") == "Updated in bulk."
    one = Item.objects.filter(item_set__framework=draft).order_by("pk").first()
    Item.objects.filter(pk=one.pk).delete()
    assert one.pk not in {i.pk for group in items_by_set(draft.id).values() for i in group}


def test_a_part_renamed_through_the_framework_is_served_renamed(draft):
    domain = Domain.objects.filter(framework=draft).order_by("order").first()
    code = next(q.code for q in framework_questions(draft.id) if q.domain_id == domain.pk)
    domain.name = "A renamed domain"
    domain.save()
    question = next(q for q in framework_questions(draft.id) if q.code == code)
    assert question.domain.name == "A renamed domain"


def test_a_change_rolled_back_is_not_served_afterwards(draft):
    original = text(draft, "RR-A1")
    with pytest.raises(RuntimeError), transaction.atomic():
        Question.objects.filter(framework=draft, code="RR-A1").update(text="Rolled back.")
        assert text(draft, "RR-A1") == "Rolled back."
        raise RuntimeError
    assert text(draft, "RR-A1") == original


def test_a_question_loaded_from_a_fixture_is_served_as_loaded(draft, tmp_path):
    from django.core import serializers
    from django.core.management import call_command

    text(draft, "RR-A1")
    question = Question.objects.get(framework=draft, code="RR-A1")
    question.text = "Loaded from a fixture."
    fixture = tmp_path / "question.json"
    fixture.write_text(serializers.serialize("json", [question]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert text(draft, "RR-A1") == "Loaded from a fixture."
