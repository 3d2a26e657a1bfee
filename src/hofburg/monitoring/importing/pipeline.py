"""`import_observations`: a CSV file of observations read, checked and stored, from the command
line's `hofburg monitoring import FILE` (or the demo) to the rows and rollups.

Every row is validated first (`importing.reading`); rows stored already count as duplicates.
The new rows are sorted in time and cut into stretches (`importing.stretches`): those on new
ground are merged and stored in bulk (`importing.bulk`, `importing.merging`), those next to
stored observations go the general way (`events.window`). The writing is one transaction.
"""

from __future__ import annotations

import time as clock
from pathlib import Path

from django.db import transaction

from hofburg.core.models import User
from hofburg.core.services.audit import record_change
from hofburg.monitoring import vendor
from hofburg.monitoring.engine.bulk_work import collector_paused, time_order
from hofburg.monitoring.engine.columns import ObservationColumns
from hofburg.monitoring.events.window import ingest
from hofburg.monitoring.importing.bulk import merge_and_store
from hofburg.monitoring.importing.reading import ReadContext, read_source
from hofburg.monitoring.importing.rejects import finish_rejects
from hofburg.monitoring.importing.source import Source, open_source
from hofburg.monitoring.importing.stretches import split_by_ground
from hofburg.monitoring.importing.summary import ImportRejected, ImportSummary
from hofburg.monitoring.importing.timings import Progress, Timings, add_time
from hofburg.monitoring.importing.tuning import DEFAULT_TUNING, ImportTuning
from hofburg.monitoring.metrics import imports_counted
from hofburg.monitoring.mission import merge_rules
from hofburg.monitoring.models import ImportBatch, Observation
from hofburg.monitoring.records import Provenance, Row, observation_bounds, provenance


@imports_counted
def import_observations(source: Source, *, skip_bad: bool = False,
                        rejects_path: str | Path | None = None, actor: User | None = None,
                        classification: str | None = None, is_exercise: bool = False,
                        progress: Progress | None = None,
                        tuning: ImportTuning = DEFAULT_TUNING) -> ImportSummary:
    """Import observations from a CSV file (header in any column order; see `CSV_COLUMNS`).

    Every row is validated first. With a bad row and without `skip_bad`, ImportRejected is
    raised and nothing is written; with `skip_bad`, bad rows are written to `rejects_path`
    (default: beside the file, `<name>.rejects.csv`) with their row number and reason, and the
    good rows are imported. Rows whose observation_id is stored already count as duplicates, so
    importing the same file again changes nothing. The writing is one transaction: a failure
    half way leaves nothing behind. `actor` None is the command line's system user.
    """
    with collector_paused():
        return _import(source, skip_bad=skip_bad, rejects_path=rejects_path, actor=actor,
                       classification=classification, is_exercise=is_exercise,
                       progress=progress, tuning=tuning)


def _import(source: Source, *, skip_bad: bool, rejects_path: str | Path | None,
            actor: User | None, classification: str | None, is_exercise: bool,
            progress: Progress | None, tuning: ImportTuning) -> ImportSummary:
    started = clock.perf_counter()
    summary = ImportSummary()
    columns, bad_rows, header, name = _read(source, summary, tuning)
    previous = ImportBatch.objects.filter(sha256=summary.sha256).order_by("pk").first()
    summary.previous_batch_id = previous.pk if previous else None
    if summary.problems and not skip_bad:
        raise ImportRejected(summary)
    columns = _drop_stored(columns, summary)
    new = provenance(actor, classification, is_exercise)
    if len(columns):
        _store(columns, new, summary, name, skip_bad, progress, tuning)
    else:
        # Nothing new (the same file again, say): nothing is written, not even a batch.
        summary.batch_id = summary.previous_batch_id
    finish_rejects(summary, rejects_path, name, header, bad_rows)
    summary.seconds["total"] = clock.perf_counter() - started
    return summary


def parse_observations_file(source: Source, tuning: ImportTuning = DEFAULT_TUNING
                            ) -> ImportSummary:
    """Read and validate a CSV file without writing anything (the import's first step)."""
    summary = ImportSummary()
    with collector_paused():
        _read(source, summary, tuning)
    return summary


def _read(source: Source, summary: ImportSummary, tuning: ImportTuning
          ) -> tuple[ObservationColumns, list[tuple[int, list[str]]], list[str], str]:
    """The file read, its rows and problems counted and its digest taken in `summary`:
    (valid rows, bad rows, header, the file's name)."""
    started = clock.perf_counter()
    stream, digest, name = open_source(source)
    try:
        with stream:
            reading = read_source(source, stream, summary,
                                  ReadContext(observation_bounds(), tuning))
    finally:
        summary.sha256 = digest()
    summary.seconds["parse"] = clock.perf_counter() - started
    return reading.columns, reading.bad, reading.header, name


def _store(columns: ObservationColumns, new: Provenance, summary: ImportSummary, name: str,
           skip_bad: bool, progress: Progress | None, tuning: ImportTuning) -> None:
    """Write the new rows, their events and rollups, and the batch, in one transaction."""
    mark = clock.perf_counter()
    large = len(columns) >= tuning.parallel_from
    with vendor.references_made_here(large), transaction.atomic():
        batch = ImportBatch.objects.create(sha256=summary.sha256, filename=name[:255],
                                           actor=new.actor, skip_bad=skip_bad)
        new = Provenance(**{**new.__dict__, "batch_id": batch.pk})
        created, updated = ingest_columns(columns, new, tuning, progress=progress,
                                          timings=summary.seconds)
        summary.inserted, summary.events, summary.events_updated = len(columns), created, updated
        batch.summary = summary.as_dict(max_problems=20)
        batch.save(update_fields=["summary"])
        summary.batch_id = batch.pk
        record_change(new.actor, "import", batch, None, batch.summary)
        committed = clock.perf_counter()
    summary.seconds["commit"] = clock.perf_counter() - committed
    summary.seconds["write"] = clock.perf_counter() - mark


def ingest_columns(columns: ObservationColumns, new: Provenance, tuning: ImportTuning, *,
                   progress: Progress | None = None, timings: Timings | None = None
                   ) -> tuple[int, int]:
    """Insert and merge many new observations; (events created, events updated or withdrawn).

    Stretches on new ground are merged in memory (on every core) and written in bulk, each
    observation already pointing at its event; stretches next to stored observations go the
    general way (insert, then merge the window again with what is stored). Runs inside the
    caller's transaction.
    """
    mark = clock.perf_counter()
    columns = columns.take(time_order(columns.observed_at, columns.observation_id))
    add_time(timings, "sort", mark)
    mark = clock.perf_counter()
    fresh, near = split_by_ground(columns, new, merge_rules().time_window_seconds, tuning)
    add_time(timings, "plan", mark)
    created = merge_and_store(columns, fresh, new, tuning, progress=progress, timings=timings)
    updated = 0
    if near:
        rows = [Row.of(columns.observation(k)) for k in near]
        more, updated = ingest(rows, new, timings=timings, tuning=tuning)
        created += more
    return created, updated


def _drop_stored(columns: ObservationColumns, summary: ImportSummary) -> ObservationColumns:
    """The rows whose observation_id is not stored yet; the others count as duplicates."""
    if not len(columns) or not Observation.objects.exists():
        return columns
    stored: set[str] = set()
    ids = columns.observation_id
    for some in vendor.in_batches(ids):
        stored.update(Observation.objects.filter(observation_id__in=some)
                      .values_list("observation_id", flat=True))
    summary.duplicates = len(stored)
    if not stored:
        return columns
    return columns.take([k for k, oid in enumerate(ids) if oid not in stored])
