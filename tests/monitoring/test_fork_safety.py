"""Nothing forks while another thread runs (decision 0010): the merge workers are forked only
once the readers' and the hashing's threads have ended, and take their inputs from the pool."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from hofburg.monitoring import scenario
from hofburg.monitoring.importing import clean, merging
from hofburg.monitoring.importing.header import CSV_COLUMNS
from hofburg.monitoring.importing.pipeline import import_observations
from hofburg.monitoring.importing.tuning import ImportTuning
from hofburg.monitoring.models import Observation

pytestmark = pytest.mark.django_db

LINE = Path(settings.REFERENCE_DATA_DIR) / "monitoring" / "exercise_lines.geojson"


def _forks_seen(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Spy on os.fork: the threads alive at each fork of this process."""
    seen: list[list[str]] = []
    fork = os.fork
    parent = os.getpid()

    def watched() -> int:
        if os.getpid() == parent:
            seen.append([thread.name for thread in threading.enumerate()])
        return fork()

    monkeypatch.setattr(os, "fork", watched)
    return seen


def _slow_byte_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast reader's byte check, told to stop, takes a while to end (as over a large
    block of a large file)."""
    check = clean._plain_file

    def slow(*args: Any) -> bool:
        stop = args[1]
        answer = check(*args)
        stop.wait(10)
        threading.Event().wait(1.5)
        return answer

    monkeypatch.setattr(clean, "_plain_file", slow)


def test_the_merge_workers_fork_while_no_other_thread_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if threading.active_count() > 1:
        # A pytest-xdist worker keeps a thread of its own, so here the import would rightly
        # merge in this process (the next test): run this test in a process of its own. Its
        # test database is made from the models (--nomigrations): the test is about threads,
        # and the rest of the suite runs the migrations.
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:randomly",
             "-p", "no:cacheprovider", "--nomigrations",
             f"{__file__}::test_the_merge_workers_fork_while_no_other_thread_runs"],
            capture_output=True, text=True, check=False, timeout=600,
            cwd=Path(__file__).resolve().parents[2])
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        assert "1 passed" in done.stdout
        return
    path = tmp_path / "o.csv"
    rows = scenario.generate(days=2, seed=7, line_path=LINE, start=date(2026, 3, 1))
    scenario.write_csv(path, rows, CSV_COLUMNS)
    # One bad row at the end: the fast reader gives up, the general reader reads the file.
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("EX-BAD,2026-03-01T10:00:00+00:00,EX-1,patrol,-30,48,saw,thunder,,1,"
                     "10,,,,\r\n")
    _slow_byte_check(monkeypatch)
    seen = _forks_seen(monkeypatch)
    summary = import_observations(path, skip_bad=True, is_exercise=True, tuning=ImportTuning(
        stretch=200, parallel_from=1, merge_workers=2))
    assert summary.rejected == 1 and summary.inserted == Observation.objects.count() > 100
    assert len(seen) == 2  # both workers were forked ...
    assert seen == [["MainThread"], ["MainThread"]]  # ... while no other thread ran


def test_the_merge_runs_in_this_process_while_another_thread_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "o.csv"
    rows = scenario.generate(days=1, seed=7, line_path=LINE, start=date(2026, 3, 1))
    scenario.write_csv(path, rows, CSV_COLUMNS)
    seen = _forks_seen(monkeypatch)
    merged: list[tuple[int, int]] = []
    merge = merging.merge_stretch

    def spy(inputs: merging.MergeInputs, bounds: tuple[int, int]) -> merging.MergedStretch:
        merged.append(bounds)
        return merge(inputs, bounds)

    monkeypatch.setattr(merging, "merge_stretch", spy)
    release = threading.Event()
    other = threading.Thread(target=release.wait, name="someone else's")
    other.start()
    try:
        summary = import_observations(path, is_exercise=True, tuning=ImportTuning(
            stretch=200, parallel_from=1, merge_workers=2))
    finally:
        release.set()
        other.join()
    assert seen == []
    assert len(merged) > 1 and summary.inserted == Observation.objects.count()
