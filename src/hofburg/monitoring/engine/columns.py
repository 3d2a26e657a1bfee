"""Many observations as columns: the form a large import is validated, merged and stored in.

A million `Observation` objects cost seconds to build and hundreds of megabytes to hold; the
same observations as numpy columns (with the few text fields as lists of shared strings) cost a
fraction of both, and the merge reads its arrays straight from them. Every row of a column set
is valid by construction: `observation_columns` checks each value exactly as
`observation_from_mapping` does (same rules, same field named on an error, same message), and
`ObservationColumns.observation` gives back the `Observation` of one row.

Enumerations are stored as small integers, indexes into `OBSERVER_KINDS`, `METHODS` and
`CATEGORIES`; absent numbers (a bearing where a sector was given, a missing distance band) are
NaN; absent texts are None.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hofburg.monitoring.engine.observations import (
    COMPASS_16,
    FILE_FIELDS,
    MAX_COUNT,
    MAX_DISTANCE_KM,
    REQUIRED_FIELDS,
    Category,
    Method,
    Observation,
    ObservationError,
    ObserverKind,
    observation_from_mapping,
    sector_direction,
)

FloatArray = NDArray[np.float64]

OBSERVER_KINDS: tuple[ObserverKind, ...] = tuple(ObserverKind)
METHODS: tuple[Method, ...] = tuple(Method)
CATEGORIES: tuple[Category, ...] = tuple(Category)


@dataclass(frozen=True, eq=False)
class ObservationColumns:
    """Valid observations, one row per index across every column."""

    observation_id: list[str]
    observed_at: FloatArray  # POSIX seconds
    utc_offset_minutes: NDArray[np.int32]  # the offset the time was given with
    observer_id: list[str]
    observer_kind: NDArray[np.int8]  # index into OBSERVER_KINDS
    observer_lon: FloatArray
    observer_lat: FloatArray
    method: NDArray[np.int8]  # index into METHODS
    category: NDArray[np.int8]  # index into CATEGORIES
    weapon_class: list[str | None]
    count: NDArray[np.int64]
    bearing_deg: FloatArray  # NaN where a sector was given; 360 is stored as 0
    sector: list[str | None]
    compass_points: NDArray[np.int8]
    distance_km_min: FloatArray  # NaN without a distance band
    distance_km_max: FloatArray
    notes: list[str]
    centre_deg: FloatArray  # the direction as an azimuth interval (a bearing's half-width is 0)
    half_width_deg: FloatArray

    def __len__(self) -> int:
        return len(self.observation_id)

    def take(self, rows: NDArray[np.intp] | Sequence[int]) -> ObservationColumns:
        """The given rows, in the given order."""
        index = np.asarray(rows, dtype=np.intp)
        picked = index.tolist()
        values: dict[str, Any] = {}
        for f in fields(self):
            column = getattr(self, f.name)
            values[f.name] = ([column[k] for k in picked] if isinstance(column, list)
                              else column[index])
        return ObservationColumns(**values)

    def rows(self, start: int, end: int) -> ObservationColumns:
        """Rows start..end-1 as they are: slices of the lists, views of the arrays (which no
        reader of columns writes to)."""
        return ObservationColumns(**{f.name: getattr(self, f.name)[start:end]
                                     for f in fields(self)})

    @classmethod
    def concat(cls, parts: Sequence[ObservationColumns]) -> ObservationColumns:
        """The rows of several column sets, one after the other."""
        if not parts:
            return empty_columns()
        values: dict[str, Any] = {}
        for f in fields(cls):
            first = getattr(parts[0], f.name)
            if isinstance(first, list):
                values[f.name] = [v for part in parts for v in getattr(part, f.name)]
            else:
                values[f.name] = np.concatenate([getattr(part, f.name) for part in parts])
        return cls(**values)

    @classmethod
    def of(cls, observations: Iterable[Observation]) -> ObservationColumns:
        """The columns of already validated observations."""
        rows = list(observations)
        direction = [o.direction for o in rows]
        kinds = {kind: k for k, kind in enumerate(OBSERVER_KINDS)}
        methods = {method: k for k, method in enumerate(METHODS)}
        categories = {category: k for k, category in enumerate(CATEGORIES)}
        return cls(
            observation_id=[o.observation_id for o in rows],
            observed_at=np.array([o.observed_at.timestamp() for o in rows], dtype=np.float64),
            utc_offset_minutes=np.array([_offset_minutes(o.observed_at) for o in rows],
                                        dtype=np.int32),
            observer_id=[o.observer_id for o in rows],
            observer_kind=np.array([kinds[o.observer_kind] for o in rows], dtype=np.int8),
            observer_lon=np.array([o.observer_lon for o in rows], dtype=np.float64),
            observer_lat=np.array([o.observer_lat for o in rows], dtype=np.float64),
            method=np.array([methods[o.method] for o in rows], dtype=np.int8),
            category=np.array([categories[o.category] for o in rows], dtype=np.int8),
            weapon_class=[o.weapon_class for o in rows],
            count=np.array([o.count for o in rows], dtype=np.int64),
            bearing_deg=np.array([math.nan if o.bearing_deg is None else o.bearing_deg
                                  for o in rows], dtype=np.float64),
            sector=[o.sector for o in rows],
            compass_points=np.array([o.compass_points for o in rows], dtype=np.int8),
            distance_km_min=_floats(o.distance_km_min for o in rows),
            distance_km_max=_floats(o.distance_km_max for o in rows),
            notes=[o.notes for o in rows],
            centre_deg=np.array([d.centre_deg for d in direction], dtype=np.float64),
            half_width_deg=np.array([d.half_width_deg for d in direction], dtype=np.float64),
        )

    def moment(self, k: int) -> datetime:
        """Row k's time as given: the instant in the offset it was written with."""
        # Local time from the epoch, not fromtimestamp: a time near 0001-01-01 or 9999-12-31
        # is valid in its own offset even where its UTC time is out of range.
        minutes = int(self.utc_offset_minutes[k])
        local = _EPOCH + timedelta(seconds=float(self.observed_at[k]), minutes=minutes)
        return local.replace(tzinfo=_zone(minutes))

    def observation(self, k: int) -> Observation:
        """Row k as an engine observation."""
        bearing = float(self.bearing_deg[k])
        low, high = float(self.distance_km_min[k]), float(self.distance_km_max[k])
        return Observation(
            observation_id=self.observation_id[k], observed_at=self.moment(k),
            observer_id=self.observer_id[k],
            observer_kind=OBSERVER_KINDS[int(self.observer_kind[k])],
            observer_lon=float(self.observer_lon[k]), observer_lat=float(self.observer_lat[k]),
            method=METHODS[int(self.method[k])], category=CATEGORIES[int(self.category[k])],
            count=int(self.count[k]), bearing_deg=None if math.isnan(bearing) else bearing,
            sector=self.sector[k], distance_km_min=None if math.isnan(low) else low,
            distance_km_max=None if math.isnan(high) else high,
            weapon_class=self.weapon_class[k], compass_points=int(self.compass_points[k]),
            notes=self.notes[k])


