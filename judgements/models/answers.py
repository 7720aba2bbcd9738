"""The answers: what inspectors judged, one answer per case, question and item.

The rules:

- One write path: an answer is created, deleted or given another case, question, item or
  value only inside the answer services' block (`ANSWER_SERVICES_WRITING`, set by
  judgements.writing.answer_services_writing), because the services keep every gate true: a
  changed gate answer clears the answers behind it, and a gated question is answered only
  while its gate is open. Any other such write, a save, a delete or a queryset shortcut, is
  refused (`AnswerWrittenRoundTheServices`); the evidence note alone may be corrected directly.
  This is what lets the findings count answers without checking each gate again.
- Published means frozen: before the services' own rule, an answer asks its inspection's
  (inspection.models.InspectionData), like every row of an inspection.
- Progress kept as the answers change: every case whose answers the block wrote is noted
  (`CASES_WRITTEN`, `case_answers_written`), and its `KeptProgress` is counted again as the
  block ends, in its transaction.
"""

from collections.abc import Iterable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from inspection.guards import GuardedQuerySet
from inspection.lib.text import NOTE_MAX_CHARS, control_character
from inspection.models import InspectionData
from judgements.models.framework import Item, Question

# Set while the answer services write (judgements.writing.answer_services_writing): an
# answer's value, its creation and its deletion happen there alone, because they keep every
# gate true (a changed gate answer clears the answers behind it, a gated question is answered
# only while its gate is open). That is what lets the findings count answers without
# re-checking each gate.
ANSWER_SERVICES_WRITING: ContextVar[bool] = ContextVar("answer_services_writing", default=False)


# The cases whose answers (or gates) the outermost answer services' block has written: their
# kept progress (KeptProgress) is counted again as that block ends, in its transaction.
CASES_WRITTEN: ContextVar[set[int] | None] = ContextVar("cases_written", default=None)


def case_answers_written(case_ids: Iterable[int | None]) -> None:
    """Note cases whose answers, or whose gates' descriptors, the current answer services'
    block wrote (no-op outside one)."""
    written = CASES_WRITTEN.get()
    if written is not None:
        written.update(case_id for case_id in case_ids if case_id is not None)


class AnswerWrittenRoundTheServices(ValidationError):
    """An answer created, deleted or given a new value other than by the answer services."""


def refuse_answer_write_round_the_services() -> None:
    if not ANSWER_SERVICES_WRITING.get():
        raise AnswerWrittenRoundTheServices(
            "Answers are created, changed and removed only through judgements.services "
            "(answer_record, answer_clear, answers_import), which keep every gate true.",
            code="round_the_services",
        )


# What an answer is: changing any of these opens or shuts gates, so only the services do it.
ANSWER_IDENTITY = ("case_id", "question_id", "item_id", "value")
_IDENTITY_FIELDS = {*ANSWER_IDENTITY, "case", "question", "item"}


class AnswerQuerySet(GuardedQuerySet):
    """The published rule first (GuardedQuerySet), then the answer services' own."""

    def update(self, **kwargs):
        self._refuse_rows()
        if _IDENTITY_FIELDS & set(kwargs):
            refuse_answer_write_round_the_services()
            case_answers_written(self._case_ids())
        return super().update(**kwargs)

    def delete(self):
        self._refuse_rows()
        refuse_answer_write_round_the_services()
        case_answers_written(self._case_ids())
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self.model.refuse_owners(obj.owner_id() for obj in objs)
        refuse_answer_write_round_the_services()
        case_answers_written(obj.case_id for obj in objs)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        self.model.refuse_owners(obj.owner_id() for obj in objs)
        if _IDENTITY_FIELDS & set(fields):
            refuse_answer_write_round_the_services()
            case_answers_written(obj.case_id for obj in objs)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def _case_ids(self) -> set[int]:
        return set(self.order_by().values_list("case_id", flat=True).distinct())


class KeptProgress(models.Model):
    """What a case's "answered of asked" needs from its answers, kept by the answer services
    (judgements.writing.answer_services_writing counts it again for every case a block
    wrote) so the case list reads it with its cases rather than counting every case's answers
    on each visit.

    `answered` is the case's answers; `opened_by_answers` the slots its gate answers open
    (judgements.framework.QuestionsAsked). What its descriptors open is not kept: the list
    adds it from the case as it reads it, so a descriptor changed anywhere counts at once.
    A row counted under another framework revision, organisation or counting code is not used
    (the case is counted afresh). Derived data, not a person's work: no history, no data revision.
    """

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="kept_progress"
    )
    framework_revision = models.UUIDField()
    organisation = models.CharField(max_length=3)
    # The counting code's own digest (judgements.progress.PROGRESS_CODE): a deploy that
    # changes how progress is counted does not read rows the previous code counted.
    counted_by = models.CharField(max_length=12)
    answered = models.PositiveIntegerField()
    opened_by_answers = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"case {self.case_id}: {self.answered} answered"


class Answer(InspectionData):
    """One inspector's judgement: a case's answer to a question (for one item), with evidence.

    Every write goes through the answer services (judgements.services): answer_record and
    answer_clear for one answer, answers_save for a page, answers_import for a file. Each
    validates the value against the question's kind and gate and checks the version
    (optimistic concurrency); any other write is refused (refuse_answer_write_round_the_services).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    value = models.TextField()
    note = models.TextField("Evidence", blank=True)
    # PROTECT: who gave a judgement is part of the record; deleting them must not erase it.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    answered_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = AnswerQuerySet.as_manager()

    owner_path = "case__inspection_id"

    class Meta:
        ordering = ["case", "question__order", "item__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "question", "item"],
                condition=models.Q(item__isnull=False),
                name="one_answer_per_case_question_item",
            ),
            models.UniqueConstraint(
                fields=["case", "question"],
                condition=models.Q(item__isnull=True),
                name="one_answer_per_case_question",
            ),
        ]
        indexes = [
            models.Index(fields=["question", "value"], name="answer_question_value"),
        ]

    def __str__(self) -> str:
        suffix = f"[{self.item.code}]" if self.item_id else ""
        return f"{self.case} {self.question.code}{suffix} = {self.value}"

    def delete(self, *args, **kwargs):
        refuse_answer_write_round_the_services()
        case_answers_written([self.case_id])
        return super().delete(*args, **kwargs)

    def refuse_write(self) -> None:
        """The published rule (GuardedModel), then the services' own: a note may be corrected
        directly; what the answer is, and to what, only the services change."""
        super().refuse_write()
        if self._gate_relevant_change():
            refuse_answer_write_round_the_services()
            case_answers_written([self.case_id])

    def owner_id(self) -> int | None:
        return self.case.inspection_id if self.case_id else None

    def _gate_relevant_change(self) -> bool:
        """A new answer, or one whose case, question, item or value differs from the stored."""
        stored = type(self)._base_manager.filter(pk=self.pk).values_list(*ANSWER_IDENTITY)
        current = tuple(getattr(self, name) for name in ANSWER_IDENTITY)
        return self.pk is None or stored.first() != current

    @staticmethod
    def note_problem(note: str) -> str | None:
        """Why an evidence note cannot be kept as written, or None."""
        bad_character = control_character(note)
        if bad_character:
            return f"the note holds a control character, {bad_character}; remove it"
        if len(note) > NOTE_MAX_CHARS:
            return (
                f"the note has {len(note):,} characters; a note has at most "
                f"{NOTE_MAX_CHARS:,} (what a spreadsheet cell holds, so every export is whole)"
            )
        return None

    @property
    def display_value(self) -> str:
        return self.question.choice_label(self.value)
