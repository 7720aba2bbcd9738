"""The combinations the lead inspector names (judgements.models.Combination): several of one
question's counts read as one figure, "known victims or children", "abided by any route".

combination_save adds one or changes it, combination_delete removes it; both run in the
inspection's write block (inspection.writing), so a published inspection is refused, only its
lead inspector and editor may write (EDIT_TABLES, as the report's tables), the history keeps
who did it, and the data revision moves on: the findings, which carry the combinations'
counts, are counted afresh. Every problem is refused at once, keyed by the form's field.
"""

from django.core.exceptions import ValidationError

from inspection.lib.text import control_character
from inspection.models import Inspection
from inspection.permissions import Capability
from inspection.services import StaleWrite
from inspection.writing import inspection_writing
from judgements.models import AnswerKind, Combination, Item, Question
from judgements.models.combinations import COMBINATION_CODE, COMBINATION_NAME_MAX_CHARS

WHAT = "combinations"


def combinable(question: Question) -> bool:
    """A yes/no question asked item by item, or a choice question asked once per case."""
    if question.kind == AnswerKind.CHOICE:
        return not question.item_set_id
    return question.kind in (AnswerKind.YES_NO, AnswerKind.YES_NO_NA) and bool(question.item_set_id)


def parts_of(question: Question) -> list[tuple[str, str]]:
    """What a combination of this question may join: (code, label), its items or answers."""
    if question.kind == AnswerKind.CHOICE:
        return [(choice["code"], choice["label"]) for choice in question.choices]
    return list(Item.objects.filter(item_set_id=question.item_set_id).values_list("code", "label"))


def _code_error(inspection, code: str, combination) -> str | None:
    try:
        COMBINATION_CODE(code)
    except ValidationError as error:
        return error.messages[0]
    taken = Combination.objects.filter(inspection=inspection, code=code)
    if combination is not None:
        taken = taken.exclude(pk=combination.pk)
    if taken.exists():
        return f"The code {code} is already a combination of this inspection."
    if Question.objects.filter(framework_id=inspection.framework_id, code__iexact=code).exists():
        return f"{code} is a question's code: give the combination its own."
    return None


def _name_error(name: str) -> str | None:
    if not name.strip():
        return "Enter a name, such as Known victims or children."
    if len(name.strip()) > COMBINATION_NAME_MAX_CHARS:
        return f"The name must be {COMBINATION_NAME_MAX_CHARS} characters or fewer."
    if control_character(name):
        return f"The name holds a control character, {control_character(name)}."
    return None


def _parts_error(question: Question, parts: list[str]) -> str | None:
    known = dict(parts_of(question))
    unknown = [part for part in parts if part not in known]
    what = "answers" if question.kind == AnswerKind.CHOICE else "items"
    if unknown:
        return f"{', '.join(unknown)}: not {what} of {question.code}."
    if len(set(parts)) < 2:
        return f"Choose at least two of {question.code}'s {what}."
    if len(set(parts)) == len(known) and question.kind != AnswerKind.CHOICE:
        return (
            f"All of {question.code}'s items together are on the findings page already "
            "(its pooled row): choose some of them."
        )
    return None


def _errors(inspection, question, code, name, parts, combination) -> dict[str, str]:
    errors = {
        "code": _code_error(inspection, code, combination),
        "name": _name_error(name),
    }
    if question is None or question.framework_id != inspection.framework_id:
        errors["question"] = "Choose a question of this inspection's framework."
    elif not combinable(question):
        errors["question"] = (
            f"{question.code} cannot be combined: choose a yes/no question asked for each item, "
            "or a choice question."
        )
    else:
        errors["parts"] = _parts_error(question, parts)
    return {field: message for field, message in errors.items() if message}


def combination_save(
    *,
    inspection: Inspection,
    by,
    code: str,
    name: str,
    question: Question | None,
    parts: list[str],
    combination: Combination | None = None,
    expected_version: int | None = None,
) -> Combination:
    """Add a combination (`combination` None) or change one, after the person read it at
    `expected_version` (a change since is refused: StaleWrite, naming who made it)."""
    with inspection_writing(
        inspection.pk, what=WHAT, by=by, capability=Capability.EDIT_TABLES
    ) as write:
        current = write.inspection
        if combination is not None:
            stored = Combination.objects.filter(pk=combination.pk, inspection=current).first()
            if stored is None:
                raise ValidationError("That combination is not there any more.", code="gone")
            if expected_version is not None and stored.version != expected_version:
                who = stored.history.first().history_user if stored.history.exists() else None
                by_whom = f" by {who.get_full_name() or who.get_username()}" if who else ""
                raise StaleWrite(
                    f"The combination {stored.code} was changed{by_whom} since you opened it; "
                    "yours was not saved. Here it is as it is now: make your change again.",
                    code="stale",
                )
            combination = stored
        ordered = list(dict.fromkeys(parts))
        errors = _errors(current, question, code, name, ordered, combination)
        if errors:
            raise ValidationError(errors, code="invalid")
        combination = combination or Combination(inspection=current, created_by=by)
        combination.code, combination.name, combination.question = code, name.strip(), question
        if question.kind == AnswerKind.CHOICE:
            combination.items, combination.choices = [], ordered
        else:
            combination.items, combination.choices = ordered, []
        if combination.pk:
            combination.version += 1  # read under the inspection's lock, above
        combination._history_user = by
        combination.save()
        write.changed()
        return combination


def combination_delete(*, combination: Combination, by) -> None:
    with inspection_writing(
        combination.inspection_id, what=WHAT, by=by, capability=Capability.EDIT_TABLES
    ) as write:
        combination._history_user = by
        combination.delete()
        write.changed()
