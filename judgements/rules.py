"""The framework's two rules, written once: which answers a question takes, and when a gate
opens. Pure: knows no models, so the Question model, the framework file's checks, the demo
builder and the tests all call these same functions, whatever they key answers by (ids in the
database, codes in a file).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

YES_NO = ["yes", "no"]
YES_NO_NA = [*YES_NO, "na"]


def answer_codes(kind: str, choices: Sequence[dict[str, Any]] | None) -> list[str]:
    """The stored codes a question of this kind takes; none for a number or text question."""
    if kind == "yes_no_na":
        return list(YES_NO_NA)
    if kind == "yes_no":
        return list(YES_NO)
    if kind == "choice":
        return [choice["code"] for choice in choices or []]
    return []


@dataclass(frozen=True)
class Gate:
    """What opens a question: a case descriptor, or another question's answer.

    `question` is however the caller names the gate question (an id, a code); `per_item` says
    the gate question is asked per item, so the gate reads its answer for the same item.
    """

    values: Sequence[str]
    descriptor: str = ""
    question: Any = None
    per_item: bool = False


def gate_opens(
    gate: Gate | None,
    item: Any,
    descriptor_code: Callable[[str], str],
    answer_of: Callable[[Any, Any], str | None],
) -> bool:
    """Whether a question (for this item) is asked of a case.

    `descriptor_code(name)` gives the case's code for a descriptor; `answer_of(question, item)`
    the case's answer so far (None if unanswered). A gate on an item question refers to the
    same item, a gate on a question without items to its one answer. An unanswered gate keeps
    the question closed: it is asked once the gate is answered.
    """
    if gate is None:
        return True
    if gate.descriptor:
        return descriptor_code(gate.descriptor) in gate.values
    return answer_of(gate.question, item if gate.per_item else None) in gate.values


# A number answer's bounds: at most this many decimal places, and within this magnitude, so a
# stored number has at most 16 significant digits (exact inside Python's 28-digit decimals).
NUMBER_MAX_DECIMAL_PLACES = 4
NUMBER_MAX_MAGNITUDE = 10**12 - 1


def number_bounds_problem(minimum, maximum, decimal_places) -> str | None:
    """Why a number question's bounds cannot be used, or None."""
    if not 0 <= decimal_places <= NUMBER_MAX_DECIMAL_PLACES:
        return f"decimal places must be 0 to {NUMBER_MAX_DECIMAL_PLACES}, not {decimal_places}"
    if not -NUMBER_MAX_MAGNITUDE <= minimum <= maximum <= NUMBER_MAX_MAGNITUDE:
        return (
            f"the bounds must satisfy -{NUMBER_MAX_MAGNITUDE:,} ≤ min ≤ max ≤ "
            f"{NUMBER_MAX_MAGNITUDE:,}, not min {minimum} and max {maximum}"
        )
    return None


# A grid's column heading: a few words that say what the column asks ("In plan?"), visible on
# every screen (a tooltip never shows on a touch screen); the code and the question's full text
# stay beside it.
SHORT_LABEL_MAX_CHARS = 24


def short_label_problem(short_label: str, *, per_item: bool) -> str | None:
    """Why a question's short label cannot head its column in an item grid, or None."""
    if per_item and not short_label.strip():
        return (
            "a question asked per item needs a short label, the few words that head its column "
            "in the grid (such as “In plan?”)"
        )
    if len(short_label) > SHORT_LABEL_MAX_CHARS:
        return (
            f"the short label “{short_label}” has {len(short_label)} characters; "
            f"a short label has at most {SHORT_LABEL_MAX_CHARS}"
        )
    return None
