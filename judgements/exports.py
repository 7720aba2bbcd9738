"""The framework and the answers as files for the research team: the bytes, nothing else.

The formats are a contract with the team's own scripts (README "Data in and out"), so the
management commands and the download views both call these functions and never build a file
themselves.
"""

import json

from inspection.lib.spreadsheets import csv_bytes, formula_guard, xlsx_bytes
from inspection.models import Inspection
from judgements.framework import framework_questions, items_by_set
from judgements.models import Answer, AnswerKind, Framework, Question

# Long format: one row per answer. The import reads the same columns (item and note optional).
ANSWER_COLUMNS = ["case_ref", "question", "item", "value", "note"]


def _gate(question: Question) -> dict | None:
    if not question.has_gate:
        return None
    return {
        "question": question.gate_question.code if question.gate_question_id else None,
        "descriptor": question.gate_descriptor or None,
        "values": list(question.gate_values),
    }


def _json_number(value):
    return int(value) if value == value.to_integral_value() else float(value)


def _number(question: Question) -> dict | None:
    """A number question's bounds, as the framework file gives them (None for other kinds)."""
    if question.kind != AnswerKind.NUMBER:
        return None
    return {
        "min": _json_number(question.number_min),
        "max": _json_number(question.number_max),
        "decimal_places": question.number_decimal_places,
    }


def framework_data(framework: Framework) -> dict:
    """The framework's questions in framework order, with codes wherever the model has a link."""
    items = items_by_set(framework.id)
    return {
        "code": framework.code,
        "version": framework.version,
        "questions": [
            {
                "code": question.code,
                "domain": question.domain.code,
                "theme": question.theme.code,
                "text": question.text,
                "kind": question.kind,
                "choices": question.choice_codes() if question.kind == AnswerKind.CHOICE else None,
                "items": (
                    [item.code for item in items[question.item_set_id]]
                    if question.item_set_id
                    else None
                ),
                "applies_to": [
                    organisation
                    for organisation in ("CRC", "NPS")
                    if question.applies_to(organisation)
                ],
                "gate": _gate(question),
                "number": _number(question),
            }
            for question in framework_questions(framework.id)
        ],
    }


def framework_json(framework: Framework) -> bytes:
    return (json.dumps(framework_data(framework), indent=2, ensure_ascii=False) + "\n").encode()


def answer_rows(inspection: Inspection) -> list[list[str]]:
    """Every answer of the inspection, sorted by case reference, then framework order.

    Sorted in Python, not by the database, so SQLite and PostgreSQL (whose collations differ
    on punctuation) give byte-identical files. Values and notes that a spreadsheet would run
    as a formula carry one guard apostrophe.
    """
    answers = Answer.objects.filter(case__inspection=inspection).select_related(
        "case", "question", "item"
    )
    ordered = sorted(
        answers,
        key=lambda answer: (
            answer.case.case_ref,
            answer.question.order,
            answer.item.order if answer.item else -1,
        ),
    )
    return [
        [
            answer.case.case_ref,
            answer.question.code,
            answer.item.code if answer.item else "",
            formula_guard(answer.value),
            formula_guard(answer.note),
        ]
        for answer in ordered
    ]


def answers_csv(inspection: Inspection) -> bytes:
    return csv_bytes(ANSWER_COLUMNS, answer_rows(inspection))


def answers_xlsx(inspection: Inspection) -> bytes:
    return xlsx_bytes(ANSWER_COLUMNS, answer_rows(inspection), sheet_name="answers")
