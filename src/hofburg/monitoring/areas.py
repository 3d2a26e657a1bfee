"""Recounting stored events by the current reporting areas (docs/decisions/0012).

An event takes its reporting area when it is merged, from the areas file of that moment, so a
mission that redraws its areas (settings.MONITORING_AREAS) leaves its stored events where they
were. `recount_areas` sets every stored event's area again from its position with the file as
it is now, counts the area rollups (`DailyCount`, `AreaWeekCount`) again from the events, and
raises the rollup generation so cached answers go stale; all in one transaction, recorded in
the audit trail. The cell rollups are keyed by H3 cell, not by area, and stay as they are.

The events are read in key order a block at a time, their areas looked up a block at a time
(the engine's vectorised predicate, as the bulk import does), moved with one UPDATE per batch of
keys, and the rollups counted by the database (INSERT ... SELECT ... GROUP BY), so a million
events never sit in memory at once. A second run with the same file finds nothing to move and
writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from hofburg.core.models import Classification, User
from hofburg.core.services.audit import record_change
from hofburg.monitoring import errors, mission, queries, vendor
from hofburg.monitoring.engine.areas import AreasError, ReportingAreas, reporting_areas_from_geojson
from hofburg.monitoring.events import rollups
from hofburg.monitoring.models import (
    AreaWeekCount,
    DailyCount,
    Event,
    EventStatus,
    RollupGeneration,
)

READ_BLOCK = 50_000  # events read and looked up at a time


class AreasFileError(errors.MonitoringError):
    """The areas file cannot be read or is not a valid set of reporting areas."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"areas file {path}: {reason}; nothing was changed")
        self.path = path
        self.reason = reason


@dataclass
class RecountSummary:
    """What a recount did: events read, events moved, and the moves per area."""

    areas_file: str
    sha256: str
    events: int = 0
    moved: int = 0
    moved_in: Counter[str] = field(default_factory=Counter)
    moved_out: Counter[str] = field(default_factory=Counter)
    names: dict[str, str | None] = field(default_factory=dict)
    # The rollup generation after the recount; None when nothing moved (nothing was written).
    rollup_generation: int | None = None

    def as_dict(self) -> dict[str, Any]:
        touched = sorted(set(self.moved_in) | set(self.moved_out))
        return {"events": self.events, "moved": self.moved,
                "areas": {code: {"name": self.names.get(code), "moved_in": self.moved_in[code],
                                 "moved_out": self.moved_out[code]} for code in touched},
                "areas_file": self.areas_file, "sha256": self.sha256,
                "rollup_generation": self.rollup_generation}


