"""Monitoring import at scale: a million observations from CSV, then the map and trend endpoints.

EXERCISE DATA from the scenario generator (a year along the fictional exercise line).

1. Generate the CSV (not timed).
2. Parse only: read and validate every row with the engine, write nothing.
3. Full import: validate, insert, merge into events, locate, update the rollups; on SQLite in a
   fresh data directory, and on PostgreSQL when HOFBURG_BENCH_DATABASE_URL is set (a scratch
   database: its monitoring tables are emptied first).
4. Load test: `hofburg serve --workers 2 --threads 4` on a free port over the loaded SQLite
   database; bounded requests from a thread pool to /map and /trends for a whole year,
   anonymous and with a token; p50/p95.

Peak memory is the import process's maximum resident set size, and that of its largest merge
worker (forked: it shares the parent's pages until either writes them), from resource.getrusage.
Targets (issue 4): import <= 30 s and <= 1 GB; endpoints p95 <= 150 ms.

Run: .venv/bin/python benchmarks/monitoring_import.py [observations]
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOFBURG = ROOT / ".venv" / "bin" / "hofburg"
PYTHON = sys.executable
DAYS = 365
# The scenario's year: a whole year in the past, since the import refuses times after now.
YEAR = 2025
REQUESTS = 200
WORKERS = 4

_CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
import django
django.setup()
from django.core.management import call_command
from hofburg.monitoring.importing import pipeline
from hofburg.monitoring.events import rollups
from hofburg.monitoring.models import CellCount, DailyCount, Event, ImportBatch, Observation
mode, path = sys.argv[1], sys.argv[2]
call_command("migrate", interactive=False, verbosity=0)
if mode == "wipe":
    # A process of its own: deleting a million rows through the ORM would otherwise count in
    # the import's peak memory (and in its forked workers').
    for model in (Observation, Event, *rollups.ROLLUP_MODELS, ImportBatch):
        model.objects.all()._raw_delete(model.objects.db)
    sys.exit(0)
if mode == "parse":
    started = time.perf_counter()
    summary = pipeline.parse_observations_file(path)
    seconds = time.perf_counter() - started
else:
    started = time.perf_counter()
    summary = pipeline.import_observations(path, is_exercise=True)
    seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "worker_mb": worker_mb,
                  "summary": summary.as_dict(0),
                  "daily_rows": DailyCount.objects.count(),
                  "cell_rows": CellCount.objects.count()}))
"""

_ACCOUNT_SCRIPT = r"""
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
import django
django.setup()
from hofburg.core.models import Role
from hofburg.core.services.accounts import create_account, ensure_affiliation
from hofburg.core.services.users import issue_api_token
ensure_affiliation("bench-mission", name="Benchmark mission (exercise)",
                   kind="field_operation", is_exercise=True)
user, _ = create_account("bench-monitor", affiliation_code="bench-mission", roles=[Role.READER])
print(issue_api_token(user, "bench")[1])
"""


