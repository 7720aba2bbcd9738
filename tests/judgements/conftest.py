import pytest

from judgements.models import Domain, Question, Theme


@pytest.fixture
def text_question(db) -> Question:
    """qi-2016 has no free-text question, so the tests add one at the end of the framework."""
    return Question.objects.create(
        framework=Domain.objects.get(framework__code="qi-2016", code="RR").framework,
        code="RR-N1",
        domain=Domain.objects.get(framework__code="qi-2016", code="RR"),
        theme=Theme.objects.get(framework__code="qi-2016", code="assessment"),
        text="Anything else the inspector noticed about the assessment?",
        kind="text",
        order=999,
    )


@pytest.fixture
def signed_number_question(db) -> Question:
    """CD-2 (whole months, 0 to 600) widened to signed numbers with two decimal places, for the
    tests of how numbers are written and guarded: a framework may ask for such a number."""
    question = Question.objects.get(framework__code="qi-2016", code="CD-2")
    question.number_min, question.number_decimal_places = -1000, 2
    question.save()
    return question
