"""What one observer recorded: a validated, immutable observation.

An observation is never overwritten: merging links it to an event, locating reads it. Each one
points from a known observer position along a bearing (or a compass sector) to a distance band,
which is the wedge the merge and locate modules work with (domain reference, "Geolocation").
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from typing import Any


class ObservationError(ValueError):
    """An observation field holds a value the engine cannot use; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ObserverKind(enum.StrEnum):
    PATROL = "patrol"
    OBSERVATION_POINT = "observation_point"
    CAMERA = "camera"
    DRONE = "drone"


class Method(enum.StrEnum):
    """How the event was perceived: the SMM's "heard", "saw" and a camera's "recorded"."""

    HEARD = "heard"
    SAW = "saw"
    RECORDED = "recorded"


class Category(enum.StrEnum):
    """Kinds of ceasefire violation as the SMM reported them (domain reference, 1.2)."""

    EXPLOSION_UNDETERMINED = "explosion_undetermined"
    AIRBURST = "airburst"
    EXPLOSION_WEAPON = "explosion_weapon"
    PROJECTILE_IN_FLIGHT = "projectile_in_flight"
    MUZZLE_FLASH = "muzzle_flash"
    ILLUMINATION_FLARE = "illumination_flare"
    BURST = "burst"
    SHOT = "shot"


COMPASS_16 = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
              "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")
COMPASS_8 = COMPASS_16[::2]
_COMPASSES = {16: COMPASS_16, 8: COMPASS_8}

# The largest count the count column holds on every supported database (PostgreSQL `integer`);
# hofburg.core.bounds.MAX_COUNT is the same number (engines import no other hofburg package).
MAX_COUNT = 2**31 - 1
# Half the Earth's circumference: no point on Earth lies farther from an observer.
MAX_DISTANCE_KM = 20_000.0


@dataclass(frozen=True)
class Direction:
    """An azimuth interval from the observer: centre and half-width in degrees from true north."""

    centre_deg: float
    half_width_deg: float


def sector_direction(sector: str, compass_points: int = 16) -> Direction:
    """The azimuth interval of a compass sector: one point ("NNE") or a clockwise run ("ENE-ESE").

    A point covers the directions nearer to it than to its neighbours on its compass, so "NE" is
    22.5 degrees wide on the 16-point compass and 45 degrees wide on the 8-point one. A run covers
    its first to its last point clockwise, at most half the compass (the SMM wrote "1-4 km
    east-north-east, east and east-south-east" for one camera record).
    """
    points = _COMPASSES.get(compass_points)
    if points is None:
        raise ObservationError("compass_points", "must be 8 or 16")
    names = [name.strip().upper() for name in sector.split("-")]
    if len(names) not in (1, 2) or any(name not in points for name in names):
        raise ObservationError(
            "sector", f"{sector!r} is not a point or a run 'FROM-TO' of the "
                      f"{compass_points}-point compass ({', '.join(points)})")
    first, last = points.index(names[0]), points.index(names[-1])
    cells = (last - first) % compass_points + 1
    if cells > compass_points // 2:
        raise ObservationError("sector", f"{sector!r} spans more than half the compass")
    step = 360.0 / compass_points
    centre = (first * step + (cells - 1) * step / 2) % 360.0
    return Direction(centre_deg=centre, half_width_deg=cells * step / 2)


