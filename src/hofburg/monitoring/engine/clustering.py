"""Clustering: observations taken in time order into events.

Each observation joins the event all of whose members it is consistent with and whose shared
area its wedge meets, and otherwise opens an event of its own. An observation that could join
two events joins the nearer in time and the event is flagged for an analyst. Shared areas are
intersected member by member in the members' order, as `shapely.intersection_all` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from hofburg.monitoring.engine.explanations import RowTexts
from hofburg.monitoring.engine.merge_rules import MergeRules
from hofburg.monitoring.engine.merged_events import Note
from hofburg.monitoring.engine.pairs import ConsistentPairs, pair_wedges
from hofburg.monitoring.engine.wedges import WedgeTable, draw_own_wedges


@dataclass(slots=True)
class Cluster:
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

    table: WedgeTable
    pairs: ConsistentPairs
    texts: RowTexts
    time: list[float]
    observer: list[int]
    group: list[int]
    weapon: list[int]
    category: list[int]
    window: float
    window_text: str


def cluster_observations(table: WedgeTable, rules: MergeRules, pairs: ConsistentPairs,
                         texts: RowTexts) -> list[Cluster]:
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
    clusters: list[Cluster] = []
    cluster_of = [-1] * len(time)
    for j in range(len(time)):
        low, high = start[j], start[j + 1]
        if low == high:  # consistent with no earlier observation: opens an event
            notes: list[Note] = [("opens", *member[j])]
            if apart_start[j] != apart_start[j + 1]:
                notes += apart_notes[apart_start[j]:apart_start[j + 1]]
            cluster_of[j] = len(clusters)
            clusters.append(Cluster([j], {observer[j]}, notes=notes))
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
        clusters.append(Cluster([j], {observer[j]}, notes=notes))
    return clusters


def _refusal(context: _Context, cluster: Cluster, j: int, earlier: set[int] | None
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
            wedge = pair_wedges(context.table, pairs, np.array([number]))[0]
            if not shapely.intersects(_region(context.table, pairs, cluster), wedge):
                return "its wedge misses the area the event's members share"
    return None


def _region(table: WedgeTable, pairs: ConsistentPairs, cluster: Cluster) -> Any:
    """The area the members' wedges share, in the frame of the first member's observer.

    Intersected member by member in the members' order (as intersection_all does), going on
    from the area already drawn for the first members.
    """
    size = len(cluster.members)
    if cluster.region is None or cluster.region_members != size:
        first = cluster.members[0]
        if cluster.region is None:
            draw_own_wedges(table, pairs.own, np.array([first]))
            region, done = pairs.own[first], 1
        else:
            region, done = cluster.region, cluster.region_members
        numbers = np.array([pairs.number[first * pairs.n + m]
                            for m in cluster.members[done:]], dtype=np.intp)
        for wedge in pair_wedges(table, pairs, numbers):
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


def _join_note(context: _Context, cluster: Cluster, j: int) -> Note:
    texts = context.texts
    first = cluster.members[0]
    relation = (None if context.category[j] == context.category[first]
                else [texts.group_names[j], texts.categories[first]])
    return ("joins", *texts.member[j], context.time[j] - context.time[first], context.window,
            texts.categories[j], relation, texts.weapons[j])
