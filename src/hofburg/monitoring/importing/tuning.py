"""The import's tuning: sizes and thresholds that change its speed and memory, never its answer.

One frozen object, passed to the import (`import_observations(..., tuning=...)`) and on to
every step that reads it; a test that wants many small stretches or a parallel merge on a small
file passes its own (`ImportTuning(stretch=200, parallel_from=1)`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from hofburg.monitoring import vendor


def _cores() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class ImportTuning:
    """Sizes and thresholds of the import (see each field)."""

    # Observations merged per step of the general way (`events.window.ingest`): bounds the
    # engine's memory; the window around each step is re-read, so no event is cut at an edge.
    merge_step: int = 50_000
    # A large import is merged in stretches of about this many observations, cut where no
    # event can span the cut ...
    stretch: int = 20_000
    # ... the first stretches being `stretch` divided by these (the workers' first results,
    # which the importing process waits for, come sooner).
    ramp: tuple[int, ...] = (8, 8, 4, 4, 2, 2)
    # Stretches stored between two writes of their rollup sums.
    rollup_flush: int = 5
    # From this many new observations on, the stretches are merged in `merge_workers`
    # processes while this one writes what they hand back (and, on SQLite, the import's
    # transaction runs with foreign keys unchecked: `vendor.references_made_here`).
    parallel_from: int = 40_000
    merge_workers: int = field(default_factory=_cores)
    # From this many new observations (and at least as many as are stored), SQLite's plain
    # indexes whose keys arrive in no particular order (an event's cell) are dropped for the
    # import and built again at its end. The others are kept up to date as rows come: their
    # keys grow at one end (times, report dates, ids) or take few values (status, area).
    reindex_from: int = 100_000
    # Rows read and validated at a time by the general reader.
    read_block: int = 50_000
    # Rows per executemany of the general way's updates and the rollups' upserts (and the
    # size from which PostgreSQL upserts through COPY).
    insert_batch: int = vendor.INSERT_BATCH
    # The fast reader: bytes of the file parsed into one batch of rows, batches parsed ahead
    # of the checks (memory), and bytes scanned at a time by its byte check.
    arrow_block: int = 4 << 20
    batches_ahead: int = 3
    scan_block: int = 16 << 20


DEFAULT_TUNING = ImportTuning()
