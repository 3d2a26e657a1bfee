"""The CSV import: all or nothing, idempotent, bad rows named by row number and reason."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from hofburg.core.models import AuditEntry
from hofburg.monitoring.events import rollups
from hofburg.monitoring.importing.header import CSV_COLUMNS
from hofburg.monitoring.importing.pipeline import import_observations
from hofburg.monitoring.importing.summary import ImportRejected
from hofburg.monitoring.models import DailyCount, Event, ImportBatch, Observation
from tests.monitoring.rows import row, same_explosion, write_csv

pytestmark = pytest.mark.django_db


def _stored() -> tuple[int, int, int, int]:
    return (Observation.objects.count(), Event.objects.count(), DailyCount.objects.count(),
            ImportBatch.objects.count())


def test_it_imports_the_header_in_any_column_order(tmp_path: Path) -> None:
    shuffled = list(reversed(CSV_COLUMNS))
    summary = import_observations(write_csv(tmp_path / "o.csv", same_explosion(), shuffled))
    assert (summary.read, summary.inserted, summary.rejected) == (3, 3, 0)
    assert Observation.objects.get(observation_id="OBS-3").sector == "NE"


def test_it_merges_two_observers_of_one_explosion_into_one_located_event(tmp_path: Path) -> None:
    summary = import_observations(write_csv(tmp_path / "o.csv", same_explosion()))
    assert summary.events == 2
    event = Event.objects.get(event_key="OBS-1")
    assert set(event.observations.values_list("observation_id", flat=True)) == {"OBS-1", "OBS-2"}
    assert event.location_method == "fix"
    assert event.ellipse_semi_major_m and event.ellipse_semi_major_m > 0
    assert -29.95 < event.lon < -29.85 and event.h3_cell


def test_it_keeps_the_time_offset_as_entered(tmp_path: Path) -> None:
    import_observations(write_csv(tmp_path / "o.csv", same_explosion()))
    assert Observation.objects.get(observation_id="OBS-1").utc_offset_minutes == 120


def test_it_names_each_bad_row_by_number_and_reason_and_rejects_the_whole_file(
        tmp_path: Path) -> None:
    rows = [*same_explosion(), row("OBS-4", method="smelled"), row("OBS-5", count=0)]
    with pytest.raises(ImportRejected) as rejected:
        import_observations(write_csv(tmp_path / "o.csv", rows))
    problems = rejected.value.summary.problems
    assert [(p.row, p.field) for p in problems] == [(5, "method"), (6, "count")]
    assert "smelled" in problems[0].reason
    assert _stored() == (0, 0, 0, 0)


def test_it_rejects_a_repeated_id_within_the_file(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_observations(write_csv(tmp_path / "o.csv", [row("A"), row("A")]))
    assert "repeats the id of row 2" in str(rejected.value.summary.problems[0])


def test_it_rejects_an_unknown_column_before_reading_rows(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("observation_id,observed_at,colour\nA,2026-01-01T00:00:00+00:00,red\n")
    with pytest.raises(ImportRejected, match="unknown column"):
        import_observations(path)


def test_skip_bad_imports_the_good_rows_and_writes_the_bad_ones_to_a_rejects_file(
        tmp_path: Path) -> None:
    rows = [*same_explosion(), row("OBS-4", observer_lat=123)]
    rejects = tmp_path / "bad.csv"
    summary = import_observations(write_csv(tmp_path / "o.csv", rows), skip_bad=True,
                                  rejects_path=rejects)
    assert (summary.inserted, summary.rejected) == (3, 1)
    with rejects.open() as handle:
        written = list(csv.DictReader(handle))
    assert written[0]["row"] == "5"
    assert written[0]["observation_id"] == "OBS-4"
    assert written[0]["reason"].startswith("observer_lat:")


def test_importing_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "o.csv", same_explosion())
    import_observations(path)
    before = _stored(), list(DailyCount.objects.values_list("events", "violations"))
    again = import_observations(path)
    assert (again.inserted, again.duplicates, again.events) == (0, 3, 0)
    assert again.previous_batch_id is not None
    assert (_stored(), list(DailyCount.objects.values_list("events", "violations"))) == before


def test_a_later_file_joins_the_events_of_an_earlier_one(tmp_path: Path) -> None:
    first, second, third = same_explosion()
    import_observations(write_csv(tmp_path / "a.csv", [first, third]))
    summary = import_observations(write_csv(tmp_path / "b.csv", [second]))
    assert (summary.events, summary.events_updated) == (0, 1)
    event = Event.objects.get(event_key="OBS-1")
    assert event.number_of_sources == 2 and event.location_method == "fix"
    assert DailyCount.objects.filter(category="explosion_undetermined").get().events == 1


def test_a_crash_half_way_leaves_nothing_behind(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(rollups, "write_rollup_sums", crash)
    with pytest.raises(RuntimeError):
        import_observations(write_csv(tmp_path / "o.csv", same_explosion()))
    assert _stored() == (0, 0, 0, 0)
    assert not AuditEntry.objects.exists()


def test_the_rollups_hold_what_the_events_hold(tmp_path: Path) -> None:
    import_observations(write_csv(tmp_path / "o.csv", same_explosion()))
    daily = {(d.category, d.events, d.violations) for d in DailyCount.objects.all()}
    assert daily == {("explosion_undetermined", 1, 1), ("burst", 1, 12)}


def _future_rows() -> list[dict[str, object]]:
    return [*same_explosion(), row("OBS-4", observed_at="2099-06-01T12:00:00+00:00")]


def test_a_row_observed_in_the_future_is_named_and_the_file_rejected(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_observations(write_csv(tmp_path / "o.csv", _future_rows()))
    [problem] = rejected.value.summary.problems
    assert (problem.row, problem.field) == (5, "observed_at")
    assert "in the future" in problem.reason
    assert _stored() == (0, 0, 0, 0)


def test_a_stream_with_a_row_observed_in_the_future_is_rejected_too(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "o.csv", _future_rows())
    with path.open("rb") as handle, pytest.raises(ImportRejected) as rejected:
        import_observations(handle)
    assert [(p.row, p.field) for p in rejected.value.summary.problems] == [(5, "observed_at")]
    assert _stored() == (0, 0, 0, 0)


def test_skip_bad_leaves_out_the_row_observed_in_the_future(tmp_path: Path) -> None:
    summary = import_observations(write_csv(tmp_path / "o.csv", _future_rows()), skip_bad=True,
                                  rejects_path=tmp_path / "rejects.csv")
    assert (summary.inserted, summary.rejected) == (3, 1)
    assert not Observation.objects.filter(observation_id="OBS-4").exists()


def test_a_time_within_the_clock_skew_is_accepted(tmp_path: Path) -> None:
    soon = (timezone.now() + timedelta(minutes=5)).isoformat()
    summary = import_observations(write_csv(tmp_path / "o.csv", [row("OBS-9", observed_at=soon)]))
    assert summary.inserted == 1
