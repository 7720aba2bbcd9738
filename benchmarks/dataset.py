"""A synthetic national data set for the findings benchmark: N inspections × M cases, qi-2016.

The answers respect the framework. A question is answered only for the organisations it applies
to and only where its gate is open, decided by `Question.gate_opens` on the answers generated so
far for the case; gate questions come before the questions they open in framework order, so a
gate is always answered (or left blank, which keeps its questions shut) first. Each case draws
how complete it is from its workflow status, so about two thirds of the open questions are
answered, as in a sample part way through fieldwork. A seeded random.Random makes every build
of a given size identical.

The inspections' slugs carry the size (`bench-200x150-007`), so a quick run at another size
neither reuses nor destroys the full-size set. A complete set (`bench-complete-1x150-001`, for
the case list benchmark) has every case submitted or quality assured with every open question
answered. Every set has a team of inspectors, each assigned a share of the cases, as the case
list shows them.
"""

import io
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from cases.models import Case, CaseStatus
from inspection.models import Inspection, InspectionStatus, Role, TeamMembership
from judgements.models import (
    Answer,
    AnswerKind,
    Framework,
    Item,
    Question,
)
from judgements.writing import answer_services_writing

FRAMEWORK_CODE = "qi-2016"
SLUG_PREFIX = "bench-"
SEED = 2016
CRC_SHARE = 0.65  # roughly the CRC share of the samples in the 2016 reports
INSPECTIONS_PER_BATCH = 10
EVIDENCE_SHARE = 0.3
# About seven inspectors read an inspection's sample (two fieldwork weeks, about fifty cases).
TEAM_SIZE = 7

# Descriptor weights by organisation: the CRC holds the low and medium risk of serious harm
# cases and the NPS the high, very high and MAPPA ones (the 2014 split of probation).
DESCRIPTOR_WEIGHTS = {
    "CRC": {
        "sentence_type": {"community_order": 50, "suspended_sentence_order": 30, "licence": 20},
        "gender": {"male": 84, "female": 15, "other": 1},
        "ethnicity": {"white": 84, "asian": 5, "black": 4, "mixed": 3, "other": 2, "not_stated": 2},
        "rosh_level": {"low": 45, "medium": 55},
        "mappa_level": {"none": 100},
        "likelihood_of_reoffending": {"low": 30, "medium": 40, "high": 25, "": 5},
        "court_report": {"full_written": 15, "short_or_oral": 60, "none": 25},
        "interviewed": {True: 30, False: 70},
    },
    "NPS": {
        "sentence_type": {"community_order": 35, "suspended_sentence_order": 20, "licence": 45},
        "gender": {"male": 90, "female": 9, "other": 1},
        "ethnicity": {"white": 80, "asian": 6, "black": 6, "mixed": 4, "other": 2, "not_stated": 2},
        "rosh_level": {"medium": 20, "high": 70, "very_high": 10},
        "mappa_level": {"none": 55, "1": 35, "2": 8, "3": 2},
        "likelihood_of_reoffending": {"low": 35, "medium": 35, "high": 25, "": 5},
        "court_report": {"full_written": 60, "short_or_oral": 25, "none": 15},
        "interviewed": {True: 30, False: 70},
    },
}
STATUS_WEIGHTS = {
    CaseStatus.QUALITY_ASSURED: 25,
    CaseStatus.SUBMITTED: 20,
    CaseStatus.RETURNED: 5,
    CaseStatus.IN_PROGRESS: 45,
    CaseStatus.NOT_STARTED: 5,
}
COMPLETE_STATUS_WEIGHTS = {CaseStatus.QUALITY_ASSURED: 55, CaseStatus.SUBMITTED: 45}
# The share of a case's open questions answered, drawn from this range by the case's status.
COMPLETENESS = {
    CaseStatus.QUALITY_ASSURED: (0.8, 1.0),
    CaseStatus.SUBMITTED: (0.8, 1.0),
    CaseStatus.RETURNED: (0.7, 0.95),
    CaseStatus.IN_PROGRESS: (0.15, 0.75),
    CaseStatus.NOT_STARTED: (0.0, 0.0),
}
EVIDENCE = [
    "Seen in the assessment on the case record.",
    "Confirmed by the responsible officer at interview.",
    "Not evident in the case record or contact log.",
    "The plan names this but nothing was delivered in the period.",
    "Partly: the review was late and did not involve the person on probation.",
]
ANSWER_COLUMNS = "case_id, question_id, item_id, value, note, answered_at, version"


@dataclass(frozen=True)
class QuestionProfile:
    """How a question tends to be answered nationally; inspections shift the yes rate."""

    yes_rate: float
    not_applicable_rate: float
    choice_weights: tuple[float, ...]


