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
    ObservationBounds,
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
    out = values.astype(object)
    out[np.isnan(values)] = None
    return list(out.tolist())


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
                        bounds: ObservationBounds | None = None
                        ) -> tuple[ObservationColumns, list[RowError]]:
    """Validate text records (each as wide as `header`; "" is an absent value) as observations.

    Returns the columns of the valid records, in their order, and an error for each invalid
    one, exactly as `observation_from_mapping` (with the same `bounds`) would have raised it for
    that record. The common
    case is checked a column at a time; only the records that fail a column check are looked
    at one by one, through `observation_from_mapping` itself.
    """
    if not records:
        return empty_columns(), []
    check = _Check(header, records)
    check.unknown_and_required()
    parsed = _Parsed.read(check, bounds)
    errors = parsed.recheck(check, bounds)
    return parsed.columns(check), errors


class _Check:
    """The records' text by column, and which records a column check found suspect."""

    def __init__(self, header: Sequence[str], records: Sequence[Sequence[str]]) -> None:
        position = {name: k for k, name in enumerate(header)}
        self.n = len(records)
        text = list(zip(*records, strict=True))
        self.column: dict[str, Sequence[str]] = {name: text[k] for name, k in position.items()}
        self.blank: Sequence[str] = ("",) * self.n
        self.suspect = np.zeros(self.n, dtype=bool)

    def flag(self, bad: Iterable[int]) -> None:
        for k in bad:
            self.suspect[k] = True

    def col(self, name: str) -> Sequence[str]:
        return self.column.get(name, self.blank)

    def unknown_and_required(self) -> None:
        """Flag values in unknown columns (and compass_points, which only the rule reads) and
        required values that are missing or white space."""
        for name, given in self.column.items():
            if name not in _READ:
                self.flag(k for k, v in enumerate(given) if v)
        # Each column is scanned at C speed first; the rows are looked for only where one is
        # bad. (For a value that is not empty, `not v.strip()` is `v.isspace()`.)
        for name in REQUIRED_FIELDS:
            values = self.col(name)
            if "" in values:
                self.flag(k for k, v in enumerate(values) if not v)
            if name in ("observation_id", "observer_id") and any(map(str.isspace, values)):
                self.flag(k for k, v in enumerate(values) if v.isspace())

    def numbers(self, name: str) -> FloatArray:
        """A column of optional numbers, NaN where empty; text that is no number is suspect."""
        read = _numbers(self.col(name), self.suspect)
        given = self.col(name)
        self.flag(k for k in np.flatnonzero(np.isnan(read)).tolist() if given[k])
        return read


