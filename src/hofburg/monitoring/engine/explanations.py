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
from hofburg.notes import Note, gettext_noop

_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose: local times are built on it


def explain(notes: Iterable[Any]) -> list[str]:
    """The sentences of an explanation as stored: each note written out (see merged_events.Note)
    as a `hofburg.notes.Note` (English that a page says in the reader's language), a sentence
    stored as text kept as it is. An "opens" note starts the list of members that later "joins"
    notes name."""
    members: list[str] = []
    lines: list[str] = []
    for note in notes:
        if isinstance(note, str):
            lines.append(note)
            continue
        kind, *values = note
        writer = _WRITERS.get(kind)
        # A kind this version does not know (written by a later one) is shown as stored.
        lines.append(writer(values, members) if writer else json.dumps(note))
    return lines


def _g(value: float, spec: str = "g") -> str:
    return format(value, spec)


def _opens(values: list[Any], members: list[str]) -> str:
    members[:] = [values[0]]
    return Note(gettext_noop("{observation} opens the event: {described}"),
                observation=values[0], described=_describe(values))


def _joins(values: list[Any], members: list[str]) -> str:
    waited, window, category, relation, weapon = values[12:17]
    observation, first = values[0], members[0] if members else "?"
    if relation is None:
        related = Note(gettext_noop("category {category} as {first}"),
                       category=category, first=first)
    else:
        group, first_category = relation
        related = Note(gettext_noop("category {category} in group '{group}' with {other}"),
                       category=category, group=group, other=first_category)
    template = (gettext_noop(
        "{observation} joins: {described}; {waited} s after {first} (window {window} s); "
        "{related}; weapon {weapon} compatible; its wedge overlaps those of {members} and the "
        "area they share") if len(members) > 1 else gettext_noop(
        "{observation} joins: {described}; {waited} s after {first} (window {window} s); "
        "{related}; weapon {weapon} compatible; its wedge overlaps those of {members}"))
    text = Note(template, observation=observation, described=_describe(values),
                waited=_g(waited, ".0f"), first=first, window=_g(window), related=related,
                weapon=weapon, members=", ".join(members))
    members.append(observation)
    return text


def _describe(values: list[Any]) -> Note:
    """An observation as an "opens" or "joins" note gives it: (id, observer, kind, method,
    POSIX seconds, UTC offset in minutes, bearing or [sector, centre, half-width], bearing
    tolerance, distance from, distance to (None if not reported), wedge from, wedge to)."""
    _, observer, kind, method, seconds, minutes, aim, tolerance, low, high, inner, outer = (
        values[:12])
    local = _EPOCH + timedelta(seconds=seconds, minutes=minutes)
    when = local.replace(tzinfo=zone_of(minutes)).isoformat()
    direction = (Note(gettext_noop("sector {sector} ({interval})"), sector=aim[0],
                      interval=interval_text(aim[1], aim[2]))
                 if isinstance(aim, list | tuple)
                 else Note(gettext_noop("bearing {bearing} deg"), bearing=_g(aim)))
    band = (Note(gettext_noop("distance not reported")) if low is None
            else Note(gettext_noop("{low}-{high} km"), low=_g(low), high=_g(high)))
    return Note(gettext_noop("{observer} ({kind}, {method}) at {when}, {direction} "
                             "+-{tolerance} deg, {band} (wedge {inner}-{outer} km)"),
                observer=observer, kind=kind, method=method, when=when, direction=direction,
                tolerance=_g(tolerance), band=band, inner=_g(inner), outer=_g(outer))


def _apart(values: list[Any], members: list[str]) -> str:
    observation, observer = values[:2]
    if len(values) > 2:
        km, reach, other_reach = values[2:5]
        reason = Note(gettext_noop("the observers are {km} km apart, beyond the {reach} + "
                                   "{other} km their wedges reach"),
                      km=_g(km, ".1f"), reach=_g(reach), other=_g(other_reach))
    else:
        reason = Note(gettext_noop("their wedges do not overlap"))
    return Note(gettext_noop("kept apart from {observation} ({observer}): {reason}"),
                observation=observation, observer=observer, reason=reason)


def _fix(values: list[Any], members: list[str]) -> str:
    count, crossing, confidence, major, minor, orientation = values[:6]
    return Note(gettext_noop(
        "located by the least-squares fix of {count} bearings (crossing {crossing} deg; "
        "{confidence} ellipse {major} x {minor} m, major axis {orientation} deg)"),
        count=count, crossing=_g(crossing, ".0f"), confidence=_g(confidence, ".0%"),
        major=_g(major, ".0f"), minor=_g(minor, ".0f"), orientation=_g(orientation, ".0f"))


_STATUS_WORDS = {"verified": gettext_noop("verified"), "published": gettext_noop("published")}


def _changed(values: list[Any], members: list[str]) -> str:
    status = _STATUS_WORDS.get(values[0])
    return Note(gettext_noop("members changed after the event was {status}: for an analyst to "
                             "review"), status=Note(status) if status else values[0])


def _withdrawn(values: list[Any], members: list[str]) -> str:
    return Note(gettext_noop("withdrawn: its observations were rejected or now belong to other "
                             "events"))


_WRITERS: dict[str, Callable[[list[Any], list[str]], str]] = {
    "opens": _opens,
    "joins": _joins,
    "apart": _apart,
    "fix": _fix,
    "sector": lambda values, _: Note(gettext_noop(
        "located by one observer's wedge ({area} km2)"), area=_g(values[0], ".2f")),
    "area": lambda values, _: Note(gettext_noop(
        "located by the area the members' wedges share ({area} km2)"),
        area=_g(values[0], ".2f")),
    "changed": _changed,
    "withdrawn": _withdrawn,
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
