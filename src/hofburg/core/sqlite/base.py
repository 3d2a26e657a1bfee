"""Django's SQLite backend, with the threads of one process taking turns to write.

Every transaction starts with BEGIN IMMEDIATE (settings: `transaction_mode`), which takes
SQLite's one write lock or waits for it. SQLite waits by polling: it sleeps 1, 2, 5, 10 ... up to
100 ms between tries, so among the sixteen threads of a served instance the unlucky writer
kept losing to the ones that tried in between, and an election-day submission waited 1.3 s at
the 99th percentile while the median took 35 ms (benchmarks/README.md, "OpenRosa intake").

Here a thread first takes the process's own writer lock, where waiting threads queue and the
next one wakes as soon as it is free, then BEGINs; commit, rollback or closing the connection
gives it back. Between processes SQLite's own lock still decides, now among one writer per
process. A thread that cannot have the lock within SQLite's busy timeout gets "database is
locked", as it would from SQLite.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any

from django.db.backends.sqlite3 import base

# Five seconds, as `PRAGMA busy_timeout` in the settings.
WAIT_SECONDS = 5.0

_writer = threading.Lock()


def _new_lock() -> None:
    """A forked child starts with its own, free lock (the parent's may be held by a thread
    that does not exist in the child)."""
    global _writer
    _writer = threading.Lock()


os.register_at_fork(after_in_child=_new_lock)


class DatabaseWrapper(base.DatabaseWrapper):
    """The SQLite wrapper whose transactions hold the process's writer lock."""

    _holds_writer = False

    def _start_transaction_under_autocommit(self) -> None:
        with self.wrap_database_errors:
            if not _writer.acquire(timeout=WAIT_SECONDS):
                raise sqlite3.OperationalError("database is locked")
        self._holds_writer = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _release_writer(self) -> None:
        if self._holds_writer:
            self._holds_writer = False
            _writer.release()
