"""What the benchmarks of the desks share: a Django set up on a database of their own, and how
a read is timed.

    from benchmarks.common import setup, timed
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable


def setup() -> None:
    """Django on a fresh database: SQLite in a new temporary folder (which is also the data
    folder), or the PostgreSQL database named by HOFBURG_BENCH_DATABASE_URL."""
    tmp = tempfile.mkdtemp(prefix="hofburg-bench-")
    os.environ["HOFBURG_DATA_DIR"] = tmp
    os.environ["HOFBURG_DATABASE_URL"] = os.environ.get(
        "HOFBURG_BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
    os.environ.setdefault("HOFBURG_SECRET_KEY", "benchmark-only-secret-key-not-for-use-anywhere")
    import django

    django.setup()


def samples(action: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds each of `repeat` runs of `action` took, fastest first, after one run that
    warms caches and the query planner."""
    action()
    taken = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        taken.append((time.perf_counter() - start) * 1000)
    taken.sort()
    return taken


def timed(label: str, action: Callable[[], object], repeat: int = 20) -> list[float]:
    """Time `action` (`samples`) and print its median and p95 under `label`."""
    taken = samples(action, repeat)
    p95 = taken[max(0, int(len(taken) * 0.95) - 1)]
    print(f"  {label:<62} median {statistics.median(taken):8.1f} ms   p95 {p95:8.1f} ms",
          flush=True)
    return taken
