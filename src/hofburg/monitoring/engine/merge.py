"""Merging: which observations from different observers are the same event, and why.

Every observation is a wedge: its direction widened by the bearing tolerance of its method, and
its distance band widened by the distance tolerance (the domain reference's "Geolocation" and
"Deduplication rule"). Two observations are consistent when they come from different observers
within the time window, their categories share a group, their weapon classes agree (or one is
undetermined), and their wedges overlap. Observations are then taken in time order; each joins
the event all of whose members it is consistent with and whose shared area its wedge meets, and
otherwise opens an event of its own. An observation that could join two events joins the nearer
in time and the event is flagged for an analyst.

An event keeps its members' ids (raw observations are never changed), counts "at least" the
largest member count (the same burst seen twice is not two bursts), takes the most specific
category and the determined weapon class ("the more clear information overrules"), and is keyed
by its first observation so that the key stays stable across runs.

The parameters are mission parameters in data/monitoring/merge_rules.yaml, not rules of a text.

The merge reads observations as columns (`merge_columns`; `merge_observations` converts). Each
wedge is drawn in the local frame about another observer's position exactly as a pair's test
needs it, once; whether wedges meet is first settled by points that lie inside all of them by a
margin no rounding can cross (see `_common`), and only where no such point is known does GEOS
draw and intersect the polygons. Shared areas are intersected member by member in the members'
order, as `shapely.intersection_all` does, so every decision, area and text is the same as
intersecting them all at once.
"""

from __future__ import annotations

import gc
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import cache, cached_property
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import yaml
from numpy.typing import NDArray

from hofburg.monitoring.engine.columns import (
    CATEGORIES,
    METHODS,
    OBSERVER_KINDS,
    ObservationColumns,
    none_for_nan,
)
from hofburg.monitoring.engine.geodesy import (
    FloatArray,
    distances_m,
    to_local,
    to_lonlat,
    wedge_ring,
)
from hofburg.monitoring.engine.locate import (
    BearingArrays,
    Fix,
    LocateError,
    LocateParameters,
    SectorArea,
    assembler,
    sector_areas,
    solve_fixes,
)
from hofburg.monitoring.engine.observations import (
    Category,
    Method,
    Observation,
)

# Vertices per arc of a wedge polygon: the chord sags at most 0.15 % of the range inside a
# 60-degree wedge, far below any distance tolerance.
_ARC_POINTS = 16
_EARTH_RADIUS_KM = 6371.0
_UNDETERMINED_WEAPON = "undetermined"
_KEPT_APART_NOTES = 3
_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose: local times are built on it


class MergeError(ValueError):
    """The observations cannot be merged as given (for instance, an id used twice)."""


class MergeRulesError(ValueError):
    """The merge ruleset is malformed; the message names the key."""


@dataclass(frozen=True)
class CategoryGroup:
    """Categories that may describe one event, from the least to the most specific."""

    name: str
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class MergeRules:
    """The mission's merge parameters (see data/monitoring/merge_rules.yaml for each reason)."""

    time_window_seconds: float
    bearing_tolerance_deg: Mapping[Method, float]
    distance_tolerance_fraction: float
    distance_tolerance_min_km: float
    unknown_distance_max_km: float
    category_groups: tuple[CategoryGroup, ...]
    bearing_sigma_deg: Mapping[Method, float]
    locate: LocateParameters

    def group_of(self, category: Category) -> str:
        """The name of the category's group; a category in no group is a group of its own."""
        for group in self.category_groups:
            if category in group.categories:
                return group.name
        return category.value

    def specificity(self, category: Category) -> int:
        for group in self.category_groups:
            if category in group.categories:
                return group.categories.index(category)
        return 0


@dataclass(frozen=True)
class CandidateRegion:
    """The area common to the wedges of an event's members, its centroid and size.

    The area is drawn in the local frame about the first member's observer (x east and y north
    in metres); `polygon` puts it on the ground when asked for, which storing an event never
    does.
    """

    local: shapely.Geometry  # a Polygon, or a MultiPolygon where annular wedges meet twice
    anchor_lon: float
    anchor_lat: float
    centroid_lon: float
    centroid_lat: float
    area_km2: float

    @cached_property
    def polygon(self) -> shapely.Geometry:
        """The area in lon/lat, each vertex placed from the local frame."""
        x, y = shapely.get_coordinates(self.local).T
        lon, lat = to_lonlat(self.anchor_lon, self.anchor_lat, x, y)
        return shapely.set_coordinates(shapely.transform(self.local, lambda c: c),
                                       np.column_stack([lon, lat]))


Location = Fix | CandidateRegion | SectorArea

# A note of an explanation. The frequent ones (an observation opening or joining an event, one
# kept apart, how the event was located) are a tuple (kind, *values) of plain values, kept as a
# JSON array and written out as a sentence by `explain`; the rare ones are sentences already.
Note = str | tuple[Any, ...]


@dataclass(frozen=True)
class Event:
    """One event as merged from one or more observations, with the reasons for the merge."""

    event_key: str
    observation_ids: tuple[str, ...]
    observer_ids: tuple[str, ...]
    category: Category
    weapon_class: str | None
    count_at_least: int
    first_observed_at: datetime
    last_observed_at: datetime
    location: Location
    explanation: tuple[Note, ...]  # see explain
    needs_review: bool

    @property
    def number_of_sources(self) -> int:
        return len(self.observer_ids)

    @property
    def location_method(self) -> str:
        return located_at(self.location)[2]

    @property
    def position(self) -> tuple[float, float]:
        lon, lat, _method = located_at(self.location)
        return lon, lat


def located_at(location: Location) -> tuple[float, float, str]:
    """(lon, lat, method) of a location: the fix, or the centroid of the area; the method
    "fix" (bearings' least squares), "common_area" (wedges) or "sector" (one observer)."""
    if isinstance(location, Fix):
        return location.lon, location.lat, "fix"
    return (location.centroid_lon, location.centroid_lat,
            "common_area" if isinstance(location, CandidateRegion) else "sector")


def explain(notes: Iterable[Any]) -> list[str]:
    """The sentences of an explanation as stored: each note written out (see Note), a
    sentence kept as it is. An "opens" note starts the list of members that later "joins"
    notes name."""
    members: list[str] = []
    lines = []
    for note in notes:
        if isinstance(note, str):
            lines.append(note)
            continue
        kind, *values = note
        writer = _WRITERS.get(kind)
        # A kind this version does not know (written by a later one) is shown as stored.
        lines.append(writer(values, members) if writer else json.dumps(note))
    return lines


def _opens(values: list[Any], members: list[str]) -> str:
    members[:] = [values[0]]
    return f"{values[0]} opens the event: {_describe(values)}"


