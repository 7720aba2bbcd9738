"""The embedded database holds a team: inspectors saving at the same moment on the SQLite file
`make run` serves all have every answer stored, none of them an error ("database is locked").

The suite's SQLite database is in memory, where the file's locks under test do not exist and
the settings the test process read cannot be changed, so the team's saves run in a process of
their own (tests/judgements/saving_at_once.py) on a file copied from it, opened with the
settings a server reads, each inspector a thread with its own connection, as each request is
on the server.
"""

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

from inspection.models import Role
from judgements.models import AnswerKind, Question
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
INSPECTORS = 6
ANSWERS_EACH = 6

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the embedded SQLite database's own settings"
    ),
    # Committed, so that the copy of the database holds the team and its cases.
    pytest.mark.django_db(transaction=True),
]


def questions_that_open_nothing(inspection) -> list[str]:
    """Yes/no questions asked of every CRC case, whose answers open and clear no other: every
    save is one the app must store, and none waits for a confirmation."""
    questions = Question.objects.filter(
        framework=inspection.framework,
        kind__in=[AnswerKind.YES_NO, AnswerKind.YES_NO_NA],
        applies_to_crc=True,
        gate_question=None,
        gate_descriptor="",
        item_set=None,
        gated_questions=None,
    ).order_by("order")
    return list(questions.values_list("code", flat=True)[:ANSWERS_EACH])


@pytest.fixture
def team_at_work():
    """Six inspectors of one inspection in fieldwork, a case each, and what each will save."""
    inspection = InspectionFactory(slug="northshire")
    codes = questions_that_open_nothing(inspection)
    plan = []
    for number in range(1, INSPECTORS + 1):
        inspector = MembershipFactory(
            inspection=inspection,
            user=UserFactory(username=f"inspector{number}"),
            role=Role.INSPECTOR,
        ).user
        case = CaseFactory(
            inspection=inspection, case_ref=f"NS-{number:03d}", assigned_inspector=inspector
        )
        plan.append(
            {
                "username": inspector.username,
                "inspection": inspection.slug,
                "case_ref": case.case_ref,
                "answers": [
                    [code, "yes", f"{code} read by {inspector.username}."] for code in codes
                ],
            }
        )
    return plan


def saved_at_once(plan: list[dict], database: Path) -> dict:
    with closing(sqlite3.connect(database)) as copy:
        connection.connection.backup(copy)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inspection.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.judgements.saving_at_once", json.dumps(plan)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_inspectors_saving_at_once_on_the_sqlite_file_all_have_every_answer_stored(
    team_at_work, tmp_path
):
    result = saved_at_once(team_at_work, tmp_path / "db.sqlite3")
    assert result["errors"] == []
    sent = sorted(
        [person["case_ref"], code, value, note]
        for person in team_at_work
        for code, value, note in person["answers"]
    )
    assert len(sent) == INSPECTORS * ANSWERS_EACH
    assert result["stored"] == sent
