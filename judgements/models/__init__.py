"""The judgements app's models, one module per job: the framework (what inspectors are asked,
judgements.models.framework), the answers (what they judged, judgements.models.answers) and
the combinations of a question's counts the lead names (judgements.models.combinations).

Django imports this package as the app's models module, which imports both: every model is
registered, and the receiver that gives a framework a new revision on `loaddata`'s raw saves
is connected. The names callers import from judgements.models are the ones listed here.
"""

from judgements.models.answers import (
    ANSWER_SERVICES_WRITING,
    CASES_WRITTEN,
    Answer,
    AnswerWrittenRoundTheServices,
    KeptProgress,
)
from judgements.models.combinations import Combination
from judgements.models.framework import (
    AnswerKind,
    Domain,
    Framework,
    FrameworkInUse,
    Item,
    ItemSet,
    Question,
    Theme,
    refuse_if_framework_in_use,
)

__all__ = [
    "ANSWER_SERVICES_WRITING",
    "CASES_WRITTEN",
    "Answer",
    "AnswerKind",
    "AnswerWrittenRoundTheServices",
    "Combination",
    "Domain",
    "Framework",
    "FrameworkInUse",
    "Item",
    "ItemSet",
    "KeptProgress",
    "Question",
    "Theme",
    "refuse_if_framework_in_use",
]
