"""Metrics in the Prometheus text format (version 0.0.4), written by hand: a few counters and
histograms kept in this process, and gauges that desks compute when the page is read.

Core knows no desk: a desk adds its own figures with `register_collector` from
`AppConfig.ready()` (decision 0024). A collector's answer is kept `COLLECT_SECONDS` so a
scraper polling often does not make the database count on every poll.

Counters live in the process that served the request: with `hofburg serve --workers N`, each
scrape reads the worker that accepted it (the `pid` label tells them apart).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Labels = tuple[tuple[str, str], ...]
COLLECT_SECONDS = 15.0
# Seconds; the upper bounds of the request latency histogram.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Family:
    """One metric: its name, type (counter, gauge, histogram), help and samples."""

    name: str
    kind: str
    help: str
    samples: list[tuple[str, Labels, float]] = field(default_factory=list)

    def add(self, value: float, suffix: str = "", **labels: str) -> None:
        self.samples.append((suffix, tuple(sorted(labels.items())), value))


Collector = Callable[[], Iterable[Family]]
_collectors: dict[str, Collector] = {}
_collected: dict[str, tuple[float, list[Family]]] = {}


def register_collector(name: str, collector: Collector) -> None:
    """Add a desk's figures to /metrics; `collector` returns Family objects (gauges usually)."""
    _collectors[name] = collector


class _Requests:
    """Requests by route, method and status, and their latency by route."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[tuple[str, str, str], int] = {}
        self.buckets: dict[str, list[int]] = {}
        self.sums: dict[str, float] = {}

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        with self.lock:
            key = (route, method, str(status))
            self.counts[key] = self.counts.get(key, 0) + 1
            buckets = self.buckets.setdefault(route, [0] * (len(LATENCY_BUCKETS) + 1))
            for index, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    buckets[index] += 1
            buckets[-1] += 1  # +Inf: every request
            self.sums[route] = self.sums.get(route, 0.0) + seconds

    def families(self) -> list[Family]:
        total = Family("hofburg_http_requests_total", "counter",
                       "HTTP requests answered, by route pattern, method and status.")
        latency = Family("hofburg_http_request_duration_seconds", "histogram",
                         "Time to answer an HTTP request, by route pattern.")
        with self.lock:
            for (route, method, status), count in sorted(self.counts.items()):
                total.add(count, route=route, method=method, status=status)
            for route, buckets in sorted(self.buckets.items()):
                for bound, count in zip([*LATENCY_BUCKETS, math.inf], buckets, strict=True):
                    latency.add(count, "_bucket", route=route, le=_number(bound))
                latency.add(buckets[-1], "_count", route=route)
                latency.add(self.sums[route], "_sum", route=route)
        return [total, latency]


requests = _Requests()
_started = time.time()


def collect() -> list[Family]:
    """Every family: the process's own, then each registered collector's (kept a while)."""
    process = Family("hofburg_process_start_time_seconds", "gauge",
                     "When this server process started (Unix time).")
    process.add(_started, pid=str(os.getpid()))
    families = [process, *requests.families()]
    now = time.monotonic()
    for name, collector in sorted(_collectors.items()):
        kept = _collected.get(name)
        if kept is None or now - kept[0] > COLLECT_SECONDS:
            kept = (now, list(collector()))
            _collected[name] = kept
        families.extend(kept[1])
    return families


def render(families: Sequence[Family]) -> str:
    """The families in the Prometheus text exposition format."""
    lines: list[str] = []
    for family in families:
        lines.append(f"# HELP {family.name} {_escape_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        for suffix, labels, value in family.samples:
            label_text = ",".join(f'{key}="{_escape_label(val)}"' for key, val in labels)
            name = family.name + suffix
            lines.append(f"{name}{{{label_text}}} {_number(value)}" if label_text
                         else f"{name} {_number(value)}")
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    if value == math.inf:
        return "+Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _escape_label(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")
