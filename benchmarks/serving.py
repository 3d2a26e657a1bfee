"""Serving cached reads: where a request's time goes, and what the server answers under load.

EXERCISE DATA: the monitoring import benchmark's file (1,000,000 observations over a year,
`benchmarks/monitoring_import.py`), imported once into a data directory outside the repository
and reused by later runs.

1. Profile in one process, no server: each endpoint called through the WSGI application (every
   middleware, the API's authentication, the view) many times; the processor time per request,
   the least of five rounds. Processor time counts only this process's work, so it holds on a
   machine that others are using too.
2. Load: `hofburg serve --workers 2` on a free port over the loaded database, then `wrk` with
   100 connections on each endpoint (whole-year map and trends, anonymous and with a token;
   the States list), each answer cached after the warm-up. Each endpoint is run several times,
   the endpoints in turn; requests/s and latency percentiles are the medians of the runs.
   `--server gunicorn` serves the same application with gunicorn instead (if installed), and
   `--server plain` serves a WSGI hello-world (no Django) with `hofburg serve`'s own server:
   the server's ceiling on this machine.

The machine's load average is printed with each run: figures taken while other work runs are
upper bounds on the time.

Run: .venv/bin/python -m benchmarks serving [--data DIR] [--runs 3] [--seconds 10]
     [--connections 100] [--server hofburg|gunicorn|gunicorn-gthread|plain] [--no-load]
     [--no-profile]
Needs `wrk` (Debian: apt-get install wrk) for the load part.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HOFBURG = ROOT / ".venv" / "bin" / "hofburg"
OBSERVATIONS = 1_000_000
YEAR = 2025
DEFAULT_DATA = Path(os.environ.get("HOFBURG_BENCH_DATA_DIR", "")
                    or Path(tempfile.gettempdir()) / "hofburg-bench-serving")
PROFILE_ROUNDS = 5

_YEAR_RANGE = f"start={YEAR}-01-01&end={YEAR}-12-31"
# name, path, query, with the token, other request headers
_GZIP = {"Accept-Encoding": "gzip, deflate, br"}  # as browsers send it
ENDPOINTS: list[tuple[str, str, str, bool, dict[str, str]]] = [
    ("map, anonymous", "/api/v1/monitoring/map", _YEAR_RANGE, False, {}),
    ("map, entitled", "/api/v1/monitoring/map", _YEAR_RANGE, True, {}),
    ("trends, anonymous", "/api/v1/monitoring/trends", _YEAR_RANGE, False, {}),
    ("trends by area, entitled", "/api/v1/monitoring/trends", _YEAR_RANGE + "&by_area=true",
     True, {}),
    ("the same, gzip accepted", "/api/v1/monitoring/trends", _YEAR_RANGE + "&by_area=true",
     True, _GZIP),
    ("states, anonymous", "/api/v1/states", "", False, {}),
]


def _headers(token: str, entitled: bool, other: dict[str, str]) -> dict[str, str]:
    return {**({"Authorization": f"Bearer {token}"} if entitled else {}), **other}

_ACCOUNT_SCRIPT = r"""
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
import django
django.setup()
from hofburg.core.models import Role
from hofburg.core.services.accounts import create_account, ensure_affiliation
from hofburg.core.services.users import issue_api_token
from django.core.management import call_command
from hofburg.core.models import User
from hofburg.registry.models import ParticipatingState
if not ParticipatingState.objects.exists():  # the registry's reference data, for /states
    call_command("load_reference", verbosity=0)
ensure_affiliation("bench-mission", name="Benchmark mission (exercise)",
                   kind="field_operation", is_exercise=True)
user = User.objects.filter(username="bench-serving").first()
if user is None:
    user, _ = create_account("bench-serving", affiliation_code="bench-mission",
                             roles=[Role.READER])
