"""The rollups: what each event adds to the count tables, summed and upserted.

`DailyCount` and `CellCount`, and their coarser twins `AreaWeekCount`, `CellWeekCount` and
`CellMonthCount`, change together in the caller's transaction, never by rescanning, so a
coarse row always equals the sum of its period's daily rows; a change raises the rollup
generation so cached answers go stale (docs/decisions/0011).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, NamedTuple, TypeVar

import numpy as np
from django.db import connection, transaction
from django.db.models import Case, CharField, Model, Value, When
from django.db.models.functions import Cast, Concat
from numpy.typing import NDArray

from hofburg.core.models import Classification
from hofburg.monitoring import vendor
from hofburg.monitoring.engine.binning import cell_centre, map_cell_of
from hofburg.monitoring.engine.periods import month_of, week_of
from hofburg.monitoring.models import (
    CONFIDENTIAL_SCOPE_PREFIX,
    PUBLIC_SCOPE,
    RESTRICTED_SCOPE,
    AreaWeekCount,
    CellCount,
    CellMonthCount,
    CellWeekCount,
    DailyCount,
    Event,
    EventStatus,
    RollupGeneration,
    visibility_scope,
)

ROLLUP_COUNTERS = ("events", "violations", "published_events", "published_violations")
ROLLUP_MODELS: tuple[type[Model], ...] = (DailyCount, AreaWeekCount, CellCount, CellWeekCount,
                                          CellMonthCount)
_ROLLUP_TABLES = ("daily", "area_weeks", "cells", "cell_weeks", "cell_months")
# Counter changes by a table's key: (events, violations, published events, published violations).
_Table = dict[tuple[Any, ...], list[int]]


class Contribution(NamedTuple):
    """What one event adds to the rollups."""

    day: date
    category: str
    area: str
    cell: str
    is_exercise: bool
    violations: int
    published: bool
    scope: str  # the event's visibility scope (models.visibility_scope)


def contribution(event: Event | Mapping[str, Any]) -> Contribution | None:
    """What an event adds to the rollups; None for a withdrawn one. Only a public event adds
    to the published share: the public never sees a figure of an event it may not see."""
    get = (lambda name: getattr(event, name)) if isinstance(event, Event) else event.__getitem__
    if get("status") == EventStatus.WITHDRAWN:
        return None
    classification = get("classification")
    return Contribution(get("report_date"), get("category"), get("area"),
                        map_cell_of(get("h3_cell")), bool(get("is_exercise")),
                        int(get("count_at_least")),
                        get("status") == EventStatus.PUBLISHED
                        and classification == Classification.PUBLIC,
                        visibility_scope(classification, get("owner_affiliation_id")))


def scope_expression() -> Case:
    """`models.visibility_scope` of an event row, in SQL (for rollups counted in the
    database)."""
    return Case(
        When(classification=Classification.PUBLIC, then=Value(PUBLIC_SCOPE)),
        When(classification=Classification.RESTRICTED, then=Value(RESTRICTED_SCOPE)),
        default=Concat(Value(CONFIDENTIAL_SCOPE_PREFIX),
                       Cast("owner_affiliation_id", CharField())),
        output_field=CharField())


def apply_rollup_deltas(deltas: Iterable[tuple[Contribution, int]]) -> None:
    """Add events to (sign 1) or take them from (sign -1) every rollup, as upserts.

    The daily rollups and their weekly and monthly sums change together, in the caller's
    transaction, so the coarse rows stay exactly the sums of the daily ones.
    """
    write_rollup_sums(rollup_sums(deltas))


@dataclass
class RollupSums:
    """Counter changes per rollup row: (events, violations, published events, published
    violations) by each table's key. Plain dicts, so a worker process can hand them back."""

    tables: dict[str, _Table] = field(
        default_factory=lambda: {name: {} for name in _ROLLUP_TABLES})

    def add(self, other: RollupSums) -> None:
        for name, table in other.tables.items():
            mine = self.tables[name]
            for key, values in table.items():
                sums = mine.get(key)
                if sums is None:
                    mine[key] = list(values)
                else:
                    for k in range(4):
                        sums[k] += values[k]


def rollup_sums(deltas: Iterable[tuple[Contribution, int]]) -> RollupSums:
    """The rollup rows the contributions change, each by its sign (1 or -1)."""
    pairs = list(deltas)
    return grouped_sums(CountedEvents(
        [c.day for c, _ in pairs], [c.category for c, _ in pairs], [c.area for c, _ in pairs],
        [c.cell for c, _ in pairs], [c.is_exercise for c, _ in pairs],
        [c.violations for c, _ in pairs], [c.scope for c, _ in pairs]),
        published=[c.published for c, _ in pairs], signs=[sign for _, sign in pairs])


_Key = TypeVar("_Key", str, date)


class CountedEvents(NamedTuple):
    """Events as the rollups count them, column by column (`Contribution`'s fields)."""

    days: Sequence[date]
    categories: Sequence[str]
    areas: Sequence[str]
    cells: Sequence[str]
    is_exercise: Sequence[bool]
    violations: Sequence[int]
    scopes: Sequence[str]


