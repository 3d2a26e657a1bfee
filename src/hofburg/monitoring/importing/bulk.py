"""The bulk way in: stretches on new ground merged (in worker processes when there is enough to
share) and each stored as it comes back, its events and observations in bulk, each observation
already pointing at its event, while the workers go on with the next ones."""

from __future__ import annotations

import time as clock
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from numpy.typing import NDArray

from hofburg.monitoring import vendor
from hofburg.monitoring.engine.columns import (
    CATEGORIES,
    METHODS,
    OBSERVER_KINDS,
    ObservationColumns,
)
from hofburg.monitoring.events import rollups
from hofburg.monitoring.importing.merging import (
    BULK_EVENT_COLUMNS,
    MergedStretch,
    MergeInputs,
    merged_in_order,
)
from hofburg.monitoring.importing.timings import Progress, Timings, add_time
from hofburg.monitoring.importing.tuning import ImportTuning
from hofburg.monitoring.mission import merge_rules, report_dates, reporting_areas
from hofburg.monitoring.models import Event, EventStatus, Observation, ObservationStatus
from hofburg.monitoring.records import REPORTED_COLUMNS, Provenance

# SQLite's plain indexes set aside for a large import (see ImportTuning.reindex_from).
SET_ASIDE_INDEXES: dict[type[Model], tuple[str, ...]] = {Event: ("h3_cell",)}
# The columns of each observation row, in order (the constants follow).
_BULK_OBSERVATION_COLUMNS = (*REPORTED_COLUMNS, "event")


def merge_and_store(columns: ObservationColumns, stretches: list[tuple[int, int]],
                    provenance: Provenance, tuning: ImportTuning, *,
                    progress: Progress | None = None, timings: Timings | None = None) -> int:
    """Merge the stretches and store each as it comes back; the events created."""
    if not stretches:
        return 0
    total = sum(end - start for start, end in stretches)
    workers = min(tuning.merge_workers, len(stretches)) if total >= tuning.parallel_from else 0
    rebuild = (vendor.drop_secondary_indexes(SET_ASIDE_INDEXES) if total >= tuning.reindex_from
               and total >= Observation.objects.count() else [])
    inputs = MergeInputs(columns, provenance, merge_rules(), reporting_areas(), report_dates(),
                         connection.vendor)
    writer = _StretchWriter(columns, provenance, tuning, timings)
    with vendor.checks_off(), closing(merged_in_order(inputs, stretches, workers)) as results:
        done = 0
        while True:
            mark = clock.perf_counter()
            stretch = next(results, None)
            add_time(timings, "merge (waited)", mark)
            if stretch is None:
                break
            writer.store(stretch)
            done += stretch.end - stretch.start
            if progress:
                progress("merge", done, total)
    if rebuild:
        mark = clock.perf_counter()
        # The merge workers are done: the index sorter may use their cores.
        vendor.build_indexes(rebuild, tuning.merge_workers)
        add_time(timings, "indexes", mark)
    mark = clock.perf_counter()
    wrote = rollups.write_rollup_sums(writer.sums, bump=False, batch=tuning.insert_batch)
    if wrote or writer.wrote:
        rollups.next_rollup_generation()
    add_time(timings, "rollups", mark)
    return writer.created


class _StretchWriter:
    """Stores merged stretches: events, observations, and their rollup sums every few."""

    def __init__(self, columns: ObservationColumns, provenance: Provenance,
                 tuning: ImportTuning, timings: Timings | None) -> None:
        self.columns = columns
        self.tuning = tuning
        self.timings = timings
        self.ids = vendor.PrimaryKeys(Event)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.event_constants = {
            "status": EventStatus.PROVISIONAL.value, "is_exercise": provenance.is_exercise,
            "created_at": now, "updated_at": now, "classification": provenance.classification,
            "owner_affiliation": provenance.owner_affiliation_id}
        self.observation_constants = observation_constants(provenance)
        self.sums = rollups.RollupSums()
        self.wrote = False
        self.stored = 0  # stretches
        self.created = 0  # events

    def store(self, stretch: MergedStretch) -> None:
        mark = clock.perf_counter()
        keys = self.ids.take(len(stretch.event_rows))
        vendor.bulk_insert(Event, ("id", *BULK_EVENT_COLUMNS),
                           [(key, *row) for key, row in zip(keys.tolist(), stretch.event_rows,
                                                            strict=True)],
                           self.event_constants)
        add_time(self.timings, "store events", mark)
        mark = clock.perf_counter()
        vendor.bulk_insert(Observation, _BULK_OBSERVATION_COLUMNS, observation_rows(
            self.columns, stretch.start, stretch.end, keys[stretch.event_of_row]),
            self.observation_constants)
        add_time(self.timings, "store observations", mark)
        self.sums.add(stretch.sums)
        self.stored += 1
        if self.stored % self.tuning.rollup_flush == 0:
            # Sums are added in the database, so they can be written as they come: here
            # while the workers go on, rather than all at the end, alone.
            mark = clock.perf_counter()
            self.wrote |= rollups.write_rollup_sums(self.sums, bump=False,
                                            batch=self.tuning.insert_batch)
            self.sums = rollups.RollupSums()
            add_time(self.timings, "rollups", mark)
        self.created += len(stretch.event_rows)


def observation_constants(provenance: Provenance) -> dict[str, Any]:
    """The columns every observation of an import shares."""
    return {"client_id": None, "status": ObservationStatus.SUBMITTED.value, "status_reason": "",
            "batch": provenance.batch_id,
            "submitted_by": provenance.actor.pk if provenance.actor else None, "revision": 1,
            "is_exercise": provenance.is_exercise,
            "created_at": connection.ops.adapt_datetimefield_value(timezone.now()),
            "classification": provenance.classification,
            "owner_affiliation": provenance.owner_affiliation_id}


def observation_rows(columns: ObservationColumns, start: int, end: int,
                     event_ids: NDArray[np.int64]) -> Iterator[tuple[Any, ...]]:
    """Database rows for columns[start:end], in _BULK_OBSERVATION_COLUMNS order."""
    kinds = np.array([kind.value for kind in OBSERVER_KINDS], dtype=object)
    methods = np.array([method.value for method in METHODS], dtype=object)
    categories = np.array([category.value for category in CATEGORIES], dtype=object)
    nullable = vendor.nullable_floats(connection.vendor)
    rows = slice(start, end)
    values: dict[str, Any] = {
        "observation_id": columns.observation_id[rows],
        "observed_at": vendor.database_times(columns.observed_at[rows], connection.vendor),
        "utc_offset_minutes": columns.utc_offset_minutes[rows].tolist(),
        "observer_id": columns.observer_id[rows],
        "observer_kind": kinds[columns.observer_kind[rows]].tolist(),
        "observer_lon": columns.observer_lon[rows].tolist(),
        "observer_lat": columns.observer_lat[rows].tolist(),
        "method": methods[columns.method[rows]].tolist(),
        "category": categories[columns.category[rows]].tolist(),
        "weapon_class": [w or "" for w in columns.weapon_class[rows]],
        "count": columns.count[rows].tolist(),
        "bearing_deg": nullable(columns.bearing_deg[rows]),
        "sector": [sector or "" for sector in columns.sector[rows]],
        "distance_km_min": nullable(columns.distance_km_min[rows]),
        "distance_km_max": nullable(columns.distance_km_max[rows]),
        "compass_points": columns.compass_points[rows].tolist(),
        "notes": columns.notes[rows],
        "event": event_ids.tolist(),
    }
    return zip(*(values[name] for name in _BULK_OBSERVATION_COLUMNS), strict=True)
