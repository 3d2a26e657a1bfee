"""Write the events the engine made of stored observations: create the new, update the
changed, withdraw those it no longer makes, point the members at their events, and add the
changes to the rollups."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from hofburg.core.models import Classification
from hofburg.monitoring import vendor
from hofburg.monitoring.engine.binning import event_cell, map_cell_of
from hofburg.monitoring.engine.locate import Fix
from hofburg.monitoring.engine.merged_events import Event as MergedEvent
from hofburg.monitoring.engine.merged_events import Location
from hofburg.monitoring.events.rollups import Contribution, apply_rollup_deltas, contribution
from hofburg.monitoring.mission import area_at, report_date_of
from hofburg.monitoring.models import Event, EventStatus, Observation, visibility_scope

# What the merge makes of an event, as the model stores it.
EVENT_FIELDS = (
    "category", "weapon_class", "count_at_least", "first_observed_at", "last_observed_at",
    "report_date", "lon", "lat", "h3_cell", "area", "location_method", "ellipse_semi_major_m",
    "ellipse_semi_minor_m", "ellipse_orientation_deg", "area_km2", "number_of_sources",
    "needs_review", "explanation")
_EVENT_COLUMNS = ("event_key", "status", *EVENT_FIELDS, "is_exercise", "created_at",
                  "updated_at", "classification", "owner_affiliation")
_PROTECTION: dict[str, int] = {Classification.PUBLIC: 0, Classification.RESTRICTED: 1,
                               Classification.CONFIDENTIAL: 2}


def classification_of(members: Sequence[Observation], current: Event | None
                      ) -> tuple[str, int | None]:
    """(classification, owner affiliation) of an event whose members are new or changed: the
    most protected of its members' and, for a stored event, never lower than it was (a
    re-merge never lowers a classification; a declassified event whose members changed is
    classified as they are again). Members share one visibility scope (see `window.remerge`),
    so a confidential event is owned by its members' owner; any other event by its stored
    owner, or when new by the owner of its first member (whose id is the event's key)."""
    level = max((o.classification for o in members), key=_PROTECTION.__getitem__)
    if current is not None and _PROTECTION[current.classification] > _PROTECTION[level]:
        return current.classification, current.owner_affiliation_id
    if level == Classification.CONFIDENTIAL:
        return level, members[0].owner_affiliation_id
    return level, (current.owner_affiliation_id if current is not None
                   else members[0].owner_affiliation_id)


class _Changes:
    """What storing a re-merge writes: new event rows, updated events, members to link, and
    the rollup deltas."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.deltas: list[tuple[Contribution, int]] = []
        self.new_rows: list[tuple[Any, ...]] = []
        self.new_members: dict[str, list[str]] = {}
        self.updates: list[Event] = []

    def create(self, merged: MergedEvent, values: dict[str, Any], classification: str,
               owner: int | None) -> None:
        adapt = connection.ops.adapt_datetimefield_value
        adapt_date = connection.ops.adapt_datefield_value
        self.new_rows.append((
            merged.event_key, EventStatus.PROVISIONAL.value,
            *[adapt(values[f]) if isinstance(values[f], datetime) else
              adapt_date(values[f]) if isinstance(values[f], date) else
              json.dumps(values[f]) if f == "explanation" else values[f] for f in EVENT_FIELDS],
            values["is_exercise"], adapt(self.now), adapt(self.now), classification, owner))
        self.deltas.append((Contribution(values["report_date"], values["category"],
                                         values["area"], map_cell_of(values["h3_cell"]),
                                         values["is_exercise"], values["count_at_least"],
                                         False, visibility_scope(classification, owner)), 1))
        self.new_members[merged.event_key] = list(merged.observation_ids)

    def update(self, current: Event, merged: MergedEvent, values: dict[str, Any],
               classification: str, owner: int | None) -> None:
        self._take_out(current)
        if current.status in (EventStatus.VERIFIED, EventStatus.PUBLISHED):
            # New evidence after verification: keep the status, ask an analyst to look again.
            values["needs_review"] = True
            values["explanation"] = [*values["explanation"], ["changed", str(current.status)]]
        elif current.status == EventStatus.WITHDRAWN:
            current.status = EventStatus.PROVISIONAL
        for name in (*EVENT_FIELDS, "is_exercise"):
            setattr(current, name, values[name])
        current.classification, current.owner_affiliation_id = classification, owner
        current.updated_at = self.now
        self.updates.append(current)
        after = contribution(current)
        if after is not None:
            self.deltas.append((after, 1))
        self.new_members[merged.event_key] = list(merged.observation_ids)

    def withdraw(self, event: Event) -> None:
        self._take_out(event)
        event.status = EventStatus.WITHDRAWN
        event.updated_at = self.now
        event.explanation = [*event.explanation, ["withdrawn"]]
        self.updates.append(event)

    def _take_out(self, event: Event) -> None:
        before = contribution(event)
        if before is not None:
            self.deltas.append((before, -1))


def store_events(merged: list[MergedEvent], scope: list[Observation], touched: set[int], *,
                 batch: int = vendor.INSERT_BATCH) -> tuple[int, int]:
    """Store the events the engine made of `scope`: create the new, update the changed,
    withdraw those it no longer makes; add the changes to the rollups. Each event takes its
    classification and owner from its members (`classification_of`), never from who caused
    the re-merge. Returns (events created, events updated or withdrawn)."""
    by_id = {o.observation_id: o for o in scope}
    old = {e.event_key: e for e in Event.objects.filter(pk__in=touched)} if touched else {}
    keys = {m.event_key for m in merged}
    # An event may also exist under its key without any member in scope (withdrawn earlier).
    for some in vendor.in_batches([k for k in keys if k not in old]):
        for e in Event.objects.filter(event_key__in=some):
            old[e.event_key] = e
    changes = _Changes()
    for merged_event in merged:
        members = [by_id[i] for i in merged_event.observation_ids]
        current = old.get(merged_event.event_key)
        classification, owner = classification_of(members, current)
        if current is not None and _same_as_stored(current, members):
            # The same members as stored: nothing to do (a declassified event stays public).
            continue
        values = event_values(merged_event, any(o.is_exercise for o in members))
        if current is None:
            changes.create(merged_event, values, classification, owner)
        else:
            changes.update(current, merged_event, values, classification, owner)
    for key, event in old.items():
        if key not in keys and event.pk in touched and event.status != EventStatus.WITHDRAWN:
            changes.withdraw(event)
    if changes.new_rows:
        vendor.bulk_insert(Event, _EVENT_COLUMNS, changes.new_rows)
    if changes.updates:
        Event.objects.bulk_update(changes.updates, [*EVENT_FIELDS, "status", "is_exercise",
                                                    "classification", "owner_affiliation",
                                                    "updated_at"], batch_size=500)
    link_members(changes.new_members, by_id, batch=batch)
    apply_rollup_deltas(changes.deltas)
    return len(changes.new_rows), len(changes.updates)


def _same_as_stored(event: Event, members: list[Observation]) -> bool:
    """The stored event has these members and the figures they give it."""
    return (event.status != EventStatus.WITHDRAWN
            and all(o.event_id == event.pk for o in members)
            and event.number_of_sources == len(members)
            and event.count_at_least == max(o.count for o in members))


def location_figures(location: Location, missing: float | None = None
                     ) -> tuple[float | None, ...]:
    """(ellipse semi-major m, semi-minor m, orientation deg, candidate area km2) of a location:
    the ellipse of a fix, the area of a common area or a sector; `missing` where not given."""
    if isinstance(location, Fix):
        ellipse = location.error_ellipse
        return ellipse.semi_major_m, ellipse.semi_minor_m, ellipse.orientation_deg, missing
    return missing, missing, missing, location.area_km2


def event_values(merged: MergedEvent, is_exercise: bool) -> dict[str, Any]:
    """The model's fields of an event as the engine made it."""
    lon, lat = merged.position
    cell = event_cell(lon, lat)
    major, minor, orientation, area_km2 = location_figures(merged.location)
    return {
        "category": merged.category.value,
        "weapon_class": merged.weapon_class or "",
        "count_at_least": merged.count_at_least,
        "first_observed_at": merged.first_observed_at,
        "last_observed_at": merged.last_observed_at,
        "report_date": report_date_of(merged.first_observed_at),
        "lon": lon, "lat": lat, "h3_cell": cell, "area": area_at(lon, lat, cell),
        "location_method": merged.location_method,
        "ellipse_semi_major_m": major,
        "ellipse_semi_minor_m": minor,
        "ellipse_orientation_deg": orientation,
        "area_km2": area_km2,
        "number_of_sources": merged.number_of_sources,
        "needs_review": merged.needs_review,
        "explanation": list(merged.explanation),
        "is_exercise": is_exercise,
    }


def link_members(members: Mapping[str, list[str]], by_id: Mapping[str, Observation], *,
                 batch: int = vendor.INSERT_BATCH) -> None:
    """Point each observation at its event; only the observations whose event changed."""
    if not members:
        return
    event_ids: dict[str, int] = {}
    for some in vendor.in_batches(list(members)):
        event_ids.update(Event.objects.filter(event_key__in=some)
                         .values_list("event_key", "pk"))
    changes = [(event_ids[key], by_id[oid].pk) for key, ids in members.items() for oid in ids
               if by_id[oid].event_id != event_ids[key]]
    if not changes:
        return
    table = connection.ops.quote_name(Observation._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(changes), batch):
            cursor.executemany(f"UPDATE {table} SET event_id = %s WHERE id = %s",  # noqa: S608
                               changes[start:start + batch])