def grouped_sums(events: CountedEvents, *, published: Sequence[bool] | None = None,
                 signs: Sequence[int] | None = None) -> RollupSums:
    """The rollup rows that the events change: added once each unless `signs` says -1,
    unpublished unless `published` says otherwise. Grouped with numpy, so each row's key is
    made once: a stretch's tens of thousands of events fall into a few hundred area rows and
    some thousands of cell rows."""
    days = events.days
    result = RollupSums()
    if not days:
        return result
    day_list, day_codes = _sorted_codes(days)
    periods = [(week_of(day), month_of(day)) for day in day_list]
    week_list = sorted({week for week, _ in periods})
    month_list = sorted({month for _, month in periods})
    week_codes = np.array([week_list.index(week) for week, _ in periods])[day_codes]
    month_codes = np.array([month_list.index(month) for _, month in periods])[day_codes]
    category = _sorted_codes(events.categories)
    area = _sorted_codes(events.areas)
    cell = _sorted_codes(events.cells)
    exercise = ([False, True], np.asarray(events.is_exercise, dtype=np.int64))
    scope = _sorted_codes(events.scopes)
    sign = np.ones(len(days), dtype=np.int64) if signs is None else np.asarray(signs, np.int64)
    weight = sign * np.asarray(events.violations, dtype=np.int64)
    shown = (np.zeros(len(days), dtype=np.int64) if published is None
             else np.asarray(published, dtype=np.int64))
    counters = (sign, weight, sign * shown, weight * shown)  # ROLLUP_COUNTERS, in order
    day, week, month = (day_list, day_codes), (week_list, week_codes), (month_list, month_codes)
    # Each table's key, as (values, codes) of its parts in order.
    layouts: tuple[tuple[str, tuple[tuple[Sequence[Any], NDArray[np.int64]], ...]], ...] = (
        ("daily", (day, category, area, exercise, scope)),
        ("area_weeks", (week, category, area, exercise, scope)),
        ("cells", (cell, day, category, exercise, scope)),
        ("cell_weeks", (cell, week, category, exercise, scope)),
        ("cell_months", (cell, month, category, exercise, scope)),
    )
    for name, parts in layouts:
        result.tables[name] = _summed(parts, counters, len(days))
    return result


def _summed(parts: Sequence[tuple[Sequence[Any], NDArray[np.int64]]],
            counters: Sequence[NDArray[np.int64]], n: int) -> _Table:
    """The counters summed by the key the parts make, as {key: [sums]}."""
    key = np.zeros(n, dtype=np.int64)
    for values, codes in parts:
        key = key * len(values) + codes
    unique, inverse = np.unique(key, return_inverse=True)
    sums = [np.bincount(inverse, counter, minlength=len(unique)).astype(np.int64).tolist()
            for counter in counters]
    columns = []
    for values, _codes in reversed(parts):
        columns.append([values[k] for k in (unique % len(values)).tolist()])
        unique = unique // len(values)
    return dict(zip(zip(*reversed(columns), strict=True),
                    map(list, zip(*sums, strict=True)), strict=True))


def _sorted_codes(values: Sequence[_Key]) -> tuple[list[_Key], NDArray[np.int64]]:
    """The distinct values in order and each value's position among them (as np.unique with
    return_inverse, without comparing Python objects one sort step at a time)."""
    distinct = sorted(set(values))
    position = {value: k for k, value in enumerate(distinct)}
    return distinct, np.fromiter(map(position.__getitem__, values), dtype=np.int64,
                                 count=len(values))


def write_rollup_sums(result: RollupSums, *, bump: bool = True,
                      batch: int = vendor.INSERT_BATCH) -> bool:
    """Add the sums to the rollup tables; whether any row changed. With `bump`, a change
    raises the rollup generation (else the caller does, once, when it is done)."""
    daily, area_weeks, cells, cell_weeks, cell_months = (result.tables[name]
                                                         for name in _ROLLUP_TABLES)
    # Each date adapted once: a few hundred serve hundreds of thousands of rows.
    adapt_date = cache(connection.ops.adapt_datefield_value)
    flag = vendor.flag(connection.vendor)
    area_tables: tuple[tuple[type[Model], str, _Table], ...] = (
        (DailyCount, "day", daily), (AreaWeekCount, "week", area_weeks))
    cell_tables: tuple[tuple[type[Model], str, _Table], ...] = (
        (CellCount, "day", cells), (CellWeekCount, "week", cell_weeks),
        (CellMonthCount, "month", cell_months))
    for model, period, table in area_tables:
        vendor.upsert_adding(
            model, (period, "category", "area", "is_exercise", "scope"), ROLLUP_COUNTERS,
            [(adapt_date(k[0]), k[1], k[2], flag(k[3]), k[4], *v) for k, v in table.items()
             if any(v)], batch=batch)
    for model, period, table in cell_tables:
        vendor.upsert_adding(
            model, ("cell", period, "category", "is_exercise", "scope", "lon", "lat"),
            ROLLUP_COUNTERS,
            [(k[0], adapt_date(k[1]), k[2], flag(k[3]), k[4], *cell_centre(k[0]), *v)
             for k, v in table.items() if any(v)], key_length=5, batch=batch)
    changed = any(any(any(v) for v in table.values()) for table in result.tables.values())
    if changed and bump:
        next_rollup_generation()
    return changed


def next_rollup_generation() -> None:
    """Raise the rollup generation and draw its new token (in the caller's transaction):
    cached answers go stale."""
    table = connection.ops.quote_name(RollupGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (id, value, token) VALUES (1, 1, %s) "  # noqa: S608
                       f"ON CONFLICT (id) DO UPDATE SET value = {table}.value + 1, "
                       "token = excluded.token", [secrets.token_hex(16)])


def rebuild_rollups() -> int:
    """Recount every rollup from the events (a repair tool; ingest never needs it)."""
    with transaction.atomic():
        for model in ROLLUP_MODELS:
            model._default_manager.all().delete()
        next_rollup_generation()
        deltas = []
        for values in Event.objects.exclude(status=EventStatus.WITHDRAWN).values(
                "status", "report_date", "category", "area", "h3_cell", "is_exercise",
                "count_at_least", "classification", "owner_affiliation_id"
        ).iterator(chunk_size=5000):
            found = contribution(values)
            if found is not None:
                deltas.append((found, 1))
        apply_rollup_deltas(deltas)
    return len(deltas)
