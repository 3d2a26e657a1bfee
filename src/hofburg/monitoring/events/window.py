"""The general way observations come in: insert them, then merge again the time window around
them with what is stored, so an event that straddles earlier data is kept whole.

A submission, a correction, a rejection and a large import's stretches next to stored
observations go this way; a large import's stretches on new ground take the bulk way
(`importing.bulk`).
"""

from __future__ import annotations

import time as clock
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from hofburg.monitoring import vendor
from hofburg.monitoring.engine.merge import merge_observations
from hofburg.monitoring.engine.observations import OBSERVATION_FIELDS
from hofburg.monitoring.events.store import store_events
from hofburg.monitoring.importing.timings import Progress, Timings, add_time
from hofburg.monitoring.importing.tuning import DEFAULT_TUNING, ImportTuning
from hofburg.monitoring.mission import merge_rules
from hofburg.monitoring.models import Observation, ObservationStatus, visibility_scope
from hofburg.monitoring.records import REPORTED_COLUMNS, Provenance, Row, reported_of

_INSERTED_COLUMNS = (*REPORTED_COLUMNS, "client_id", "status", "status_reason", "event",
                     "batch", "submitted_by", "revision", "is_exercise", "created_at",
                     "classification", "owner_affiliation")


def ingest(rows: Sequence[Row], provenance: Provenance, *,
           client_ids: Mapping[str, str | None] | None = None, progress: Progress | None = None,
           timings: Timings | None = None, tuning: ImportTuning = DEFAULT_TUNING
           ) -> tuple[int, int]:
    """Insert new observations and merge them, step by step in time order; (created, updated)
    events. Runs inside the caller's transaction."""
    ordered = sorted(rows, key=lambda row: (row.observed_at.timestamp(), row.observation_id))
    created = updated = 0
    step_size = tuning.merge_step
    for start in range(0, len(ordered), step_size):
        step = ordered[start:start + step_size]
        mark = clock.perf_counter()
        insert_observations(step, provenance, client_ids or {})
        add_time(timings, "insert", mark)
        low, high = step[0].observed_at, step[-1].observed_at
        outcome = remerge(low, high, timings=timings, batch=tuning.insert_batch)
        created += outcome[0]
        updated += outcome[1]
        if progress:
            progress("merge", start + len(step), len(ordered))
    return created, updated


def insert_observations(rows: Sequence[Row], provenance: Provenance,
                        client_ids: Mapping[str, str | None]) -> None:
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    submitted = provenance.actor.pk if provenance.actor else None
    status = ObservationStatus.SUBMITTED.value
    values = [
        (*r.database_values(adapt), client_ids.get(r.observation_id), status, "", None,
         provenance.batch_id, submitted, 1, provenance.is_exercise, now,
         provenance.classification, provenance.owner_affiliation_id)
        for r in rows]
    vendor.bulk_insert(Observation, _INSERTED_COLUMNS, values)


def remerge(low: datetime, high: datetime, *, timings: Timings | None = None,
            force: Iterable[int] = (), batch: int = DEFAULT_TUNING.insert_batch
            ) -> tuple[int, int]:
    """Merge again every stored observation near [low, high] and store the events that changed.

    The scope is every observation not rejected within one merge window of the range, plus
    the other members of their events (and of the events in `force`), so a re-merged event
    is always complete. Observations merge only with observations of their own visibility
    scope (`models.visibility_scope`: public, restricted, or confidential of one owner), so an
    event never mixes what different readers may see (decision 0018). Events the engine no
    longer produces are withdrawn. Returns (events created, events updated or withdrawn).
    """
    mark = clock.perf_counter()
    window = timedelta(seconds=merge_rules().time_window_seconds)
    near = (Observation.objects
            .filter(observed_at__gte=low - window, observed_at__lte=high + window)
            .exclude(status=ObservationStatus.REJECTED))
    touched = set(near.exclude(event=None).values_list("event_id", flat=True).distinct())
    touched.update(force)
    scope_q = Q(pk__in=near.values("pk"))
    if touched:
        scope_q |= Q(event_id__in=touched)
    scope = list(Observation.objects.filter(scope_q).exclude(status=ObservationStatus.REJECTED)
                 .only(*OBSERVATION_FIELDS, "utc_offset_minutes", "event_id", "is_exercise",
                       "classification", "owner_affiliation_id"))
    add_time(timings, "load", mark)
    mark = clock.perf_counter()
    by_visibility: dict[str, list[Observation]] = {}
    for observation in scope:
        by_visibility.setdefault(visibility_scope(observation.classification,
                                                  observation.owner_affiliation_id),
                                 []).append(observation)
    merged = [event for group in by_visibility.values()
              for event in merge_observations([reported_of(o) for o in group], merge_rules())]
    add_time(timings, "merge", mark)
    mark = clock.perf_counter()
    outcome = store_events(merged, scope, touched, batch=batch)
    add_time(timings, "store", mark)
    return outcome