@dataclass(frozen=True)
class Slot:
    question: Question
    item_id: int | None


@dataclass(frozen=True)
class BuildSummary:
    inspections: int
    cases: int
    answers: int
    seconds: float


def slug_prefix(inspections: int, cases: int, complete: bool = False) -> str:
    return f"{SLUG_PREFIX}{'complete-' if complete else ''}{inspections}x{cases}-"


def bench_inspections(inspections: int, cases: int, complete: bool = False) -> list[Inspection]:
    return list(
        Inspection.objects.filter(slug__startswith=slug_prefix(inspections, cases, complete))
        .select_related("framework")
        .order_by("slug")
    )


def dataset_present(inspections: int, cases: int, complete: bool = False) -> bool:
    """A set is all there or not at all: it is built in one transaction."""
    found = Inspection.objects.filter(slug__startswith=slug_prefix(inspections, cases, complete))
    return (
        found.count() == inspections
        and Case.objects.filter(inspection__in=found).count() == inspections * cases
    )


def dataset_remove(inspections: int, cases: int, complete: bool = False) -> None:
    prefix = slug_prefix(inspections, cases, complete)
    with answer_services_writing():  # benchmark set-up, as dataset_build says
        Answer.objects.filter(case__inspection__slug__startswith=prefix).delete()
    Inspection.objects.filter(slug__startswith=prefix).delete()


