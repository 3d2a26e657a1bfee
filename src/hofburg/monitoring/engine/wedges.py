"""The observations as arrays of wedges, and the points that lie inside wedges for certain.

Every observation is a wedge: its direction widened by the bearing tolerance of its method, and
its distance band widened by the distance tolerance. `WedgeTable` holds them as arrays, each
wedge's ring drawn from a unit ring per direction; `ObserverFrames` puts observers in each
other's local frames. Whether wedges meet is first settled by candidate points that lie inside
all of them by a margin no rounding can cross (`common_points`, `inside_wedges`); only where no
such point is known does GEOS draw and intersect the polygons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray

from hofburg.monitoring.engine.columns import CATEGORIES, METHODS, ObservationColumns
from hofburg.monitoring.engine.geodesy import FloatArray, distances_m, to_local, wedge_ring
from hofburg.monitoring.engine.merge_rules import MergeRules

# Vertices per arc of a wedge polygon: the chord sags at most 0.15 % of the range inside a
# 60-degree wedge, far below any distance tolerance.
_ARC_POINTS = 16
UNDETERMINED_WEAPON = "undetermined"

# Points tried as common points of several wedges: along two wedges' centre lines and where
# the lines cross; and the margins by which such a point must lie inside every drawn wedge for
# no rounding to matter.
_RAY_POINTS = 16
_RAY = (np.arange(_RAY_POINTS) + 0.5) / _RAY_POINTS
_CANDIDATES = 2 * _RAY_POINTS
CANDIDATE_BITS = np.left_shift(1, np.arange(_CANDIDATES, dtype=np.int64))
_SURE_DEG = 1e-4
_SURE_M = 1.0


@dataclass
class WedgeTable:
    """The observations as arrays in time order (row k of each is row k of `columns`): each
    one's observer, category group and weapon class as numbers, and its wedge."""

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
    # What a point must pass to lie inside a drawn wedge by a safe margin (see inside_wedges).
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
        _, first, self.direction = distinct_rows(self.centre, self.half)
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
    def build(cls, columns: ObservationColumns, rules: MergeRules) -> WedgeTable:
        n = len(columns)
        observers: dict[str, int] = {}
        observer = np.fromiter((observers.setdefault(o, len(observers))
                                for o in columns.observer_id), dtype=np.intp, count=n)
        names = [rules.group_of(category) for category in CATEGORIES]
        numbered = {name: k for k, name in enumerate(dict.fromkeys(names))}
        group = np.array([numbered[name] for name in names], dtype=np.intp)[columns.category]
        weapons: dict[str | None, int] = {None: -1, UNDETERMINED_WEAPON: -1}
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


def distinct_rows(*columns: FloatArray
                  ) -> tuple[NDArray[np.void], NDArray[np.intp], NDArray[np.intp]]:
    """The distinct rows of float columns (bit for bit), a row of each, and each row's one."""
    stacked = np.ascontiguousarray(np.column_stack(columns), dtype=np.float64)
    keys = stacked.view(np.dtype((np.void, 8 * len(columns)))).ravel()
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return unique, first, inverse.ravel()


class ObserverFrames:
    """Observer positions in each other's local frames, computed once per pair of positions."""

    def __init__(self, lon: FloatArray, lat: FloatArray) -> None:
        _, first, index = distinct_rows(lon, lat)
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


def placed_rings(table: WedgeTable, j: NDArray[np.intp], x: FloatArray, y: FloatArray,
                 gamma: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The rings of wedges j turned by the convergence gamma about their observers, then moved
    to their observers' places (x, y) in another frame."""
    g = np.radians(gamma)[:, None]
    cos, sin = np.cos(g), np.sin(g)
    rx, ry = table.ring(j)
    return rx * cos + ry * sin + x[:, None], ry * cos - rx * sin + y[:, None]


def common_points(table: WedgeTable, i: NDArray[np.intp], j: NDArray[np.intp], x: FloatArray,
                  y: FloatArray, gamma: FloatArray
                  ) -> tuple[NDArray[np.int64], FloatArray, FloatArray]:
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
    inside = (inside_wedges(table, i, px, py, zero, zero, ux, uy)
              & inside_wedges(table, j, px, py, x, y, vx, vy))
    return np.asarray(inside @ CANDIDATE_BITS, dtype=np.int64), px, py


def inside_wedges(table: WedgeTable, rows: NDArray[np.intp], px: FloatArray, py: FloatArray,
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


def draw_own_wedges(table: WedgeTable, own: NDArray[np.object_], rows: NDArray[np.intp]
                    ) -> None:
    """Draw the wedges of rows about their own observers where not drawn yet."""
    rows = np.unique(rows)
    rows = rows[shapely.is_missing(own[rows])]
    if len(rows):
        own[rows] = shapely.polygons(np.stack(table.ring(rows), axis=-1))
