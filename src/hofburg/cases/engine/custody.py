"""Custody status over time, from detention episodes.

CPJ counts imprisoned journalists at midnight on 1 December each year; Viasna keeps a running
count. Both are questions asked of a date, so what is stored is the detention episodes (start,
end or still open) and the status is computed for any day (domain reference §2.3–2.4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    IN_CUSTODY = "in_custody"
    RELEASED = "released"
    DIED_IN_CUSTODY = "died_in_custody"
    NOT_YET_DETAINED = "not_yet_detained"


@dataclass(frozen=True)
class Episode:
    start: date
    end: date | None = None  # None: still detained
    died: bool = False  # the episode ended with death in custody

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError("a detention episode cannot end before it starts")

    def covers(self, day: date) -> bool:
        """In custody at midnight at the end of `day`: released on that day counts as out."""
        return self.start <= day and (self.end is None or day < self.end)


def status_on(episodes: Iterable[Episode], day: date) -> Status:
    """The person's status at the end of `day`."""
    ordered = sorted(episodes, key=lambda e: e.start)
    started = [e for e in ordered if e.start <= day]
    if not started:
        return Status.NOT_YET_DETAINED
    if any(e.covers(day) for e in started):
        return Status.IN_CUSTODY
    last = max(started, key=lambda e: e.end or day)
    return Status.DIED_IN_CUSTODY if last.died else Status.RELEASED


def in_custody_since(episodes: Iterable[Episode], day: date) -> date | None:
    """The start of the episode holding the person on `day`, or None."""
    holding = [e.start for e in episodes if e.covers(day)]
    return min(holding) if holding else None


def count_in_custody(cases: Iterable[Iterable[Episode]], day: date) -> int:
    """How many of the cases were in custody at the end of `day`."""
    return sum(1 for episodes in cases if status_on(episodes, day) == Status.IN_CUSTODY)
