"""On the embedded database a process's saves take SQLite's write lock in the order they began
(inspection/sqlite_backend): SQLite's own wait lets a save that has waited lose to newer ones
until it fails (benchmarks/README.md, "Scoring on SQLite")."""

import threading
import time

import pytest
from django.db import connection, transaction

from inspection.sqlite_backend.base import WRITES, Turns


def soon(condition) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the threads did not start waiting"
        time.sleep(0.01)


def test_the_turn_goes_to_those_waiting_in_the_order_they_came():
    turns = Turns()
    assert turns.take(timeout=1)
    served = []

    def save(number: int) -> None:
        assert turns.take(timeout=10)
        served.append(number)
        turns.hand_on()

    threads = []
    for number in range(5):
        threads.append(threading.Thread(target=save, args=(number,)))
        threads[-1].start()
        soon(lambda count=number + 1: len(turns._waiting) == count)
    turns.hand_on()
    for thread in threads:
        thread.join()
    assert served == [0, 1, 2, 3, 4]


def test_a_save_whose_wait_runs_out_goes_on_without_the_turn_and_loses_it_for_no_one():
    turns = Turns()
    assert turns.take(timeout=1)
    assert turns.take(timeout=0.05) is False
    turns.hand_on()
    assert turns.take(timeout=0)


def write_turn_free() -> bool:
    free = WRITES.take(timeout=0)
    if free:
        WRITES.hand_on()
    return free


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded SQLite database's backend")
@pytest.mark.django_db(transaction=True)
def test_a_transaction_holds_the_turn_until_it_commits_or_rolls_back():
    with transaction.atomic():
        assert not write_turn_free()
    assert write_turn_free()
    with pytest.raises(ValueError), transaction.atomic():
        assert not write_turn_free()
        raise ValueError("a save refused halfway")
    assert write_turn_free()
