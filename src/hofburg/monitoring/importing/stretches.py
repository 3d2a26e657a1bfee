"""Cutting a large import into stretches that merge on their own.

The observations are cut, in time order, where two consecutive ones lie more than the merge
window apart: no event can span such a gap. A stretch with no stored observation of the
import's visibility scope within a window of it is new ground, merged in memory and written in
bulk (`importing.bulk`); a stretch next to stored observations goes the general way
(`events.window`).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import numpy as np
from django.db.models import Q

from hofburg.core.models import Classification
from hofburg.monitoring.engine.columns import FloatArray, ObservationColumns
from hofburg.monitoring.importing.tuning import ImportTuning
from hofburg.monitoring.models import Observation, ObservationStatus
from hofburg.monitoring.records import Provenance


def stretches(times: FloatArray, window: float, tuning: ImportTuning) -> list[tuple[int, int]]:
    """[start, end) ranges of about `tuning.stretch` rows, cut only where consecutive times
    differ by more than `window` (so that no event can be split); `times` in ascending order.
    The first few are smaller (`tuning.ramp`), so that the workers' first results, which the
    importing process waits for, come sooner; and the last few take half of what is left
    (down to the smallest of the ramp), so that little is left to write once the workers are
    done."""
    size, ramp = tuning.stretch, tuning.ramp
    n = len(times)
    gaps = np.flatnonzero(np.diff(times) > window) + 1
    bounds = [0]
    smallest = size // max(ramp, default=1)
    while True:
        made = len(bounds) - 1
        target = size // ramp[made] if made < len(ramp) else size
        target = min(target, max(smallest, (n - bounds[-1]) // 2))
        k = int(np.searchsorted(gaps, bounds[-1] + max(1, target)))
        if k == len(gaps):
            break
        bounds.append(int(gaps[k]))
    bounds.append(n)
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def split_by_ground(columns: ObservationColumns, provenance: Provenance, window: float,
                    tuning: ImportTuning) -> tuple[list[tuple[int, int]], list[int]]:
    """(the stretches on new ground, the rows of the stretches next to stored observations);
    `columns` in time order."""
    fresh: list[tuple[int, int]] = []
    near: list[int] = []
    # Only stored observations of the import's own visibility scope can merge with its rows.
    stored = Observation.objects.filter(same_scope(provenance)).exclude(
        status=ObservationStatus.REJECTED)
    for start, end in stretches(columns.observed_at, window, tuning):
        low = _instant(float(columns.observed_at[start]) - window)
        high = _instant(float(columns.observed_at[end - 1]) + window)
        if stored.filter(observed_at__gte=low, observed_at__lte=high).exists():
            near.extend(range(start, end))
        else:
            fresh.append((start, end))
    return fresh, near


def same_scope(provenance: Provenance) -> Q:
    """The stored records of the visibility scope that `provenance` gives new records."""
    if provenance.classification != Classification.CONFIDENTIAL:
        return Q(classification=provenance.classification)
    return Q(classification=Classification.CONFIDENTIAL,
             owner_affiliation_id=provenance.owner_affiliation_id)


def _instant(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