def dataset_build(inspections: int, cases: int, complete: bool = False) -> BuildSummary:
    """Create the set, writing answers with PostgreSQL COPY.

    This bypasses judgements.services.answer_record (the app's only write path) on purpose: it
    is benchmark setup, millions of rows, and the gates are honoured by construction above.
    `complete`: every case submitted or quality assured, every open question answered.
    """
    started = time.perf_counter()
    rng = random.Random(f"{SEED}-{inspections}x{cases}{'-complete' if complete else ''}")
    framework = Framework.objects.get(code=FRAMEWORK_CODE)
    slots = _framework_slots(framework)
    profiles = {slot.question.id: _question_profile(slot.question, rng) for slot in slots}
    answers = 0
    with transaction.atomic():
        team = _inspectors()
        created = Inspection.objects.bulk_create(
            _inspection(framework, number, slug_prefix(inspections, cases, complete))
            for number in range(inspections)
        )
        TeamMembership.objects.bulk_create(
            TeamMembership(inspection=inspection, user=user, role=Role.INSPECTOR)
            for inspection in created
            for user in team
        )
        for start in range(0, len(created), INSPECTIONS_PER_BATCH):
            batch = created[start : start + INSPECTIONS_PER_BATCH]
            sample = Case.objects.bulk_create(
                (
                    case
                    for inspection in batch
                    for case in _sample(inspection, cases, team, complete, rng)
                ),
                batch_size=2000,
            )
            shifts = {inspection.id: _inspection_shift(rng) for inspection in batch}
            answers += _copy_answers(sample, shifts, slots, profiles, complete, rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return BuildSummary(inspections, inspections * cases, answers, time.perf_counter() - started)


def kept_progress_ensure(inspections: list[Inspection]) -> int:
    """Keep the progress of any answered case that has none kept (a data set built before
    judgements.models.KeptProgress existed), as the answer services would have; the number."""
    from judgements.progress import progress_keep

    missing = list(
        Case.objects.filter(inspection__in=inspections, kept_progress__isnull=True)
        .filter(answers__isnull=False)
        .values_list("id", flat=True)
        .distinct()
    )
    if missing:
        progress_keep(missing)
    return len(missing)


def planner_statistics_ensure() -> list[str]:
    """ANALYZE any table the planner has no statistics for, and name them.

    A server with autovacuum off (as on some developer machines) never analyzes the framework
    tables the migration filled, and the planner then guesses; production autovacuums.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables "
            "WHERE last_analyze IS NULL AND last_autoanalyze IS NULL ORDER BY relname"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')
    return tables


def _framework_slots(framework: Framework) -> list[Slot]:
    """Every (question, item) of the framework in framework order, gates before the gated."""
    questions = list(Question.objects.filter(framework=framework).select_related("gate_question"))
    position = {question.id: n for n, question in enumerate(questions)}
    items: dict[int, list[int]] = {}
    for item in Item.objects.filter(item_set__framework=framework):
        items.setdefault(item.item_set_id, []).append(item.id)
    slots = []
    for question in questions:
        if (
            question.gate_question_id
            and position[question.gate_question_id] > position[question.id]
        ):
            raise ValueError(f"{question.code} comes before its gate; reorder the generator")
        for item_id in items[question.item_set_id] if question.item_set_id else [None]:
            slots.append(Slot(question, item_id))
    return slots


def _question_profile(question: Question, rng: random.Random) -> QuestionProfile:
    return QuestionProfile(
        yes_rate=rng.uniform(0.4, 0.9),
        not_applicable_rate=rng.uniform(0.05, 0.25),
        choice_weights=tuple(rng.uniform(1, 10) for _ in question.choices),
    )


def _inspectors() -> list:
    """The benchmark's inspectors, shared by every set (no password: nobody signs in as them)."""
    users = []
    for number in range(1, TEAM_SIZE + 1):
        user, created = get_user_model().objects.get_or_create(
            username=f"bench-inspector-{number}",
            defaults={"first_name": "Benchmark", "last_name": f"Inspector {number}"},
        )
        if created:
            user.set_unusable_password()
            user.save()
        users.append(user)
    return users


def _inspection(framework: Framework, number: int, prefix: str) -> Inspection:
    start = date(2016, 1, 4) + timedelta(weeks=number % 100)
    return Inspection(
        slug=f"{prefix}{number + 1:03d}",
        area_name=f"Benchmark area {number + 1}",
        title=f"Quality & Impact inspection: benchmark area {number + 1}",
        crc_name=f"Benchmark CRC {number + 1}",
        nps_name=f"National Probation Service benchmark division {number + 1}",
        fieldwork_start=start,
        fieldwork_end=start + timedelta(days=11),
        framework=framework,
        status=InspectionStatus.ANALYSIS,
    )


def _weighted(weights: dict, rng: random.Random):
    return rng.choices(list(weights), list(weights.values()))[0]


def _sample(
    inspection: Inspection, cases: int, team: list, complete: bool, rng: random.Random
) -> Iterator[Case]:
    crc_cases = round(cases * CRC_SHARE)
    for number in range(cases):
        organisation = "CRC" if number < crc_cases else "NPS"
        weights = DESCRIPTOR_WEIGHTS[organisation]
        yield Case(
            inspection=inspection,
            case_ref=f"{organisation}-{number + 1:03d}",
            organisation=organisation,
            office=f"{organisation} office {rng.randint(1, 4)}",
            status=_weighted(COMPLETE_STATUS_WEIGHTS if complete else STATUS_WEIGHTS, rng),
            assigned_inspector=team[number % len(team)],
            **{name: _weighted(values, rng) for name, values in weights.items()},
        )


def _copy_answers(
    sample: list[Case],
    shifts: dict[int, float],
    slots: list[Slot],
    profiles,
    complete: bool,
    rng: random.Random,
) -> int:
    buffer = io.StringIO()
    rows = 0
    for case in sample:
        answered_at = datetime.combine(case.inspection.fieldwork_start, datetime.min.time(), UTC)
        shift = shifts[case.inspection_id]
        for slot, value in _case_answers(case, slots, profiles, shift, complete, rng):
            note = rng.choice(EVIDENCE) if rng.random() < EVIDENCE_SHARE else ""
            item = r"\N" if slot.item_id is None else slot.item_id
            buffer.write(
                f"{case.id}\t{slot.question.id}\t{item}\t{value}\t{note}\t{answered_at}\t1\n"
            )
            rows += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {Answer._meta.db_table} ({ANSWER_COLUMNS}) FROM STDIN", buffer)
    return rows


def _inspection_shift(rng: random.Random) -> float:
    """Some areas do better than others: every yes rate of an inspection moves together."""
    return rng.gauss(0, 0.08)


def _case_answers(
    case: Case, slots: list[Slot], profiles, shift: float, complete: bool, rng: random.Random
):
    completeness = 1.0 if complete else rng.uniform(*COMPLETENESS[case.status])
    given: dict[tuple[int, int | None], str] = {}
    for slot in slots:
        question = slot.question
        if not question.applies_to(case.organisation):
            continue
        if not question.gate_opens(case, given, slot.item_id):
            continue
        if rng.random() >= completeness:
            continue
        value = _value(question, profiles[question.id], shift, rng)
        given[(question.id, slot.item_id)] = value
        yield slot, value


def _value(question: Question, profile: QuestionProfile, shift: float, rng: random.Random) -> str:
    if question.kind == AnswerKind.CHOICE:
        return rng.choices(question.choice_codes(), profile.choice_weights)[0]
    if question.kind == AnswerKind.NUMBER:
        return str(rng.randint(0, 24))
    if question.kind == AnswerKind.TEXT:
        return rng.choice(EVIDENCE)
    if question.kind == AnswerKind.YES_NO_NA and rng.random() < profile.not_applicable_rate:
        return "na"
    return "yes" if rng.random() < profile.yes_rate + shift else "no"
