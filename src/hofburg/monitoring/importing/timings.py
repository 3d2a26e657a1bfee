"""What an import reports as it goes: progress, and the seconds each step took."""

from __future__ import annotations

import time as clock
from collections.abc import Callable

# progress(step, done, total)
Progress = Callable[[str, int, int], None]
# Seconds by step name, added up over the import.
Timings = dict[str, float]


def add_time(timings: Timings | None, key: str, since: float) -> None:
    """Add the time since `since` (a perf_counter reading) to `timings[key]`."""
    if timings is not None:
        timings[key] = timings.get(key, 0.0) + clock.perf_counter() - since
