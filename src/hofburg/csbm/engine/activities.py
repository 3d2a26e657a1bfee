"""Military activities as the engine sees them: a type, dates and peak numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from hofburg.csbm.engine.terms import Category, Measure


class ActivityType(StrEnum):
    """The kind of activity. An alert ("snap") activity is any type `without_advance_notice`."""

    LAND = "land"  # (40.1) land forces exercise, possibly with air or naval components
    AMPHIBIOUS = "amphibious"  # (40.2) amphibious landing
    AIRBORNE = "airborne"  # (40.2) heliborne landing or parachute assault
    # (40.3) arrival in the zone of application from outside it; (47.3) observes transferred
    # forces at their concentration, not on arrival (reading UNCONFIRMED, see the ruleset).
    TRANSFER = "transfer"
    CONCENTRATION = "concentration"  # (40.3) concentration of forces inside the zone
    AIR = "air"  # air activity on its own

    @property
    def category(self) -> Category:
        return _CATEGORY[self]


_CATEGORY = {
    ActivityType.LAND: Category.LAND_FORCES,
    ActivityType.AMPHIBIOUS: Category.LANDING,
    ActivityType.AIRBORNE: Category.LANDING,
    ActivityType.TRANSFER: Category.TRANSFER,
    ActivityType.CONCENTRATION: Category.TRANSFER,
    ActivityType.AIR: Category.AIR,
}
# The landing figure a landing activity's `troops` stand for when it is not given apart.
_LANDING_MEASURE = {
    ActivityType.AMPHIBIOUS: Measure.AMPHIBIOUS_TROOPS,
    ActivityType.AIRBORNE: Measure.AIRBORNE_TROOPS,
}
_LANDING_MEASURES = (Measure.AMPHIBIOUS_TROOPS, Measure.AIRBORNE_TROOPS)


class ActivityError(ValueError):
    """An activity's data cannot be right (negative numbers, end before start)."""


@dataclass(frozen=True)
class Activity:
    """One military activity of one participating State.

    Numbers are *peaks*: the largest figure at any moment of the activity, because a
    threshold is reached if it is reached at any time (use `from_phases` to take the maximum
    over phases rather than the sum). `state` is the participating State that notifies the
    activity, the one on whose territory it takes place.

    `amphibious_troops` are the troops of an amphibious landing and `airborne_troops` those of
    a parachute drop or heliborne landing; (40.2.1) compares each with its own threshold and
    never their sum. For an AMPHIBIOUS activity `amphibious_troops` default to `troops`, for an
    AIRBORNE one `airborne_troops` do. `outside_zone` marks an activity outside the zone of
    application for CSBMs: it is not subject to notification, observation or the constraints
    (for the United States and Canada only activities inside the zone count).
    `without_advance_notice` marks an alert ("snap") activity (41). `duration_hours`, when
    known, decides the 72-hour rule for alert activities; otherwise it is bounded from the
    dates. The last three dates record what
    the State has done: notified, included in an annual calendar, announced two years ahead (70).
    """

    id: str
    state: str
    type: ActivityType
    start: date
    end: date
    troops: int = 0
    battle_tanks: int = 0
    acvs: int = 0
    artillery: int = 0
    amphibious_troops: int | None = None
    airborne_troops: int | None = None
    sorties: int = 0
    without_advance_notice: bool = False
    outside_zone: bool = False
    duration_hours: int | None = None
    divisional_structure: bool | None = None
    brigades_or_regiments: int | None = None
    notified_on: date | None = None
    in_calendar_on: date | None = None
    announced_on: date | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ActivityError(f"{self.id}: ends on {self.end} before it starts on {self.start}")
        for name in ("troops", "battle_tanks", "acvs", "artillery", "amphibious_troops",
                     "airborne_troops", "sorties",
                     "duration_hours", "brigades_or_regiments"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ActivityError(f"{self.id}: {name} must be a whole number of 0 or more")

    def count(self, measure: Measure) -> int:
        """The activity's peak number for `measure`."""
        if measure in _LANDING_MEASURES:
            given = getattr(self, measure.value)
            if given is not None:
                return int(given)
            return self.troops if _LANDING_MEASURE.get(self.type) is measure else 0
        return int(getattr(self, measure.value))

    @property
    def categories(self) -> tuple[Category, ...]:
        """The Chapter V categories whose thresholds apply.

        Its type's category, and the landing category when a land forces activity or a
        transfer includes a landing: (40.2) landings are notifiable in their own right.
        """
        own = self.type.category
        if own in (Category.LAND_FORCES, Category.TRANSFER) and any(
                self.count(m) for m in _LANDING_MEASURES):
            return (own, Category.LANDING)
        return (own,)

    @property
    def days(self) -> int:
        """Calendar days on which the activity runs, first and last included."""
        return (self.end - self.start).days + 1

    def raised(self, measure: Measure, by: int) -> Activity:
        """A copy with `measure` raised by `by` (for what-if questions and tests)."""
        changes: dict[str, Any] = {measure.value: self.count(measure) + by}
        return replace(self, **changes)

    @classmethod
    def from_phases(cls, phases: Iterable[Phase], **details: Any) -> Activity:
        """An activity whose dates span its phases and whose numbers are the phase maxima."""
        phases = list(phases)
        if not phases:
            raise ActivityError("an activity needs at least one phase")
        peaks = peak_counts(phases)
        counts: dict[str, Any] = {m.value: peaks[m] for m in Measure if m in peaks}
        return cls(
            start=min(p.start for p in phases),
            end=max(p.end for p in phases),
            **counts,
            **details,
        )


@dataclass(frozen=True)
class Phase:
    """One phase of an activity (transfer, deployment, active phase, recovery) and its numbers."""

    name: str
    start: date
    end: date
    counts: Mapping[Measure, int] = field(default_factory=dict)


def peak_counts(phases: Iterable[Phase]) -> dict[Measure, int]:
    """For each measure, the largest figure in any phase (never the sum over phases)."""
    peaks: dict[Measure, int] = {}
    for phase in phases:
        for measure, value in phase.counts.items():
            peaks[measure] = max(peaks.get(measure, 0), value)
    return peaks