def empty_columns() -> ObservationColumns:
    return ObservationColumns.of([])


_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose: local times are built on it


def _floats(values: Iterable[float | None]) -> FloatArray:
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


def none_for_nan(values: FloatArray) -> list[float | None]:
    """The values as a list, None where NaN (an absent figure, as JSON and SQL write it)."""
    return [None if v != v else v for v in values.tolist()]  # NaN is the only v != v


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


@cache
def _zone(minutes: int) -> timezone:
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


# --- reading text columns ---------------------------------------------------------------------

_READ = frozenset(FILE_FIELDS)  # the columns checked a column at a time


@dataclass(frozen=True)
class RowError:
    """Why one record is not a valid observation: its index, id as given, field and message."""

    index: int
    observation_id: str
    field: str
    message: str


def observation_columns(header: Sequence[str], records: Sequence[Sequence[str]],
                        latest: datetime | None = None
                        ) -> tuple[ObservationColumns, list[RowError]]:
    """Validate text records (each as wide as `header`; "" is an absent value) as observations.

    Returns the columns of the valid records, in their order, and an error for each invalid
    one, exactly as `observation_from_mapping` (with the same `latest`) would have raised it for
    that record. The common
    case is checked a column at a time; only the records that fail a column check are looked
    at one by one, through `observation_from_mapping` itself.
    """
    position = {name: k for k, name in enumerate(header)}
    n = len(records)
    if n == 0:
        return empty_columns(), []
    text = list(zip(*records, strict=True))
    column: dict[str, Sequence[str]] = {name: text[k] for name, k in position.items()}
    blank: Sequence[str] = ("",) * n
    suspect = np.zeros(n, dtype=bool)

    def flag(bad: Iterable[int]) -> None:
        for k in bad:
            suspect[k] = True

    def col(name: str) -> Sequence[str]:
        return column.get(name, blank)

    # Unknown keys (and compass_points, which only the rule reads) and required values.
    for name, given in column.items():
        if name not in _READ:
            flag(k for k, v in enumerate(given) if v)
    # Each column is scanned at C speed first; the rows are looked for only where one is bad.
    # (For a value that is not empty, `not v.strip()` is `v.isspace()`.)
    for name in REQUIRED_FIELDS:
        values = col(name)
        if "" in values:
            flag(k for k, v in enumerate(values) if not v)
        if name in ("observation_id", "observer_id") and any(map(str.isspace, values)):
            flag(k for k, v in enumerate(values) if v.isspace())
    observed_at = _times(col("observed_at"), suspect)
    if latest is not None:
        flag(k for k, t in enumerate(observed_at)
             if t is not None and t.utcoffset() is not None and t > latest)
    offsets = np.array([_offset_minutes(t) if t is not None else 0 for t in observed_at],
                       dtype=np.int32)
    kinds = _codes(col("observer_kind"), OBSERVER_KINDS, suspect)
    methods = _codes(col("method"), METHODS, suspect)
    categories = _codes(col("category"), CATEGORIES, suspect)
    lon = _numbers(col("observer_lon"), suspect)
    lat = _numbers(col("observer_lat"), suspect)
    suspect |= ~((lon >= -180.0) & (lon <= 180.0)) | ~((lat >= -90.0) & (lat <= 90.0))
    count = _whole(col("count"), suspect, default=1)
    suspect |= (count < 1) | (count > MAX_COUNT)
    weapon_text = col("weapon_class")
    weapon = [v or None for v in weapon_text]
    if any(map(str.isspace, weapon_text)):
        flag(k for k, v in enumerate(weapon_text) if v.isspace())
    bearing = _numbers(col("bearing_deg"), suspect)
    sector = [v or None for v in col("sector")]
    has_bearing = ~np.isnan(bearing)
    has_sector = np.array([s is not None for s in sector], dtype=bool)
    suspect |= has_bearing == has_sector
    # Bearings: finite, 0..360 (a NaN that was written as "nan" fails here too).
    bearing_text = col("bearing_deg")
    flag(k for k in np.flatnonzero(~has_bearing).tolist() if bearing_text[k])
    suspect |= has_bearing & ~((bearing >= 0.0) & (bearing <= 360.0))
    with np.errstate(invalid="ignore"):  # an infinite bearing is already suspect
        centre = np.where(has_bearing, np.mod(bearing, 360.0), 0.0)
    half = np.zeros(n)
    directions = sector_texts()
    for k in np.flatnonzero(has_sector & ~has_bearing).tolist():
        found = directions.get(sector[k])  # type: ignore[arg-type]
        if found is None:
            suspect[k] = True
        else:
            centre[k], half[k] = found
    low = _numbers(col("distance_km_min"), suspect)
    high = _numbers(col("distance_km_max"), suspect)
    for name, read in (("distance_km_min", low), ("distance_km_max", high)):
        given = col(name)
        flag(k for k in np.flatnonzero(np.isnan(read)).tolist() if given[k])
    band = ~np.isnan(low)
    with np.errstate(invalid="ignore"):
        suspect |= band != ~np.isnan(high)
        suspect |= band & ~((low >= 0) & (high >= 0) & np.isfinite(low) & np.isfinite(high)
                            & (low <= high) & (high > 0) & (high <= MAX_DISTANCE_KM))
    compass = np.full(n, 16, dtype=np.int8)
    ids = col("observation_id")
    observers = col("observer_id")
    notes = col("notes")

    errors: list[RowError] = []
    for k in np.flatnonzero(suspect).tolist():
        data = {name: values[k] for name, values in column.items() if values[k] != ""}
        try:
            o = observation_from_mapping(data, latest)
        except ObservationError as error:
            errors.append(RowError(k, data.get("observation_id", ""), error.field, error.message))
            continue
        # The column checks were stricter than the rule ("nne" for "NNE", say): take the
        # record's values as the rule read them.
        suspect[k] = False
        observed_at[k] = o.observed_at
        offsets[k] = _offset_minutes(o.observed_at)
        kinds[k] = OBSERVER_KINDS.index(o.observer_kind)
        methods[k] = METHODS.index(o.method)
        categories[k] = CATEGORIES.index(o.category)
        lon[k], lat[k], count[k] = o.observer_lon, o.observer_lat, o.count
        weapon[k], sector[k], compass[k] = o.weapon_class, o.sector, o.compass_points
        has_bearing[k] = o.bearing_deg is not None
        direction = o.direction
        centre[k], half[k] = direction.centre_deg, direction.half_width_deg
        low[k] = math.nan if o.distance_km_min is None else o.distance_km_min
        high[k] = math.nan if o.distance_km_max is None else o.distance_km_max
    good = np.flatnonzero(~suspect)
    keep = good.tolist()
    shared: dict[str, str] = {}

    def share(value: str | None) -> str | None:
        return None if value is None else shared.setdefault(value, value)

    columns = ObservationColumns(
        observation_id=[ids[k] for k in keep],
        observed_at=np.array([observed_at[k].timestamp() for k in keep],  # type: ignore[union-attr]
                             dtype=np.float64),
        utc_offset_minutes=offsets[good],
        observer_id=[share(observers[k]) for k in keep],  # type: ignore[misc]
        observer_kind=kinds[good], observer_lon=lon[good], observer_lat=lat[good],
        method=methods[good], category=categories[good],
        weapon_class=[share(weapon[k]) for k in keep],
        count=count[good], bearing_deg=np.where(has_bearing, centre, np.nan)[good],
        sector=[share(sector[k]) for k in keep],
        compass_points=compass[good],
        distance_km_min=low[good], distance_km_max=high[good],
        notes=[share(notes[k]) or "" for k in keep],
        centre_deg=centre[good], half_width_deg=half[good],
    )
    return columns, errors


