"""Requests at the same moment, each on its own database connection, as served in production.

On PostgreSQL every thread simply opens its own connection to the test database. SQLite's test
database lives in memory with a shared cache, whose table locks fail at once instead of waiting
for the busy timeout; `own_connections` therefore copies it to a file in WAL mode, as Hofburg
runs it, and points the threads' connections there while it lasts. Check what the threads
stored with `at_once(1, ...)` inside it: the test's own connection still sees the in-memory
database.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.db import connection, connections

T = TypeVar("T")


@contextmanager
def own_connections(directory: Path) -> Iterator[None]:
    """Inside, threads get connections that wait for each other's writes, on the database as
    it stands on entering (set up the test's records first)."""
    if connection.vendor != "sqlite":
        yield
        return
    copy = directory / "concurrent.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    # In WAL already, as a served database is: otherwise the threads' first connections all
    # switch it at once, and SQLite refuses the switch to all but one without waiting.
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    original = connections.settings["default"]
    # A new dict: the test's own connection keeps its settings (and its in-memory database).
    connections.settings["default"] = {**original, "NAME": str(copy)}
    try:
        yield
    finally:
        connections.settings["default"] = original


def at_once(n: int, call: Callable[[], T]) -> list[T]:
    """`call` in `n` threads released together, each on its own database connection."""
    start = threading.Barrier(n)

    def run(_: int) -> T:
        try:
            start.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))