print(issue_api_token(user, "bench-serving")[1])
"""

_WRK_REPORT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""

# A WSGI hello-world: what the server alone answers, no Django.
_PLAIN_APP = "benchmarks.serving:plain_application"


def plain_application(environ: dict[str, Any], start_response: Callable[..., Any]
                      ) -> list[bytes]:
    body = b'{"hello": "world"}'
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]


# --- the data -------------------------------------------------------------------------------


def environment(data: Path) -> dict[str, str]:
    return {**os.environ, "HOFBURG_DATA_DIR": str(data),
            "HOFBURG_DATABASE_URL": f"sqlite:///{data / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "hofburg.settings"}


def prepare(data: Path) -> dict[str, str]:
    """The loaded database in `data` (generated and imported the first time) and its env."""
    env = environment(data)
    if not (data / "bench.sqlite3").exists():
        from benchmarks import monitoring_import

        data.mkdir(parents=True, exist_ok=True)
        csv = data / "observations.csv"
        print(f"building the data in {data} (once; several minutes)", flush=True)
        os.environ["HOFBURG_DATA_DIR"] = str(data)
        if not csv.exists():
            monitoring_import.generate(csv, OBSERVATIONS)
        monitoring_import.run_child("import", csv, env)
    return env


def issue_token(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", _ACCOUNT_SCRIPT], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


# --- 1. in one process ----------------------------------------------------------------------


def profile_in_process(env: dict[str, str], token: str, calls: int) -> dict[str, float]:
    """Processor milliseconds per request for each endpoint, in a process of its own."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.serving", "--in-process", token,
                           str(calls)], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"profile failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _wsgi_environ(path: str, query: str, headers: dict[str, str]) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
        "wsgi.multiprocess": True, "wsgi.run_once": False}
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def _in_process(token: str, calls: int) -> dict[str, float]:
    import django

    django.setup()
    from hofburg.wsgi import application

    statuses: list[str] = []

    def start_response(status: str, _headers: Any, _exc_info: Any = None) -> None:
        statuses.append(status)

    def call(path: str, query: str, headers: dict[str, str]) -> None:
        answer = application(_wsgi_environ(path, query, headers), start_response)
        b"".join(answer)
        answer.close()

    figures = {}
    for name, path, query, entitled, other in ENDPOINTS:
        headers = _headers(token, entitled, other)
        for _ in range(20):  # the answer computed and cached, the code paths warm
            call(path, query, headers)
        if not statuses[-1].startswith("200"):
            raise SystemExit(f"{name}: {statuses[-1]}")
        rounds = []
        for _ in range(PROFILE_ROUNDS):
            started = time.process_time()
            for _ in range(calls):
                call(path, query, headers)
            rounds.append((time.process_time() - started) / calls * 1000)
        figures[name] = min(rounds)
    return figures


# --- 2. under load --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Server processes and threads per process (`--workers`, `--threads`).
SHAPE = {"workers": 2, "threads": 8}


def _server_command(server: str, port: int) -> list[str]:
    bind = f"127.0.0.1:{port}"
    workers, threads = str(SHAPE["workers"]), str(SHAPE["threads"])
    gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", bind, "--workers", workers,
                "--backlog", "1024", "--log-level", "warning"]
    commands = {
        "hofburg": [str(HOFBURG), "serve", "--port", str(port), "--workers", workers,
                    "--threads", threads],
        "gunicorn": [*gunicorn, "hofburg.wsgi:application"],
        "gunicorn-gthread": [*gunicorn, "--worker-class", "gthread", "--threads", threads,
                             "hofburg.wsgi:application"],
        "plain": [sys.executable, "-c",
                  "import django; django.setup(); from hofburg.core import serving; "
                  "from benchmarks.serving "
                  "import plain_application as app; "
                  f"serving.serve_with_workers(app, serving.listening_sockets('127.0.0.1', "
                  f"{port}, {workers}), workers={workers}, threads={threads})"],
    }
    return commands[server]


def _process_tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        with suppress(OSError):
            queue += [int(child) for child in Path(f"/proc/{current}/task/{current}/children")
                      .read_text().split()]
    return pids