def _joins(values: list[Any], members: list[str]) -> str:
    waited, window, category, relation, weapon = values[12:17]
    observation, first = values[0], members[0] if members else "?"
    if relation is None:
        related = f"category {category} as {first}"
    else:
        group, first_category = relation
        related = f"category {category} in group '{group}' with {first_category}"
    text = (f"{observation} joins: {_describe(values)}; {waited:.0f} s after {first} "
            f"(window {window:g} s); {related}; weapon {weapon} compatible; its wedge overlaps "
            f"those of {', '.join(members)}" + (" and the area they share" if len(members) > 1
                                                 else ""))
    members.append(observation)
    return text


def _describe(values: list[Any]) -> str:
    """An observation as an "opens" or "joins" note gives it: (id, observer, kind, method,
    POSIX seconds, UTC offset in minutes, bearing or [sector, centre, half-width], bearing
    tolerance, distance from, distance to (None if not reported), wedge from, wedge to)."""
    _, observer, kind, method, seconds, minutes, aim, tolerance, low, high, inner, outer = (
        values[:12])
    local = _EPOCH + timedelta(seconds=seconds, minutes=minutes)
    when = local.replace(tzinfo=_zone(minutes)).isoformat()
    direction = (f"sector {aim[0]} ({_interval(aim[1], aim[2])})" if isinstance(aim, list | tuple)
                 else f"bearing {aim:g} deg")
    band = "distance not reported" if low is None else f"{low:g}-{high:g} km"
    return (f"{observer} ({kind}, {method}) at {when}, {direction} +-{tolerance:g} deg, {band} "
            f"(wedge {inner:g}-{outer:g} km)")


def _apart(values: list[Any], members: list[str]) -> str:
    observation, observer = values[:2]
    if len(values) > 2:
        km, reach, other_reach = values[2:5]
        reason = (f"the observers are {km:.1f} km apart, beyond the {reach:g} + "
                  f"{other_reach:g} km their wedges reach")
    else:
        reason = "their wedges do not overlap"
    return f"kept apart from {observation} ({observer}): {reason}"


def _fix(values: list[Any], members: list[str]) -> str:
    count, crossing, confidence, major, minor, orientation = values[:6]
    return (f"located by the least-squares fix of {count} bearings (crossing {crossing:.0f} "
            f"deg; {confidence:.0%} ellipse {major:.0f} x {minor:.0f} m, major axis "
            f"{orientation:.0f} deg)")


_WRITERS: dict[str, Callable[[list[Any], list[str]], str]] = {
    "opens": _opens,
    "joins": _joins,
    "apart": _apart,
    "fix": _fix,
    "sector": lambda values, _: f"located by one observer's wedge ({values[0]:.2f} km2)",
    "area": lambda values, _: f"located by the area the members' wedges share "
                              f"({values[0]:.2f} km2)",
}