def generate(path: Path, total: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
    import django

    django.setup()
    from hofburg.monitoring import scenario
    from hofburg.monitoring.importing.header import CSV_COLUMNS

    line = ROOT / "data" / "monitoring" / "exercise_lines.geojson"
    rows = scenario.generate(days=DAYS, seed=2026, line_path=line, observations=total,
                             start=date(YEAR, 1, 1))
    scenario.write_csv(path, rows, CSV_COLUMNS)


def run_child(mode: str, path: Path, env: dict[str, str]) -> dict[str, object]:
    if mode == "import":  # an empty database first, emptied by a process of its own
        _run(["wipe", str(path)], env)
    return dict(json.loads(_run([mode, str(path)], env).strip().splitlines()[-1]))


def _run(arguments: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([PYTHON, "-c", _CHILD, *arguments], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{arguments[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_test(env: dict[str, str]) -> dict[str, dict[str, float]]:
    key = subprocess.run([PYTHON, "-c", _ACCOUNT_SCRIPT], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    port = free_port()
    # Two processes, one per core: the threads of one process share one core (the GIL).
    server = subprocess.Popen([str(HOFBURG), "serve", "--port", str(port), "--workers", "2",
                               "--threads", "4"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1/monitoring"
    year = f"start={YEAR}-01-01&end={YEAR}-12-31"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/trends?{year}", timeout=5).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        results = {}
        for name, url in (
                ("map (anonymous)", lambda _: f"{base}/map?{year}"),
                ("map (entitled)", lambda _: f"{base}/map?{year}"),
                ("trends (anonymous)", lambda _: f"{base}/trends?{year}"),
                ("trends by area (entitled)", lambda _: f"{base}/trends?{year}&by_area=true"),
                # Every request different, so every answer is computed (no cached answer).
                ("map, each box new (entitled)", lambda k: f"{base}/map?{year}&bbox="
                                                           f"{_box(k)}"),
                ("trends by area, each range new (entitled)",
                 lambda k: f"{base}/trends?start={YEAR}-01-{1 + k % 28:02d}&end={YEAR}-12-"
                           f"{31 - k // 28:02d}&by_area=true")):
            headers = {"Authorization": f"Bearer {key}"} if "entitled" in name and key else {}
            results[name] = _fire(url, headers)
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def _box(k: int) -> str:
    """A different map window for every k: about 1 x 0.7 degrees along the exercise line."""
    west, south = -31.5 + (k % 20) * 0.1, 46.5 + (k // 20) * 0.2
    return f"{west:.2f},{south:.2f},{west + 1:.2f},{south + 0.7:.2f}"


def _fire(url: Callable[[int], str], headers: dict[str, str]) -> dict[str, float]:
    def one(k: int) -> float:
        request = urllib.request.Request(url(k), headers=headers)  # noqa: S310
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()
        return (time.perf_counter() - started) * 1000

    first = one(REQUESTS)  # alone, before the others: computed, never from the cache
    with ThreadPoolExecutor(WORKERS) as pool:
        times = sorted(pool.map(one, range(REQUESTS)))
    return {"first_ms": first, "p50_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * len(times)) - 1], "requests": REQUESTS}


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory(prefix="hofburg-bench-") as directory:
        data_dir = Path(directory)
        path = data_dir / "observations.csv"
        started = time.perf_counter()
        os.environ["HOFBURG_DATA_DIR"] = str(data_dir)
        generate(path, total)
        print(f"monitoring import benchmark (EXERCISE data, {total:,} observations, {DAYS} days)")
        print(f"  generated CSV             {path.stat().st_size / 1e6:8.1f} MB in "
              f"{time.perf_counter() - started:.1f} s")
        env = {**os.environ, "HOFBURG_DATA_DIR": str(data_dir),
               "HOFBURG_DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite3'}"}
        parse = run_child("parse", path, env)
        print(f"  parse only                {parse['seconds']:8.1f} s   peak "
              f"{parse['peak_mb']:.0f} MB")
        full = run_child("import", path, env)
        _report("SQLite", full, float(str(parse["seconds"])))
        pg_url = os.environ.get("HOFBURG_BENCH_DATABASE_URL")
        if pg_url:
            pg = run_child("import", path, {**env, "HOFBURG_DATABASE_URL": pg_url})
            _report("PostgreSQL", pg, float(str(parse["seconds"])))
        else:
            print("  PostgreSQL                skipped (set HOFBURG_BENCH_DATABASE_URL)")
        for name, figures in load_test(env).items():
            print(f"  {name:<42} first {figures['first_ms']:6.1f} ms   p50 "
                  f"{figures['p50_ms']:6.1f} ms   p95 {figures['p95_ms']:6.1f} ms   "
                  f"({figures['requests']:.0f} requests, {WORKERS} concurrent)")


def _report(database: str, run: dict[str, object], parse_seconds: float) -> None:
    summary = run["summary"]
    assert isinstance(summary, dict)
    seconds = float(str(run["seconds"]))
    steps = ", ".join(f"{k} {v:.1f}" for k, v in summary["seconds"].items())
    print(f"  full import, {database:<11}{seconds:8.1f} s   peak {run['peak_mb']:.0f} MB "
          f"(largest merge worker {run['worker_mb']:.0f} MB)   "
          f"(full / parse = {seconds / parse_seconds:.1f})")
    print(f"      inserted {summary['inserted']:,}, events {summary['events']:,}, "
          f"rollup rows {run['daily_rows']:,} daily + {run['cell_rows']:,} cell")
    print(f"      steps (s): {steps}")


if __name__ == "__main__":
    main()
