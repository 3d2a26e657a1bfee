"""benchmarks.common: how the desks' benchmarks set Django up and time a read."""

from __future__ import annotations

import os
from pathlib import Path

import django
import pytest
from benchmarks import common


def test_a_read_is_timed_after_one_warming_run_and_printed_with_median_and_p95(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    runs: list[int] = []
    readings = iter([10.0, 10.005, 20.0, 20.001, 30.0, 30.003])  # 5 ms, 1 ms, 3 ms
    monkeypatch.setattr(common.time, "perf_counter", lambda: next(readings))
    taken = common.timed("a read", lambda: runs.append(1), repeat=3)
    assert len(runs) == 4  # one warms caches, three are timed
    assert taken == pytest.approx([1.0, 3.0, 5.0])
    assert capsys.readouterr().out == f"  {'a read':<62} median      3.0 ms   p95      3.0 ms\n"


def test_setup_puts_django_on_a_fresh_sqlite_database_or_on_the_one_named(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("HOFBURG_DATA_DIR", "HOFBURG_DATABASE_URL", "HOFBURG_SECRET_KEY",
                 "HOFBURG_BENCH_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)  # and put back as it was after the test
    monkeypatch.setattr(common.tempfile, "mkdtemp", lambda prefix: str(tmp_path / prefix))
    databases: list[str] = []
    monkeypatch.setattr(django, "setup", lambda: databases.append(
        os.environ["HOFBURG_DATABASE_URL"]))
    common.setup()
    folder = tmp_path / "hofburg-bench-"
    assert os.environ["HOFBURG_DATA_DIR"] == str(folder)
    assert databases == [f"sqlite:///{folder}/bench.sqlite3"]
    assert os.environ["HOFBURG_SECRET_KEY"].startswith("benchmark-only-")
    monkeypatch.setenv("HOFBURG_BENCH_DATABASE_URL", "postgres://bench@localhost/bench")
    common.setup()
    assert databases[-1] == "postgres://bench@localhost/bench"
