"""The per-request cost of the /metrics hook, measured in one process.

What the request middleware adds to every request for /metrics: one count by route, method and
status and one latency observation by route (`core.metrics.observe_request`). Routes, methods
and statuses cycle over a realistic mix (40 routes, 2 methods, 4 statuses, latencies spread
over the histogram's buckets). Each round calls the hook 100,000 times from one thread; the
figure is the median of 9 rounds, in microseconds per request. The data folder is a fresh
temporary one, so per-process metric files (where the hook keeps them) go there.

For comparison, when `prometheus_client` is installed (it is not a dependency), the same calls
through its multiprocess mode: a Counter by route, method and status and a Histogram by route
with the same buckets, their values in memory-mapped files in a temporary folder.

Run: .venv/bin/python benchmarks/metrics_hook.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

CALLS = 100_000
ROUNDS = 9


def main() -> int:
    data = tempfile.mkdtemp(prefix="hofburg-metrics-bench-")
    os.environ["HOFBURG_DATA_DIR"] = data
    os.environ["HOFBURG_DATABASE_URL"] = f"sqlite:///{data}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
    import django

    django.setup()
    from hofburg.core import metrics

    hook = getattr(metrics, "observe_request", None)
    if hook is None:  # the per-process counters before metrics were summed across workers
        hook = vars(metrics)["requests"].observe
    report("hofburg hook", hook)
    try:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="prometheus-bench-")
        from prometheus_client import Counter, Histogram
    except ImportError:
        return 0
    requests = Counter("bench_requests_total", "Requests.", ["route", "method", "status"],
                       registry=None)
    latency = Histogram("bench_request_duration_seconds", "Latency.", ["route"],
                        registry=None, buckets=metrics.LATENCY_BUCKETS)

    def prometheus_hook(route: str, method: str, status: int, seconds: float) -> None:
        requests.labels(route, method, str(status)).inc()
        latency.labels(route).observe(seconds)

    report("prometheus_client, multiprocess mode", prometheus_hook)
    return 0


def report(name: str, hook: Callable[[str, str, int, float], None]) -> None:
    calls = [(f"api/v1/route{index % 40}/", ("GET", "POST")[index % 2],
              (200, 200, 302, 404)[index % 4], 0.0005 * (1 + index % 97))
             for index in range(1000)]
    for route, method, status, seconds in calls:  # warm-up: every label set exists
        hook(route, method, status, seconds)
    per_call = []
    for _round in range(ROUNDS):
        started = time.perf_counter()
        for _repeat in range(CALLS // len(calls)):
            for route, method, status, seconds in calls:
                hook(route, method, status, seconds)
        per_call.append((time.perf_counter() - started) / CALLS * 1e6)
    print(f"{name} per request: median {statistics.median(per_call):.2f} µs, "
          f"min {min(per_call):.2f} µs, max {max(per_call):.2f} µs over {ROUNDS} rounds "
          f"of {CALLS:,} calls (Python {sys.version.split()[0]})")


if __name__ == "__main__":
    sys.exit(main())
