"""Serving Hofburg with waitress in several processes that listen on one port.

The threads of one Python process share one core (the GIL), so `hofburg serve --workers N`
forks N worker processes, each running waitress with its own threads. Each worker listens on a
socket of its own on the same port (SO_REUSEPORT), and the kernel spreads new connections
across them: on one shared socket, whichever worker woke first took the next connection, and a
burst of 100 connections came out 10 / 90 as often as 50 / 50, so the busier worker's readers
waited twice as long (decision 0029). Where the system lacks SO_REUSEPORT the workers share one
socket, as before.

The parent only supervises: SIGINT or SIGTERM stops every worker and waits for it; a worker
that dies stops the others and the parent raises WorkerDied, so that the service manager
restarts the whole server (docs/decisions/0013-serve-with-processes.md).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any, NoReturn

MAX_WORKERS = 16
# How long the workers may take to stop after SIGTERM before they are killed. Waitress itself
# waits up to 5 s for requests in progress.
GRACE_SECONDS = 10.0
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

WSGIApplication = Callable[..., Any]


class WorkerDied(RuntimeError):
    """A worker process exited while the server was running; the others have been stopped."""


class _StopRequested(Exception):
    """SIGINT or SIGTERM reached the parent."""


def listening_sockets(host: str, port: int, count: int = 1) -> list[socket.socket]:
    """`count` TCP sockets listening on the first address `host` resolves to, port `port`
    (with port 0, one free port for all): one per worker, spread by the kernel. One socket
    only where the system lacks SO_REUSEPORT.

    Raises OSError when the address is taken (by a server that listens the same way too: the
    port is first bound without SO_REUSEPORT, which that fails) or cannot be resolved.
    """
    family, _type, _proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM)[0]
    probe = socket.create_server(address, family=family, backlog=1024)
    if count == 1 or not hasattr(socket, "SO_REUSEPORT"):
        return [probe]
    bound = probe.getsockname()
    probe.close()
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sockets.append(socket.create_server(bound, family=family, backlog=1024,
                                                reuse_port=True))
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def serve_with_workers(application: WSGIApplication, sockets: list[socket.socket], *,
                       workers: int, threads: int,
                       started: Callable[[], object] | None = None) -> None:
    """Fork `workers` processes serving `application` with `threads` threads each, worker i
    on `sockets[i]` (all on `sockets[0]` when there is one), call `started` once all are
    forked, and supervise them.

    Returns once SIGINT or SIGTERM has stopped them all. Raises WorkerDied, after stopping the
    others, when a worker exits on its own.
    """
    from django.db import connections
    from django.urls import get_resolver

    # Import the URL configuration (the API schemas among it: about a second) once, here, rather
    # than in every worker on its first request; the workers share the pages it fills.
    get_resolver().url_patterns  # noqa: B018
    # A connection opened here would be one socket or file handle used by every worker at once.
    connections.close_all()
    # Long-lived objects leave the collector's generations, so the pages holding them stay
    # shared with the workers instead of being copied on the first collection.
    gc.freeze()
    lifeline_read, lifeline_write = os.pipe()
    children: set[int] = set()
    handlers = {number: signal.getsignal(number) for number in _STOP_SIGNALS}
    try:
        for number in range(workers):
            own = sockets[number % len(sockets)]
            pid = os.fork()
            if pid == 0:
                os.close(lifeline_write)
                for other in sockets:
                    if other is not own:
                        other.close()
                _run_worker(application, own, threads, lifeline_read)
            children.add(pid)
        os.close(lifeline_read)
        for number in _STOP_SIGNALS:
            signal.signal(number, _request_stop)
        if started is not None:
            started()
        pid, status = os.wait()
        children.discard(pid)
        raise WorkerDied(f"worker process {pid} {_how_it_ended(status)}; stopped the others")
    except _StopRequested:
        pass
    finally:
        for number in _STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)  # a second Ctrl-C does not cut the stop short
        _stop(children)
        for sock in sockets:
            sock.close()
        os.close(lifeline_write)
        for number, handler in handlers.items():
            signal.signal(number, handler)


def _request_stop(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise _StopRequested


def _stop(children: set[int]) -> None:
    """SIGTERM to every worker, then wait for them; kill those still running after the grace."""
    _signal(children, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while children and time.monotonic() < deadline:
        pid, _status = os.waitpid(-1, os.WNOHANG)
        if pid:
            children.discard(pid)
        else:
            time.sleep(0.05)
    _signal(children, signal.SIGKILL)
    for pid in list(children):
        os.waitpid(pid, 0)
        children.discard(pid)


def _signal(pids: Iterable[int], number: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # exited already; waitpid collects it
            os.kill(pid, number)


def _how_it_ended(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


# --- in a worker ------------------------------------------------------------------------------


def _run_worker(application: WSGIApplication, sock: socket.socket, threads: int,
                lifeline: int) -> NoReturn:
    """Serve until SIGTERM (or until the parent is gone), then leave without running the
    parent's exit handlers."""
    from waitress import serve

    from hofburg.core import metrics

    code = 0
    try:
        # Ctrl-C reaches the whole process group; the parent decides and sends SIGTERM.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _leave)
        threading.Thread(target=_stop_when_parent_is_gone, args=(lifeline,), daemon=True,
                         name="lifeline").start()
        metrics.worker_started()
        # waitress catches the SystemExit raised by _leave, finishes the requests in progress
        # and returns.
        serve(application, sockets=[sock], threads=threads, ident="hofburg")
    except SystemExit:
        pass  # SIGTERM before waitress was running
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        metrics.flush()  # os._exit skips the exit handlers that would write the counts
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _leave(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)


def _stop_when_parent_is_gone(lifeline: int) -> None:
    """Block until the parent's end of the pipe closes, which happens however the parent ends
    (even when it is killed), then stop this worker as SIGTERM would."""
    while os.read(lifeline, 1):
        pass
    os.kill(os.getpid(), signal.SIGTERM)