@dataclass
class _Parsed:
    """The records' values as the column checks read them (suspect records aside)."""

    observed_at: list[datetime | None]
    stamps: FloatArray  # the times as POSIX seconds
    offsets: NDArray[np.int32]
    kinds: NDArray[np.int8]
    methods: NDArray[np.int8]
    categories: NDArray[np.int8]
    lon: FloatArray
    lat: FloatArray
    count: NDArray[np.int64]
    weapon: list[str | None]
    sector: list[str | None]
    compass: NDArray[np.int8]
    has_bearing: NDArray[np.bool_]
    centre: FloatArray
    half: FloatArray
    low: FloatArray
    high: FloatArray

    @classmethod
    def read(cls, check: _Check, bounds: ObservationBounds | None) -> _Parsed:
        suspect, col = check.suspect, check.col
        observed_at = _times(col("observed_at"), suspect)
        # POSIX seconds, NaN for a time that is not read (already suspect): the stored column,
        # and the bounds compared a column at a time.
        stamps = np.fromiter((t.timestamp() if t is not None and t.utcoffset() is not None
                              else math.nan for t in observed_at), dtype=np.float64,
                             count=len(observed_at))
        bounds = bounds or ObservationBounds()
        with np.errstate(invalid="ignore"):
            if bounds.latest is not None:
                suspect |= stamps > bounds.latest.timestamp()
            if bounds.earliest is not None:
                suspect |= stamps < bounds.earliest.timestamp()
        lon = _numbers(col("observer_lon"), suspect)
        lat = _numbers(col("observer_lat"), suspect)
        suspect |= ~((lon >= -180.0) & (lon <= 180.0)) | ~((lat >= -90.0) & (lat <= 90.0))
        count = _whole(col("count"), suspect, default=1)
        suspect |= (count < 1) | (count > MAX_COUNT)
        weapon_text = col("weapon_class")
        if any(map(str.isspace, weapon_text)):
            check.flag(k for k, v in enumerate(weapon_text) if v.isspace())
        sector, has_bearing, centre, half = _directions(check)
        low, high = _distance_band(check)
        methods = _codes(col("method"), METHODS, suspect)
        if bounds.max_distance_km:
            # The farthest distance per method, compared a column at a time (NaN: no band).
            farthest = np.array([bounds.max_distance_km.get(m, math.inf) for m in METHODS])
            with np.errstate(invalid="ignore"):
                suspect |= high > farthest[methods]
        return cls(
            observed_at=observed_at, stamps=stamps,
            offsets=np.array([_offset_minutes(t) if t is not None else 0 for t in observed_at],
                             dtype=np.int32),
            kinds=_codes(col("observer_kind"), OBSERVER_KINDS, suspect),
            methods=methods,
            categories=_codes(col("category"), CATEGORIES, suspect),
            lon=lon, lat=lat, count=count, weapon=[v or None for v in weapon_text],
            sector=sector, compass=np.full(check.n, 16, dtype=np.int8),
            has_bearing=has_bearing, centre=centre, half=half, low=low, high=high)

    def recheck(self, check: _Check, bounds: ObservationBounds | None) -> list[RowError]:
        """Each suspect record through the rule itself: an error, or its values as the rule
        read them (the column checks were stricter than the rule: "nne" for "NNE", say)."""
        errors: list[RowError] = []
        for k in np.flatnonzero(check.suspect).tolist():
            data = {name: values[k] for name, values in check.column.items() if values[k] != ""}
            try:
                o = observation_from_mapping(data, bounds)
            except ObservationError as error:
                errors.append(RowError(k, data.get("observation_id", ""), error.field,
                                       error.message))
                continue
            check.suspect[k] = False
            self.take(k, o)
        return errors

    def take(self, k: int, o: Observation) -> None:
        """Record k's values from the rule's observation."""
        self.observed_at[k] = o.observed_at
        self.stamps[k] = o.observed_at.timestamp()
        self.offsets[k] = _offset_minutes(o.observed_at)
        self.kinds[k] = OBSERVER_KINDS.index(o.observer_kind)
        self.methods[k] = METHODS.index(o.method)
        self.categories[k] = CATEGORIES.index(o.category)
        self.lon[k], self.lat[k], self.count[k] = o.observer_lon, o.observer_lat, o.count
        self.weapon[k], self.sector[k], self.compass[k] = (o.weapon_class, o.sector,
                                                           o.compass_points)
        self.has_bearing[k] = o.bearing_deg is not None
        direction = o.direction
        self.centre[k], self.half[k] = direction.centre_deg, direction.half_width_deg
        self.low[k] = math.nan if o.distance_km_min is None else o.distance_km_min
        self.high[k] = math.nan if o.distance_km_max is None else o.distance_km_max

    def columns(self, check: _Check) -> ObservationColumns:
        """The columns of the records that are not suspect."""
        good = np.flatnonzero(~check.suspect)
        keep = good.tolist()
        shared: dict[str, str] = {}

        def share(value: str | None) -> str | None:
            return None if value is None else shared.setdefault(value, value)

        ids, observers, notes = (check.col("observation_id"), check.col("observer_id"),
                                 check.col("notes"))
        return ObservationColumns(
            observation_id=[ids[k] for k in keep],
            observed_at=self.stamps[good],
            utc_offset_minutes=self.offsets[good],
            observer_id=[share(observers[k]) for k in keep],  # type: ignore[misc]
            observer_kind=self.kinds[good], observer_lon=self.lon[good],
            observer_lat=self.lat[good], method=self.methods[good],
            category=self.categories[good],
            weapon_class=[share(self.weapon[k]) for k in keep],
            count=self.count[good],
            bearing_deg=np.where(self.has_bearing, self.centre, np.nan)[good],
            sector=[share(self.sector[k]) for k in keep],
            compass_points=self.compass[good],
            distance_km_min=self.low[good], distance_km_max=self.high[good],
            notes=[share(notes[k]) or "" for k in keep],
            centre_deg=self.centre[good], half_width_deg=self.half[good],
        )


def _directions(check: _Check
                ) -> tuple[list[str | None], NDArray[np.bool_], FloatArray, FloatArray]:
    """(sectors, has a bearing, centre, half-width): a bearing from 0 to 360 or a sector of
    the 16-point compass, exactly one of the two; anything else suspect."""
    suspect = check.suspect
    bearing = _numbers(check.col("bearing_deg"), suspect)
    sector = [v or None for v in check.col("sector")]
    has_bearing = ~np.isnan(bearing)
    has_sector = np.array([s is not None for s in sector], dtype=bool)
    suspect |= has_bearing == has_sector
    # Bearings: finite, 0..360 (a NaN that was written as "nan" fails here too).
    bearing_text = check.col("bearing_deg")
    check.flag(k for k in np.flatnonzero(~has_bearing).tolist() if bearing_text[k])
    suspect |= has_bearing & ~((bearing >= 0.0) & (bearing <= 360.0))
    with np.errstate(invalid="ignore"):  # an infinite bearing is already suspect
        centre = np.where(has_bearing, np.mod(bearing, 360.0), 0.0)
    half = np.zeros(check.n)
    directions = sector_texts()
    for k in np.flatnonzero(has_sector & ~has_bearing).tolist():
        found = directions.get(sector[k])  # type: ignore[arg-type]
        if found is None:
            suspect[k] = True
        else:
            centre[k], half[k] = found
    return sector, has_bearing, centre, half


def _distance_band(check: _Check) -> tuple[FloatArray, FloatArray]:
    """The distance band, NaN where not given; given in part, backwards or out of range
    suspect."""
    low = check.numbers("distance_km_min")
    high = check.numbers("distance_km_max")
    band = ~np.isnan(low)
    with np.errstate(invalid="ignore"):
        check.suspect |= band != ~np.isnan(high)
        check.suspect |= band & ~((low >= 0) & (high >= 0) & np.isfinite(low)
                                  & np.isfinite(high) & (low <= high) & (high > 0)
                                  & (high <= MAX_DISTANCE_KM))
    return low, high


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
