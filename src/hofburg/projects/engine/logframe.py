"""The logical framework: impact, outcomes, outputs and activities; an indicator's progress
from its baseline towards its target, period by period.

Progress is the share of the way from baseline to target that the actual value has gone: 0 at
the baseline, 1 at the target, above 1 beyond it, below 0 when it went the wrong way. A
descending indicator (fewer incidents) works the same with the direction reversed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise


class LogframeError(ValueError):
    """A logframe that does not hold together (a period ending before it starts, ...)."""


class Level(StrEnum):
    IMPACT = "impact"
    OUTCOME = "outcome"
    OUTPUT = "output"
    ACTIVITY = "activity"


# Which level may sit under which: an impact has outcomes, an outcome outputs, an output
# activities (the Logical Framework Approach of the OSCE project manual, human-dimension.md §5.6).
PARENT_LEVEL: dict[Level, Level | None] = {
    Level.IMPACT: None,
    Level.OUTCOME: Level.IMPACT,
    Level.OUTPUT: Level.OUTCOME,
    Level.ACTIVITY: Level.OUTPUT,
}

# IATI result types (ResultType codelist): 1 Output, 2 Outcome, 3 Impact; activities have none.
IATI_RESULT_TYPE: dict[Level, str] = {Level.OUTPUT: "1", Level.OUTCOME: "2", Level.IMPACT: "3"}


def check_parent(level: Level | str, parent_level: Level | str | None) -> None:
    """Refuse an element placed under the wrong level (an output directly under the impact)."""
    expected = PARENT_LEVEL[Level(level)]
    got = Level(parent_level) if parent_level is not None else None
    if expected != got:
        where = f"under an {expected.value}" if expected else "at the top"
        raise LogframeError(f"An {Level(level).value} belongs {where}.")


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    target: Decimal | None = None
    actual: Decimal | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise LogframeError(f"The period {self.start}–{self.end} ends before it starts.")


@dataclass(frozen=True)
class Indicator:
    baseline: Decimal
    ascending: bool = True


def progress(indicator: Indicator, target: Decimal, actual: Decimal) -> Decimal | None:
    """How far `actual` has gone from the baseline towards `target` (1 = reached)."""
    distance = target - indicator.baseline
    if distance == 0:
        return None
    moved = actual - indicator.baseline
    return moved / distance


def check_periods(periods: Iterable[Period]) -> None:
    """Refuse periods that overlap one another."""
    ordered = sorted(periods, key=lambda p: p.start)
    for before, after in pairwise(ordered):
        if after.start <= before.end:
            raise LogframeError(f"The periods {before.start}–{before.end} and "
                                f"{after.start}–{after.end} overlap.")


def latest_progress(indicator: Indicator, periods: Iterable[Period]) -> Decimal | None:
    """Progress at the last period that has both a target and an actual value."""
    measured = [p for p in periods if p.target is not None and p.actual is not None]
    if not measured:
        return None
    last = max(measured, key=lambda p: p.end)
    assert last.target is not None and last.actual is not None
    return progress(indicator, last.target, last.actual)


def on_track(indicator: Indicator, period: Period) -> bool | None:
    """Whether the actual value has reached the period's target in the indicator's direction."""
    if period.target is None or period.actual is None:
        return None
    if indicator.ascending:
        return period.actual >= period.target
    return period.actual <= period.target
