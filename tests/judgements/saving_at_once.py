"""Inspectors saving answers at the same moment, each in a thread with its own connection, in
a process of its own on the database DATABASE_URL names, with the settings a server reads.

    DATABASE_URL=sqlite:////path/to/file.sqlite3 python -m tests.judgements.saving_at_once PLAN

PLAN is JSON: a list of {"username", "inspection", "case_ref", "answers": [[code, value, note],
...]}. Each person's thread waits for the others, then saves their answers one at a time as
autosave sends them (one `answers_save` each). Prints JSON: every error raised, and every
answer of the inspections stored afterwards as [case_ref, code, value, note].

Run by tests/judgements/test_saving_at_once_on_sqlite.py: the suite's own SQLite database is
in memory, without the file's locks, so a file database (the kind `make run` serves) is tested
from a process that opens it as the server does.
"""

import json
import sys
import threading

import django


def work(person: dict, barrier: threading.Barrier, errors: list[str]) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from cases.models import Case
    from judgements.models import Question
    from judgements.services import AnswerEntry, answers_save

    try:
        user = get_user_model().objects.get(username=person["username"])
        case = Case.objects.select_related("inspection").get(
            inspection__slug=person["inspection"], case_ref=person["case_ref"]
        )
        questions = {
            question.code: question
            for question in Question.objects.filter(framework_id=case.inspection.framework_id)
        }
    finally:
        barrier.wait()
    try:
        for code, value, note in person["answers"]:
            entry = AnswerEntry(
                question=questions[code], item=None, value=value, note=note, version=0
            )
            answers_save(case=case, entries=[entry], user=user)
    except Exception as error:  # every failure is a finding, reported to the test
        errors.append(f"{person['username']}: {error!r}")
    finally:
        connection.close()


def stored(slugs: set[str]) -> list[list[str]]:
    from judgements.models import Answer

    rows = Answer.objects.filter(case__inspection__slug__in=slugs).values_list(
        "case__case_ref", "question__code", "value", "note"
    )
    return sorted(list(row) for row in rows)


def main() -> None:
    plan = json.loads(sys.argv[1])
    django.setup()
    barrier = threading.Barrier(len(plan))
    errors: list[str] = []
    threads = [threading.Thread(target=work, args=(person, barrier, errors)) for person in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"errors": errors, "stored": stored({p["inspection"] for p in plan})}))


if __name__ == "__main__":
    main()
