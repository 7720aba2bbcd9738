"""The framework: what inspectors are asked, as data.

A versioned Framework holds domains, practice themes, item sets (with their items) and
questions. A question has a stable code from the framework outline (RR-A1, RR-A2, PP-D8a,
AB-O1, ...) so that every finding traces back to the report's wording. The rules:

- Frozen once used: a framework, or any part of it, cannot change once an inspection using
  it has an answer (`refuse_if_framework_in_use`, raising `FrameworkInUse`), whether the write
  is a save, a delete or a queryset shortcut, from the admin, a command or the shell; the
  change goes into a copy, a new version.
- A new revision on every write: any write to a framework or its parts, the queryset
  shortcuts and `loaddata`'s raw saves included, gives the framework a new `revision`
  (`framework_revised`), so no process serves a copy it loaded before; and the findings of
  the inspections set up on it are counted anew (their data revision moves).
- A question cleans its own answers (`Question.clean_value`): the value fits the question's
  kind, choices and number bounds, and a text answer stays short; its gate names a question
  of the same framework or a case descriptor, never both.
"""

import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver

from cases.descriptors import DESCRIPTOR_CHOICES, DESCRIPTORS
from inspection.guards import GuardedModel, GuardedQuerySet
from inspection.lib.text import control_character
from inspection.models import Inspection
from judgements.rules import (
    SHORT_LABEL_MAX_CHARS,
    Gate,
    answer_codes,
    gate_opens,
    number_bounds_problem,
    short_label_problem,
)

# A text answer is a short judgement, indexed with the question (PostgreSQL indexes at most
# 2,704 bytes: 500 characters stay inside it even at four bytes each); evidence goes in the note.
TEXT_ANSWER_MAX_CHARS = 500


class AnswerKind(models.TextChoices):
    YES_NO_NA = "yes_no_na", "Yes / No / Not applicable"
    YES_NO = "yes_no", "Yes / No"
    CHOICE = "choice", "Single choice"
    NUMBER = "number", "Number"
    TEXT = "text", "Free text"


