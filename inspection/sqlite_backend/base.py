"""SQLite as `make run` serves it to a team: saves take the write lock in the order they began.

With the settings' SQLITE_OPTIONS a save takes SQLite's write lock at BEGIN (IMMEDIATE), and
SQLite waits for it up to `timeout` seconds. That wait is no queue: SQLite's busy handler
polls, sleeping longer the longer it has waited, so under a steady stream of saves one that
has waited keeps losing to newer ones, and fails with "database is locked" however long the
timeout (benchmarks/README.md, "Scoring on SQLite"). runserver serves every request from one
process, a thread each, so the process lines its saves up itself: each waits for the one
before to end and is handed the turn, and SQLite's own wait is left to settle the rare meeting
with another process (the report worker, a command).
"""

import threading
from collections import deque

from django.db.backends.sqlite3 import base


class Turns:
    """A lock handed to those waiting for it in the order they came (threading.Lock keeps no
    order: a newcomer can take it before a thread that has waited)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._taken = False

    def take(self, timeout: float) -> bool:
        """Wait for the turn, at most `timeout` seconds; whether it was had."""
        with self._guard:
            if not self._taken:
                self._taken = True
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._guard:
            if turn.is_set():  # handed on just as the wait ran out
                return True
            self._waiting.remove(turn)
            return False

    def hand_on(self) -> None:
        with self._guard:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._taken = False


# One for every connection of the process: they all write to the one file.
WRITES = Turns()


class DatabaseWrapper(base.DatabaseWrapper):
    has_write_turn = False

    def _start_transaction_under_autocommit(self):
        # Waits its turn at most as long as SQLite would wait for the lock: a turn never handed
        # on (a thread killed mid-transaction) costs that wait, then SQLite's own wait decides.
        if not self.has_write_turn:
            self.has_write_turn = WRITES.take(
                timeout=self.settings_dict["OPTIONS"].get("timeout", 5)
            )
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._write_turn_end()
            raise

    def _set_autocommit(self, autocommit):
        try:
            super()._set_autocommit(autocommit)
        finally:
            if autocommit:  # the transaction has committed or rolled back
                self._write_turn_end()

    def _close(self):
        try:
            super()._close()
        finally:
            self._write_turn_end()

    def _write_turn_end(self) -> None:
        if self.has_write_turn:
            self.has_write_turn = False
            WRITES.hand_on()
