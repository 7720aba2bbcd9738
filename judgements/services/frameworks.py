"""A framework's copy: the next version of a framework, as data, for a new inspection.

A framework an inspection has answers on is frozen (its questions are the meaning of those
answers); `framework_copy` copies its domains, themes, item sets, items and questions, gates
included, under a new code and version.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from judgements.models import (
    Domain,
    Framework,
    Item,
    ItemSet,
    Question,
    Theme,
)


def _copy_rows(model, rows, **overrides):
    """Copies of framework rows, saved one by one (a framework has ~100 rows)."""
    copies = {}
    for row in rows:
        old_pk = row.pk
        row.pk = None
        row.id = None
        for name, value in overrides.items():
            setattr(row, name, value(row) if callable(value) else value)
        row.save()
        copies[old_pk] = row
    return copies


@transaction.atomic
def framework_copy(*, framework: Framework, code: str, version: str, title: str = "") -> Framework:
    """A new version of a framework, a copy to change freely: the one in use stays frozen.

    Inspections keep the framework they were set up with; a new inspection chooses the copy.
    """
    if Framework.objects.filter(code=code).exists():
        raise ValidationError({"code": f"A framework with the code “{code}” already exists."})
    copy = Framework(code=code, version=version, title=title or framework.title)
    copy.full_clean()
    copy.save()
    domains = _copy_rows(Domain, framework.domains.all(), framework=copy)
    themes = _copy_rows(Theme, framework.themes.all(), framework=copy)
    item_sets = {}
    for item_set in framework.item_sets.prefetch_related("items"):
        items, old_pk = list(item_set.items.all()), item_set.pk
        item_sets.update(_copy_rows(ItemSet, [item_set], framework=copy))
        _copy_rows(Item, items, item_set=item_sets[old_pk])
    questions = list(framework.questions.order_by("order"))
    gates = {question.pk: question.gate_question_id for question in questions}
    copies = _copy_rows(
        Question,
        questions,
        framework=copy,
        domain=lambda q: domains[q.domain_id],
        theme=lambda q: themes[q.theme_id],
        item_set=lambda q: item_sets.get(q.item_set_id),
        gate_question=None,
    )
    for old_pk, question in copies.items():
        if gates[old_pk]:
            question.gate_question = copies[gates[old_pk]]
            question.save(update_fields=["gate_question"])
    return copy