class YesNoNa(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "na", "Not applicable"


class FrameworkInUse(ValidationError):
    """A change to a framework that an inspection's answers use: it would silently rewrite
    their findings, so it goes into a new version of the framework instead."""


def refuse_if_framework_in_use(framework_ids) -> None:
    ids = {pk for pk in framework_ids if pk is not None}
    if not ids:
        return
    in_use = sorted(
        Framework.objects.filter(pk__in=ids, questions__answers__isnull=False)
        .values_list("code", flat=True)
        .distinct()
    )
    if in_use:
        raise FrameworkInUse(
            f"Framework {', '.join(in_use)} has answers in an inspection, so it cannot change: "
            "copy it as a new version (the admin's “Copy as a new version” action) and change "
            "the copy.",
            code="framework_in_use",
        )


def framework_revised(framework_ids: Iterable[int | None]) -> None:
    """A framework's rows changed: a new revision, so no process serves the copy it loaded
    before (judgements.framework keeps each framework per process under its revision)."""
    ids = {pk for pk in framework_ids if pk is not None}
    for pk in ids:
        # The base manager: bookkeeping, not a change the frozen-framework rule must refuse.
        Framework._base_manager.filter(pk=pk).update(revision=uuid.uuid4())


class FrameworkPartQuerySet(GuardedQuerySet):
    """The frozen-framework rule (GuardedQuerySet), and a new revision for every framework
    whose rows an update, a delete or a bulk write touches (these skip `save()`)."""

    def update(self, **kwargs):
        pks = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        framework_revised(self._owners(self.model._base_manager.filter(pk__in=pks)))
        return updated

    def delete(self):
        owners = self._owners(self)
        deleted = super().delete()
        framework_revised(owners)
        return deleted

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        framework_revised(obj.owner_id() for obj in objs)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        stored = self.model._base_manager.filter(pk__in=[obj.pk for obj in objs])
        owners = [*self._owners(stored), *(obj.owner_id() for obj in objs)]
        updated = super().bulk_update(objs, *args, **kwargs)
        framework_revised(owners)
        return updated


class FrameworkPart(GuardedModel):
    """A framework, or a part of one, which is frozen once any inspection using the framework
    has an answer (the rule holds in the admin, commands and shell alike)."""

    owner_path = "framework_id"

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        stored_owner = self._stored_owner_id()
        super().save(*args, **kwargs)
        self._findings_changed()
        framework_revised([stored_owner, self.owner_id()])

    def delete(self, *args, **kwargs):
        owner = self.owner_id()
        deleted = super().delete(*args, **kwargs)
        self._findings_changed()
        framework_revised([owner])
        return deleted

    @classmethod
    def refuse_owners(cls, owner_ids) -> None:
        refuse_if_framework_in_use(owner_ids)

    def owner_id(self) -> int | None:
        return self.framework_id

    def _findings_changed(self) -> None:
        """A framework without answers may still change (a question added, an organisation
        it applies to): the findings of the inspections set up on it are counted anew."""
        Inspection.objects.filter(framework_id=self.owner_id()).update(
            data_revision=F("data_revision") + 1
        )


@receiver(post_save)
def framework_revised_by_raw_save(sender, instance, raw=False, **kwargs) -> None:
    """`manage.py loaddata` saves raw, round FrameworkPart.save: a new revision all the same
    (after the row, so a revision the fixture carried is not the one kept)."""
    if raw and isinstance(instance, FrameworkPart):
        framework_revised([instance.owner_id()])


class Framework(FrameworkPart):
    code = models.SlugField(max_length=40, unique=True, help_text="Stable code, e.g. qi-2016.")
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    # Changed on every write to the framework or its parts (framework_revised): a process
    # keeps the framework it loaded under this, and loads it again when it differs. A new
    # random value, never a counter: a change rolled back leaves a revision no later change
    # reuses, so a copy loaded inside that transaction is never served as the framework.
    revision = models.UUIDField(default=uuid.uuid4, editable=False)

    owner_path = "id"

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def owner_id(self) -> int | None:
        return self.pk

    def save(self, *args, **kwargs):
        # A copy read before a part changed would otherwise write the old revision back.
        self.revision = uuid.uuid4()
        super().save(*args, **kwargs)


class Domain(FrameworkPart):
    """An outcome domain (reducing reoffending, ...) or a section such as court stage."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="domain_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Theme(FrameworkPart):
    """A practice theme: assessment, planning, delivery of interventions, reviewing, ..."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="theme_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ItemSet(FrameworkPart):
    """A list a question is asked for item by item: priority factors, target groups, stages."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="item_sets")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="item_set_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Item(FrameworkPart):
    item_set = models.ForeignKey(ItemSet, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    owner_path = "item_set__framework_id"

    class Meta:
        ordering = ["item_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item_set", "code"], name="item_code_unique")
        ]

    def __str__(self) -> str:
        return self.label

    def owner_id(self) -> int | None:
        return self.item_set.framework_id if self.item_set_id else None


class Question(FrameworkPart):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=20, help_text="Stable code from the framework outline.")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="questions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="questions")
    text = models.TextField()
    short_label = models.CharField(
        max_length=SHORT_LABEL_MAX_CHARS,
        blank=True,
        help_text="The few words that head the question's column in an item grid (“In plan?”); "
        "needed for a question asked per item.",
    )
    guidance = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=AnswerKind)
    choices = models.JSONField(
        default=list, blank=True, help_text='For a choice question: [{"code": ..., "label": ...}]'
    )
    item_set = models.ForeignKey(
        ItemSet, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    applies_to_crc = models.BooleanField("Applies to CRC cases", default=True)
    applies_to_nps = models.BooleanField("Applies to NPS cases", default=True)
    gate_question = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="gated_questions"
    )
    gate_descriptor = models.CharField(max_length=40, choices=DESCRIPTOR_CHOICES, blank=True)
    gate_values = models.JSONField(
        default=list, blank=True, help_text="The answers (or descriptor codes) that open the gate."
    )
    # A number answer's bounds: the smallest and largest allowed, and how many decimal places.
    number_min = models.DecimalField(max_digits=16, decimal_places=4, default=0)
    number_max = models.DecimalField(max_digits=16, decimal_places=4, default=1_000_000)
    number_decimal_places = models.PositiveSmallIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="question_code_unique"),
            models.CheckConstraint(
                condition=~(models.Q(gate_question__isnull=False) & ~models.Q(gate_descriptor="")),
                name="question_gate_names_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def has_gate(self) -> bool:
        return self.gate_question_id is not None or bool(self.gate_descriptor)

    def applies_to(self, organisation: str) -> bool:
        return self.applies_to_crc if organisation == "CRC" else self.applies_to_nps

    def choice_codes(self) -> list[str]:
        return answer_codes(self.kind, self.choices)

    def choice_label(self, code: str) -> str:
        if self.kind == AnswerKind.CHOICE:
            return next((c["label"] for c in self.choices if c["code"] == code), code)
        if self.kind in (AnswerKind.YES_NO, AnswerKind.YES_NO_NA):
            return YesNoNa(code).label if code in YesNoNa.values else code
        return code

    def clean_value(self, raw: str) -> str:
        """The stored form of an answer, or a ValidationError naming this question."""
        bad_character = control_character(raw)
        if bad_character:
            raise ValidationError(
                f"{self.code}: the answer holds a control character, {bad_character}; "
                "remove it (it is usually debris from a copy and paste).",
                code="invalid_answer",
            )
        if self.kind == AnswerKind.TEXT:
            if len(raw) > TEXT_ANSWER_MAX_CHARS:
                raise ValidationError(
                    f"{self.code}: the answer has {len(raw):,} characters; a text answer has "
                    f"at most {TEXT_ANSWER_MAX_CHARS} characters (put longer evidence in the "
                    "note).",
                    code="invalid_answer",
                )
            return raw
        value = raw.strip()
        if self.kind == AnswerKind.NUMBER:
            return self._clean_number(value)
        allowed = self.choice_codes()
        if value.lower() in allowed and self.kind != AnswerKind.CHOICE:
            return value.lower()
        if value in allowed:
            return value
        raise ValidationError(
            f"{self.code}: “{raw}” is not an answer to this question; "
            f"expected one of {', '.join(allowed)}.",
            code="invalid_answer",
        )

    def _clean_number(self, value: str) -> str:
        """A number within the question's bounds, with at most its decimal places, written
        plainly ("6", "6.5"): never an exponent, so "1e999990" cannot become a million digits.
        """
        places = self.number_decimal_places
        broken = number_bounds_problem(self.number_min, self.number_max, places)
        if broken:
            raise ValidationError(
                f"{self.code}: the framework's bounds for this number cannot be used ({broken}); "
                "an administrator must correct the framework.",
                code="invalid_question",
            )
        expected = (
            f"expected a number from {format(self.number_min.normalize(), 'f')} to "
            f"{format(self.number_max.normalize(), 'f')}"
            + (f" with at most {places} decimal places" if places else ", a whole number")
        )
        try:
            number = Decimal(value) if len(value) <= 40 else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(
                f"{self.code}: “{value[:40]}” is not a number; {expected}.", code="invalid_answer"
            )
        if not self.number_min <= number <= self.number_max:
            raise ValidationError(
                f"{self.code}: {value} is out of range; {expected}.", code="invalid_answer"
            )
        # Exact: within bounds that judgements.rules.number_bounds_problem allows, the quantized
        # number has at most 16 digits, far inside the decimal context's 28.
        rounded = number.quantize(Decimal(1).scaleb(-places))
        if rounded != number:
            raise ValidationError(
                f"{self.code}: {value} has too many decimal places; {expected}.",
                code="invalid_answer",
            )
        return format(rounded.normalize() if rounded else Decimal(0), "f")

    def gate_opens(self, case, answers: Mapping[tuple[int, int | None], str], item_id=None) -> bool:
        """Whether this question (for this item) is asked of the case.

        `answers` maps (question id, item id or None) to the stored value. A gate on an item
        question refers to the same item; a gate on a question without items to its one answer.
        An unanswered gate keeps the question closed: it is asked once the gate is answered.
        """
        return gate_opens(
            self.gate,
            item_id,
            case.descriptor_value,
            lambda question_id, item: answers.get((question_id, item)),
        )

    @property
    def gate(self) -> Gate | None:
        """This question's gate in the framework's one rule (judgements.rules); None if none."""
        if self.gate_descriptor:
            return Gate(values=self.gate_values, descriptor=self.gate_descriptor)
        if self.gate_question_id is None:
            return None
        per_item = self.gate_question.item_set_id is not None
        return Gate(values=self.gate_values, question=self.gate_question_id, per_item=per_item)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (self.kind == AnswerKind.CHOICE) != bool(self.choices):
            errors["choices"] = "A choice question lists its choices; other kinds list none."
        bounds = (self.number_min, self.number_max, self.number_decimal_places)
        problem = number_bounds_problem(*bounds) if None not in bounds else None
        if problem:
            errors["number_max"] = f"The number bounds cannot be used: {problem}."
        short_label = short_label_problem(self.short_label, per_item=self.item_set_id is not None)
        if short_label:
            errors["short_label"] = f"{short_label[0].upper()}{short_label[1:]}."
        errors.update(self._gate_errors())
        if errors:
            raise ValidationError(errors)

    def _gate_errors(self) -> dict[str, str]:
        if self.gate_question_id and self.gate_descriptor:
            return {"gate_descriptor": "A gate names a question or a descriptor, not both."}
        if not self.has_gate:
            return {"gate_values": "Gate values need a gate."} if self.gate_values else {}
        if not self.gate_values:
            return {"gate_values": "Give the answers that open the gate."}
        if self.gate_descriptor:
            allowed = DESCRIPTORS[self.gate_descriptor].codes
        else:
            gate = self.gate_question
            if gate.framework_id != self.framework_id:
                return {"gate_question": "The gate question must be in the same framework."}
            if gate.item_set_id and gate.item_set_id != self.item_set_id:
                return {"gate_question": "An item gate must be asked for the same item set."}
            allowed = gate.choice_codes()
        unknown = [value for value in self.gate_values if value not in allowed]
        if unknown:
            return {"gate_values": f"Unknown gate values {unknown}; expected some of {allowed}."}
        return {}
