"""OpenRosa intake under load: ODK Collect-style multipart submissions over loopback.

A fresh SQLite database in a temporary folder (or the PostgreSQL database named by
HOFBURG_BENCH_DATABASE_URL, which must be empty) gets one mission with a 60-question voting
form and one observer account; `hofburg serve --workers 2` serves it on a free port. Client
threads (default 16, each with its own keep-alive connection) then POST submissions to
`/openrosa/submission` with HTTP Basic and a unique `meta/instanceID` each, for `--seconds`.
Afterwards the stored submissions are counted: every 201 must be in the database (zero lost).

    python -m benchmarks openrosa_intake [--seconds 30] [--threads 16] [--client wrk|python]

The load tool is wrk (`--client wrk`, the default: a Lua script gives every request its own
instance id; 2 wrk threads hold the connections) or Python threads (`--client python`, one
connection each). Either runs on the same machine and takes its share of the two cores: the
figures are a lower bound on what the server alone sustains; wrk takes far less of them.
Prints submissions/s, latency percentiles, errors and the lost count. Figures go to
benchmarks/README.md by hand.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from benchmarks.serving import ROOT, running_server, server_cpu_seconds, wrk

SETUP = r"""
import io, django
django.setup()
from datetime import date
from django.core.management import call_command
call_command("migrate", verbosity=0)
from openpyxl import Workbook
from hofburg.core.models import Affiliation, Role, User
from hofburg.elections.models import Member
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import MissionRecord, create_mission
eom = Affiliation.objects.create(code="bench-eom", name="Bench EOM", kind="field_operation",
                                 is_exercise=True)
core = User.objects.create_user("bench-core", password="bench-core-password", affiliation=eom,
                                roles=[Role.READER, Role.EDITOR])
observer = User.objects.create_user("bench-observer", password="bench-observer-password",
                                    affiliation=eom, roles=[Role.READER])
mission = create_mission(core, MissionRecord(code="BENCH-EOM", name="Bench", state="XE",
                                            election_date=date(2026, 12, 6), exercise=True))
Member.objects.create(mission=mission, user=observer, role="sto", team="T01")
book = Workbook(); survey = book.active; survey.title = "survey"
survey.append(["type", "name", "label"]); survey.append(["text", "station_id", "Station"])
for i in range(59):
    survey.append(["select_one yn", f"q{i:02}", f"Question {i}"])
choices = book.create_sheet("choices"); choices.append(["list_name", "name", "label"])
for name in ("yes", "no", "na", "not_observed"):
    choices.append(["yn", name, name])
settings = book.create_sheet("settings"); settings.append(["form_id", "version"])
settings.append(["bench_voting", "1"])
out = io.BytesIO(); book.save(out)
add_form(core, mission, out.getvalue(), "bench.xlsx")
"""

BOUNDARY = "----bench" + uuid.uuid4().hex
ANSWERS = "".join(f"<q{i:02}>{('yes', 'no', 'na')[i % 3]}</q{i:02}>" for i in range(59))


def body(instance: str) -> bytes:
    xml = (f'<data id="bench_voting" version="1"><station_id>P{instance[-4:]}</station_id>'
           f"{ANSWERS}<meta><instanceID>uuid:{instance}</instanceID></meta></data>")
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; "
            f"filename=\"submission.xml\"\r\nContent-Type: text/xml\r\n\r\n{xml}\r\n"
            f"--{BOUNDARY}--\r\n").encode()


def client(port: int, seconds: int, ready: threading.Barrier, latencies: list[float],
           statuses: dict[int, int], lock: threading.Lock) -> None:
    token = base64.b64encode(b"bench-observer:bench-observer-password").decode()
    headers = {"Authorization": f"Basic {token}", "X-OpenRosa-Version": "1.0",
               "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    # Warm-up, not timed: the first request of each connection checks the password (slow on
    # purpose) before the worker process remembers it; then every thread starts together.
    connection.request("POST", "/openrosa/submission", body(uuid.uuid4().hex), headers)
    connection.getresponse().read()
    ready.wait()
    until = time.perf_counter() + seconds
    mine: list[float] = []
    counts: dict[int, int] = {}
    while time.perf_counter() < until:
        payload = body(uuid.uuid4().hex)
        start = time.perf_counter()
        try:
            connection.request("POST", "/openrosa/submission", payload, headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine.append(time.perf_counter() - start)
        counts[status] = counts.get(status, 0) + 1
    with lock:
        latencies.extend(mine)
        for status, count in counts.items():
            statuses[status] = statuses.get(status, 0) + count


def _lua(text: str) -> str:
    """`text` inside a single-quoted Lua string (it holds no quote or backslash of its own)."""
    assert "'" not in text and "\\" not in text
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _wrk_script(run: str) -> str:
    """wrk's Lua: every request a Collect-style submission with an instance id of its own
    (`run`, the wrk thread, a counter)."""
    token = base64.b64encode(b"bench-observer:bench-observer-password").decode()
    head = ('--' + BOUNDARY + '\r\nContent-Disposition: form-data; name="xml_submission_file"; '
            'filename="submission.xml"\r\nContent-Type: text/xml\r\n\r\n'
            '<data id="bench_voting" version="1"><station_id>P')
    tail = '</instanceID></meta></data>\r\n--' + BOUNDARY + '--\r\n'
    return f"""