def load_merge_rules(path: str | Path) -> MergeRules:
    """The merge ruleset from a YAML file."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return merge_rules_from_mapping(data)


def merge_rules_from_mapping(data: Mapping[str, Any]) -> MergeRules:
    """The merge ruleset from parsed YAML or JSON; MergeRulesError names the faulty key."""
    if not isinstance(data, Mapping):
        raise MergeRulesError("the ruleset must be a mapping")
    if data.get("status") != "mission-parameter":
        raise MergeRulesError("status: the merge ruleset must be labelled mission-parameter")
    distance = _section(data, "distance_tolerance")
    locate = _section(data, "locate")
    groups = []
    seen: set[Category] = set()
    for index, entry in enumerate(data.get("category_groups") or []):
        where = f"category_groups[{index}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise MergeRulesError(f"{where}: needs a name and categories")
        try:
            categories = tuple(Category(value) for value in entry.get("categories") or [])
        except ValueError as error:
            raise MergeRulesError(f"{where}.categories: {error}") from None
        if seen.intersection(categories):
            raise MergeRulesError(f"{where}.categories: a category is in two groups")
        seen.update(categories)
        groups.append(CategoryGroup(name=entry["name"], categories=categories))
    sigma = _per_method(locate, "bearing_sigma_deg", "locate.")
    try:
        locate_parameters = LocateParameters(
            bearing_sigma_deg=_positive(_section(locate, "bearing_sigma_deg", "locate."),
                                        "default", "locate.bearing_sigma_deg."),
            min_crossing_angle_deg=_positive(locate, "min_crossing_angle_deg", "locate."),
            ellipse_confidence=_positive(locate, "ellipse_confidence", "locate."),
        )
    except LocateError as error:
        raise MergeRulesError(f"locate: {error}") from None
    return MergeRules(
        time_window_seconds=_positive(data, "time_window_seconds"),
        bearing_tolerance_deg=_per_method(data, "bearing_tolerance_deg"),
        distance_tolerance_fraction=_positive(distance, "fraction", "distance_tolerance.",
                                              allow_zero=True),
        distance_tolerance_min_km=_positive(distance, "minimum_km", "distance_tolerance.",
                                            allow_zero=True),
        unknown_distance_max_km=_positive(data, "unknown_distance_max_km"),
        category_groups=tuple(groups),
        bearing_sigma_deg=sigma,
        locate=locate_parameters,
    )


def merge_observations(observations: Sequence[Observation], rules: MergeRules) -> list[Event]:
    """The events the observations describe, in time order, each with its explanation."""
    return merge_columns(ObservationColumns.of(observations), rules)


def merge_columns(columns: ObservationColumns, rules: MergeRules) -> list[Event]:
    """The events of observations given as columns, in time order, each with its explanation.

    The rows may come in any order: they are taken by (time, observation_id).
    """
    ids = columns.observation_id
    if len(set(ids)) != len(ids):
        counts = Counter(ids)
        duplicate = next(i for i in ids if counts[i] > 1)
        raise MergeError(f"observation_id {duplicate!r} occurs more than once")
    if not ids:
        return []
    order = time_order(columns.observed_at, ids)
    if not np.array_equal(order, np.arange(len(ids))):  # else in order already (a stretch)
        columns = columns.take(order)
    with collector_paused():
        table = _Table.build(columns, rules)
        texts = _Texts.build(table, rules)
        pairs = _consistent_pairs(table, rules, texts)
        clusters = _cluster(table, rules, pairs, texts)
        events = _events(table, rules, pairs, texts, clusters)
        del table, texts, pairs, clusters  # freed here, not scanned when collecting resumes
    return events


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for work that builds many small objects and no
    reference cycles (a merge: a few hundred thousand; an import: millions), where the
    collector's passes over the growing heap would cost a fifth of the merge and more than
    reading the file. Reference counting still frees what is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def time_order(time: FloatArray, ids: Sequence[str]) -> NDArray[np.intp]:
    """Rows by (time, id): a stable sort on time, then each run of equal times by id."""
    order = np.argsort(time, kind="stable")
    ordered = time[order]
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return order
    edges = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)))
    rows = order.tolist()
    for first, last in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
        rows[first:last + 1] = sorted(rows[first:last + 1], key=ids.__getitem__)
    return np.array(rows, dtype=np.intp)


# --- the observations as arrays -------------------------------------------------------------


@dataclass
class _Table:
    columns: ObservationColumns  # in time order; row k of every array is row k here
    time: FloatArray
    observer: NDArray[np.intp]
    lon: FloatArray
    lat: FloatArray
    group: NDArray[np.intp]
    weapon: NDArray[np.intp]  # -1 where undetermined
    centre: FloatArray
    own_half: FloatArray  # the half-width as reported (a sector's), before the tolerance
    half: FloatArray
    inner_km: FloatArray
    outer_km: FloatArray
    inner_m: FloatArray = field(init=False)
    outer_m: FloatArray = field(init=False)
    band_m: FloatArray = field(init=False)
    box: FloatArray = field(init=False)  # each ring's x_min, x_max, y_min, y_max
    # What a point must pass to lie inside a drawn wedge by a safe margin (see _inside).
    sure_cos: FloatArray = field(init=False)
    sure_near: FloatArray = field(init=False)
    sure_far: FloatArray = field(init=False)
    # The rings (see ring) of unit radius, one per distinct direction, and each row's.
    unit_x: FloatArray = field(init=False)
    unit_y: FloatArray = field(init=False)
    direction: NDArray[np.intp] = field(init=False)

    def __post_init__(self) -> None:
        self.inner_m, self.outer_m = self.inner_km * 1000, self.outer_km * 1000
        # The sines and cosines of a ring depend on its direction alone, which many rows share.
        _, first, self.direction = _distinct(self.centre, self.half)
        self.unit_x, self.unit_y = wedge_ring(self.centre[first], self.half[first], 1.0, 1.0,
                                              _ARC_POINTS)
        self.band_m = self.outer_m - self.inner_m
        # Scaling by a radius keeps the order of the values: the box of a ring is its unit
        # ring's arcs' extremes, scaled.
        outer, inner = self.outer_m, self.inner_m
        arcs = []
        for unit in (self.unit_x, self.unit_y):
            arc, back = unit[:, :_ARC_POINTS], unit[:, _ARC_POINTS:]
            low = np.column_stack([arc.min(axis=1), back.min(axis=1)])[self.direction]
            high = np.column_stack([arc.max(axis=1), back.max(axis=1)])[self.direction]
            arcs += [np.minimum(outer * low[:, 0], inner * low[:, 1]),
                     np.maximum(outer * high[:, 0], inner * high[:, 1])]
        self.box = np.column_stack(arcs)
        self.sure_cos = np.where(self.half > _SURE_DEG,
                                 np.cos(np.radians(self.half - _SURE_DEG)), 2.0)
        self.sure_near = self.inner_m + _SURE_M
        self.sure_far = (self.outer_m * np.cos(np.radians(self.half / (_ARC_POINTS - 1)))
                         - _SURE_M)

    def ring(self, rows: NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
        """The wedges of rows about their own observers, (rows, 2 * _ARC_POINTS) each of x
        and y in metres: wedge_ring of each row's direction and distance band."""
        d = self.direction[rows]
        outer, inner = self.outer_m[rows][:, None], self.inner_m[rows][:, None]
        rings = []
        for unit in (self.unit_x, self.unit_y):
            ring = np.empty((len(rows), 2 * _ARC_POINTS))
            np.multiply(unit[d, :_ARC_POINTS], outer, out=ring[:, :_ARC_POINTS])
            np.multiply(unit[d, _ARC_POINTS:], inner, out=ring[:, _ARC_POINTS:])
            rings.append(ring)
        return rings[0], rings[1]

    @classmethod
    def build(cls, columns: ObservationColumns, rules: MergeRules) -> _Table:
        n = len(columns)
        observers: dict[str, int] = {}
        observer = np.fromiter((observers.setdefault(o, len(observers))
                                for o in columns.observer_id), dtype=np.intp, count=n)
        names = [rules.group_of(category) for category in CATEGORIES]
        numbered = {name: k for k, name in enumerate(dict.fromkeys(names))}
        group = np.array([numbered[name] for name in names], dtype=np.intp)[columns.category]
        weapons: dict[str | None, int] = {None: -1, _UNDETERMINED_WEAPON: -1}
        weapon = np.fromiter((weapons.setdefault(w, len(weapons) - 2)
                              for w in columns.weapon_class), dtype=np.intp, count=n)
        tolerance = np.array([rules.bearing_tolerance_deg[m] for m in METHODS])[columns.method]
        low, high = columns.distance_km_min, columns.distance_km_max
        known = ~(np.isnan(low) | np.isnan(high))
        slack = np.maximum(rules.distance_tolerance_min_km,
                           rules.distance_tolerance_fraction * high)
        return cls(
            columns=columns, time=columns.observed_at, observer=observer,
            lon=columns.observer_lon, lat=columns.observer_lat, group=group, weapon=weapon,
            centre=columns.centre_deg, own_half=columns.half_width_deg,
            half=np.minimum(columns.half_width_deg + tolerance, 179.0),
            inner_km=np.where(known, np.maximum(0.0, low - slack), 0.0),
            outer_km=np.where(known, high + slack, rules.unknown_distance_max_km),
        )


def _distinct(*columns: FloatArray
              ) -> tuple[NDArray[np.void], NDArray[np.intp], NDArray[np.intp]]:
    """The distinct rows of float columns (bit for bit), a row of each, and each row's one."""
    stacked = np.ascontiguousarray(np.column_stack(columns), dtype=np.float64)
    keys = stacked.view(np.dtype((np.void, 8 * len(columns)))).ravel()
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return unique, first, inverse.ravel()


