"""Explanations of merged events: the per-row values their notes carry, and the notes written
out as sentences.

A note is kept as plain values (see `merged_events.Note`) and written out by `explain` when
read, so that the stored explanation stays small and the sentences the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any

import numpy as np

from hofburg.monitoring.engine.columns import CATEGORIES, METHODS, OBSERVER_KINDS, none_for_nan
from hofburg.monitoring.engine.merge_rules import MergeRules
from hofburg.monitoring.engine.wedges import UNDETERMINED_WEAPON, WedgeTable

_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose: local times are built on it


def explain(notes: Iterable[Any]) -> list[str]:
    """The sentences of an explanation as stored: each note written out (see merged_events.Note), a
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
    when = local.replace(tzinfo=zone_of(minutes)).isoformat()
    direction = (f"sector {aim[0]} ({interval_text(aim[1], aim[2])})"
                 if isinstance(aim, list | tuple) else f"bearing {aim:g} deg")
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


@dataclass
class RowTexts:
    """The per-row values of the explanations, built for all rows at once."""

    ids: list[str]
    observers: list[str]
    categories: list[str]
    weapons: list[str]  # the weapon class, "undetermined" where none is determined
    group_names: list[str]
    member: list[tuple[Any, ...]]  # the row as an "opens" or "joins" note describes it

    @classmethod
    def build(cls, table: WedgeTable, rules: MergeRules) -> RowTexts:
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
            weapons=[UNDETERMINED_WEAPON if w < 0 else c.weapon_class[k] or ""
                     for k, w in enumerate(table.weapon.tolist())],
            group_names=[names[k] for k in codes],
            member=member,
        )


@cache
def zone_of(minutes: int) -> timezone:
    """The zone of an offset, as ObservationColumns.moment takes it."""
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


def interval_text(centre: float, half_width: float) -> str:
    return f"{(centre - half_width) % 360:g}-{(centre + half_width) % 360:g} deg"
