"""Metrics in the Prometheus text format (version 0.0.4), written by hand: counters and latency
histograms kept in each process and summed over the processes of the service, and gauges that
desks compute when the page is read.

Core knows no desk: a desk adds its own figures with `register_collector` from
`AppConfig.ready()` (decision 0024), and counts what its services do with `count_outcomes`. A
collector's answer is kept `COLLECT_SECONDS` so a scraper polling often does not make the
database count on every poll.

Summing over processes (decision 0024, amended): a request only adds to counters in memory.
Every process that counted something writes them, whole, to its own file in
`DATA_DIR/metrics/` (under a temporary name, then renamed): a server worker from a thread of its
own at most once a second (`FLUSH_SECONDS`) and when it stops, any other process (a command
that imported a file, say) when it exits. The process answering /metrics adds the files of
every other process to its own live counters. `hofburg serve` empties the folder when it
starts, so the counters of the service start at zero with it, as Prometheus expects of a
restart. No thread is started by this module except in a server worker, which never forks
(decision 0010).
"""

from __future__ import annotations

import atexit
import bisect
import contextlib
import functools
import json
import logging
import math
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.conf import settings

logger = logging.getLogger(__name__)

Labels = tuple[tuple[str, str], ...]
COLLECT_SECONDS = 15.0
# How often a server worker writes its counters for the others to read, at most.
FLUSH_SECONDS = 1.0
# Seconds; the upper bounds of the request latency histogram.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_FORMAT = 1  # of the per-process files; a file of another format is not read

P = ParamSpec("P")
R = TypeVar("R")


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


# --- what one process counts ------------------------------------------------------------------


