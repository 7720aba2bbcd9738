"""Two people at once on the report's parts (PostgreSQL locks the rows, SQLite the file): the
same edit from the same version is saved once, and two parts added at one place at the same
moment both land, each in a place of its own."""

import pytest

from reports.document.services import PartContent, report_part_add, report_part_update
from reports.models import ReportPart
from tests.reports.test_tables_concurrency import at_once

pytestmark = [
    # On SQLite too, where a team's saves once failed: on a file, as `make run` serves.
    pytest.mark.usefixtures("database_for_threads"),
    pytest.mark.django_db(transaction=True),
]


def add(inspection, kind, position=None, **content):
    return report_part_add(
        inspection=inspection,
        kind=kind,
        content=PartContent(**content),
        position=position,
        by=None,
    )


def test_two_edits_of_a_part_from_the_same_version_never_both_win(inspection, lead, editor):
    part = add(inspection, "foreword", body="First words.")

    outcomes = at_once(
        lambda: report_part_update(
            part=part, content=PartContent(body="Lena's"), by=lead, expected_version=1
        ),
        lambda: report_part_update(
            part=part, content=PartContent(body="Ed's"), by=editor, expected_version=1
        ),
    )

    assert sorted(outcomes) == ["done", "stale"]
    stored = ReportPart.objects.get(pk=part.pk)
    assert stored.version == 2
    assert stored.history.first().history_user.username == (
        "lena" if stored.body == "Lena's" else "ed"
    )


def test_two_parts_added_at_one_place_at_once_both_land_in_places_of_their_own(inspection):
    add(inspection, "foreword", body="Words.")
    add(inspection, "chapter", domain="RR")

    outcomes = at_once(
        lambda: add(inspection, "local_context", position=2, body="Lena's context."),
        lambda: add(inspection, "local_context", position=2, body="Ed's context."),
    )

    assert outcomes == ["done", "done"]
    positions = list(
        ReportPart.objects.filter(inspection=inspection, parent=None)
        .order_by("position")
        .values_list("position", "kind")
    )
    assert [position for position, _kind in positions] == [1, 2, 3, 4]
    assert [kind for _position, kind in positions] == [
        "foreword",
        "local_context",
        "local_context",
        "chapter",
    ]