class _Frames:
    """Observer positions in each other's local frames, computed once per pair of positions."""

    def __init__(self, lon: FloatArray, lat: FloatArray) -> None:
        _, first, index = _distinct(lon, lat)
        self.lon, self.lat = lon[first], lat[first]
        self.index = index.astype(np.int64)

    def _unique(self, i: NDArray[np.intp], j: NDArray[np.intp]
                ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.intp]]:
        key = self.index[i] * len(self.lon) + self.index[j]
        keys, inverse = np.unique(key, return_inverse=True)
        return keys // len(self.lon), keys % len(self.lon), inverse.ravel()

    def local(self, i: NDArray[np.intp], j: NDArray[np.intp]
              ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """to_local of each j's observer in the frame about i's observer."""
        a, b, inverse = self._unique(i, j)
        x, y, gamma = to_local(self.lon[a], self.lat[a], self.lon[b], self.lat[b])
        return x[inverse], y[inverse], gamma[inverse]

    def distance_m(self, i: NDArray[np.intp], j: NDArray[np.intp]) -> FloatArray:
        a, b, inverse = self._unique(i, j)
        return distances_m(self.lon[a], self.lat[a], self.lon[b], self.lat[b])[inverse]


# --- texts ----------------------------------------------------------------------------------


@dataclass
class _Texts:
    """The per-row values of the explanations, built for all rows at once."""

    ids: list[str]
    observers: list[str]
    categories: list[str]
    weapons: list[str]  # the weapon class, "undetermined" where none is determined
    group_names: list[str]
    member: list[tuple[Any, ...]]  # the row as an "opens" or "joins" note describes it

    @classmethod
    def build(cls, table: _Table, rules: MergeRules) -> _Texts:
        c = table.columns
        kinds = [kind.value for kind in OBSERVER_KINDS]
        methods = [method.value for method in METHODS]
        bearing = c.bearing_deg
        aim = [b if given else [s, centre, half]
               for given, b, s, centre, half in zip(
                   (~np.isnan(bearing)).tolist(), bearing.tolist(), c.sector,
                   c.centre_deg.tolist(), c.half_width_deg.tolist(), strict=True)]
        member = list(zip(
            c.observation_id, c.observer_id, [kinds[k] for k in c.observer_kind.tolist()],
            [methods[m] for m in c.method.tolist()], c.observed_at.tolist(),
            c.utc_offset_minutes.tolist(), aim, (table.half - table.own_half).tolist(),
            none_for_nan(c.distance_km_min), none_for_nan(c.distance_km_max),
            table.inner_km.tolist(),
            table.outer_km.tolist(), strict=True))
        categories = [category.value for category in CATEGORIES]
        names = [rules.group_of(category) for category in CATEGORIES]
        codes = c.category.tolist()
        return cls(
            ids=c.observation_id, observers=c.observer_id,
            categories=[categories[k] for k in codes],
            weapons=[_UNDETERMINED_WEAPON if w < 0 else c.weapon_class[k] or ""
                     for k, w in enumerate(table.weapon.tolist())],
            group_names=[names[k] for k in codes],
            member=member,
        )


@cache
def _zone(minutes: int) -> timezone:
    """The zone of an offset, as ObservationColumns.moment takes it."""
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


def _interval(centre: float, half_width: float) -> str:
    return f"{(centre - half_width) % 360:g}-{(centre + half_width) % 360:g} deg"


# --- pairs ----------------------------------------------------------------------------------

_APART_REACH, _APART_WEDGES = 1, 2
# Points tried as common points of several wedges: along two wedges' centre lines and where
# the lines cross; and the margins by which such a point must lie inside every drawn wedge for
# no rounding to matter.
_RAY_POINTS = 16
_RAY = (np.arange(_RAY_POINTS) + 0.5) / _RAY_POINTS
_CANDIDATES = 2 * _RAY_POINTS
_BITS = np.left_shift(1, np.arange(_CANDIDATES, dtype=np.int64))
_SURE_DEG = 1e-4
_SURE_M = 1.0


def _candidate_pairs(time: FloatArray, window: float, chunk: int = 20_000
                     ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Every (earlier, later) pair within the window, in chunks to bound memory."""
    n = len(time)
    end = np.searchsorted(time, time + window, side="right")
    for start in range(0, n, chunk):
        first = np.arange(start, min(n, start + chunk))
        lengths = end[first] - first - 1
        total = int(lengths.sum())
        if total == 0:
            continue
        earlier = np.repeat(first, lengths)
        offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        yield earlier, earlier + 1 + offsets


@dataclass
class _Pairs:
    """The consistent pairs (i earlier than j), sorted by (j, i), with j's observer in the
    local frame about i's; their wedges as drawn so far; and the notes on some kept apart."""

    n: int  # rows; a pair (i, j) is keyed i * n + j
    i: NDArray[np.intp]
    j: NDArray[np.intp]
    x: FloatArray
    y: FloatArray
    gamma: FloatArray
    start: list[int]  # the pairs of j: start[j] to start[j + 1]
    earlier: list[int]  # i of each pair, as a list
    number: dict[int, int]  # a pair's key to its position
    wedge: NDArray[np.object_]  # j's wedge in the frame about i's observer, once drawn
    own: NDArray[np.object_]  # each row's wedge about its own observer, once drawn
    # Bit t of common: candidate point t of the pair (see _common) lies inside the wedges
    # of i and j, by a safe margin. For pairwise consistent a < b < c, bit t of
    # through_b[number(a, c) * n + b]: point t of (a, c) lies inside the wedges of a, b and c;
    # of through_c[number(a, b) * n + c]: point t of (a, b) does.
    common: list[int]
    through_b: dict[int, int]
    through_c: dict[int, int]
    apart_start: list[int]  # notes on j: apart_notes[apart_start[j]:apart_start[j + 1]]
    apart_notes: list[Note]


def _consistent_pairs(table: _Table, rules: MergeRules, texts: _Texts) -> _Pairs:
    """Earlier observations consistent with each one, and a few same-kind ones kept apart."""
    n = len(table.time)
    frames = _Frames(table.lon, table.lat)
    own = np.full(n, None, dtype=object)
    found: list[tuple[NDArray[Any], ...]] = []
    apart_i: list[NDArray[np.intp]] = []
    apart_j: list[NDArray[np.intp]] = []
    apart_why: list[NDArray[np.intp]] = []
    for i, j in _candidate_pairs(table.time, rules.time_window_seconds):
        keep = ((table.observer[i] != table.observer[j]) & (table.group[i] == table.group[j])
                & ((table.weapon[i] == table.weapon[j]) | (table.weapon[i] < 0)
                   | (table.weapon[j] < 0)))
        i, j = i[keep], j[keep]
        # A quick flat-earth screen: observers further apart than both wedges reach.
        mean_lat = np.radians((table.lat[i] + table.lat[j]) / 2)
        dx = np.radians(table.lon[j] - table.lon[i]) * np.cos(mean_lat)
        dy = np.radians(table.lat[j] - table.lat[i])
        apart = _EARTH_RADIUS_KM * np.hypot(dx, dy)
        near = apart <= 1.01 * (table.outer_km[i] + table.outer_km[j]) + 0.1
        apart_i.append(i[~near])
        apart_j.append(j[~near])
        apart_why.append(np.full(int((~near).sum()), _APART_REACH))
        i, j = i[near], j[near]
        if len(i) == 0:
            continue
        x, y, gamma = frames.local(i, j)
        overlap, wedges, common = _wedges_overlap(table, own, i, j, x, y, gamma)
        found.append((i[overlap], j[overlap], x[overlap], y[overlap], gamma[overlap],
                      wedges[overlap], common[overlap]))
        apart_i.append(i[~overlap])
        apart_j.append(j[~overlap])
        apart_why.append(np.full(int((~overlap).sum()), _APART_WEDGES))
    if found:
        i, j, x, y, gamma, wedges, common = (np.concatenate(parts)
                                             for parts in zip(*found, strict=True))
    else:
        i, j = np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        x = y = gamma = np.zeros(0)
        wedges = np.zeros(0, dtype=object)
        common = np.zeros(0, dtype=np.int64)
    order = np.lexsort((i, j))
    i, j, x, y, gamma, wedges, common = (i[order], j[order], x[order], y[order], gamma[order],
                                         wedges[order], common[order])
    number = dict(zip((i.astype(np.int64) * n + j).tolist(), range(len(i)), strict=True))
    start = np.searchsorted(j, np.arange(n + 1))
    through_b, through_c = _through(table, i, j, (x, y, gamma), common, start, number)
    apart_start, apart_notes = _kept_apart(table, texts, frames, apart_i, apart_j, apart_why)
    return _Pairs(n=n, i=i, j=j, x=x, y=y, gamma=gamma, start=start.tolist(),
                  earlier=i.tolist(), number=number, wedge=wedges, own=own,
                  common=common.tolist(), through_b=through_b, through_c=through_c,
                  apart_start=apart_start, apart_notes=apart_notes)


def _placed_rings(table: _Table, j: NDArray[np.intp], x: FloatArray, y: FloatArray,
                  gamma: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The rings of wedges j turned by the convergence gamma about their observers, then moved
    to their observers' places (x, y) in another frame."""
    g = np.radians(gamma)[:, None]
    cos, sin = np.cos(g), np.sin(g)
    rx, ry = table.ring(j)
    return rx * cos + ry * sin + x[:, None], ry * cos - rx * sin + y[:, None]


def _wedges_overlap(table: _Table, own: NDArray[np.object_], i: NDArray[np.intp],
                    j: NDArray[np.intp], x: FloatArray, y: FloatArray, gamma: FloatArray
                    ) -> tuple[NDArray[np.bool_], NDArray[np.object_], NDArray[np.int64]]:
    """Whether each pair's wedges overlap, in the local frame about the earlier observer; the
    later wedge in that frame where GEOS had to draw it; and the pair's common candidates."""
    xs, ys = _placed_rings(table, j, x, y, gamma)
    # Wedges whose bounding boxes are apart cannot meet.
    box = table.box[i]
    test = np.flatnonzero((xs.min(axis=1) <= box[:, 1]) & (xs.max(axis=1) >= box[:, 0])
                          & (ys.min(axis=1) <= box[:, 3]) & (ys.max(axis=1) >= box[:, 2]))
    # Wedges sharing a candidate point (by a safe margin) do; GEOS decides the rest.
    common = np.zeros(len(i), dtype=np.int64)
    common[test] = _common(table, i[test], j[test], x[test], y[test], gamma[test])[0]
    overlap = common != 0
    wedges = np.full(len(i), None, dtype=object)
    k = test[common[test] == 0]
    if len(k):
        first = i[k]
        _draw_own(table, own, first)
        second = shapely.polygons(np.stack([xs[k], ys[k]], axis=-1))
        overlap[k] = shapely.intersects(own[first], second)
        wedges[k] = second
    return overlap, wedges, common


def _common(table: _Table, i: NDArray[np.intp], j: NDArray[np.intp], x: FloatArray,
            y: FloatArray, gamma: FloatArray) -> tuple[NDArray[np.int64], FloatArray, FloatArray]:
    """Which candidate points of each pair lie inside both wedges, as bits; and the points, in
    the frame about i's observer: along each centre line, and where the two lines cross."""
    zero = np.zeros(len(i))
    a, b = np.radians(table.centre[i]), np.radians(table.centre[j] + gamma)
    ux, uy, vx, vy = np.sin(a), np.cos(a), np.sin(b), np.cos(b)
    reach_i = table.inner_m[i][:, None] + table.band_m[i][:, None] * _RAY[None, 1:]
    reach_j = table.inner_m[j][:, None] + table.band_m[j][:, None] * _RAY[None, :]
    # The crossing: s u = (x, y) + t v for the unit directions u of i's line and v of j's.
    det = vx * uy - ux * vy
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(np.abs(det) > 1e-9, (vx * y - vy * x) / det, np.nan)
    px = np.hstack([reach_i * ux[:, None], x[:, None] + reach_j * vx[:, None],
                    (s * ux)[:, None]])
    py = np.hstack([reach_i * uy[:, None], y[:, None] + reach_j * vy[:, None],
                    (s * uy)[:, None]])
    inside = _inside(table, i, px, py, zero, zero, ux, uy) & _inside(table, j, px, py, x, y,
                                                                     vx, vy)
    return np.asarray(inside @ _BITS, dtype=np.int64), px, py


def _inside(table: _Table, rows: NDArray[np.intp], px: FloatArray, py: FloatArray,
            apex_x: FloatArray, apex_y: FloatArray, ux: FloatArray, uy: FloatArray
            ) -> NDArray[np.bool_]:
    """Whether points (a row of them per wedge) lie inside the drawn wedges of rows, by a safe
    margin, each wedge's apex at (apex_x, apex_y) and its centre line along (ux, uy).

    A wedge drawn with _ARC_POINTS vertices per arc holds every point whose direction from the
    apex is within its half-width and whose distance is between the inner radius and the outer
    arc's chords (the outer radius times the cosine of half the angle between two vertices).
    """
    dx, dy = px - apex_x[:, None], py - apex_y[:, None]
    reach = np.sqrt(dx * dx + dy * dy)
    with np.errstate(invalid="ignore"):
        return ((dx * ux[:, None] + dy * uy[:, None] >= reach * table.sure_cos[rows, None])
                & (reach >= table.sure_near[rows, None]) & (reach <= table.sure_far[rows, None]))


def _through(table: _Table, i: NDArray[np.intp], j: NDArray[np.intp],
             geometry: tuple[FloatArray, FloatArray, FloatArray], common: NDArray[np.int64],
             start: NDArray[np.intp], number: dict[int, int]
             ) -> tuple[dict[int, int], dict[int, int]]:
    """The candidate points inside all three wedges of each triple of pairwise consistent
    observations, as bits (see _Pairs): an event whose members' wedges and j's certainly
    share a point need not be drawn. `geometry` is each pair's (x, y, gamma)."""
    x, y, gamma = geometry
    n = len(table.time)
    # Triples a < b < c: two pairs (a, c) and (b, c), where (a, b) is a pair too.
    lengths = start[j + 1] - np.arange(len(j)) - 1  # the later pairs of the same c
    ac = np.repeat(np.arange(len(j)), lengths)
    bc = ac + 1 + (np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths,
                                                              lengths))
    a, b, c = i[ac], i[bc], j[ac]
    ab = np.array([number.get(key, -1) for key in (a.astype(np.int64) * n + b).tolist()],
                  dtype=np.intp)
    keep = (ab >= 0) & ((common[ac] != 0) | (common[ab] != 0))
    ac, ab, b, c = ac[keep], ab[keep], b[keep], c[keep]
    if len(ac) == 0:
        return {}, {}
    pairs = np.unique(np.concatenate([ac, ab]))
    _, px, py = _common(table, i[pairs], j[pairs], x[pairs], y[pairs], gamma[pairs])
    at = np.searchsorted(pairs, ac), np.searchsorted(pairs, ab)
    g_ab, g_ac = np.radians(table.centre[b] + gamma[ab]), np.radians(table.centre[c] + gamma[ac])
    through_b = (_inside(table, b, px[at[0]], py[at[0]], x[ab], y[ab], np.sin(g_ab),
                         np.cos(g_ab)) @ _BITS) & common[ac]
    through_c = (_inside(table, c, px[at[1]], py[at[1]], x[ac], y[ac], np.sin(g_ac),
                         np.cos(g_ac)) @ _BITS) & common[ab]
    keys_b = (ac.astype(np.int64) * n + b).tolist()
    keys_c = (ab.astype(np.int64) * n + c).tolist()
    return ({key: bits for key, bits in zip(keys_b, through_b.tolist(), strict=True) if bits},
            {key: bits for key, bits in zip(keys_c, through_c.tolist(), strict=True) if bits})


def _draw_own(table: _Table, own: NDArray[np.object_], rows: NDArray[np.intp]) -> None:
    """Draw the wedges of rows about their own observers where not drawn yet."""
    rows = np.unique(rows)
    rows = rows[shapely.is_missing(own[rows])]
    if len(rows):
        own[rows] = shapely.polygons(np.stack(table.ring(rows), axis=-1))


def _pair_wedges(table: _Table, pairs: _Pairs, numbers: NDArray[np.intp]
                 ) -> NDArray[np.object_]:
    """The wedges of pairs (j's in the frame about i's observer), drawing those not drawn yet."""
    todo = np.unique(numbers[shapely.is_missing(pairs.wedge[numbers])])
    if len(todo):
        xs, ys = _placed_rings(table, pairs.j[todo], pairs.x[todo], pairs.y[todo],
                               pairs.gamma[todo])
        pairs.wedge[todo] = shapely.polygons(np.stack([xs, ys], axis=-1))
    return pairs.wedge[numbers]


def _kept_apart(table: _Table, texts: _Texts, frames: _Frames,
                apart_i: list[NDArray[np.intp]], apart_j: list[NDArray[np.intp]],
                apart_why: list[NDArray[np.intp]]) -> tuple[list[int], list[Note]]:
    """The first few same-kind observations kept apart from each one, as notes."""
    n = len(table.time)
    if not apart_i:
        return [0] * (n + 1), []
    i, j, why = np.concatenate(apart_i), np.concatenate(apart_j), np.concatenate(apart_why)
    order = np.lexsort((i, j))
    i, j, why = i[order], j[order], why[order]
    starts = np.searchsorted(j, j, side="left")
    keep = np.arange(len(j)) - starts < _KEPT_APART_NOTES
    i, j, why = i[keep], j[keep], why[keep]
    ids, observers = texts.ids, texts.observers
    notes: list[Note] = [("apart", ids[a], observers[a]) for a in i.tolist()]
    reach = np.flatnonzero(why == _APART_REACH)
    if len(reach):
        a, b = i[reach], j[reach]
        km = frames.distance_m(a, b) / 1000
        for k, d, p, q in zip(reach.tolist(), km.tolist(), table.outer_km[a].tolist(),
                              table.outer_km[b].tolist(), strict=True):
            notes[k] = (*notes[k], d, p, q)
    return np.searchsorted(j, np.arange(n + 1)).tolist(), notes


# --- clusters -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cluster:
    members: list[int]
    observers: set[int]
    # The area all members' wedges share, in the frame of the first member's observer; drawn
    # only when needed, for `region_members` members.
    region: Any = None
    region_members: int = 0
    notes: list[Note] = field(default_factory=list)
    needs_review: bool = False


@dataclass
class _Context:
    """What the clustering loop reads, as plain lists."""

    table: _Table
    pairs: _Pairs
    texts: _Texts
    time: list[float]
    observer: list[int]
    group: list[int]
    weapon: list[int]
    category: list[int]
    window: float
    window_text: str


def _cluster(table: _Table, rules: MergeRules, pairs: _Pairs, texts: _Texts
             ) -> list[_Cluster]:
    context = _Context(table=table, pairs=pairs, texts=texts, time=table.time.tolist(),
                       observer=table.observer.tolist(), group=table.group.tolist(),
                       weapon=table.weapon.tolist(), category=table.columns.category.tolist(),
                       window=rules.time_window_seconds,
                       window_text=f"{rules.time_window_seconds:g}")
    time = context.time
    observer = context.observer
    start, earlier_of = pairs.start, pairs.earlier
    apart_start, apart_notes = pairs.apart_start, pairs.apart_notes
    ids, member = texts.ids, texts.member
    clusters: list[_Cluster] = []
    cluster_of = [-1] * len(time)
    for j in range(len(time)):
        low, high = start[j], start[j + 1]
        if low == high:  # consistent with no earlier observation: opens an event
            notes: list[Note] = [("opens", *member[j])]
            if apart_start[j] != apart_start[j + 1]:
                notes += apart_notes[apart_start[j]:apart_start[j + 1]]
            cluster_of[j] = len(clusters)
            clusters.append(_Cluster([j], {observer[j]}, notes=notes))
            continue
        eligible: list[tuple[float, int]] = []
        refusals: list[Note] = []
        earlier = earlier_of[low:high]
        known: set[int] | None = None
        for c in sorted({cluster_of[i] for i in earlier}) if high - low > 1 else (
                [cluster_of[earlier[0]]]):
            cluster = clusters[c]
            if known is None and len(cluster.members) > 1:
                known = set(earlier)
            reason = _refusal(context, cluster, j, known)
            if reason is None:
                eligible.append((time[j] - time[cluster.members[-1]], c))
            else:
                refusals.append(f"not merged into the event of "
                                f"{ids[cluster.members[0]]}: {reason}")
        if eligible:
            if len(eligible) > 1:
                eligible.sort()
            chosen = clusters[eligible[0][1]]
            note = _join_note(context, chosen, j)
            chosen.members.append(j)
            chosen.observers.add(observer[j])
            chosen.notes.append(note)
            if len(eligible) > 1:
                others = ", ".join(ids[clusters[c].members[0]] for _, c in eligible[1:])
                chosen.notes.append(f"{ids[j]} could also have joined the event of {others}: "
                                    f"joined the nearer in time; for an analyst to confirm")
                chosen.needs_review = True
            if refusals:
                chosen.notes.extend(refusals)
            cluster_of[j] = eligible[0][1]
            continue
        notes = [("opens", *member[j]), *refusals]
        if apart_start[j] != apart_start[j + 1]:
            notes += apart_notes[apart_start[j]:apart_start[j + 1]]
        cluster_of[j] = len(clusters)
        clusters.append(_Cluster([j], {observer[j]}, notes=notes))
    return clusters


def _refusal(context: _Context, cluster: _Cluster, j: int, earlier: set[int] | None
             ) -> str | None:
    members = cluster.members
    first = members[0]
    waited = context.time[j] - context.time[first]
    if waited > context.window:
        return (f"{waited:.0f} s after its first observation, beyond the window of "
                f"{context.window_text} s")
    if context.observer[j] in cluster.observers:
        return f"observer {context.texts.observers[j]} already reported it"
    if len(members) > 1:
        assert earlier is not None
        missing = [m for m in members if m not in earlier]
        if missing:
            return "; ".join(f"not consistent with {context.texts.ids[m]} "
                             f"({_inconsistency(context, m, j)})" for m in missing)
        # A point certainly inside every member's wedge and j's settles it; else GEOS does.
        pairs = context.pairs
        n = pairs.n
        number = pairs.number[first * n + j]
        bits = pairs.common[number]
        for m in members[1:]:
            if not bits:
                break
            bits &= pairs.through_b.get(number * n + m, 0)
        if not bits:
            second = pairs.number[first * n + members[1]] * n
            bits = pairs.through_c.get(second + j, 0)
            for m in members[2:]:
                if not bits:
                    break
                bits &= pairs.through_c.get(second + m, 0)
        if not bits:
            wedge = _pair_wedges(context.table, pairs, np.array([number]))[0]
            if not shapely.intersects(_region(context.table, pairs, cluster), wedge):
                return "its wedge misses the area the event's members share"
    return None


def _region(table: _Table, pairs: _Pairs, cluster: _Cluster) -> Any:
    """The area the members' wedges share, in the frame of the first member's observer.

    Intersected member by member in the members' order (as intersection_all does), going on
    from the area already drawn for the first members.
    """
    size = len(cluster.members)
    if cluster.region is None or cluster.region_members != size:
        first = cluster.members[0]
        if cluster.region is None:
            _draw_own(table, pairs.own, np.array([first]))
            region, done = pairs.own[first], 1
        else:
            region, done = cluster.region, cluster.region_members
        numbers = np.array([pairs.number[first * pairs.n + m]
                            for m in cluster.members[done:]], dtype=np.intp)
        for wedge in _pair_wedges(table, pairs, numbers):
            region = shapely.intersection(region, wedge)
        cluster.region, cluster.region_members = region, size
    return cluster.region


def _inconsistency(context: _Context, i: int, j: int) -> str:
    """Why two observations are not a consistent pair, in the order the rule tests it."""
    texts = context.texts
    if context.time[j] - context.time[i] > context.window:
        return f"{context.time[j] - context.time[i]:.0f} s apart"
    if context.observer[i] == context.observer[j]:
        return "same observer"
    if context.group[i] != context.group[j]:
        return f"category {texts.categories[j]} vs {texts.categories[i]}"
    if context.weapon[i] >= 0 and context.weapon[j] >= 0 and (
            context.weapon[i] != context.weapon[j]):
        return f"weapon {texts.weapons[j]} vs {texts.weapons[i]}"
    return "their wedges do not overlap"


def _join_note(context: _Context, cluster: _Cluster, j: int) -> Note:
    texts = context.texts
    first = cluster.members[0]
    relation = (None if context.category[j] == context.category[first]
                else [texts.group_names[j], texts.categories[first]])
    return ("joins", *texts.member[j], context.time[j] - context.time[first], context.window,
            texts.categories[j], relation, texts.weapons[j])


# --- events ---------------------------------------------------------------------------------


def _events(table: _Table, rules: MergeRules, pairs: _Pairs, texts: _Texts,
            clusters: list[_Cluster]) -> list[Event]:
    columns = table.columns
    several = [index for index, cluster in enumerate(clusters) if len(cluster.members) > 1]
    fixes = _fixes(table, rules, texts, clusters, several)
    misfits = _misfits(table, texts, clusters, fixes)
    by_area = [index for index in several
               if not (isinstance(fixes.get(index), Fix) and index not in misfits)]
    regions = dict(zip(by_area, _regions(table, pairs, [clusters[i] for i in by_area]),
                       strict=True))
    alone = np.array([cluster.members[0] for cluster in clusters if len(cluster.members) == 1],
                     dtype=np.intp)
    sectors = iter(sector_areas(table.lon[alone], table.lat[alone], table.centre[alone],
                                table.half[alone], table.inner_km[alone],
                                table.outer_km[alone]))
    ids, observers = texts.ids, texts.observers
    category = columns.category.tolist()
    count = columns.count.tolist()
    weapon = [None if w < 0 else columns.weapon_class[k]
              for k, w in enumerate(table.weapon.tolist())]
    specificity = [rules.specificity(c) for c in CATEGORIES]
    # Each row's time as ObservationColumns.moment gives it, without indexing arrays per row.
    seconds = columns.observed_at.tolist()
    zones = [_zone(m) for m in columns.utc_offset_minutes.tolist()]
    moment = datetime.fromtimestamp
    make_event = assembler(Event)
    events = []
    for index, cluster in enumerate(clusters):
        members = cluster.members
        notes = cluster.notes
        location: Location
        needs_review = cluster.needs_review
        first = members[0]
        if len(members) == 1:
            location = next(sectors)
            notes.append(("sector", location.area_km2))
            when = moment(seconds[first], zones[first])
            events.append(make_event(
                event_key=ids[first], observation_ids=(ids[first],),
                observer_ids=(observers[first],), category=CATEGORIES[category[first]],
                weapon_class=weapon[first], count_at_least=count[first],
                first_observed_at=when, last_observed_at=when, location=location,
                explanation=tuple(notes), needs_review=needs_review))
            continue
        fix = fixes.get(index)
        misfit = misfits.get(index)
        if isinstance(fix, Fix) and misfit is None:
            location = fix
            e = fix.error_ellipse
            notes.append(("fix", fix.bearing_count, fix.crossing_angle_deg, e.confidence,
                          e.semi_major_m, e.semi_minor_m, e.orientation_deg))
        else:
            if isinstance(fix, LocateError):
                notes.append(f"no fix: {fix}")
            if misfit is not None:
                notes.append(misfit)
                needs_review = True
            location = regions[index]
            notes.append(("area", location.area_km2))
        pick = itemgetter(*members)  # two or more members: a tuple of each's value
        events.append(make_event(
            event_key=ids[first],
            observation_ids=pick(ids),
            observer_ids=pick(observers),
            category=CATEGORIES[max(pick(category), key=specificity.__getitem__)],
            weapon_class=next((w for w in pick(weapon) if w is not None), None),
            count_at_least=max(pick(count)),
            first_observed_at=moment(seconds[first], zones[first]),
            last_observed_at=moment(seconds[members[-1]], zones[members[-1]]),
            location=location,
            explanation=tuple(notes),
            needs_review=needs_review,
        ))
    return events


def _fixes(table: _Table, rules: MergeRules, texts: _Texts, clusters: list[_Cluster],
           several: list[int]) -> dict[int, Fix | LocateError]:
    """One vectorised solve for every event with two or more bearings."""
    chosen: list[int] = []
    group: list[int] = []
    members: list[int] = []
    has_bearing = (~np.isnan(table.columns.bearing_deg)).tolist()
    for index in several:
        with_bearing = [m for m in clusters[index].members if has_bearing[m]]
        if len(with_bearing) >= 2:
            group.extend([len(chosen)] * len(with_bearing))
            members.extend(with_bearing)
            chosen.append(index)
    if not chosen:
        return {}
    rows = np.array(members, dtype=np.intp)
    sigma = np.array([rules.bearing_sigma_deg[m] for m in METHODS])[table.columns.method[rows]]
    results = solve_fixes(BearingArrays(
        group=np.array(group, dtype=np.intp), lon=table.lon[rows], lat=table.lat[rows],
        azimuth_deg=table.centre[rows], sigma_deg=sigma, n_groups=len(chosen),
        labels=[texts.ids[m] for m in members]), rules.locate)
    return dict(zip(chosen, results, strict=True))


def _misfits(table: _Table, texts: _Texts, clusters: list[_Cluster],
             fixes: dict[int, Fix | LocateError]) -> dict[int, str]:
    """For each fix that misses a member's wedge, a note on the first wedge it misses."""
    located = [(index, fix) for index, fix in fixes.items() if isinstance(fix, Fix)]
    if not located:
        return {}
    rows = np.array([m for index, _ in located for m in clusters[index].members], dtype=np.intp)
    sizes = [len(clusters[index].members) for index, _ in located]
    fix_lon = np.repeat([fix.lon for _, fix in located], sizes)
    fix_lat = np.repeat([fix.lat for _, fix in located], sizes)
    x, y, gamma = to_local(fix_lon, fix_lat, table.lon[rows], table.lat[rows])
    reach_km = np.hypot(x, y) / 1000
    azimuth = (np.degrees(np.arctan2(-x, -y)) - gamma) % 360
    off = np.abs((azimuth - table.centre[rows] + 180) % 360 - 180)
    inside = ((off <= table.half[rows] + 1e-9) & (reach_km >= table.inner_km[rows] - 1e-9)
              & (reach_km <= table.outer_km[rows] + 1e-9))
    ends = np.cumsum(sizes)
    notes = {}
    for position in np.flatnonzero(~inside):
        index = located[int(np.searchsorted(ends, position, side="right"))][0]
        if index in notes:
            continue
        k = int(rows[position])
        wedge = _interval(float(table.centre[k]), float(table.half[k]))
        notes[index] = (
            f"the fix lies outside the wedge of {texts.ids[k]} "
            f"({reach_km[position]:.1f} km at {azimuth[position]:.0f} deg; wedge "
            f"{table.inner_km[k]:g}-{table.outer_km[k]:g} km, {wedge}): not used")
    return notes


def _regions(table: _Table, pairs: _Pairs, clusters: list[_Cluster]) -> list[CandidateRegion]:
    """The shared areas of many events, drawn in their own frames and put on the ground at once.

    Each area is intersected member by member, all events a member at a time.
    """
    if not clusters:
        return []
    shapes = np.empty(len(clusters), dtype=object)
    done = np.ones(len(clusters), dtype=np.intp)
    sizes = np.array([len(cluster.members) for cluster in clusters], dtype=np.intp)
    anchor_of = np.array([cluster.members[0] for cluster in clusters], dtype=np.intp)
    for k, cluster in enumerate(clusters):
        if cluster.region is not None:
            shapes[k], done[k] = cluster.region, cluster.region_members
    fresh = np.flatnonzero(shapely.is_missing(shapes))
    _draw_own(table, pairs.own, anchor_of[fresh])
    shapes[fresh] = pairs.own[anchor_of[fresh]]
    while True:
        todo = np.flatnonzero(done < sizes)
        if len(todo) == 0:
            break
        numbers = np.array([pairs.number[clusters[k].members[0] * pairs.n
                                         + clusters[k].members[done[k]]]
                            for k in todo.tolist()], dtype=np.intp)
        shapes[todo] = shapely.intersection(shapes[todo], _pair_wedges(table, pairs, numbers))
        done[todo] += 1
    assert not shapely.is_empty(shapes).any()  # a joined cluster always shares an area
    centroids = shapely.centroid(shapes)
    # Each centroid back to lon/lat about its own event's anchor (the vertices only when a
    # region's polygon is asked for).
    anchor_lon, anchor_lat = table.lon[anchor_of], table.lat[anchor_of]
    c_lon, c_lat = to_lonlat(anchor_lon, anchor_lat, shapely.get_x(centroids),
                             shapely.get_y(centroids))
    areas = shapely.area(shapes) / 1e6
    make_region = assembler(CandidateRegion)
    return [make_region(local=shape, anchor_lon=a_lon, anchor_lat=a_lat, centroid_lon=x,
                        centroid_lat=y, area_km2=a)
            for shape, a_lon, a_lat, x, y, a in zip(
                shapes.tolist(), anchor_lon.tolist(), anchor_lat.tolist(), c_lon.tolist(),
                c_lat.tolist(), areas.tolist(), strict=True)]


# --- ruleset parsing ------------------------------------------------------------------------


def _section(data: Mapping[str, Any], key: str, prefix: str = "") -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise MergeRulesError(f"{prefix}{key}: must be a mapping")
    return value


def _positive(data: Mapping[str, Any], key: str, prefix: str = "",
              allow_zero: bool = False) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MergeRulesError(f"{prefix}{key}: must be a number")
    if value < 0 or (value == 0 and not allow_zero):
        raise MergeRulesError(f"{prefix}{key}: must be {'0 or more' if allow_zero else 'positive'}")
    return float(value)


def _per_method(data: Mapping[str, Any], key: str, prefix: str = "") -> dict[Method, float]:
    section = _section(data, key, prefix)
    return {method: _positive(section, method.value, f"{prefix}{key}.", allow_zero=True)
            for method in Method}
