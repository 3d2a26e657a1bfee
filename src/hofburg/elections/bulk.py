"""Work over a snapshot's forms in bulk (a hundred thousand forms, six million answers).

Parsing a snapshot's JSON, reading the submissions to freeze and coding their answers build
millions of small objects that hold no reference cycles; Python's cyclic garbage collector
would scan the growing heap again and again while they are built (a quarter of the CPU time
of parsing a 100,000-form snapshot: benchmarks/README.md). It is paused for that work and
resumed after, as it was: the objects are freed as usual, by reference counting, once unused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (it runs again after, if it ran
    before). Process-wide: other threads' cycles wait for the next collection."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
