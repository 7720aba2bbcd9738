"""The framework and the answers as files for the research team: the bytes, nothing else.

The formats are a contract with the team's own scripts (README "Data in and out"), so the
management commands and the download views both call these functions and never build a file
themselves.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import batched

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

from inspection.lib.spreadsheets import formula_guard, xlsx_bytes
from inspection.models import Inspection
from judgements.framework import framework_questions, items_by_set
from judgements.models import Answer, AnswerKind, Framework, Question

# Long format: one row per answer. The import reads the same columns (item and note optional).
ANSWER_COLUMNS = ["case_ref", "question", "item", "value", "note"]
# The collation that compares text code point by code point, as Python's sorted() does.
BINARY_COLLATIONS = {"postgresql": "C", "sqlite": "BINARY"}
# Rows per piece of a streamed CSV (about 40 KB of answers): few pieces for the server to
# send, and the first leaves before the rest is written.
CSV_CHUNK_ROWS = 1000


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
                "short_label": question.short_label or None,
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


def answer_rows(inspection: Inspection) -> Iterator[list[str]]:
    """Every answer of the inspection, sorted by case reference, then framework order.

    One query, sorted by the database, that returns plain tuples, not model instances. Case
    references are compared code point by code point, as Python compares strings (collation
    "C" on PostgreSQL, BINARY on SQLite), so the two databases give byte-identical files
    whatever their default collations do with punctuation and letter case. Within a case:
    question order, then item order, the question's answer without an item first. Values and
    notes that a spreadsheet would run as a formula carry one guard apostrophe.
    """
    answers = (
        Answer.objects.filter(case__inspection=inspection)
        .order_by(
            Collate("case__case_ref", BINARY_COLLATIONS[connection.vendor]),
            "question__order",
            F("item__order").asc(nulls_first=True),
        )
        .values_list("case__case_ref", "question__code", "item__code", "value", "note")
    )
    for case_ref, question, item, value, note in answers:
        yield [case_ref, question, item or "", formula_guard(value), formula_guard(note)]


def csv_chunks(
    columns: Sequence[str], rows: Iterable[Sequence[str]], *, chunk_rows: int
) -> Iterator[bytes]:
    """UTF-8 CSV without a byte order mark, in pieces of at most `chunk_rows` rows.

    The csv module's default dialect with CR LF line ends, which is exactly what
    `inspection.lib.spreadsheets.csv_bytes` (pandas' `to_csv`) writes: minimal quoting,
    quotes doubled. The header comes first, on its own, even when there are no rows.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield buffer.getvalue().encode("utf-8")
    for chunk in batched(rows, chunk_rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(chunk)
        yield buffer.getvalue().encode("utf-8")


def answers_csv_chunks(inspection: Inspection) -> Iterator[bytes]:
    """The answers CSV as it is written, for a download that streams it."""
    return csv_chunks(ANSWER_COLUMNS, answer_rows(inspection), chunk_rows=CSV_CHUNK_ROWS)


def answers_csv(inspection: Inspection) -> bytes:
    return b"".join(answers_csv_chunks(inspection))


def answers_xlsx(inspection: Inspection) -> bytes:
    return xlsx_bytes(ANSWER_COLUMNS, answer_rows(inspection), sheet_name="answers")
