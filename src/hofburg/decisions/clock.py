"""The desk's "now": the real time, or the scripted time of an exercise being replayed.

Every rule of the silence procedure depends on the time an action happens. The EXERCISE cycle
of `hofburg demo` is a script of dated events (a meeting three weeks ago, a silence that
expired last week); `replaying(at)` lets the demo run each event through the ordinary services
at its scripted time, so the demo's records went through exactly the rules a user's do.
Nothing but the demo loader replays.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

# The decision-making bodies sit in Vienna: their meetings, silences and journals keep its
# time, whatever zone a deployment serves in.
VIENNA = ZoneInfo("Europe/Vienna")

_replayed: ContextVar[datetime | None] = ContextVar("decisions_replayed_now", default=None)


def now() -> datetime:
    return _replayed.get() or timezone.now()


@contextmanager
def replaying(at: datetime) -> Iterator[None]:
    if timezone.is_naive(at):
        raise ValueError("replaying() needs an aware datetime")
    token = _replayed.set(at)
    try:
        yield
    finally:
        _replayed.reset(token)