wrk.method = "POST"
wrk.headers["Authorization"] = "Basic {token}"
wrk.headers["X-OpenRosa-Version"] = "1.0"
wrk.headers["Content-Type"] = "multipart/form-data; boundary={BOUNDARY}"
local made = 0
function setup(thread)
  made = made + 1
  thread:set("tid", made)
end
local counter = 0
local head = '{_lua(head)}'
local middle = '</station_id>{ANSWERS}<meta><instanceID>uuid:'
local tail = '{_lua(tail)}'
function request()
  counter = counter + 1
  local instance = string.format("{run}-%04x-4000-8000-%012x", tid, counter)
  local station = string.sub(instance, -4)
  return wrk.format(nil, "/openrosa/submission", nil, head .. station .. middle .. instance .. tail)
end
"""


def run_wrk(base: str, pid: int, seconds: int, connections: int) -> tuple[dict[str, float], int]:
    """A warm-up of 3 s (each worker checks the password once, then remembers it), then the
    timed run: its figures, and the submissions the warm-up had acknowledged."""
    url = f"{base}/openrosa/submission"
    warm = wrk(url, {}, connections=connections, seconds=3, server_pid=pid,
               script=_wrk_script(uuid.uuid4().hex[:8]))
    figures = wrk(url, {}, connections=connections, seconds=seconds, server_pid=pid,
                  script=_wrk_script(uuid.uuid4().hex[:8]))
    return figures, int(warm["requests"] - warm["non2xx"])


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stored(env: dict[str, str]) -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from hofburg.elections.models import Submission; print(Submission.objects.count())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--threads", type=int, default=16,
                        help="client threads (python) or connections (wrk)")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hofburg-bench-openrosa-") as folder:
        data = Path(folder)
        env = {**os.environ, "HOFBURG_DATA_DIR": str(data),
               "HOFBURG_DATABASE_URL": os.environ.get("HOFBURG_BENCH_DATABASE_URL")
               or f"sqlite:///{data / 'bench.sqlite3'}",
               "DJANGO_SETTINGS_MODULE": "hofburg.settings"}
        subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, check=True)
        if options.client == "wrk":
            with running_server("hofburg", env) as (base, pid):
                figures, warmed = run_wrk(base, pid, options.seconds, options.threads)
            _report_wrk(figures, stored(env) - warmed, options.threads)
            return
        with running_server("hofburg", env) as (base, pid):
            port = int(base.rsplit(":", 1)[1])
            latencies: list[float] = []
            statuses: dict[int, int] = {}
            lock = threading.Lock()
            ready = threading.Barrier(options.threads + 1)
            threads = [threading.Thread(target=client, args=(port, options.seconds, ready,
                                                             latencies, statuses, lock))
                       for _ in range(options.threads)]
            for thread in threads:
                thread.start()
            ready.wait()
            started = time.perf_counter()
            server_before, client_before = server_cpu_seconds(pid), _own_cpu_seconds()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            server_cpu = server_cpu_seconds(pid) - server_before
            client_cpu = _own_cpu_seconds() - client_before
        acknowledged = statuses.get(201, 0)
        in_database = stored(env) - options.threads  # the warm-up's submissions
        latencies.sort()

        def pct(p: float) -> float:
            return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))]

        print(f"{acknowledged} submissions acknowledged in {elapsed:.1f} s: "
              f"{acknowledged / elapsed:.1f}/s with {options.threads} client threads")
        print(f"latency ms: median {1000 * statistics.median(latencies):.0f}, "
              f"p95 {pct(0.95):.0f}, p99 {pct(0.99):.0f}, max {1000 * latencies[-1]:.0f}")
        print(f"answers: {dict(sorted(statuses.items()))}")
        print(f"stored {in_database}; lost (acknowledged but not stored): "
              f"{max(0, acknowledged - in_database)}")
        answered = max(1, sum(statuses.values()))
        server_ms, client_ms = 1000 * server_cpu / answered, 1000 * client_cpu / answered
        print(f"processor time per submission: server {server_ms:.2f} ms, this client "
              f"{client_ms:.2f} ms; the server alone on {os.cpu_count()} cores: at most "
              f"{(os.cpu_count() or 1) * 1000 / server_ms:.0f}/s; load average "
              f"{os.getloadavg()[0]:.1f}")


def _report_wrk(figures: dict[str, float], in_database: int, connections: int) -> None:
    acknowledged = int(figures["requests"] - figures["non2xx"])
    print(f"{acknowledged} submissions acknowledged in {figures['seconds']:.1f} s: "
          f"{acknowledged / figures['seconds']:.1f}/s over {connections} wrk connections")
    print(f"latency ms: median {figures['p50_ms']:.0f}, p95 {figures['p95_ms']:.0f}, "
          f"p99 {figures['p99_ms']:.0f}")
    print(f"answers: {acknowledged} acknowledged, {figures['non2xx']:.0f} refused, "
          f"{figures['socket_errors']:.0f} connection errors or timeouts")
    print(f"stored {in_database}; lost (acknowledged but not stored): "
          f"{max(0, acknowledged - in_database)}")
    print(f"processor time per submission: server {figures['server_cpu_ms']:.2f} ms, wrk "
          f"{figures['wrk_cpu_ms']:.2f} ms; the server alone on {os.cpu_count()} cores: at most "
          f"{(os.cpu_count() or 1) * 1000 / figures['server_cpu_ms']:.0f}/s; load average "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
