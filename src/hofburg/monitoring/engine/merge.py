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
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import yaml
from numpy.typing import NDArray

from hofburg.monitoring.engine.geodesy import (
    FloatArray,
    distance_m,
    to_local,
    to_lonlat,
    wedge_ring,
)
from hofburg.monitoring.engine.locate import (
    Fix,
    LocateError,
    LocateParameters,
    SectorArea,
    sector_area,
    solve_fixes,
)
from hofburg.monitoring.engine.observations import (
    Category,
    Direction,
    Method,
    Observation,
)

# Vertices per arc of a wedge polygon: the chord sags at most 0.15 % of the range inside a
# 60-degree wedge, far below any distance tolerance.
_ARC_POINTS = 16
_EARTH_RADIUS_KM = 6371.0
_UNDETERMINED_WEAPON = "undetermined"
_KEPT_APART_NOTES = 3


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
    """The area common to the wedges of an event's members: lon/lat geometry and its centroid."""

    polygon: shapely.Geometry  # a Polygon, or a MultiPolygon where annular wedges meet twice
    centroid_lon: float
    centroid_lat: float
    area_km2: float


Location = Fix | CandidateRegion | SectorArea


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
    explanation: tuple[str, ...]
    needs_review: bool

    @property
    def number_of_sources(self) -> int:
        return len(self.observer_ids)

    @property
    def location_method(self) -> str:
        """"fix" (bearings' least squares), "common_area" (wedges) or "sector" (one observer)."""
        if isinstance(self.location, Fix):
            return "fix"
        if isinstance(self.location, CandidateRegion):
            return "common_area"
        return "sector"

    @property
    def position(self) -> tuple[float, float]:
        """(lon, lat): the fix, or the centroid of the area."""
        if isinstance(self.location, Fix):
            return self.location.lon, self.location.lat
        return self.location.centroid_lon, self.location.centroid_lat


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
    ids = [o.observation_id for o in observations]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise MergeError(f"observation_id {duplicate!r} occurs more than once")
    ordered = sorted(observations, key=lambda o: (o.observed_at.timestamp(), o.observation_id))
    table = _Table.build(ordered, rules)
    consistent, kept_apart = _consistent_pairs(table, rules)
    clusters = _cluster(table, rules, consistent, kept_apart)
    return _events(table, rules, clusters)


# --- the observations as arrays -------------------------------------------------------------


@dataclass
class _Table:
    observations: Sequence[Observation]
    time: FloatArray
    observer: NDArray[np.intp]
    lon: FloatArray
    lat: FloatArray
    group: NDArray[np.intp]
    weapon: NDArray[np.intp]
    centre: FloatArray
    own_half: FloatArray  # the half-width as reported (a sector's), before the tolerance
    half: FloatArray
    inner_km: FloatArray
    outer_km: FloatArray
    ring_x: FloatArray = field(init=False)  # each wedge about its own observer, (n, points)
    ring_y: FloatArray = field(init=False)

    def __post_init__(self) -> None:
        self.ring_x, self.ring_y = wedge_ring(self.centre, self.half, self.inner_km * 1000,
                                              self.outer_km * 1000, _ARC_POINTS)

    @classmethod
    def build(cls, ordered: Sequence[Observation], rules: MergeRules) -> _Table:
        observers: dict[str, int] = {}
        groups: dict[str, int] = {}
        weapons: dict[str, int] = {}
        n = len(ordered)
        columns = {name: np.zeros(n) for name in ("time", "lon", "lat", "centre", "own_half",
                                                  "half", "inner_km", "outer_km")}
        observer = np.zeros(n, dtype=np.intp)
        group = np.zeros(n, dtype=np.intp)
        weapon = np.zeros(n, dtype=np.intp)
        for k, o in enumerate(ordered):
            direction = o.direction
            inner, outer = _band(o, rules)
            columns["time"][k] = o.observed_at.timestamp()
            columns["lon"][k], columns["lat"][k] = o.observer_lon, o.observer_lat
            columns["centre"][k] = direction.centre_deg
            columns["own_half"][k] = direction.half_width_deg
            columns["half"][k] = min(direction.half_width_deg
                                     + rules.bearing_tolerance_deg[o.method], 179.0)
            columns["inner_km"][k], columns["outer_km"][k] = inner, outer
            observer[k] = observers.setdefault(o.observer_id, len(observers))
            group[k] = groups.setdefault(rules.group_of(o.category), len(groups))
            weapon_class = _weapon(o)
            weapon[k] = -1 if weapon_class is None else weapons.setdefault(weapon_class,
                                                                            len(weapons))
        return cls(observations=ordered, observer=observer, group=group, weapon=weapon,
                   **columns)

    def wedges(self, rows: Sequence[int], anchor: int) -> NDArray[np.object_]:
        """The wedges of some observations in the local frame about an observation's observer."""
        k = np.asarray(rows, dtype=np.intp)
        return self.placed(k, np.full(len(k), self.lon[anchor]), np.full(len(k), self.lat[anchor]))

    def placed(self, rows: NDArray[np.intp], anchor_lon: FloatArray, anchor_lat: FloatArray
               ) -> NDArray[np.object_]:
        """The wedges of `rows`, each in the local frame about its own anchor point."""
        x, y, gamma = to_local(anchor_lon, anchor_lat, self.lon[rows], self.lat[rows])
        # Turn each ring by the convergence gamma about its observer, then move it there.
        g = np.radians(gamma)[:, None]
        cos, sin = np.cos(g), np.sin(g)
        rx, ry = self.ring_x[rows], self.ring_y[rows]
        xs = rx * cos + ry * sin + x[:, None]
        ys = ry * cos - rx * sin + y[:, None]
        return np.asarray(shapely.polygons(np.stack([xs, ys], axis=-1)))


