"""Checks a framework file (the JSON under judgements/frameworks/) before it is loaded.

Pure: knows no models, so the data migration, the loader and the tests share it.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from cases.descriptors import DESCRIPTORS
from judgements.rules import answer_codes, number_bounds_problem, short_label_problem

KINDS = {"yes_no_na", "yes_no", "choice", "number", "text"}
ORGANISATIONS = {"CRC", "NPS"}


def _answer_codes(question: dict[str, Any]) -> list[str]:
    return answer_codes(question["kind"], question.get("choices"))


def _unique_codes(entries: list[dict], where: str) -> list[str]:
    codes = [entry["code"] for entry in entries]
    return [
        f"{where}: code {code} appears more than once"
        for code in set(codes)
        if codes.count(code) > 1
    ]


def _gate_errors(question: dict, seen: dict[str, dict]) -> list[str]:
    gate, code = question.get("gate"), question["code"]
    if not gate:
        return []
    named_question, descriptor, values = (
        gate.get("question"),
        gate.get("descriptor"),
        gate.get("values"),
    )
    if bool(named_question) == bool(descriptor):
        return [f"{code}: a gate names exactly one of a question or a descriptor"]
    if not values:
        return [f"{code}: a gate lists the values that open it"]
    if descriptor:
        if descriptor not in DESCRIPTORS:
            return [
                f"{code}: unknown descriptor {descriptor!r}; expected one of {sorted(DESCRIPTORS)}"
            ]
        allowed = DESCRIPTORS[descriptor].codes
    else:
        if named_question not in seen:
            return [f"{code}: gate question {named_question} must come earlier in the framework"]
        gate_question = seen[named_question]
        if gate_question.get("items") and gate_question["items"] != question.get("items"):
            return [
                f"{code}: gate {named_question} is asked per item, "
                f"so {code} must use the same items"
            ]
        allowed = _answer_codes(gate_question)
    unknown = [value for value in values if value not in allowed]
    return [f"{code}: gate values {unknown} are not among {allowed}"] if unknown else []


def _question_errors(question: dict, context: dict) -> list[str]:
    code = question["code"]
    errors = []
    if question.get("domain") not in context["domains"]:
        errors.append(f"{code}: unknown domain {question.get('domain')!r}")
    if question.get("theme") not in context["themes"]:
        errors.append(f"{code}: unknown theme {question.get('theme')!r}")
    if question.get("kind") not in KINDS:
        errors.append(f"{code}: kind {question.get('kind')!r} is not one of {sorted(KINDS)}")
    if (question.get("kind") == "choice") != bool(question.get("choices")):
        errors.append(f"{code}: a choice question lists choices and no other kind does")
    if question.get("items") is not None and question["items"] not in context["item_sets"]:
        errors.append(f"{code}: unknown item set {question['items']!r}")
    applies_to = question.get("applies_to") or []
    if not applies_to or not set(applies_to) <= ORGANISATIONS:
        errors.append(f"{code}: applies_to must list CRC and/or NPS")
    errors += _number_errors(question)
    short_label = short_label_problem(
        question.get("short_label") or "", per_item=question.get("items") is not None
    )
    if short_label:
        errors.append(f"{code}: {short_label}")
    return errors


def _number_errors(question: dict) -> list[str]:
    number = question.get("number")
    if number is None:
        return []
    if question.get("kind") != "number":
        return [f"{question['code']}: only a number question gives number bounds"]
    try:
        bounds = (
            Decimal(str(number.get("min", 0))),
            Decimal(str(number.get("max", 1_000_000))),
            int(number.get("decimal_places", 0)),
        )
    except (InvalidOperation, TypeError, ValueError):
        return [f"{question['code']}: number bounds must be numbers, not {number!r}"]
    problem = number_bounds_problem(*bounds)
    return [f"{question['code']}: {problem}"] if problem else []


def framework_errors(data: dict[str, Any]) -> list[str]:
    """Every problem in a framework file, each naming the question or section it is in."""
    errors = []
    for section in ("domains", "themes", "item_sets", "questions"):
        errors += _unique_codes(data.get(section, []), section)
    context = {
        "domains": {d["code"] for d in data.get("domains", [])},
        "themes": {t["code"] for t in data.get("themes", [])},
        "item_sets": {s["code"] for s in data.get("item_sets", [])},
    }
    seen: dict[str, dict] = {}
    for question in data.get("questions", []):
        errors += _question_errors(question, context)
        if question.get("kind") in KINDS:
            errors += _gate_errors(question, seen)
        seen[question["code"]] = question
    return errors
