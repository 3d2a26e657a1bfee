"""Helpers for work on many rows at once, used by the merge and by the bulk import: rows put
in time order, and the cyclic garbage collector paused while many small objects are built.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from numpy.typing import NDArray

from hofburg.monitoring.engine.geodesy import FloatArray


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for work that builds many small objects and no
    reference cycles (a merge: a few hundred thousand; an import: millions), where the
    collector's passes over the growing heap would cost a fifth of the merge and more than
    reading the file. Reference counting still frees what is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def time_order(time: FloatArray, ids: Sequence[str]) -> NDArray[np.intp]:
    """Rows by (time, id): a stable sort on time, then each run of equal times by id."""
    order = np.argsort(time, kind="stable")
    ordered = time[order]
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return order
    edges = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)))
    rows = order.tolist()
    for first, last in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
        rows[first:last + 1] = sorted(rows[first:last + 1], key=ids.__getitem__)
    return np.array(rows, dtype=np.intp)