def _band(o: Observation, rules: MergeRules) -> tuple[float, float]:
    if o.distance_km_min is None or o.distance_km_max is None:
        return 0.0, rules.unknown_distance_max_km
    slack = max(rules.distance_tolerance_min_km,
                rules.distance_tolerance_fraction * o.distance_km_max)
    return max(0.0, o.distance_km_min - slack), o.distance_km_max + slack


def _weapon(o: Observation) -> str | None:
    if o.weapon_class is None or o.weapon_class == _UNDETERMINED_WEAPON:
        return None
    return o.weapon_class


# --- pairs ----------------------------------------------------------------------------------

_APART_REACH, _APART_WEDGES = 1, 2


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


def _consistent_pairs(table: _Table, rules: MergeRules
                      ) -> tuple[dict[int, set[int]], dict[int, list[tuple[int, int]]]]:
    """Earlier observations consistent with each one, and a few same-kind ones kept apart."""
    consistent: dict[int, set[int]] = {}
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
        overlap = _wedges_overlap(table, i, j)
        for a, b in zip(i[overlap].tolist(), j[overlap].tolist(), strict=True):
            consistent.setdefault(b, set()).add(a)
        apart_i.append(i[~overlap])
        apart_j.append(j[~overlap])
        apart_why.append(np.full(int((~overlap).sum()), _APART_WEDGES))
    return consistent, _few_per_observation(apart_i, apart_j, apart_why)


def _wedges_overlap(table: _Table, i: NDArray[np.intp], j: NDArray[np.intp]
                    ) -> NDArray[np.bool_]:
    """Whether each pair's wedges overlap, in the local frame about the earlier observer."""
    first = shapely.polygons(np.stack([table.ring_x[i], table.ring_y[i]], axis=-1))
    second = table.placed(j, table.lon[i], table.lat[i])
    return np.asarray(shapely.intersects(first, second), dtype=bool)


def _few_per_observation(apart_i: list[NDArray[np.intp]], apart_j: list[NDArray[np.intp]],
                         apart_why: list[NDArray[np.intp]]) -> dict[int, list[tuple[int, int]]]:
    if not apart_i:
        return {}
    i, j, why = np.concatenate(apart_i), np.concatenate(apart_j), np.concatenate(apart_why)
    order = np.lexsort((i, j))
    i, j, why = i[order], j[order], why[order]
    starts = np.searchsorted(j, j, side="left")
    rank = np.arange(len(j)) - starts
    keep = rank < _KEPT_APART_NOTES
    notes: dict[int, list[tuple[int, int]]] = {}
    for a, b, reason in zip(i[keep].tolist(), j[keep].tolist(), why[keep].tolist(),
                            strict=True):
        notes.setdefault(b, []).append((a, reason))
    return notes