@dataclass(frozen=True)
class Observation:
    """One observer's record of one or more reports of one kind, as entered.

    `count` is a lower bound: the SMM reported bursts and shots as "at least N". Exactly one of
    `bearing_deg` (true bearing from the observer) and `sector` (compass point or run, read on a
    `compass_points` compass) is given. The distance band is optional (an observer may hear a
    direction without a distance), but its two ends come together.
    """

    observation_id: str
    observed_at: datetime
    observer_id: str
    observer_kind: ObserverKind
    observer_lon: float
    observer_lat: float
    method: Method
    category: Category
    weapon_class: str | None = None
    count: int = 1
    bearing_deg: float | None = None
    sector: str | None = None
    distance_km_min: float | None = None
    distance_km_max: float | None = None
    compass_points: int = 16
    notes: str = ""

    def __post_init__(self) -> None:
        for name in ("observation_id", "observer_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ObservationError(name, "must be a non-empty string")
        if not isinstance(self.observed_at, datetime):
            raise ObservationError("observed_at", "must be a datetime")
        if self.observed_at.tzinfo is None or self.observed_at.utcoffset() is None:
            # A naive time cannot be placed in a 19:30-local reporting period.
            raise ObservationError("observed_at", "must be timezone-aware")
        object.__setattr__(self, "observer_kind", _member(ObserverKind, "observer_kind",
                                                          self.observer_kind))
        object.__setattr__(self, "method", _member(Method, "method", self.method))
        object.__setattr__(self, "category", _member(Category, "category", self.category))
        _check_coordinate("observer_lon", self.observer_lon, 180.0)
        _check_coordinate("observer_lat", self.observer_lat, 90.0)
        if (isinstance(self.count, bool) or not isinstance(self.count, int)
                or not 1 <= self.count <= MAX_COUNT):
            raise ObservationError("count", f"must be a whole number from 1 to {MAX_COUNT}")
        if self.weapon_class is not None and (
                not isinstance(self.weapon_class, str) or not self.weapon_class.strip()):
            raise ObservationError("weapon_class", "must be a non-empty string or absent")
        self._check_direction()
        self._check_distance_band()

    def _check_direction(self) -> None:
        if self.compass_points not in _COMPASSES:
            raise ObservationError("compass_points", "must be 8 or 16")
        if (self.bearing_deg is None) == (self.sector is None):
            raise ObservationError("bearing_deg", "give exactly one of bearing_deg and sector")
        if self.bearing_deg is not None:
            if not _is_number(self.bearing_deg) or not 0.0 <= self.bearing_deg <= 360.0:
                raise ObservationError("bearing_deg", "must be a number from 0 to 360")
            # Forms and compasses write north as 360 as often as 0.
            object.__setattr__(self, "bearing_deg", float(self.bearing_deg) % 360.0)
        else:
            if not isinstance(self.sector, str):
                raise ObservationError("sector", "must be a compass point such as 'NNE'")
            sector_direction(self.sector, self.compass_points)

    def _check_distance_band(self) -> None:
        low, high = self.distance_km_min, self.distance_km_max
        if (low is None) != (high is None):
            missing = "distance_km_max" if high is None else "distance_km_min"
            raise ObservationError(missing, "a distance band needs both ends")
        if low is None or high is None:
            return
        for name, value in (("distance_km_min", low), ("distance_km_max", high)):
            if not _is_number(value) or not 0 <= value <= MAX_DISTANCE_KM:
                raise ObservationError(name, f"must be a number of kilometres from 0 to "
                                             f"{MAX_DISTANCE_KM:g}")
        if low > high:
            raise ObservationError("distance_km_min", "must not exceed distance_km_max")
        if high == 0:
            raise ObservationError("distance_km_max", "must be more than 0")

    @property
    def direction(self) -> Direction:
        """The azimuth interval the observer reported (half-width 0 for a bearing)."""
        if self.bearing_deg is not None:
            return Direction(centre_deg=float(self.bearing_deg), half_width_deg=0.0)
        assert self.sector is not None  # guaranteed by validation
        return sector_direction(self.sector, self.compass_points)

    @property
    def has_bearing(self) -> bool:
        return self.bearing_deg is not None

    @property
    def has_distance_band(self) -> bool:
        return self.distance_km_max is not None


# The observation's fields, spelled out once (above) and read from there by every list of them:
# the desk's model, the CSV import's header, the database rows.
OBSERVATION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Observation))
# The fields an observation must give (those without a default), in order.
REQUIRED_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Observation)
                                         if f.default is MISSING)
# The columns of an observations file: every field but the compass the sector is read on (a
# file's sectors are on the 16-point compass), in the fields' order.
FILE_FIELDS: tuple[str, ...] = tuple(name for name in OBSERVATION_FIELDS
                                     if name != "compass_points")
_FIELD_NAMES = frozenset(OBSERVATION_FIELDS)