def server_cpu_seconds(pid: int) -> float:
    """Processor seconds (user and system) used so far by the server and its workers."""
    ticks = 0
    for each in _process_tree(pid):
        with suppress(OSError):
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def running_server(server: str, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    port = free_port()
    process = subprocess.Popen(_server_command(server, port), env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # answering (the plain server answers anything)
            except OSError:
                if process.poll() is not None:
                    raise SystemExit(f"the {server} server exited") from None
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrk(url: str, headers: dict[str, str], *, connections: int, seconds: int, server_pid: int,
        script: str = "") -> dict[str, float]:
    """wrk's figures for one run, with the processor time per request of the server (all its
    processes) and of wrk itself: on an idle machine the cores can answer at most
    cores / (server + wrk) requests per second. `script`: Lua that makes the requests (wrk's
    `request` function), run before the report."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + _WRK_REPORT)
    try:
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                   "-s", lua.name, url]
        for name, value in headers.items():
            command[1:1] = ["-H", f"{name}: {value}"]
        load_average = os.getloadavg()[0]
        server_before = server_cpu_seconds(server_pid)
        wrk_before = _children_cpu_seconds()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        server_cpu = server_cpu_seconds(server_pid) - server_before
        wrk_cpu = _children_cpu_seconds() - wrk_before
    finally:
        os.unlink(lua.name)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    seconds_run = figures["duration_us"] / 1e6
    return {"rps": figures["requests"] / seconds_run, "p50_ms": figures["p50_us"] / 1000,
            "p95_ms": figures["p95_us"] / 1000, "p99_ms": figures["p99_us"] / 1000,
            "errors": figures["errors"] + figures["non2xx"], "load": load_average,
            "requests": figures["requests"], "non2xx": figures["non2xx"],
            "socket_errors": figures["errors"], "seconds": seconds_run,
            "server_cpu_ms": server_cpu / max(figures["requests"], 1) * 1000,
            "wrk_cpu_ms": wrk_cpu / max(figures["requests"], 1) * 1000}


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load(env: dict[str, str], token: str, *, server: str, runs: int, seconds: int,
         connections: int, only: str = "") -> dict[str, list[dict[str, float]]]:
    endpoints = ([("plain WSGI hello-world", "/", "", False, {})] if server == "plain"
                 else [e for e in ENDPOINTS if only in e[0]])
    results: dict[str, list[dict[str, float]]] = {name: [] for name, *_ in endpoints}
    with running_server(server, env) as (base, pid):
        for _name, path, query, entitled, other in endpoints:  # warm-up: fills every cache
            headers = _headers(token, entitled, other)
            wrk(f"{base}{path}?{query}", headers, connections=connections, seconds=2,
                server_pid=pid)
        for run in range(runs):
            for name, path, query, entitled, other in endpoints:
                headers = _headers(token, entitled, other)
                figures = wrk(f"{base}{path}?{query}", headers, connections=connections,
                              seconds=seconds, server_pid=pid)
                results[name].append(figures)
                print(f"  run {run + 1}  {name:<26} {figures['rps']:7.0f} req/s   p50 "
                      f"{figures['p50_ms']:6.1f} ms   p95 {figures['p95_ms']:6.1f} ms   p99 "
                      f"{figures['p99_ms']:6.1f} ms   errors {figures['errors']:.0f}   "
                      f"{_cpu_text(figures)}   load {figures['load']:.1f}", flush=True)
    return results


def _cpu_text(figures: dict[str, float]) -> str:
    per_request = figures["server_cpu_ms"] + figures["wrk_cpu_ms"]
    ceiling = (os.cpu_count() or 1) * 1000 / per_request if per_request else 0.0
    return (f"cpu/req server {figures['server_cpu_ms']:.2f} + wrk {figures['wrk_cpu_ms']:.2f} ms "
            f"(cores' ceiling {ceiling:5.0f} req/s)")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--in-process"]:
        print(json.dumps(_in_process(argv[1], int(argv[2]))))
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks serving",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="data directory (built the first time; default %(default)s, or "
                             "HOFBURG_BENCH_DATA_DIR)")
    parser.add_argument("--server", default="hofburg",
                        choices=["hofburg", "gunicorn", "gunicorn-gthread", "plain"])
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--calls", type=int, default=1000, help="calls per profile round")
    parser.add_argument("--only", default="", help="the endpoints whose name holds this text")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-load", action="store_true")
    options = parser.parse_args(argv)
    SHAPE.update(workers=options.workers, threads=options.threads)
    env = prepare(options.data.resolve())
    token = issue_token(env)
    print(f"serving benchmark (EXERCISE data in {options.data}; {os.cpu_count()} cores; load "
          f"average {os.getloadavg()[0]:.1f} at the start)", flush=True)
    if not options.no_profile:
        print(f"processor time per request in one process, no server (least of "
              f"{PROFILE_ROUNDS} rounds of {options.calls}):", flush=True)
        for name, ms in profile_in_process(env, token, options.calls).items():
            print(f"  {name:<26} {ms:6.3f} ms   (one core: {1000 / ms:6.0f} req/s)", flush=True)
    if not options.no_load:
        if shutil.which("wrk") is None:
            print("wrk is not installed (apt-get install wrk): load part skipped")
            return 1
        print(f"{options.server}, {options.workers} processes of {options.threads} threads, "
              f"wrk with {options.connections} connections, "
              f"{options.seconds} s per run, {options.runs} runs:", flush=True)
        results = load(env, token, server=options.server, runs=options.runs,
                       seconds=options.seconds, connections=options.connections,
                       only=options.only)
        print("medians:")
        for name, runs in results.items():
            median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            print(f"  {name:<26} {median['rps']:7.0f} req/s   p50 {median['p50_ms']:6.1f} ms   "
                  f"p95 {median['p95_ms']:6.1f} ms   p99 {median['p99_ms']:6.1f} ms   "
                  f"errors {sum(r['errors'] for r in runs):.0f}   {_cpu_text(median)}   "
                  f"load {median['load']:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
