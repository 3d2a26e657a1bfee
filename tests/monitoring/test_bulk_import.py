"""A large import takes the bulk path: stretches merged apart (in worker processes), events and
observations written at once. It must store exactly what the general path stores."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Model

from hofburg.monitoring import mission, queries, records, scenario
from hofburg.monitoring.engine.columns import ObservationColumns
from hofburg.monitoring.events import rollups, window
from hofburg.monitoring.importing import bulk, pipeline
from hofburg.monitoring.importing.header import CSV_COLUMNS
from hofburg.monitoring.importing.pipeline import import_observations
from hofburg.monitoring.importing.tuning import ImportTuning
from hofburg.monitoring.models import Event, Observation
from tests.monitoring.rows import row, write_csv

pytestmark = pytest.mark.django_db

LINE = Path(settings.REFERENCE_DATA_DIR) / "monitoring" / "exercise_lines.geojson"


def _scenario(path: Path, days: int, *, start: date = date(2026, 3, 1), seed: int = 7,
              observations: int | None = None) -> Path:
    rows = scenario.generate(days=days, seed=seed, line_path=LINE, start=start,
                             observations=observations)
    scenario.write_csv(path, rows, CSV_COLUMNS)
    return path


def _stored() -> dict[str, Any]:
    """Everything an import writes, by natural keys (primary keys differ between paths)."""
    events = {
        e["event_key"]: (e["category"], e["weapon_class"], e["count_at_least"],
                         e["report_date"], round(e["lon"], 7), round(e["lat"], 7), e["h3_cell"],
                         e["area"], e["location_method"], e["number_of_sources"],
                         e["needs_review"], tuple(e["explanation"]), e["status"],
                         e["first_observed_at"], e["last_observed_at"],
                         e["ellipse_semi_major_m"], e["ellipse_semi_minor_m"],
                         e["ellipse_orientation_deg"], e["area_km2"])
        for e in Event.objects.exclude(status="withdrawn").values()}
    members = dict(Observation.objects.values_list("observation_id", "event__event_key"))
    # Missing figures must be stored as NULL whichever way they were bound.
    figures = {o[0]: o[1:] for o in Observation.objects.values_list(
        "observation_id", "bearing_deg", "distance_km_min", "distance_km_max")}
    times = dict(Observation.objects.values_list("observation_id", "observed_at"))
    counts = {model.__name__: sorted(
        tuple(v for k, v in values.items() if k != "id")
        for values in model._default_manager.values())
        for model in rollups.ROLLUP_MODELS}
    return {"events": events, "members": members, "times": times, "rollups": counts,
            "figures": figures}


def _general_path(columns: ObservationColumns, provenance: records.Provenance,
                  tuning: ImportTuning, *, progress: Any = None, timings: Any = None
                  ) -> tuple[int, int]:
    rows = [records.Row.of(columns.observation(k)) for k in range(len(columns))]
    return window.ingest(rows, provenance, timings=timings, tuning=tuning)


def _wipe() -> None:
    models: tuple[type[Model], ...] = (Observation, Event, *rollups.ROLLUP_MODELS)
    for model in models:
        model._default_manager.all().delete()


def test_the_bulk_path_stores_what_the_general_path_stores(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _scenario(tmp_path / "o.csv", 3)
    # Many stretches, in this process; rollup sums written every second stretch, keys across
    # a flush written twice (added).
    tuning = ImportTuning(stretch=200, rollup_flush=2)
    flushes: list[bool] = []
    write = rollups.write_rollup_sums

    def spy(sums: Any, *, bump: bool = True, batch: int = 5_000) -> bool:
        flushes.append(bump)
        return write(sums, bump=bump, batch=batch)

    monkeypatch.setattr(rollups, "write_rollup_sums", spy)
    generation = queries.rollup_generation()
    bulk = import_observations(path, is_exercise=True, tuning=tuning)
    assert bulk.seconds.get("store observations") is not None  # it took the bulk path
    assert len(flushes) > 3 and not any(flushes)
    assert queries.rollup_generation() == generation + 1  # raised once, at the end
    stored = _stored()
    assert bulk.events == len(stored["events"]) > 100
    assert all(stored["members"].values())  # every observation points at its event
    # Missing bearings occur (sectors), and the ellipse of a fix and the area of the rest.
    assert any(f[0] is None for f in stored["figures"].values())
    assert {e[15] is None for e in stored["events"].values()} == {True, False}
    assert {e[18] is None for e in stored["events"].values()} == {True, False}
    _wipe()
    monkeypatch.setattr(pipeline, "ingest_columns", _general_path)
    general = import_observations(path, is_exercise=True, tuning=tuning)
    assert general.events == bulk.events
    assert _stored() == stored


def test_both_paths_agree_on_areas_inside_and_outside_the_named_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """With only every other exercise sector named, many events fall outside every area."""
    areas = json.loads(settings.MONITORING_AREAS.read_text(encoding="utf-8"))
    areas["features"] = areas["features"][::2]
    settings.MONITORING_AREAS = tmp_path / "areas.geojson"
    settings.MONITORING_AREAS.write_text(json.dumps(areas), encoding="utf-8")
    mission.reporting_areas.cache_clear()
    try:
        path = _scenario(tmp_path / "o.csv", 2)
        tuning = ImportTuning(stretch=200)
        import_observations(path, is_exercise=True, tuning=tuning)
        bulk = _stored()
        named = {e[7] for e in bulk["events"].values() if mission.area_name(e[7])}
        assert named == {"EX-SOUTH", "EX-CENTRE-NORTH"}
        assert len({e[7] for e in bulk["events"].values()}) > len(named)  # and coarse cells
        _wipe()
        monkeypatch.setattr(pipeline, "ingest_columns", _general_path)
        import_observations(path, is_exercise=True, tuning=tuning)
        assert _stored() == bulk
    finally:
        mission.reporting_areas.cache_clear()


def test_worker_processes_store_what_one_process_stores(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _scenario(tmp_path / "o.csv", 2)
    import_observations(path, is_exercise=True,
                        tuning=ImportTuning(stretch=150, parallel_from=10**9))
    alone = _stored()
    _wipe()
    summary = import_observations(path, is_exercise=True, tuning=ImportTuning(
        stretch=150, parallel_from=1, merge_workers=2))
    assert summary.events == len(alone["events"])
    assert _stored() == alone


def test_a_file_next_to_stored_observations_merges_with_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stretches next to stored data take the general path; the rest the bulk path; together
    they store what one import of everything stores."""
    tuning = ImportTuning(stretch=150)
    whole = _scenario(tmp_path / "all.csv", 2, observations=3000)
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    times = [datetime.fromisoformat(line.split(",")[1]) for line in lines[1:]]
    # Cut where the next observation follows within a minute: it may join a stored event.
    middle = next(k for k in range(len(times) // 2, len(times))
                  if (times[k] - times[k - 1]).total_seconds() < 60) + 1
    (tmp_path / "first.csv").write_text("".join(lines[:middle]), encoding="utf-8")
    (tmp_path / "second.csv").write_text("".join([lines[0], *lines[middle - 40:]]),
                                         encoding="utf-8")
    import_observations(whole, is_exercise=True, tuning=tuning)
    at_once = _stored()
    _wipe()
    import_observations(tmp_path / "first.csv", is_exercise=True, tuning=tuning)
    second = import_observations(tmp_path / "second.csv", is_exercise=True, tuning=tuning)
    assert second.duplicates == 40
    assert "store observations" in second.seconds and "load" in second.seconds  # both paths
    # The general path withdraws an event it re-merged away (events are never deleted);
    # everything else is as if the two files had been one.
    assert _stored() == at_once


def test_times_are_stored_as_every_other_write_stores_them(tmp_path: Path) -> None:
    rows = [row("A", observed_at="2026-01-05T20:00:00+02:00"),
            row("B", observed_at="2026-01-05T20:00:00.250000+02:00", observer_id="EX-OP-2")]
    import_observations(write_csv(tmp_path / "o.csv", rows))
    exact = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
    assert list(Observation.objects.filter(observed_at=exact).values_list(
        "observation_id", flat=True)) == ["A"]
    assert Observation.objects.filter(observed_at__lte=exact).count() == 1
    assert Observation.objects.get(observation_id="B").observed_at == exact.replace(
        microsecond=250000)


def test_new_events_after_a_bulk_import_get_fresh_keys(tmp_path: Path) -> None:
    import_observations(write_csv(tmp_path / "a.csv", [row("A")]))
    first = Event.objects.get()
    Event.objects.all().delete()  # primary keys are never reused, even after a deletion
    Observation.objects.all().delete()
    import_observations(write_csv(tmp_path / "b.csv", [row("B")]))
    assert Event.objects.get().pk > first.pk



@pytest.mark.parametrize(("zone", "cutoff"), [("Europe/Kyiv", "19:30"), ("Europe/Kyiv", "03:30"),
                                              ("America/St_Johns", "00:30")])
def test_report_dates_in_bulk_are_the_report_dates_one_by_one(
        zone: str, cutoff: str, settings: Any) -> None:
    """Across a year with its clock changes, and cut-offs in a gap or a fold of the clock."""
    settings.MONITORING_TIME_ZONE = zone
    settings.MONITORING_PERIOD_CUTOFF = time.fromisoformat(cutoff)
    mission.clear_calendar()
    try:
        begin = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
        rng = np.random.default_rng(3)
        seconds = np.sort(np.concatenate([
            begin + rng.uniform(0, 365 * 86400, 20_000),
            begin + np.arange(0, 365 * 86400, 900.0),  # every quarter hour, clock changes too
        ]))
        expected = [mission.report_date_of(datetime.fromtimestamp(s, UTC)) for s in seconds]
        assert mission.report_dates().of_seconds(seconds) == expected
    finally:
        mission.clear_calendar()


def _indexes() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        return {(table, name) for table in ("monitoring_observation", "monitoring_event")
                for name in connection.introspection.get_constraints(cursor, table)}


def test_a_large_import_rebuilds_the_indexes_it_set_aside(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _indexes()
    assert len(before) > 10
    summary = import_observations(_scenario(tmp_path / "o.csv", 2), is_exercise=True,
                                  tuning=ImportTuning(reindex_from=10, stretch=200))
    assert ("indexes" in summary.seconds) == (connection.vendor == "sqlite")  # COPY needs none
    assert _indexes() == before
    assert Observation.objects.filter(observed_at__gte=datetime(2026, 3, 2, tzinfo=UTC)).exists()


def test_a_failed_large_import_keeps_the_indexes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _indexes()
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(rollups, "write_rollup_sums", crash)
    with pytest.raises(RuntimeError):
        import_observations(_scenario(tmp_path / "o.csv", 2), is_exercise=True,
                            tuning=ImportTuning(reindex_from=10))
    assert _indexes() == before
    assert not Observation.objects.exists()


def test_rollups_written_in_bulk_equal_rollups_written_in_batches(tmp_path: Path) -> None:
    """With more rollup rows than a batch, PostgreSQL upserts through a scratch table."""
    path = _scenario(tmp_path / "o.csv", 2)
    import_observations(path, is_exercise=True)
    batched = _stored()["rollups"]
    _wipe()
    import_observations(path, is_exercise=True, tuning=ImportTuning(insert_batch=3))
    assert _stored()["rollups"] == batched
    assert sum(len(rows) for rows in batched.values()) > 3


def _checks_ignored() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints")
        return bool(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's CHECK constraints")
def test_check_constraints_are_back_after_the_bulk_writes_and_nothing_broke_them(
        tmp_path: Path) -> None:
    import_observations(_scenario(tmp_path / "o.csv", 2), is_exercise=True,
                        tuning=ImportTuning(stretch=200))
    assert not _checks_ignored()
    with connection.cursor() as cursor:  # what the constraints would have checked holds
        cursor.execute("SELECT COUNT(*) FROM monitoring_event WHERE NOT json_valid(explanation)"
                       " OR count_at_least < 1 OR number_of_sources < 1")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT COUNT(*) FROM monitoring_observation WHERE count < 1 "
                       "OR compass_points NOT IN (4, 8, 16) OR revision != 1")
        assert cursor.fetchone()[0] == 0
    assert Event.objects.count() > 100
    with pytest.raises(IntegrityError), transaction.atomic():  # checked again
        Event.objects.filter(pk=Event.objects.first().pk).update(count_at_least=-1)


def _disk_full(*args: object, **kwargs: object) -> None:
    raise RuntimeError("disk full")


def _database_refuses(*args: object, **kwargs: object) -> None:
    with connection.cursor() as cursor:  # a NOT NULL column left empty: IntegrityError
        cursor.execute("INSERT INTO monitoring_observation (observation_id) VALUES (NULL)")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's CHECK constraints")
@pytest.mark.parametrize(("failure", "error"), [(_disk_full, RuntimeError),
                                                (_database_refuses, IntegrityError)])
def test_check_constraints_are_back_after_a_failed_bulk_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Any,
        error: type[Exception]) -> None:
    monkeypatch.setattr(bulk, "observation_rows", failure)
    with pytest.raises(error):
        import_observations(_scenario(tmp_path / "o.csv", 2), is_exercise=True,
                            tuning=ImportTuning(stretch=200))
    assert not _checks_ignored()
    assert not Observation.objects.exists()


def _foreign_keys_on() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a pragma of SQLite's")
@pytest.mark.django_db(transaction=True)
def test_a_large_import_writes_without_checking_its_own_references_and_they_hold(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a caller's transaction, a large import's references go unchecked while it
    writes (each is one it made); afterwards every one of them holds, and the checks are on
    again, after a failed import too."""
    path = _scenario(tmp_path / "o.csv", 2)
    tuning = ImportTuning(stretch=200, parallel_from=100)
    seen: list[bool] = []
    merge_and_store = pipeline.merge_and_store

    def spy(*args: Any, **kwargs: Any) -> int:
        seen.append(_foreign_keys_on())
        return merge_and_store(*args, **kwargs)

    monkeypatch.setattr(pipeline, "merge_and_store", spy)
    write_rollup_sums = rollups.write_rollup_sums

    def broken(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("disk full")

    monkeypatch.setattr(rollups, "write_rollup_sums", broken)
    assert _foreign_keys_on()
    with pytest.raises(RuntimeError):
        import_observations(path, is_exercise=True, tuning=tuning)
    assert seen == [False] and _foreign_keys_on() and not Observation.objects.exists()

    monkeypatch.setattr(rollups, "write_rollup_sums", write_rollup_sums)
    summary = import_observations(path, is_exercise=True, tuning=tuning)
    assert seen == [False, False] and _foreign_keys_on()
    assert summary.inserted == Observation.objects.count() > 100
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_key_check")
        assert cursor.fetchall() == []
    assert not Observation.objects.filter(event__isnull=True).exists()


def test_an_import_inside_a_transaction_keeps_the_checks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pragma cannot change inside a transaction (here the test's own)."""
    seen: list[bool] = []
    merge_and_store = pipeline.merge_and_store

    def spy(*args: Any, **kwargs: Any) -> int:
        seen.append(connection.vendor != "sqlite" or _foreign_keys_on())
        return merge_and_store(*args, **kwargs)

    monkeypatch.setattr(pipeline, "merge_and_store", spy)
    import_observations(_scenario(tmp_path / "o.csv", 1), is_exercise=True,
                        tuning=ImportTuning(stretch=200, parallel_from=100))
    assert seen == [True]
