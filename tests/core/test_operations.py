"""/healthz, /metrics and the request id that ties a request's log line to its audit entries."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
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
    monkeypatch.setattr(health, "_migrations_ok_at", None)
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
        tmp_path: Any, migrated_sqlite: Any) -> None:
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
    migrated_sqlite(tmp_path / "ops.sqlite3")
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


# --- counts summed over processes, outcomes of imports and submissions ---------------------


def _sample(samples: dict[str, list[tuple[dict[str, str], float]]], name: str,
            **labels: str) -> float:
    """The value of the sample `name` with these labels (others ignored), summed; 0 if none."""
    return sum(value for sample_labels, value in samples.get(name, [])
               if all(sample_labels.get(key) == wanted for key, wanted in labels.items()))


def _scrape(client: Client) -> dict[str, list[tuple[dict[str, str], float]]]:
    response = client.get("/metrics")
    assert response.status_code == 200
    return parse_metrics(response.content.decode())


def test_metrics_add_the_counts_other_processes_left(db: None, settings: Any,
                                                     tmp_path: Any) -> None:
    from hofburg.core import metrics

    settings.METRICS_ADDRESSES = ["127.0.0.1"]
    settings.DATA_DIR = tmp_path
    client = Client()
    own = _sample(_scrape(client), "hofburg_http_requests_total", route="healthz", status="200")
    other = metrics.Counts()
    other.requests[("healthz", "GET", "200")] = 40
    other.latency["healthz"] = [40.0] + [0.0] * len(metrics.LATENCY_BUCKETS) + [0.04]
    other.counters[("hofburg_imports_total", (("desk", "monitoring"), ("outcome", "rejected")))] = 3
    folder = metrics.directory()
    folder.mkdir()
    (folder / "999999-feedbeef.json").write_text(json.dumps(other.to_json()))
    (folder / "999998-broken.json").write_text("{not json")  # left out, with a warning
    samples = _scrape(client)
    assert _sample(samples, "hofburg_http_requests_total",
                   route="healthz", status="200") == own + 40
    assert _sample(samples, "hofburg_http_request_duration_seconds_bucket",
                   route="healthz", le="0.005") >= 40
    assert _sample(samples, "hofburg_imports_total", outcome="rejected") >= 3
    assert _sample(samples, "hofburg_metrics_processes") == 2

    metrics.server_starting()  # a server starting again: every process's counts are gone
    assert list(folder.iterdir()) == []
    assert _sample(_scrape(client), "hofburg_http_requests_total",
                   route="healthz", status="200") == own


def test_a_process_writes_its_counts_only_when_flushed(settings: Any, tmp_path: Any) -> None:
    """A request adds to memory; the file is written by the flusher or at exit, whole."""
    from hofburg.core import metrics

    settings.DATA_DIR = tmp_path
    metrics.observe_request("healthz", "GET", 200, 0.002)
    assert not (tmp_path / "metrics").exists()
    metrics.flush()
    (written,) = (tmp_path / "metrics").iterdir()
    counts = metrics.Counts.from_json(json.loads(written.read_text()))
    assert counts.requests[("healthz", "GET", "200")] >= 1
    assert written.name.startswith(f"{os.getpid()}-")


def test_submissions_through_the_api_count_by_outcome_and_a_refused_one_changes_nothing(
        cast: Cast, settings: Any) -> None:
    from hofburg.core.services.users import issue_api_token
    from hofburg.monitoring.models import Observation
    from tests.monitoring.rows import row

    settings.METRICS_ADDRESSES = ["127.0.0.1"]
    scraper = Client()
    _token, key = issue_api_token(cast.mona, "test")
    api = Client(headers={"Authorization": f"Bearer {key}"})

    def post(**changes: Any) -> int:
        data = {k: v for k, v in row("MET-1").items() if v != ""}
        data.update(client_id="phone-met-1", **changes)
        return api.post("/api/v1/monitoring/observations", json.dumps(data),
                        content_type="application/json").status_code

    def outcomes() -> dict[str, float]:
        samples = _scrape(scraper)
        return {outcome: _sample(samples, "hofburg_submissions_total", desk="monitoring",
                                 outcome=outcome)
                for outcome in ("accepted", "duplicate", "rejected")}

    before = outcomes()
    assert post() == 201
    assert post() == 200
    stored = (Observation.objects.count(), AuditEntry.objects.count())
    assert post(count=5) == 409  # the same client id with other content
    assert (Observation.objects.count(), AuditEntry.objects.count()) == stored
    after = outcomes()
    assert {outcome: after[outcome] - before[outcome] for outcome in after} == {
        "accepted": 1, "duplicate": 1, "rejected": 1}


def test_an_import_refused_as_a_whole_counts_as_rejected_and_changes_nothing(
        db: None, settings: Any, tmp_path: Any) -> None:
    """Through the import service, which every way of importing calls."""
    from hofburg.monitoring.importing.pipeline import import_observations
    from hofburg.monitoring.importing.summary import ImportRejected
    from hofburg.monitoring.models import ImportBatch, Observation
    from tests.monitoring.rows import row, same_explosion, write_csv

    settings.METRICS_ADDRESSES = ["127.0.0.1"]
    client = Client()

    def outcomes() -> dict[str, float]:
        samples = _scrape(client)
        return {outcome: _sample(samples, "hofburg_imports_total", desk="monitoring",
                                 outcome=outcome)
                for outcome in ("imported", "duplicate", "rejected")}

    before = outcomes()
    audit = AuditEntry.objects.count()
    with pytest.raises(ImportRejected):
        import_observations(write_csv(tmp_path / "bad.csv",
                                      [*same_explosion(), row("OBS-4", method="smelled")]))
    assert (ImportBatch.objects.count(), Observation.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == audit
    good = write_csv(tmp_path / "good.csv", same_explosion())
    import_observations(good)
    import_observations(good)
    after = outcomes()
    assert {outcome: after[outcome] - before[outcome] for outcome in after} == {
        "imported": 1, "duplicate": 1, "rejected": 1}


def _table_counts(database: Any) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(database) as connection_:
        tables = [name for (name,) in connection_.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        # The names come from the database's own catalogue.
        return {table: connection_.execute(
                    f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables}


def test_two_workers_report_the_sum_of_their_requests_and_of_a_command_line_import(
        tmp_path: Any, migrated_sqlite: Any) -> None:
    """`hofburg serve --workers 2`: /metrics answers the requests of both workers, and the
    import the command line rejected meanwhile, which changed nothing in the database."""
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from hofburg.core.metrics import Counts
    from tests.monitoring.rows import row, same_explosion, write_csv

    hofburg = str(Path(sys.executable).parent / "hofburg")
    database = tmp_path / "ops.sqlite3"
    env = {**os.environ, "HOFBURG_DATA_DIR": str(tmp_path),
           "HOFBURG_DATABASE_URL": f"sqlite:///{database}",
           "HOFBURG_METRICS_ADDRESSES": "127.0.0.1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    migrated_sqlite(database)
    migrated = subprocess.run([hofburg, "init"], env=env,
                              capture_output=True, text=True, timeout=600, check=False)
    assert migrated.returncode == 0, migrated.stderr
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "1-before-the-start.json").write_text(
        json.dumps(Counts(requests={("healthz", "GET", "200"): 1000.0}).to_json()))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([hofburg, "serve", "--port", str(port), "--workers", "2",
                               "--threads", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def get(path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}",
                                    timeout=30) as response:
            return str(response.read().decode())

    def per_worker() -> list[float]:
        """The health requests each worker has written to its file so far."""
        values = []
        for path in (tmp_path / "metrics").glob("*.json"):
            counts = Counts.from_json(json.loads(path.read_text()))
            values.append(counts.requests.get(("healthz", "GET", "200"), 0))
        return values

    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith("Hofburg is at"), server.stderr
        sent = 0
        # Until each worker has answered some (the kernel hands connections to either).
        for _round in range(20):
            for _request in range(20):
                get("/healthz")
                sent += 1
            for _wait in range(300):  # each worker writes its counts within a second
                if sum(per_worker()) == sent:
                    break
                time.sleep(0.1)
            assert sum(per_worker()) == sent, per_worker()
            if len([value for value in per_worker() if value]) == 2:
                break
        shares = per_worker()
        assert len(shares) == 2 and all(0 < share < sent for share in shares), shares
        samples = parse_metrics(get("/metrics"))
        assert _sample(samples, "hofburg_http_requests_total",
                       route="healthz", method="GET", status="200") == sent
        assert _sample(samples, "hofburg_http_request_duration_seconds_count",
                       route="healthz") == sent
        assert _sample(samples, "hofburg_metrics_processes") == 2

        before = _table_counts(database)
        bad = write_csv(tmp_path / "bad.csv", [*same_explosion(), row("OBS-4", count=0)])
        refused = subprocess.run([hofburg, "monitoring", "import", str(bad)], env=env,
                                 capture_output=True, text=True, timeout=600, check=False)
        assert refused.returncode == 1, refused.stderr
        assert _table_counts(database) == before
        samples = parse_metrics(get("/metrics"))
        assert _sample(samples, "hofburg_imports_total", desk="monitoring",
                       outcome="rejected") == 1
        assert _sample(samples, "hofburg_imports_total", desk="monitoring",
                       outcome="imported") == 0
        assert _sample(samples, "hofburg_metrics_processes") == 3
    finally:
        server.terminate()
        server.communicate(timeout=30)