# --- clusters -------------------------------------------------------------------------------


@dataclass
class _Cluster:
    members: list[int]
    observers: set[int]
    # The area all members' wedges share, in the frame of the first member's observer; drawn
    # only when needed (a third member to test, or no fix), for `region_members` members.
    region: Any = None
    region_members: int = 0
    notes: list[str] = field(default_factory=list)
    needs_review: bool = False


def _cluster(table: _Table, rules: MergeRules, consistent: dict[int, set[int]],
             kept_apart: dict[int, list[tuple[int, int]]]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    cluster_of = np.full(len(table.time), -1, dtype=np.intp)
    obs = table.observations
    for j in range(len(table.time)):
        earlier = consistent.get(j, set())
        eligible: list[tuple[float, int]] = []
        refusals: list[str] = []
        for c in sorted({int(cluster_of[i]) for i in earlier}):
            cluster = clusters[c]
            reason = _refusal(table, rules, cluster, j, earlier)
            if reason is None:
                gap = table.time[j] - table.time[cluster.members[-1]]
                eligible.append((gap, c))
            else:
                refusals.append(f"not merged into the event of "
                                f"{obs[cluster.members[0]].observation_id}: {reason}")
        if eligible:
            eligible.sort()
            chosen = clusters[eligible[0][1]]
            note = _join_note(table, rules, chosen, j)
            _join(table, chosen, j)
            chosen.notes.append(note)
            if len(eligible) > 1:
                others = ", ".join(obs[clusters[c].members[0]].observation_id
                                   for _, c in eligible[1:])
                chosen.notes.append(f"{obs[j].observation_id} could also have joined the event "
                                    f"of {others}: joined the nearer in time; for an analyst "
                                    f"to confirm")
                chosen.needs_review = True
            chosen.notes.extend(refusals)
            cluster_of[j] = eligible[0][1]
            continue
        cluster = _Cluster(members=[j], observers={int(table.observer[j])})
        cluster.notes.append(f"{obs[j].observation_id} opens the event: {_describe(table, j)}")
        cluster.notes.extend(refusals)
        for i, why in kept_apart.get(j, []):
            cluster.notes.append(f"kept apart from {obs[i].observation_id} "
                                 f"({obs[i].observer_id}): {_apart_reason(table, i, j, why)}")
        cluster_of[j] = len(clusters)
        clusters.append(cluster)
    return clusters


def _refusal(table: _Table, rules: MergeRules, cluster: _Cluster, j: int,
             earlier: set[int]) -> str | None:
    obs = table.observations
    first = cluster.members[0]
    waited = table.time[j] - table.time[first]
    if waited > rules.time_window_seconds:
        return (f"{waited:.0f} s after its first observation, beyond the window of "
                f"{rules.time_window_seconds:g} s")
    if int(table.observer[j]) in cluster.observers:
        return f"observer {obs[j].observer_id} already reported it"
    missing = [m for m in cluster.members if m not in earlier]
    if missing:
        return "; ".join(f"not consistent with {obs[m].observation_id} "
                         f"({_inconsistency(table, rules, m, j)})" for m in missing)
    if len(cluster.members) > 1:
        if cluster.region is None or cluster.region_members != len(cluster.members):
            wedges = table.wedges([*cluster.members, j], cluster.members[0])
            cluster.region = shapely.intersection_all(wedges[:-1])
            cluster.region_members = len(cluster.members)
            wedge = wedges[-1]
        else:
            wedge = table.wedges([j], cluster.members[0])[0]
        if not cluster.region.intersects(wedge):
            return "its wedge misses the area the event's members share"
    return None


def _inconsistency(table: _Table, rules: MergeRules, i: int, j: int) -> str:
    """Why two observations are not a consistent pair, in the order the rule tests it."""
    first, second = table.observations[i], table.observations[j]
    if table.time[j] - table.time[i] > rules.time_window_seconds:
        return f"{table.time[j] - table.time[i]:.0f} s apart"
    if table.observer[i] == table.observer[j]:
        return "same observer"
    if table.group[i] != table.group[j]:
        return f"category {second.category.value} vs {first.category.value}"
    if _weapon(first) and _weapon(second) and _weapon(first) != _weapon(second):
        return f"weapon {_weapon(second)} vs {_weapon(first)}"
    return "their wedges do not overlap"


def _join(table: _Table, cluster: _Cluster, j: int) -> None:
    cluster.members.append(j)
    cluster.observers.add(int(table.observer[j]))


def _join_note(table: _Table, rules: MergeRules, cluster: _Cluster, j: int) -> str:
    obs = table.observations
    first = obs[cluster.members[0]]
    o = obs[j]
    waited = table.time[j] - table.time[cluster.members[0]]
    if o.category == first.category:
        category = f"category {o.category.value} as {first.observation_id}"
    else:
        category = (f"category {o.category.value} in group '{rules.group_of(o.category)}' "
                    f"with {first.category.value}")
    members = ", ".join(obs[m].observation_id for m in cluster.members)
    return (f"{o.observation_id} joins: {_describe(table, j)}; {waited:.0f} s after "
            f"{first.observation_id} (window {rules.time_window_seconds:g} s); {category}; "
            f"weapon {_weapon(o) or 'undetermined'} compatible; its wedge overlaps those of "
            f"{members}" + (" and the area they share" if len(cluster.members) > 1 else ""))


def _describe(table: _Table, k: int) -> str:
    o = table.observations[k]
    if o.bearing_deg is not None:
        aim = f"bearing {o.bearing_deg:g} deg"
    else:
        aim = f"sector {o.sector} ({_interval(Direction(table.centre[k], table.own_half[k]))})"
    tolerance = table.half[k] - table.own_half[k]
    band = (f"{o.distance_km_min:g}-{o.distance_km_max:g} km"
            if o.distance_km_min is not None else "distance not reported")
    return (f"{o.observer_id} ({o.observer_kind.value}, {o.method.value}) at "
            f"{o.observed_at.isoformat()}, {aim} +-{tolerance:g} deg, {band} "
            f"(wedge {table.inner_km[k]:g}-{table.outer_km[k]:g} km)")


def _interval(direction: Direction) -> str:
    low = (direction.centre_deg - direction.half_width_deg) % 360
    high = (direction.centre_deg + direction.half_width_deg) % 360
    return f"{low:g}-{high:g} deg"


def _apart_reason(table: _Table, i: int, j: int, why: int) -> str:
    if why == _APART_REACH:
        apart = distance_m(table.lon[i], table.lat[i], table.lon[j], table.lat[j]) / 1000
        return (f"the observers are {apart:.1f} km apart, beyond the {table.outer_km[i]:g} + "
                f"{table.outer_km[j]:g} km their wedges reach")
    return "their wedges do not overlap"


# --- events ---------------------------------------------------------------------------------


def _events(table: _Table, rules: MergeRules, clusters: list[_Cluster]) -> list[Event]:
    fixes = _fixes(table, rules, clusters)
    misfits = _misfits(table, clusters, fixes)
    by_area = [index for index, cluster in enumerate(clusters) if len(cluster.members) > 1
               and not (isinstance(fixes.get(index), Fix) and index not in misfits)]
    regions = dict(zip(by_area, _regions(table, [clusters[i] for i in by_area]), strict=True))
    events = []
    for index, cluster in enumerate(clusters):
        members = [table.observations[m] for m in cluster.members]
        notes = list(cluster.notes)
        location: Location
        needs_review = cluster.needs_review
        fix = fixes.get(index)
        misfit = misfits.get(index)
        if len(members) == 1:
            k = cluster.members[0]
            location = sector_area(
                table.lon[k], table.lat[k],
                Direction(centre_deg=float(table.centre[k]), half_width_deg=float(table.half[k])),
                float(table.inner_km[k]), float(table.outer_km[k]))
            notes.append(f"located by one observer's wedge ({location.area_km2:.2f} km2)")
        elif isinstance(fix, Fix) and misfit is None:
            location = fix
            e = fix.error_ellipse
            notes.append(f"located by the least-squares fix of {fix.bearing_count} bearings "
                         f"(crossing {fix.crossing_angle_deg:.0f} deg; "
                         f"{e.confidence:.0%} ellipse {e.semi_major_m:.0f} x "
                         f"{e.semi_minor_m:.0f} m, major axis {e.orientation_deg:.0f} deg)")
        else:
            if isinstance(fix, LocateError):
                notes.append(f"no fix: {fix}")
            if misfit is not None:
                notes.append(misfit)
                needs_review = True
            location = regions[index]
            notes.append(f"located by the area the members' wedges share "
                         f"({location.area_km2:.2f} km2)")
        events.append(Event(
            event_key=members[0].observation_id,
            observation_ids=tuple(o.observation_id for o in members),
            observer_ids=tuple(o.observer_id for o in members),
            category=max((o.category for o in members), key=rules.specificity),
            weapon_class=next((w for o in members if (w := _weapon(o)) is not None), None),
            count_at_least=max(o.count for o in members),
            first_observed_at=members[0].observed_at,
            last_observed_at=members[-1].observed_at,
            location=location,
            explanation=tuple(notes),
            needs_review=needs_review,
        ))
    return events


def _fixes(table: _Table, rules: MergeRules, clusters: list[_Cluster]
           ) -> dict[int, Fix | LocateError]:
    """One vectorised solve for every event with two or more bearings."""
    chosen: list[int] = []
    group: list[int] = []
    members: list[int] = []
    for index, cluster in enumerate(clusters):
        with_bearing = [m for m in cluster.members if table.observations[m].has_bearing]
        if len(with_bearing) >= 2:
            group.extend([len(chosen)] * len(with_bearing))
            members.extend(with_bearing)
            chosen.append(index)
    if not chosen:
        return {}
    rows = np.array(members, dtype=np.intp)
    sigma = np.array([rules.bearing_sigma_deg[table.observations[m].method] for m in members])
    results = solve_fixes(np.array(group, dtype=np.intp), table.lon[rows], table.lat[rows],
                          table.centre[rows], sigma, len(chosen), rules.locate,
                          labels=[table.observations[m].observation_id for m in members])
    return dict(zip(chosen, results, strict=True))


def _misfits(table: _Table, clusters: list[_Cluster], fixes: dict[int, Fix | LocateError]
             ) -> dict[int, str]:
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
        wedge = _interval(Direction(float(table.centre[k]), float(table.half[k])))
        notes[index] = (
            f"the fix lies outside the wedge of {table.observations[k].observation_id} "
            f"({reach_km[position]:.1f} km at {azimuth[position]:.0f} deg; wedge "
            f"{table.inner_km[k]:g}-{table.outer_km[k]:g} km, {wedge}): not used")
    return notes


def _regions(table: _Table, clusters: list[_Cluster]) -> list[CandidateRegion]:
    """The shared areas of many events, drawn in their own frames and put on the ground at once."""
    if not clusters:
        return []
    sizes = [len(cluster.members) for cluster in clusters]
    rows = np.array([m for cluster in clusters for m in cluster.members], dtype=np.intp)
    anchors = np.repeat([cluster.members[0] for cluster in clusters], sizes)
    wedges = table.placed(rows, table.lon[anchors], table.lat[anchors])
    ends = np.cumsum(sizes)
    areas = []
    for cluster, end, size in zip(clusters, ends, sizes, strict=True):
        if cluster.region is not None and cluster.region_members == size:
            areas.append(cluster.region)
        else:
            areas.append(shapely.intersection_all(wedges[end - size:end]))
    shapes = np.array(areas, dtype=object)
    assert not shapely.is_empty(shapes).any()  # a joined cluster always shares an area
    centroids = shapely.centroid(shapes)
    anchor_of = np.array([cluster.members[0] for cluster in clusters], dtype=np.intp)
    # Every vertex (and each centroid) back to lon/lat about its own event's anchor.
    coords, owner = shapely.get_coordinates(shapes, return_index=True)
    lon, lat = to_lonlat(table.lon[anchor_of[owner]], table.lat[anchor_of[owner]],
                         coords[:, 0], coords[:, 1])
    on_ground = shapely.set_coordinates(shapely.transform(shapes, lambda c: c),
                                        np.column_stack([lon, lat]))
    c_lon, c_lat = to_lonlat(table.lon[anchor_of], table.lat[anchor_of],
                             shapely.get_x(centroids), shapely.get_y(centroids))
    return [CandidateRegion(polygon=on_ground[k], centroid_lon=float(c_lon[k]),
                            centroid_lat=float(c_lat[k]), area_km2=float(shapes[k].area) / 1e6)
            for k in range(len(clusters))]


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
