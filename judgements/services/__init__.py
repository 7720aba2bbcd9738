"""Every write to answers, cases' status and frameworks passes through these services.

One module per job, each with the rules it keeps:
- `answers`: one answer at a time (answer_record, answer_clear), a case's descriptors
  (case_change), and the rules every answer write obeys (answer_refusal, case_status_refusal);
- `page_save`: a page's answers together, the section pages' Save and autosave (answers_save);
- `answer_file`: the answers file import, all or nothing (answers_import);
- `review`: submitting a case and the lead's review (case_status_change);
- `frameworks`: the next version of a framework (framework_copy);
- `combinations`: the combinations of a question's counts the lead names (combination_save,
  combination_delete).

No view, import, admin action or command writes an Answer any other way. The names below are
the services' public surface; import them from here.
"""

from judgements.services.answer_file import AnswersImported, answers_import
from judgements.services.answers import (
    AnswerConflict,
    AnswerRefused,
    AnswerSlot,
    answer_clear,
    answer_record,
    answer_refusal,
    answers_behind_shut_gates_clear,
    case_change,
    case_change_clears,
    case_status_refusal,
    gate_description,
)
from judgements.services.combinations import combination_delete, combination_save
from judgements.services.frameworks import framework_copy
from judgements.services.page_save import (
    AnswerEntry,
    AnswersNotSaved,
    AnswersSaved,
    answer_writer_refusal,
    answers_save,
)
from judgements.services.review import CASE_MOVES, case_status_change, case_status_moves_for

__all__ = [
    "CASE_MOVES",
    "AnswerConflict",
    "AnswerEntry",
    "AnswerRefused",
    "AnswerSlot",
    "AnswersImported",
    "AnswersNotSaved",
    "AnswersSaved",
    "answer_clear",
    "answer_record",
    "answer_refusal",
    "answer_writer_refusal",
    "answers_behind_shut_gates_clear",
    "answers_import",
    "answers_save",
    "case_change",
    "case_change_clears",
    "case_status_change",
    "case_status_moves_for",
    "case_status_refusal",
    "combination_delete",
    "combination_save",
    "framework_copy",
    "gate_description",
]