_SEEN_AS = {"heard": "heard", "saw": "seen", "recorded": "recorded"}


@dataclass(frozen=True)
class ObservationBounds:
    """What a mission accepts as a possible observation, beyond the form of each field.

    `latest`: nothing is observed after it (the caller's "now" plus the clock skew a device may
    have). `earliest`: nothing is observed before it (the start of the mission's mandate).
    `max_distance_km`: the farthest end of a distance band per method (the mission's
    parameters, `engine.limits`). A bound left as None (or a method not named) is not checked.
    """

    latest: datetime | None = None
    earliest: datetime | None = None
    max_distance_km: Mapping[Method, float] = field(default_factory=dict)

    def check(self, observation: Observation) -> None:
        """ObservationError naming the field when `observation` lies outside the bounds."""
        moment = observation.observed_at
        if self.latest is not None and moment > self.latest:
            raise ObservationError("observed_at", f"{moment.isoformat()} is in the future "
                                                  f"(after {self.latest.isoformat()})")
        if self.earliest is not None and moment < self.earliest:
            raise ObservationError("observed_at", f"{moment.isoformat()} is before the "
                                                  f"mission's mandate began "
                                                  f"({self.earliest.date().isoformat()})")
        limit = self.max_distance_km.get(observation.method)
        far = observation.distance_km_max
        if limit is not None and far is not None and far > limit:
            raise ObservationError("distance_km_max", f"{far:g} km is farther than the "
                                                      f"mission accepts for what is "
                                                      f"{_SEEN_AS[observation.method]} (at "
                                                      f"most {limit:g} km)")


def observation_from_mapping(data: Mapping[str, Any], bounds: ObservationBounds | None = None
                             ) -> Observation:
    """An observation from plain data (a CSV row, a JSON object); ISO 8601 text for the time.

    Unknown keys are an error rather than silently dropped: a misspelt column would otherwise
    lose its data. An observation outside `bounds` is an error: nothing is observed in the
    future or before the mission's mandate, nor heard farther than the mission accepts.
    """
    unknown = sorted(set(data) - _FIELD_NAMES)
    if unknown:
        raise ObservationError(unknown[0], "is not an observation field")
    values = _with_time(data)
    for name in REQUIRED_FIELDS:
        if values.get(name) in (None, ""):
            raise ObservationError(name, "is required")
    _read_numbers(values)
    observation = Observation(**values)
    if bounds is not None:
        bounds.check(observation)
    return observation


def _with_time(data: Mapping[str, Any]) -> dict[str, Any]:
    """The values, the time given as text read as ISO 8601."""
    values = dict(data)
    observed_at = values.get("observed_at")
    if isinstance(observed_at, str):
        try:
            values["observed_at"] = datetime.fromisoformat(observed_at)
        except ValueError:
            raise ObservationError("observed_at", f"{observed_at!r} is not an ISO 8601 time") \
                from None
    return values


def _read_numbers(values: dict[str, Any]) -> None:
    """Empty optional fields as None, numbers and counts given as text read (in place)."""
    for name in ("sector", "weapon_class", "bearing_deg", "distance_km_min", "distance_km_max"):
        if values.get(name) == "":
            values[name] = None
    for name in ("observer_lon", "observer_lat", "bearing_deg", "distance_km_min",
                 "distance_km_max"):
        if isinstance(values.get(name), str):
            values[name] = _parse_float(name, values[name])
    for name in ("count", "compass_points"):
        if isinstance(values.get(name), str):
            values[name] = _parse_int(name, values[name])


def _member(kind: type[enum.StrEnum], field: str, value: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ObservationError(field, f"{value!r} is not one of {allowed}") from None


def _is_number(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _check_coordinate(field: str, value: object, limit: float) -> None:
    if not _is_number(value) or not -limit <= value <= limit:  # type: ignore[operator]
        raise ObservationError(field, f"must be a number in [-{limit:g}, {limit:g}]")


def _parse_float(field: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ObservationError(field, f"{text!r} is not a number") from None


def _parse_int(field: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ObservationError(field, f"{text!r} is not a whole number") from None
