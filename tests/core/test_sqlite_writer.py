"""On SQLite, the threads of one process take turns to write (`hofburg.core.sqlite`): a
waiting writer queues on the process's lock and starts as soon as the writer before it is
done, however that one ended; past SQLite's busy timeout it gets "database is locked"."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection, transaction

from hofburg.core.sqlite import base

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'sqlite'")]


def in_thread(work: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        finally:
            connection.close()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def holder(order: list[str], inside: threading.Event, go_on: threading.Event,
           ending: str) -> Callable[[], None]:
    """A writer that holds a transaction until `go_on`, then ends it by `ending`."""
    def work() -> None:
        # The failure raised, or the commit of a connection closed inside: both end it.
        with contextlib.suppress(Exception), transaction.atomic():
            order.append("first begins")
            inside.set()
            go_on.wait(10)
            order.append(f"first {ending}")
            if ending == "fails":
                raise RuntimeError(ending)
            if ending == "loses its connection":
                connection.close()
    return work


@pytest.mark.parametrize("ending", ["commits", "fails", "loses its connection"])
def test_a_second_writer_starts_when_the_first_is_done(ending: str) -> None:
    if ending == "loses its connection" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("an in-memory database cannot lose its connection")
    order: list[str] = []
    inside, go_on = threading.Event(), threading.Event()
    first = in_thread(holder(order, inside, go_on, ending))
    assert inside.wait(10)

    def second() -> None:
        with transaction.atomic():
            order.append("second begins")
    waiting = in_thread(second)
    time.sleep(0.3)
    order.append("the first is let go")
    go_on.set()
    first.join(10)
    waiting.join(10)
    assert order == ["first begins", "the first is let go", f"first {ending}", "second begins"]
    assert base._writer.acquire(blocking=False)  # nobody holds it any more
    base._writer.release()


def test_a_writer_that_waits_past_the_busy_timeout_is_told_the_database_is_locked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "WAIT_SECONDS", 0.2)
    order: list[str] = []
    inside, go_on = threading.Event(), threading.Event()
    first = in_thread(holder(order, inside, go_on, "commits"))
    assert inside.wait(10)
    refused: list[Exception] = []

    def second() -> None:
        try:
            with transaction.atomic():
                order.append("second begins")
        except OperationalError as error:
            refused.append(error)
    in_thread(second).join(10)
    go_on.set()
    first.join(10)
    assert [str(error) for error in refused] == ["database is locked"]
    assert order == ["first begins", "first commits"]
