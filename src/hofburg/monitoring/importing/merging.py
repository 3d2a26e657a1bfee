"""Merging a stretch of new observations into events, in this process or in worker processes,
and turning its events into database rows (`importing.bulk` writes them).

The workers are forked (decision 0010): they share the importing process's columns without a
copy. Nothing may fork while threads run, so `merged_in_order` forks only while the importing
process runs no other thread (else the stretches are merged in the importing process); the
readers and the hashing end their threads before the merge begins. The workers' inputs are
handed to the pool explicitly, as the arguments of each worker's start (which a fork passes on
without copying), and a worker never touches the database connection.
"""

from __future__ import annotations

import itertools
import multiprocessing
import threading
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from pydantic_core import to_json

from hofburg.monitoring import vendor
from hofburg.monitoring.engine.areas import ReportingAreas
from hofburg.monitoring.engine.binning import event_cell, map_cell_of
from hofburg.monitoring.engine.columns import CATEGORIES, ObservationColumns
from hofburg.monitoring.engine.merge import merge_columns
from hofburg.monitoring.engine.merge_rules import MergeRules
from hofburg.monitoring.engine.merged_events import located_at
from hofburg.monitoring.engine.periods import ReportDates
from hofburg.monitoring.events.rollups import CountedEvents, RollupSums, grouped_sums
from hofburg.monitoring.events.store import location_figures
from hofburg.monitoring.mission import areas_at
from hofburg.monitoring.models import visibility_scope
from hofburg.monitoring.records import Provenance

# The columns of each event row a stretch hands back, in order (no primary key, no constants).
BULK_EVENT_COLUMNS = (
    "event_key", "category", "weapon_class", "count_at_least", "first_observed_at",
    "last_observed_at", "report_date", "lon", "lat", "h3_cell", "area", "location_method",
    "ellipse_semi_major_m", "ellipse_semi_minor_m", "ellipse_orientation_deg", "area_km2",
    "number_of_sources", "needs_review", "explanation")


class MergeInputs(NamedTuple):
    """Everything merging a stretch reads: the import's columns (in time order), who the new
    records are from, the mission's rules, areas and calendar, and the database's vendor (how
    values are bound)."""

    columns: ObservationColumns
    provenance: Provenance
    rules: MergeRules
    areas: ReportingAreas
    report_dates: ReportDates
    vendor: str


class MergedStretch(NamedTuple):
    """What merging one stretch hands back: rows ready for the database."""

    start: int
    end: int
    event_rows: list[tuple[Any, ...]]  # BULK_EVENT_COLUMNS
    event_of_row: NDArray[np.int32]  # each observation's event, as an index into event_rows
    sums: RollupSums


def merge_stretch(inputs: MergeInputs, bounds: tuple[int, int]) -> MergedStretch:
    """Merge one stretch and turn its events into database rows."""
    start, end = bounds
    part = inputs.columns.rows(start, end)
    merged = merge_columns(part, inputs.rules)
    position = {oid: k for k, oid in enumerate(part.observation_id)}
    # Each event's members as rows of the stretch, all events at once (each row is in one).
    members = [event.observation_ids for event in merged]
    sizes = np.fromiter(map(len, members), dtype=np.intp, count=len(merged))
    member_rows = np.fromiter(map(position.__getitem__,
                                  itertools.chain.from_iterable(members)),
                              dtype=np.intp, count=int(sizes.sum()))
    event_of_row = np.full(end - start, -1, dtype=np.int32)
    event_of_row[member_rows] = np.repeat(np.arange(len(merged), dtype=np.int32), sizes)
    ends = np.cumsum(sizes)
    first, last = member_rows[ends - sizes], member_rows[ends - 1]
    first_seconds = part.observed_at[first]
    first_at = vendor.database_times(first_seconds, inputs.vendor)
    last_at = vendor.database_times(part.observed_at[last], inputs.vendor)
    report_dates = inputs.report_dates.of_seconds(first_seconds)
    # SQLite stores a bound NaN as NULL, and binds it without the adapter search a None costs.
    missing, flag = vendor.missing_float(inputs.vendor), vendor.flag(inputs.vendor)
    places = [located_at(event.location) for event in merged]
    cells = [event_cell(lon, lat) for lon, lat, _ in places]
    areas = areas_at(np.array([place[0] for place in places], dtype=float),
                     np.array([place[1] for place in places], dtype=float), cells, inputs.areas)
    days: dict[date, str] = {}  # a report date as text, written once per stretch
    category_text = {category: category.value for category in CATEGORIES}
    rows = []
    categories: list[str] = []
    counts: list[int] = []
    for event, (lon, lat, method), cell, area, first_text, last_text, day in zip(
            merged, places, cells, areas, first_at, last_at, report_dates, strict=True):
        if (day_text := days.get(day)) is None:
            day_text = days[day] = day.isoformat()
        category = category_text[event.category]
        count = event.count_at_least
        rows.append((event.event_key, category, event.weapon_class or "", count, first_text,
                     last_text, day_text, lon, lat, cell, area, method,
                     *location_figures(event.location, missing), event.number_of_sources,
                     flag(event.needs_review), to_json(event.explanation).decode()))
        categories.append(category)
        counts.append(count)
    map_cells = {cell: map_cell_of(cell) for cell in set(cells)}  # each looked up once
    provenance = inputs.provenance
    scope = visibility_scope(provenance.classification, provenance.owner_affiliation_id)
    sums = grouped_sums(CountedEvents(
        report_dates, categories, areas, [map_cells[c] for c in cells],
        [provenance.is_exercise] * len(merged), counts, [scope] * len(merged)))
    return MergedStretch(start, end, rows, event_of_row, sums)


def merged_in_order(inputs: MergeInputs, stretches: list[tuple[int, int]], workers: int
                    ) -> Generator[MergedStretch, None, None]:
    """The stretches merged, in order: in `workers` forked processes, with at most two
    stretches each in flight (memory); in this process with no workers, or while this process
    runs another thread (a fork would copy it in whatever state it is: decision 0010)."""
    if not workers or threading.active_count() > 1:
        yield from (merge_stretch(inputs, bounds) for bounds in stretches)
        return
    # The pool forks every worker on the first task, before it starts a thread of its own.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(inputs,))
    yield from _in_order(pool, stretches, 2 * workers)


# A worker process's inputs, from its start (`_start_worker`); never set in the importing
# process.
_worker_inputs: MergeInputs | None = None


def _start_worker(inputs: MergeInputs) -> None:
    global _worker_inputs
    _worker_inputs = inputs


def _merge_in_worker(bounds: tuple[int, int]) -> MergedStretch:
    assert _worker_inputs is not None, "a merge worker is started with its inputs"
    return merge_stretch(_worker_inputs, bounds)


def _in_order(pool: ProcessPoolExecutor, stretches: list[tuple[int, int]], ahead: int
              ) -> Iterator[MergedStretch]:
    """The workers' results in order, with at most `ahead` stretches in flight (memory)."""
    pending: deque[Future[MergedStretch]] = deque()
    queue = iter(stretches)
    for bounds in queue:
        pending.append(pool.submit(_merge_in_worker, bounds))
        if len(pending) >= ahead:
            break
    try:
        while pending:
            result = pending.popleft().result()
            following = next(queue, None)
            if following is not None:
                pending.append(pool.submit(_merge_in_worker, following))
            yield result
    finally:
        pool.shutdown(cancel_futures=True)
