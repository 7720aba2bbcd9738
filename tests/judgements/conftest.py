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
