"""Events from clusters: each cluster's members' values combined, the event located.

An event keeps its members' ids (raw observations are never changed), counts "at least" the
largest member count (the same burst seen twice is not two bursts), takes the most specific
category and the determined weapon class ("the more clear information overrules"), and is keyed
by its first observation so that the key stays stable across runs. It is located by the fix of
its members' bearings where the fix lies in every member's wedge, else by the area the wedges
share; an event of one observation by that observer's wedge.
"""

from __future__ import annotations

from datetime import datetime
from operator import itemgetter

import numpy as np
import shapely

from hofburg.monitoring.engine.clustering import Cluster
from hofburg.monitoring.engine.columns import CATEGORIES, METHODS
from hofburg.monitoring.engine.explanations import RowTexts, interval_text, zone_of
from hofburg.monitoring.engine.geodesy import to_local, to_lonlat
from hofburg.monitoring.engine.locate import (
    BearingArrays,
    Fix,
    LocateError,
    assembler,
    sector_areas,
    solve_fixes,
)
from hofburg.monitoring.engine.merge_rules import MergeRules
from hofburg.monitoring.engine.merged_events import CandidateRegion, Event, Location
from hofburg.monitoring.engine.pairs import ConsistentPairs, pair_wedges
from hofburg.monitoring.engine.wedges import WedgeTable, draw_own_wedges


def build_events(table: WedgeTable, rules: MergeRules, pairs: ConsistentPairs, texts: RowTexts,
                 clusters: list[Cluster]) -> list[Event]:
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
    zones = [zone_of(m) for m in columns.utc_offset_minutes.tolist()]
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


def _fixes(table: WedgeTable, rules: MergeRules, texts: RowTexts, clusters: list[Cluster],
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


def _misfits(table: WedgeTable, texts: RowTexts, clusters: list[Cluster],
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
        wedge = interval_text(float(table.centre[k]), float(table.half[k]))
        notes[index] = (
            f"the fix lies outside the wedge of {texts.ids[k]} "
            f"({reach_km[position]:.1f} km at {azimuth[position]:.0f} deg; wedge "
            f"{table.inner_km[k]:g}-{table.outer_km[k]:g} km, {wedge}): not used")
    return notes


def _regions(table: WedgeTable, pairs: ConsistentPairs, clusters: list[Cluster]
             ) -> list[CandidateRegion]:
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
    draw_own_wedges(table, pairs.own, anchor_of[fresh])
    shapes[fresh] = pairs.own[anchor_of[fresh]]
    while True:
        todo = np.flatnonzero(done < sizes)
        if len(todo) == 0:
            break
        numbers = np.array([pairs.number[clusters[k].members[0] * pairs.n
                                         + clusters[k].members[done[k]]]
                            for k in todo.tolist()], dtype=np.intp)
        shapes[todo] = shapely.intersection(shapes[todo], pair_wedges(table, pairs, numbers))
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
