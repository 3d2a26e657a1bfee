"""Consistent pairs: which earlier observations each observation could be the same event as.

Two observations are consistent when they come from different observers within the time
window, their categories share a group, their weapon classes agree (or one is undetermined),
and their wedges overlap. Each wedge is drawn in the local frame about another observer's
position exactly as a pair's test needs it, once (see `wedges`). A few same-kind observations
kept apart from each one are kept as notes for its explanation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from hofburg.monitoring.engine.explanations import RowTexts
from hofburg.monitoring.engine.geodesy import FloatArray
from hofburg.monitoring.engine.merge_rules import MergeRules
from hofburg.monitoring.engine.merged_events import Note
from hofburg.monitoring.engine.wedges import (
    CANDIDATE_BITS,
    ObserverFrames,
    WedgeTable,
    common_points,
    draw_own_wedges,
    inside_wedges,
    placed_rings,
)

_EARTH_RADIUS_KM = 6371.0
_KEPT_APART_NOTES = 3  # notes on observations kept apart from each one
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


@dataclass
class ConsistentPairs:
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
    # Bit t of common: candidate point t of the pair (see common_points) lies inside the wedges
    # of i and j, by a safe margin. For pairwise consistent a < b < c, bit t of
    # through_b[number(a, c) * n + b]: point t of (a, c) lies inside the wedges of a, b and c;
    # of through_c[number(a, b) * n + c]: point t of (a, b) does.
    common: list[int]
    through_b: dict[int, int]
    through_c: dict[int, int]
    apart_start: list[int]  # notes on j: apart_notes[apart_start[j]:apart_start[j + 1]]
    apart_notes: list[Note]


def consistent_pairs(table: WedgeTable, rules: MergeRules, texts: RowTexts) -> ConsistentPairs:
    """Earlier observations consistent with each one, and a few same-kind ones kept apart."""
    n = len(table.time)
    frames = ObserverFrames(table.lon, table.lat)
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
    return ConsistentPairs(n=n, i=i, j=j, x=x, y=y, gamma=gamma, start=start.tolist(),
                  earlier=i.tolist(), number=number, wedge=wedges, own=own,
                  common=common.tolist(), through_b=through_b, through_c=through_c,
                  apart_start=apart_start, apart_notes=apart_notes)


def _wedges_overlap(table: WedgeTable, own: NDArray[np.object_], i: NDArray[np.intp],
                    j: NDArray[np.intp], x: FloatArray, y: FloatArray, gamma: FloatArray
                    ) -> tuple[NDArray[np.bool_], NDArray[np.object_], NDArray[np.int64]]:
    """Whether each pair's wedges overlap, in the local frame about the earlier observer; the
    later wedge in that frame where GEOS had to draw it; and the pair's common candidates."""
    xs, ys = placed_rings(table, j, x, y, gamma)
    # Wedges whose bounding boxes are apart cannot meet.
    box = table.box[i]
    test = np.flatnonzero((xs.min(axis=1) <= box[:, 1]) & (xs.max(axis=1) >= box[:, 0])
                          & (ys.min(axis=1) <= box[:, 3]) & (ys.max(axis=1) >= box[:, 2]))
    # Wedges sharing a candidate point (by a safe margin) do; GEOS decides the rest.
    common = np.zeros(len(i), dtype=np.int64)
    common[test] = common_points(table, i[test], j[test], x[test], y[test], gamma[test])[0]
    overlap = common != 0
    wedges = np.full(len(i), None, dtype=object)
    k = test[common[test] == 0]
    if len(k):
        first = i[k]
        draw_own_wedges(table, own, first)
        second = shapely.polygons(np.stack([xs[k], ys[k]], axis=-1))
        overlap[k] = shapely.intersects(own[first], second)
        wedges[k] = second
    return overlap, wedges, common


def _through(table: WedgeTable, i: NDArray[np.intp], j: NDArray[np.intp],
             geometry: tuple[FloatArray, FloatArray, FloatArray], common: NDArray[np.int64],
             start: NDArray[np.intp], number: dict[int, int]
             ) -> tuple[dict[int, int], dict[int, int]]:
    """The candidate points inside all three wedges of each triple of pairwise consistent
    observations, as bits (see ConsistentPairs): an event whose members' wedges and j's certainly
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
    _, px, py = common_points(table, i[pairs], j[pairs], x[pairs], y[pairs], gamma[pairs])
    at = np.searchsorted(pairs, ac), np.searchsorted(pairs, ab)
    g_ab, g_ac = np.radians(table.centre[b] + gamma[ab]), np.radians(table.centre[c] + gamma[ac])
    through_b = (inside_wedges(table, b, px[at[0]], py[at[0]], x[ab], y[ab], np.sin(g_ab),
                         np.cos(g_ab)) @ CANDIDATE_BITS) & common[ac]
    through_c = (inside_wedges(table, c, px[at[1]], py[at[1]], x[ac], y[ac], np.sin(g_ac),
                         np.cos(g_ac)) @ CANDIDATE_BITS) & common[ab]
    keys_b = (ac.astype(np.int64) * n + b).tolist()
    keys_c = (ab.astype(np.int64) * n + c).tolist()
    return ({key: bits for key, bits in zip(keys_b, through_b.tolist(), strict=True) if bits},
            {key: bits for key, bits in zip(keys_c, through_c.tolist(), strict=True) if bits})


def pair_wedges(table: WedgeTable, pairs: ConsistentPairs, numbers: NDArray[np.intp]
                ) -> NDArray[np.object_]:
    """The wedges of pairs (j's in the frame about i's observer), drawing those not drawn yet."""
    todo = np.unique(numbers[shapely.is_missing(pairs.wedge[numbers])])
    if len(todo):
        xs, ys = placed_rings(table, pairs.j[todo], pairs.x[todo], pairs.y[todo],
                               pairs.gamma[todo])
        pairs.wedge[todo] = shapely.polygons(np.stack([xs, ys], axis=-1))
    return pairs.wedge[numbers]


def _kept_apart(table: WedgeTable, texts: RowTexts, frames: ObserverFrames,
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
