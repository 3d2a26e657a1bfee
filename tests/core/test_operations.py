"""/healthz, /metrics and the request id that ties a request's log line to its audit entries."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from hofburg.core import health
from hofburg.core.logging import JsonFormatter, RequestIdFilter
from hofburg.core.models import AuditEntry
from tests.conftest import Cast

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|\+Inf|NaN)$')


def parse_metrics(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """A strict enough reader of the text format: every line a comment or a valid sample."""
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample: {line!r}"
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(3) or ""))
        value = float("inf") if match.group(4) == "+Inf" else float(match.group(4))
        samples.setdefault(match.group(1), []).append((labels, value))
    return samples


def test_healthz_answers_200_without_signing_in(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "migrations", "disk"}
    assert body["checks"]["migrations"] == {"ok": True, "pending": 0}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_when_the_database_is_unreachable(db: None, monkeypatch: Any) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise connection.Database.OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = Client().get("/healthz")
    monkeypatch.undo()  # the test database's own teardown needs the cursor back
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False}
    assert "could not connect" not in response.content.decode()


def test_healthz_fails_when_the_disk_is_nearly_full(db: None, settings: Any) -> None:
    settings.HEALTH_MIN_FREE_BYTES = 10**18
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"]["ok"] is False


def test_healthz_fails_with_pending_migrations(db: None, monkeypatch: Any) -> None:
    monkeypatch.setattr(health, "_migrations_ok_at", 0.0)
    monkeypatch.setattr("hofburg.core.upgrade.pending_migrations", lambda: ["core.9999_next"])
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "pending": 1}


def test_metrics_are_hidden_without_the_token_or_an_allowed_address(db: None,
                                                                      settings: Any) -> None:
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    settings.METRICS_ADDRESSES = []
    assert Client().get("/metrics").status_code == 404
    wrong = Client(headers={"Authorization": "Bearer nope"}).get("/metrics")
    assert wrong.status_code == 404
    right = Client(headers={"Authorization": "Bearer s3cret-metrics-token"}).get("/metrics")
    assert right.status_code == 200


def test_metrics_are_off_by_default(db: None) -> None:
    assert Client().get("/metrics").status_code == 404


def test_metrics_count_requests_by_route_and_status(db: None, settings: Any) -> None:
    settings.METRICS_ADDRESSES = ["127.0.0.1"]
    client = Client()

    def count(route: str, status: str) -> float:
        samples = parse_metrics(client.get("/metrics").content.decode())
        return sum(value for labels, value in samples.get("hofburg_http_requests_total", [])
                   if labels["route"] == route and labels["status"] == status)

    before_ok = count("healthz", "200")
    before_missing = count("unmatched", "404")
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no-such-page/")
    assert count("healthz", "200") == before_ok + 2
    assert count("unmatched", "404") == before_missing + 1

    response = client.get("/metrics")
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = parse_metrics(response.content.decode())
    buckets = [(labels["le"], value) for labels, value
               in samples["hofburg_http_request_duration_seconds_bucket"]
               if labels["route"] == "healthz"]
    values = [value for _le, value in buckets]
    assert values == sorted(values), "buckets are cumulative"
    assert buckets[-1][0] == "+Inf"
    assert buckets[-1][1] == next(v for labels, v in
                                  samples["hofburg_http_request_duration_seconds_count"]
                                  if labels["route"] == "healthz")
    # The monitoring desk's figures arrive through its registered collector.
    assert "hofburg_monitoring_rollup_generation" in samples
    assert "hofburg_monitoring_observations" in response.content.decode()


def test_the_request_id_reaches_the_log_line_and_the_audit(
        cast: Cast, caplog: pytest.LogCaptureFixture) -> None:
    """A change made in a request is audited with the id the answer and the log line carry."""
    from datetime import date

    client = cast.client(cast.alice)
    with caplog.at_level(logging.INFO, logger="hofburg.request"):
        response = client.post("/documents/new/", {
            "symbol": "SEC.GAL/77/26", "title": "An exercise", "date": date(2026, 3, 1),
            "originator": "Austria", "original_language": "en", "classification": "restricted",
        }, headers={"X-Request-ID": "trace-4711"})
    assert response.status_code in (200, 302)
    assert response["X-Request-ID"] == "trace-4711"
    entry = AuditEntry.objects.get(model_label="documents.Document", action="create")
    assert entry.request_id == "trace-4711"
    record = next(r for r in caplog.records if r.name == "hofburg.request")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["status"] == response.status_code
    assert line["route"] == "documents/new/"
    assert line["level"] == "INFO"
    assert line["request_id"] == "trace-4711"


def test_a_request_without_an_id_gets_one(db: None) -> None:
    first = Client().get("/healthz")["X-Request-ID"]
    second = Client().get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert second["X-Request-ID"] != "bad id with spaces"


def test_json_log_lines_carry_the_request_id() -> None:
    from hofburg.core.logging import reset_request_id, set_request_id

    token = set_request_id("abc123")
    try:
        record = logging.makeLogRecord({"name": "hofburg.test", "levelname": "WARNING",
                                        "msg": "disk %s", "args": ("low",), "route": "x"})
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        reset_request_id(token)
    assert line["message"] == "disk low"
    assert line["request_id"] == "abc123"
    assert line["route"] == "x"


def test_the_audit_page_finds_the_changes_of_one_request(cast: Cast) -> None:
    from datetime import date

    for number, request_id in ((78, "req-one"), (79, "req-two")):
        cast.client(cast.alice).post("/documents/new/", {
            "symbol": f"SEC.GAL/{number}/26", "title": "An exercise", "date": date(2026, 3, 1),
            "originator": "Austria", "original_language": "en", "classification": "public",
        }, headers={"X-Request-ID": request_id})
    page = cast.client(cast.dora).get("/audit/?request=req-two").content.decode()
    assert "SEC.GAL/79/26" in page
    assert "SEC.GAL/78/26" not in page


def test_a_served_instance_logs_json_lines_and_answers_health_and_metrics(
        tmp_path: Any) -> None:
    """`hofburg serve` as an operator runs it, with HOFBURG_LOG_FORMAT=json."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    hofburg = str(Path(sys.executable).parent / "hofburg")
    env = {**os.environ, "HOFBURG_DATA_DIR": str(tmp_path),
           "HOFBURG_DATABASE_URL": f"sqlite:///{tmp_path / 'ops.sqlite3'}",
           "HOFBURG_LOG_FORMAT": "json", "HOFBURG_METRICS_ADDRESSES": "127.0.0.1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    migrated = subprocess.run([hofburg, "init"], env=env,
                              capture_output=True, text=True, timeout=600, check=False)
    assert migrated.returncode == 0, migrated.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([hofburg, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith("Hofburg is at"), server.stderr
        # With one process the line comes just before waitress binds: wait for the port.
        for _attempt in range(300):
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, "the server stopped"
            time.sleep(0.1)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz",
                                         headers={"X-Request-ID": "probe-1"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 200
            assert json.load(response)["status"] == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics",
                                    timeout=30) as response:
            samples = parse_metrics(response.read().decode())
        assert any(labels["route"] == "healthz" and labels["status"] == "200"
                   for labels, _value in samples["hofburg_http_requests_total"])
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    health_line = next(line for line in lines if line.get("route") == "healthz")
    assert health_line["request_id"] == "probe-1"
    assert health_line["status"] == 200
    assert health_line["logger"] == "hofburg.request"
    assert all(line.startswith("{") for line in err.splitlines() if line.strip()), err