def read_areas_file(path: Path) -> tuple[ReportingAreas, str]:
    """The reporting areas in `path` and the file's SHA-256; AreasFileError says what is wrong."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise AreasFileError(path, error.strerror or str(error)) from None
    try:
        data = json.loads(content)
    except ValueError as error:  # not JSON, or not UTF-8
        raise AreasFileError(path, f"not a GeoJSON file ({error})") from None
    try:
        areas = reporting_areas_from_geojson(data)
    except AreasError as error:
        raise AreasFileError(path, str(error)) from None
    return areas, hashlib.sha256(content).hexdigest()


def recount_areas(actor: User | None = None) -> RecountSummary:
    """Set every stored event's area from its position with the areas file of
    settings.MONITORING_AREAS, and count the area rollups again; all or nothing.

    The file is read and checked before anything is written. When no event moves, nothing is
    written: not the rollups, not the generation, not the audit trail. Afterwards this process
    reads area names from the same file (`mission.reporting_areas` is read again).
    """
    path = Path(settings.MONITORING_AREAS)
    areas, sha256 = read_areas_file(path)
    summary = RecountSummary(areas_file=str(path), sha256=sha256)
    with transaction.atomic():
        _hold_off_writers()
        _move_events(areas, summary)
        if summary.moved:
            before = queries.rollup_generation()
            count_area_rollups()
            rollups.next_rollup_generation()
            summary.rollup_generation = queries.rollup_generation()
            record_change(actor, "recount", RollupGeneration.objects.get(pk=1),
                          {"value": before}, {"value": summary.rollup_generation,
                                              **summary.as_dict()})
    mission.reporting_areas.cache_clear()
    return summary


def _hold_off_writers() -> None:
    # Ingest writes events and then their rollups in one transaction: holding its writes off
    # until the recount commits means no event is counted twice or missed. Readers go on.
    vendor.hold_off_writers(Event)


def _move_events(areas: ReportingAreas, summary: RecountSummary) -> None:
    """Give each stored event the area of its position, a block of events at a time."""
    now = timezone.now()
    last = 0
    while True:
        block = list(Event.objects.filter(pk__gt=last).order_by("pk")
                     .values_list("pk", "lon", "lat", "h3_cell", "area")[:READ_BLOCK])
        if not block:
            break
        last = block[-1][0]
        now_in = mission.areas_at(np.array([row[1] for row in block], dtype=float),
                                   np.array([row[2] for row in block], dtype=float),
                                   [row[3] for row in block], areas)
        moves: dict[str, list[int]] = defaultdict(list)
        for (pk, _lon, _lat, _cell, stored), area in zip(block, now_in, strict=True):
            if area != stored:
                moves[area].append(pk)
                summary.moved_out[stored] += 1
        for area, keys in moves.items():
            for start in range(0, len(keys), vendor.IN_BATCH):
                Event.objects.filter(pk__in=keys[start:start + vendor.IN_BATCH]).update(
                    area=area, updated_at=now)
            summary.moved_in[area] += len(keys)
            summary.moved += len(keys)
        summary.events += len(block)
    summary.names = {code: areas.name_of(code)
                     for code in set(summary.moved_in) | set(summary.moved_out)}


def count_area_rollups() -> None:
    """Count `DailyCount` and `AreaWeekCount` again from the events, in the database.

    What ingest adds per event: a withdrawn event counts nowhere, a published public one in
    both shares, each in its visibility scope (`rollups.scope_expression`). The weeks are
    summed from the new daily rows, so each weekly row is exactly the sum of its days. In the
    caller's transaction; the caller raises the rollup generation.
    """
    published = Q(status=EventStatus.PUBLISHED, classification=Classification.PUBLIC)
    daily = (Event.objects.exclude(status=EventStatus.WITHDRAWN).order_by()
             .values("category", "area", "is_exercise", day=F("report_date"),
                     counted_scope=rollups.scope_expression())
             .annotate(counted_events=Count("pk"),
                       counted_violations=Sum("count_at_least"),
                       counted_published_events=Count("pk", filter=published),
                       counted_published_violations=Coalesce(
                           Sum("count_at_least", filter=published), 0)))
    DailyCount.objects.all().delete()
    AreaWeekCount.objects.all().delete()
    _insert_counted(DailyCount, daily, period="day")
    weekly = (DailyCount.objects.order_by()
              .values("category", "area", "is_exercise", "scope", week=TruncWeek("day"))
              .annotate(**{f"counted_{name}": Sum(name) for name in rollups.ROLLUP_COUNTERS}))
    _insert_counted(AreaWeekCount, weekly, period="week")


def _insert_counted(model: type[Model], counted: QuerySet[Any], *, period: str) -> None:
    """INSERT INTO the model's table SELECT the grouped query's rows, matched by column name:
    the period and the key by their own names, each counter from `counted_<name>`."""
    quote = connection.ops.quote_name
    targets = {period: period, "category": "category", "area": "area", "is_exercise": "is_exercise",
               "scope": "counted_scope" if period == "day" else "scope",
               **{name: f"counted_{name}" for name in rollups.ROLLUP_COUNTERS}}
    sql, params = counted.query.sql_with_params()
    columns = ", ".join(quote(column) for column in targets)
    selected = ", ".join(f"counted.{quote(alias)}" for alias in targets.values())
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
                       f"SELECT {selected} FROM ({sql}) counted", params)
