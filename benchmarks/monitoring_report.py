"""The field-monitoring desk's daily report at the demo's size: the page and the PDF.

Loads, in a fresh database (SQLite in a temporary folder, or the PostgreSQL database named by
HOFBURG_BENCH_DATABASE_URL), the demo's EXERCISE week exactly as `hofburg demo` does (the
monitoring loader: about 280 observations a day for seven days, merged into events, the
corroborated ones of the first six days published and their periods released), then times,
through the URLs a browser uses, the report of the last released day for a visitor and for the
exercise mission's monitor, and the monitor's report of the last day (not released):

- the report page (`/monitoring/reports/<date>/`);
- the report as a PDF (`/monitoring/reports/<date>/pdf/`).

The first request of a process is timed apart: it reads the vendored base map once. Each
read prints its wall-clock median and 95th percentile and, beside them, the median processor
time of this process: on a machine that others are loading, the wall clock measures the
queue for the processor as much as the work, and the processor time stays the work's.

    python -m benchmarks.monitoring_report [--repeat 20]

Figures go to benchmarks/README.md by hand.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from benchmarks.common import setup


def timed(label: str, action: Callable[[], object], repeat: int) -> None:
    """Time `action` `repeat` times after one warming run: wall-clock median and p95, and the
    median processor time of this process."""
    action()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    wall.sort()
    p95 = wall[max(0, int(len(wall) * 0.95) - 1)]
    print(f"  {label:<56} median {statistics.median(wall):7.1f} ms  p95 {p95:7.1f} ms"
          f"  cpu {statistics.median(cpu):7.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from hofburg.core.models import User
    from hofburg.monitoring import demo
    from hofburg.monitoring.models import DailyCount, Event, Observation

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    demo.load_demo_scenario()
    print(f"{Observation.objects.count():,} observations, {Event.objects.count():,} events "
          f"on {connection.vendor}; demo loaded in {time.perf_counter() - start:.1f} s",
          flush=True)
    _first, end = demo.demo_window()
    last = end - timedelta(days=1)
    released = last - timedelta(days=1)
    monitor = Client()
    monitor.force_login(User.objects.get(username=demo.MONITOR))
    readers = (("visitor", Client(), released), ("monitor", monitor, released),
               ("monitor", monitor, last))

    def get(client: Client, url: str) -> bytes:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return bytes(response.content)

    cold, cold_cpu = time.perf_counter(), time.process_time()
    page = get(monitor, f"/monitoring/reports/{released.isoformat()}/")
    print(f"  {'first report page of the process (monitor)':<56} "
          f"{(time.perf_counter() - cold) * 1000:7.1f} ms  "
          f"cpu {(time.process_time() - cold_cpu) * 1000:7.1f} ms", flush=True)
    print(f"  the page holds {page.count(b'<svg')} svg elements, {len(page):,} bytes", flush=True)
    for who, client, day in readers:
        counted = sum(DailyCount.objects.filter(day=day).values_list("violations", flat=True))
        url = f"/monitoring/reports/{day.isoformat()}/"
        timed(f"{who}: {day} ({counted:,} violations, all statuses), page",
              lambda c=client, u=url: get(c, u), args.repeat)
        pdf = get(client, url + "pdf/")
        timed(f"{who}: {day}, PDF ({len(pdf) // 1024:,} KiB)",
              lambda c=client, u=url: get(c, u + "pdf/"), max(3, args.repeat // 4))


if __name__ == "__main__":
    main()
