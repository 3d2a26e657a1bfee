"""Observations between the engine and the database: validated rows, stored records, provenance.

The observation's fields are the engine's (`engine.observations.OBSERVATION_FIELDS`); every
list of them here is read from there. A stored observation holds those fields (the time in UTC,
with the offset it was given with in `utc_offset_minutes`) and what the desk adds: who submitted
it, its classification, its status and its event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone
from functools import cache
from typing import Any, NamedTuple

from django.utils import timezone

from hofburg.core.bounds import CLOCK_SKEW
from hofburg.core.models import Classification, User
from hofburg.monitoring.engine.observations import (
    OBSERVATION_FIELDS,
    ObservationBounds,
    ObservationError,
    observation_from_mapping,
)
from hofburg.monitoring.engine.observations import Observation as Reported
from hofburg.monitoring.errors import SubmissionInvalid
from hofburg.monitoring.mission import observation_limits, reporting_calendar
from hofburg.monitoring.models import Observation

# What an observer reported, as the model stores it: the engine's fields, with the offset the
# time was given with after the time.
REPORTED_COLUMNS: tuple[str, ...] = (*OBSERVATION_FIELDS[:2], "utc_offset_minutes",
                                     *OBSERVATION_FIELDS[2:])
# The fields a correction may change: every one but the id.
CORRECTABLE_FIELDS: tuple[str, ...] = OBSERVATION_FIELDS[1:]
# Stored as the engine's enumeration's value.
_CHOICE_FIELDS = frozenset({"observer_kind", "method", "category"})
# Stored as "" where the engine has None.
_BLANK_TEXT_FIELDS = frozenset({"sector", "weapon_class"})


class Row(NamedTuple):
    """A validated observation in a compact form (a million of them must fit in memory)."""

    observed_at: datetime
    observation_id: str
    observer_id: str
    observer_kind: str
    observer_lon: float
    observer_lat: float
    method: str
    category: str
    weapon_class: str | None
    at_least: int
    bearing_deg: float | None
    sector: str | None
    compass_points: int
    distance_km_min: float | None
    distance_km_max: float | None
    notes: str

    @classmethod
    def of(cls, o: Reported) -> Row:
        # Interning shares the few distinct observer ids and weapon classes among many rows.
        intern = _intern
        return cls(o.observed_at, o.observation_id, intern(o.observer_id),
                   o.observer_kind.value, o.observer_lon, o.observer_lat, o.method.value,
                   o.category.value, intern(o.weapon_class) if o.weapon_class else None, o.count,
                   o.bearing_deg, intern(o.sector) if o.sector else None, o.compass_points,
                   o.distance_km_min, o.distance_km_max, o.notes)

    def database_values(self, adapt: Callable[[datetime], Any]) -> tuple[Any, ...]:
        """The values of REPORTED_COLUMNS, the time as `adapt` makes it."""
        return (self.observation_id, adapt(self.observed_at), offset_minutes(self.observed_at),
                self.observer_id,
                self.observer_kind, self.observer_lon, self.observer_lat, self.method,
                self.category, self.weapon_class or "", self.at_least, self.bearing_deg,
                self.sector or "", self.distance_km_min, self.distance_km_max,
                self.compass_points, self.notes)


_interned: dict[str, str] = {}


def _intern(text: str) -> str:
    return _interned.setdefault(text, text)


def reported_of(record: Observation) -> Reported:
    """The engine's observation of a stored one, with its time in the offset it was given."""
    values = {name: getattr(record, name) for name in OBSERVATION_FIELDS}
    values["observed_at"] = record.observed_at.astimezone(
        UTC if not record.utc_offset_minutes else _offset(record.utc_offset_minutes))
    for name in _BLANK_TEXT_FIELDS:
        values[name] = values[name] or None
    return Reported(**values)


def store_reported(record: Observation, reported: Reported) -> None:
    """Set a stored observation's reported fields (all but the id) from the engine's."""
    for name in CORRECTABLE_FIELDS:
        value = getattr(reported, name)
        if name in _CHOICE_FIELDS:
            value = value.value
        elif name in _BLANK_TEXT_FIELDS and value is None:
            value = ""
        setattr(record, name, value)
    record.utc_offset_minutes = offset_minutes(reported.observed_at)


@cache
def _offset(minutes: int) -> dt_timezone:
    return dt_timezone(timedelta(minutes=minutes))


def offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def latest_observation_time() -> datetime:
    """The latest time an observation may carry: now, plus the skew a device's clock may have
    (`core.bounds.CLOCK_SKEW`, the bound the API and the forms state)."""
    return timezone.now() + CLOCK_SKEW


def observation_bounds() -> ObservationBounds:
    """The bounds of an observation received now: not after now plus the clock skew, not
    before the mission's mandate, not farther than its method reaches (`mission`)."""
    return observation_limits().bounds(latest_observation_time(), reporting_calendar().zone)


def validate_observation(data: Mapping[str, Any]) -> Reported:
    """The engine's observation from plain data; SubmissionInvalid names the faulty field."""
    try:
        return observation_from_mapping({k: v for k, v in data.items() if v is not None},
                                        observation_bounds())
    except ObservationError as error:
        raise SubmissionInvalid(error.field, error.message) from None
    except TypeError as error:
        raise SubmissionInvalid("observation", str(error)) from None


@dataclass(frozen=True)
class Provenance:
    """Who and what new records carry: classification, owner, exercise mark, batch."""

    actor: User | None
    classification: str = Classification.RESTRICTED
    owner_affiliation_id: int | None = None
    is_exercise: bool = False
    batch_id: int | None = None


def provenance(actor: User | None, classification: str | None, is_exercise: bool
               ) -> Provenance:
    """What new records from `actor` carry; SubmissionInvalid for an unknown classification."""
    level = classification or Classification.RESTRICTED
    if level not in Classification.values:
        raise SubmissionInvalid("classification", f"{level!r} is not a classification level")
    return Provenance(actor=actor, classification=level,
                      owner_affiliation_id=actor.affiliation_id if actor else None,
                      is_exercise=is_exercise)
