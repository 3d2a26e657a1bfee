"""`hofburg serve --workers N`, run as an operator runs it: real processes on a free port.

The processes are observed through /proc (Linux): which workers the server forked, and that
each of them holds a listening socket of its own on the port, across which the kernel spreads
the connections.
"""

from __future__ import annotations

import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

HOFBURG = str(Path(sys.executable).parent / "hofburg")
STARTUP_SECONDS = 60

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")


def environment(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "HOFBURG_DATA_DIR": str(data_dir),
           "HOFBURG_DATABASE_URL": f"sqlite:///{data_dir / 'serve.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory,
             migrated_sqlite: Callable[[Path], Path]) -> Path:
    """A database set up once by `hofburg init`, served by every test below."""
    directory = tmp_path_factory.mktemp("hofburg-serve")
    migrated_sqlite(directory / "serve.sqlite3")
    done = subprocess.run([HOFBURG, "init"], env=environment(directory), capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return directory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(data_dir: Path, *options: str) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`hofburg serve` on a free port, once it listens; stopped afterwards if still running."""
    port = free_port()
    server = subprocess.Popen([HOFBURG, "serve", "--port", str(port), *options],
                              env=environment(data_dir), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        ready, _, _ = select.select([server.stdout], [], [], STARTUP_SECONDS)
        assert ready, "the server printed nothing"
        # Printed once the socket listens and the workers are forked; a request made from
        # here on waits in the socket's backlog until a worker accepts it.
        assert server.stdout.readline().startswith("Hofburg is at"), server.stderr
        yield server, port
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended while we looked
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def socket_inodes(port: int, state: str) -> set[str]:
    """The sockets on local port `port` in `state` ("0A": LISTEN, "01": ESTABLISHED)."""
    return {fields[9] for fields in (line.split() for line in
                                     Path("/proc/net/tcp").read_text().splitlines()[1:])
            if fields[1].endswith(f":{port:04X}") and fields[3] == state}


def sockets_held_by(pid: int) -> set[str]:
    return {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()
            if os.readlink(fd).startswith("socket:")}


def is_running(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def get_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        assert response.status == 200
        return dict(json.load(response))


def test_two_workers_share_the_port_and_answer_requests_at_once(data_dir: Path) -> None:
    with serving(data_dir, "--workers", "2", "--threads", "2") as (server, port):
        workers = children_of(server.pid)
        assert len(workers) == 2
        listening = {f"socket:[{inode}]" for inode in socket_inodes(port, "0A")}
        # Each worker closes the other's socket just after it is forked, which on a busy
        # machine may come a moment after the server says it listens: wait for it.
        deadline = time.monotonic() + 30
        while True:
            held = [sockets_held_by(pid) & listening for pid in sorted(workers)]
            if [len(own) for own in held] == [1, 1] or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert [len(own) for own in held] == [1, 1] and held[0] != held[1]
        assert sockets_held_by(server.pid) & listening == held[0] | held[1]

        base = f"http://127.0.0.1:{port}/api/v1"
        urls = [f"{base}/states/AT", f"{base}/states/FI",
                f"{base}/monitoring/trends?start=2026-01-01&end=2026-01-31"] * 4
        with ThreadPoolExecutor(len(urls)) as pool:
            answers = list(pool.map(get_json, urls))
        assert [answer.get("iso2") for answer in answers[:2]] == ["AT", "FI"]
        assert answers[2] == {"scope": "published", "granularity": "day", "series": []}
        assert answers[3:] == answers[:3] * 3
        assert children_of(server.pid) == workers


def test_the_connections_are_spread_across_the_workers(data_dir: Path) -> None:
    # Forty connections kept open: on one shared socket a burst like this one often went
    # nearly all to one worker; spread by the kernel, both get some (all forty to one worker
    # would happen once in 2^39 runs).
    with serving(data_dir, "--workers", "2") as (server, port):
        workers = sorted(children_of(server.pid))
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                       for _ in range(40)]
        try:
            for connection in connections:
                connection.request("GET", "/healthz")
                assert connection.getresponse().read()
            established = {f"socket:[{inode}]" for inode in socket_inodes(port, "01")}
            per_worker = [len(sockets_held_by(pid) & established) for pid in workers]
        finally:
            for connection in connections:
                connection.close()
    assert sum(per_worker) == 40 and min(per_worker) > 0, per_worker


def test_a_second_server_on_a_served_port_is_refused(data_dir: Path) -> None:
    with serving(data_dir, "--workers", "2") as (_server, port):
        done = subprocess.run([HOFBURG, "serve", "--port", str(port), "--workers", "2"],
                              env=environment(data_dir), capture_output=True, text=True,
                              timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith(f"hofburg: cannot serve on 127.0.0.1:{port}: ")


def test_sigterm_stops_the_parent_and_every_worker(data_dir: Path) -> None:
    with serving(data_dir, "--workers", "2") as (server, _port):
        workers = children_of(server.pid)
        assert len(workers) == 2
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Stopped." in out
    assert not any(is_running(pid) for pid in workers)


def test_a_worker_that_dies_stops_the_others_and_the_server_exits_1(data_dir: Path) -> None:
    with serving(data_dir, "--workers", "2") as (server, _port):
        victim, other = sorted(children_of(server.pid))
        os.kill(victim, signal.SIGKILL)
        _out, err = server.communicate(timeout=30)
    assert server.returncode == 1
    assert err.strip().splitlines()[-1] == (
        f"hofburg: worker process {victim} was killed by SIGKILL; stopped the others")
    assert not is_running(other)


@pytest.mark.parametrize("workers", ["0", "17", "two"])
def test_a_bad_number_of_workers_exits_2_with_a_message(data_dir: Path, workers: str) -> None:
    done = subprocess.run([HOFBURG, "serve", "--workers", workers], env=environment(data_dir),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("hofburg: Invalid value for '--workers'")


def test_a_taken_port_is_one_line_and_exit_1(data_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([HOFBURG, "serve", "--port", str(port), "--workers", "2"],
                              env=environment(data_dir), capture_output=True, text=True,
                              timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith(f"hofburg: cannot serve on 127.0.0.1:{port}: ")
    assert "Hofburg is at" not in done.stdout