def _times(values: Sequence[str], suspect: NDArray[np.bool_]) -> list[datetime | None]:
    parse = datetime.fromisoformat
    try:
        times: list[datetime | None] = [parse(v) for v in values]
    except ValueError:
        times = []
        for k, v in enumerate(values):
            try:
                times.append(parse(v))
            except ValueError:
                times.append(None)
                suspect[k] = True
    for k, t in enumerate(times):
        if t is not None and t.utcoffset() is None:
            suspect[k] = True
    return times


def _codes(values: Sequence[str], members: Sequence[Any], suspect: NDArray[np.bool_]
           ) -> NDArray[np.int8]:
    lookup = {member.value: k for k, member in enumerate(members)}
    codes = np.fromiter(map(lookup.get, values, itertools.repeat(-1)), dtype=np.int8,
                        count=len(values))
    suspect |= codes < 0
    return np.maximum(codes, 0)


def _numbers(values: Sequence[str], suspect: NDArray[np.bool_]) -> FloatArray:
    """The values as floats, NaN where empty; an unreadable or infinite value is suspect."""
    try:
        # map at C speed where no value is empty (the common case for most columns).
        numbers = np.fromiter(map(float, values) if "" not in values else
                              (float(v) if v else math.nan for v in values), dtype=np.float64,
                              count=len(values))
    except ValueError:
        numbers = np.full(len(values), math.nan)
        for k, v in enumerate(values):
            if v:
                try:
                    numbers[k] = float(v)
                except ValueError:
                    suspect[k] = True
    suspect |= np.isinf(numbers)
    return numbers


def _whole(values: Sequence[str], suspect: NDArray[np.bool_], default: int) -> NDArray[np.int64]:
    if "" not in values:
        try:
            return np.fromiter(map(int, values), dtype=np.int64, count=len(values))
        except (ValueError, OverflowError):
            pass  # found one by one below
    out = np.full(len(values), default, dtype=np.int64)
    for k, v in enumerate(values):
        if v:
            try:
                out[k] = int(v)
            except (ValueError, OverflowError):
                suspect[k] = True
    return out


@cache
def sector_texts() -> dict[str, tuple[float, float]]:
    """Every sector text the 16-point compass accepts, as written in a file, to its interval."""
    table: dict[str, tuple[float, float]] = {}
    points = COMPASS_16
    for first in points:
        for last in (None, *points):
            text = first if last is None else f"{first}-{last}"
            try:
                direction = sector_direction(text, 16)
            except ObservationError:
                continue
            table[text] = (direction.centre_deg, direction.half_width_deg)
    return table
