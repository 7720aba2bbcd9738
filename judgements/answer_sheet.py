"""A case's answers laid out as the framework asks them: domain, then theme, then question."""

from dataclasses import dataclass, field

from cases.models import Case
from judgements.framework import framework_questions, items_by_set, open_slots
from judgements.models import Answer, Item, Question


@dataclass
class AnswerRow:
    question: Question
    item: Item | None
    answer: Answer | None


@dataclass
class ThemeSection:
    name: str
    rows: list[AnswerRow] = field(default_factory=list)


@dataclass
class DomainSection:
    name: str
    themes: list[ThemeSection] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for theme in self.themes for row in theme.rows if row.answer)

    @property
    def asked(self) -> int:
        return sum(len(theme.rows) for theme in self.themes)


def case_answer_sheet(case: Case) -> list[DomainSection]:
    """Every question asked of the case, with its answer or None; gated-out ones are left out."""
    framework_id = case.inspection.framework_id
    questions, items = framework_questions(framework_id), items_by_set(framework_id)
    answers = {
        (answer.question_id, answer.item_id): answer
        for answer in Answer.objects.filter(case=case).select_related("answered_by")
    }
    values = {key: answer.value for key, answer in answers.items()}
    domains: dict[int, DomainSection] = {}
    themes: dict[tuple[int, int], ThemeSection] = {}
    for question, item in open_slots(case, questions, items, values):
        domain = domains.setdefault(question.domain_id, DomainSection(question.domain.name))
        key = (question.domain_id, question.theme_id)
        if key not in themes:
            themes[key] = ThemeSection(question.theme.name)
            domain.themes.append(themes[key])
        answer = answers.get((question.id, item.id if item else None))
        if answer:
            answer.question, answer.item = question, item  # already loaded: no query per row
        themes[key].rows.append(AnswerRow(question, item, answer))
    return list(domains.values())