@dataclass
class Counts:
    """Everything a process counted; additive, so the counts of several processes sum.

    `requests`: (route, method, status) -> requests; `latency`: route -> the requests in each
    latency bucket (not cumulative; the last one is above the highest bound) and, last, the sum
    of their seconds; `counters`: (counter name, labels) -> value.
    """

    requests: dict[tuple[str, str, str], float] = field(default_factory=dict)
    latency: dict[str, list[float]] = field(default_factory=dict)
    counters: dict[tuple[str, Labels], float] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        for key, value in other.requests.items():
            self.requests[key] = self.requests.get(key, 0) + value
        for route, values in other.latency.items():
            mine = self.latency.setdefault(route, [0.0] * len(values))
            for index, value in enumerate(values):
                mine[index] += value
        for name_labels, value in other.counters.items():
            self.counters[name_labels] = self.counters.get(name_labels, 0) + value

    def to_json(self) -> dict[str, Any]:
        return {"format": _FORMAT,
                "requests": [[*key, value] for key, value in self.requests.items()],
                "latency": [[route, values] for route, values in self.latency.items()],
                "counters": [[name, [list(pair) for pair in labels], value]
                             for (name, labels), value in self.counters.items()]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Counts:
        """The counts a file holds; ValueError (or KeyError, TypeError) if it is not one."""
        if data.get("format") != _FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        counts = cls()
        for route, method, status, value in data["requests"]:
            counts.requests[(str(route), str(method), str(status))] = float(value)
        for route, values in data["latency"]:
            if len(values) != len(LATENCY_BUCKETS) + 2:
                raise ValueError("latency buckets differ")
            counts.latency[str(route)] = [float(value) for value in values]
        for name, labels, value in data["counters"]:
            counts.counters[(str(name), tuple((str(k), str(v)) for k, v in labels))] = float(value)
        return counts


class _Process:
    """This process's counts, and the file it shares them through."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start afresh: at import, and in a child after fork (its parent's counts are the
        parent's, and its lock may have been held by a thread the fork did not copy)."""
        self.lock = threading.Lock()
        self.writing = threading.Lock()  # one write at a time: the flusher and the exit
        self.counts = Counts()
        self.changes = 0  # raised by every count; the file holds those up to `written`
        self.written = 0
        self.name = f"{os.getpid()}-{uuid.uuid4().hex[:12]}.json"
        self.flusher: threading.Thread | None = None

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, str(status))
        with self.lock:
            requests = self.counts.requests
            requests[key] = requests.get(key, 0) + 1
            values = self.counts.latency.get(route)
            if values is None:
                values = self.counts.latency[route] = [0.0] * (len(LATENCY_BUCKETS) + 2)
            # The first bucket whose upper bound is at least `seconds` (`le`, as Prometheus);
            # past the highest bound, the one before the sum.
            values[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
            values[-1] += seconds
            self.changes += 1

    def count(self, name: str, labels: Labels, amount: float = 1) -> None:
        key = (name, labels)
        with self.lock:
            self.counts.counters[key] = self.counts.counters.get(key, 0) + amount
            self.changes += 1

    def snapshot(self) -> tuple[Counts, int]:
        with self.lock:
            copy = Counts()
            copy.add(self.counts)
            return copy, self.changes

    def flush(self) -> None:
        """Write this process's counts to its file if they changed since the last write."""
        if self.changes == self.written:
            return
        with self.writing:
            self._write()

    def _write(self) -> None:
        counts, changes = self.snapshot()
        folder = directory()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temporary = folder / f".{self.name}.tmp"
            temporary.write_text(json.dumps(counts.to_json(), separators=(",", ":")),
                                 encoding="utf-8")
            os.replace(temporary, folder / self.name)
        except OSError as error:
            logger.warning("metrics: cannot write %s: %s", folder / self.name,
                           error.strerror or error)
            return
        self.written = changes

    def start_flushing(self) -> None:
        """Write the counts at most every FLUSH_SECONDS from a daemon thread (server workers,
        which never fork, only)."""
        if self.flusher is None:
            self.flusher = threading.Thread(target=self._flush_forever, daemon=True,
                                            name="metrics")
            self.flusher.start()

    def _flush_forever(self) -> None:
        while True:
            time.sleep(FLUSH_SECONDS)
            self.flush()


_process = _Process()
os.register_at_fork(after_in_child=_process.reset)
atexit.register(_process.flush)
_started = time.time()


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency (the request middleware's hook)."""
    _process.observe_request(route, method, status, seconds)


def directory() -> Path:
    """The folder where each process of this data folder leaves its counts."""
    return Path(settings.DATA_DIR) / "metrics"


def worker_started() -> None:
    """In a server worker: share the counts with the other workers (at most once a second)."""
    _process.start_flushing()


def flush() -> None:
    """Write this process's counts now (a worker stopping; exit does it for other processes)."""
    _process.flush()


def server_starting() -> None:
    """`hofburg serve` starts: remove every process's counts, so the service counts from zero."""
    folder = directory()
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.suffix in (".json", ".tmp"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


# --- counters of outcomes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Counter:
    """A counter family a desk declares once; its samples are counted with `inc`."""

    name: str
    help: str

    def inc(self, amount: float = 1, /, **labels: str) -> None:
        _process.count(self.name, tuple(sorted(labels.items())), amount)


_counters: dict[str, Counter] = {}


def counter(name: str, help_text: str) -> Counter:
    """The counter `name` (ending in `_total`), declared once; shown when first counted."""
    if not name.endswith("_total"):
        raise ValueError(f"a counter's name ends in _total: {name!r}")
    declared = _counters.setdefault(name, Counter(name, help_text))
    if declared.help != help_text:
        raise ValueError(f"counter {name!r} is declared twice with different help")
    return declared


Classify = Callable[[Any, Exception | None], str]


def count_outcomes(counter_: Counter, classify: Classify, **labels: str
                   ) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a service so each call counts one of its outcomes in `counter_`.

    `classify(result, None)` names the outcome of a call that returned, `classify(None, error)`
    that of one that raised (the error is raised on). The count is in the process's memory,
    never in the database, so a call that is refused and changes nothing still counts.
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def counted(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                result = function(*args, **kwargs)
            except Exception as error:
                counter_.inc(**labels, outcome=classify(None, error))
                raise
            counter_.inc(**labels, outcome=classify(result, None))
            return result

        return counted

    return decorate


# --- the page ---------------------------------------------------------------------------------


def _read_others() -> tuple[Counts, int]:
    """The counts other processes left in the folder, summed, and how many there were."""
    total = Counts()
    read = 0
    folder = directory()
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError:
        return total, read
    for path in paths:
        if path.name == _process.name:
            continue  # this process's own counts are taken live
        try:
            total.add(Counts.from_json(json.loads(path.read_text(encoding="utf-8"))))
        except FileNotFoundError:
            continue  # removed since the listing (the server starting again)
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning("metrics: %s is not a metrics file (%s); left out", path, error)
            continue
        read += 1
    return total, read


def collect() -> list[Family]:
    """Every family: the counts summed over the processes, then each registered collector's
    (kept a while)."""
    counts, _changes = _process.snapshot()
    others, read = _read_others()
    counts.add(others)
    process = Family("hofburg_process_start_time_seconds", "gauge",
                     "When the server process that answered started (Unix time).")
    process.add(_started, pid=str(os.getpid()))
    processes = Family("hofburg_metrics_processes", "gauge",
                       "Processes whose counts are summed on this page (this one included).")
    processes.add(read + 1)
    families = [process, processes, *_request_families(counts), *_counter_families(counts)]
    now = time.monotonic()
    for name, collector in sorted(_collectors.items()):
        kept = _collected.get(name)
        if kept is None or now - kept[0] > COLLECT_SECONDS:
            kept = (now, list(collector()))
            _collected[name] = kept
        families.extend(kept[1])
    return families


def _request_families(counts: Counts) -> list[Family]:
    total = Family("hofburg_http_requests_total", "counter",
                   "HTTP requests answered, by route pattern, method and status.")
    latency = Family("hofburg_http_request_duration_seconds", "histogram",
                     "Time to answer an HTTP request, by route pattern.")
    for (route, method, status), count in sorted(counts.requests.items()):
        total.add(count, route=route, method=method, status=status)
    for route, values in sorted(counts.latency.items()):
        cumulative = 0.0
        for bound, count in zip([*LATENCY_BUCKETS, math.inf], values[:-1], strict=True):
            cumulative += count
            latency.add(cumulative, "_bucket", route=route, le=_number(bound))
        latency.add(cumulative, "_count", route=route)
        latency.add(values[-1], "_sum", route=route)
    return [total, latency]


def _counter_families(counts: Counts) -> list[Family]:
    samples: dict[str, list[tuple[Labels, float]]] = {}
    for (name, labels), value in sorted(counts.counters.items()):
        samples.setdefault(name, []).append((labels, value))
    families = []
    for name, values in samples.items():
        declared = _counters.get(name)
        family = Family(name, "counter", declared.help if declared else name)
        family.samples.extend(("", labels, value) for labels, value in values)
        families.append(family)
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
