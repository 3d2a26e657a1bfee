"""Paired observers: an STO team is two observers, and both may send the form of the same visit.

Forms of the same form id, station and team sent by different observers (`submitted_by`) are
one observation. (The same observer sending the form twice for a station has been there twice:
those forms are two visits and are never paired.) If their answers
agree (leaving out times, device and free text) the first by instance id stands for them and
the others are duplicates; if they disagree they are a conflict, held out of the figures until
an analyst resolves it by choosing the form that stands (Apollo's master record). Forms with no
station or no team are never paired.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NOT_COMPARED = frozenset({"start", "end", "today", "deviceid", "remarks", "team", "comments"})


@dataclass
class Reconciled:
    kept: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def pair_key(row: Mapping[str, Any]) -> tuple[str, str, str] | None:
    station, team = row.get("station_id") or "", row.get("team") or ""
    return (str(row["form_id"]), str(station), str(team)) if station and team else None


def _compared(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row["data"].items() if k not in NOT_COMPARED}


def differing(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The answers on which the rows disagree, sorted."""
    names = set().union(*(_compared(r).keys() for r in rows))
    return sorted(n for n in names if len({str(_compared(r).get(n)) for r in rows}) > 1)


def reconcile(rows: Sequence[Mapping[str, Any]],
              chosen: Mapping[tuple[str, str, str], str]) -> Reconciled:
    """Split rows (each with `instance_id`, `form_id`, `station_id`, `team`, `data`) into those
    the figures count, duplicates, and conflicts; `chosen` maps a pair's key to the instance id
    an analyst chose for it."""
    groups: dict[tuple[str, str, str], list[Mapping[str, Any]]] = {}
    result = Reconciled()
    for row in sorted(rows, key=lambda r: str(r["instance_id"])):
        key = pair_key(row)
        if key is None:
            result.kept.append(dict(row))
        else:
            groups.setdefault(key, []).append(row)
    for key, members in groups.items():
        submitters = [m.get("submitted_by") or "" for m in members]
        if len(members) == 1 or len(set(submitters)) < len(members) or "" in submitters:
            result.kept.extend(dict(m) for m in members)
            continue
        pick = chosen.get(key)
        standing = next((m for m in members if m["instance_id"] == pick), None)
        disagree = differing(members)
        if standing is None and disagree:
            result.conflicts.append({
                "form_id": key[0], "station_id": key[1], "team": key[2],
                "instances": [str(m["instance_id"]) for m in members], "differing": disagree})
            continue
        standing = standing or members[0]
        result.kept.append(dict(standing))
        result.duplicates.extend(str(m["instance_id"]) for m in members if m is not standing)
    result.kept.sort(key=lambda r: str(r["instance_id"]))
    return result
