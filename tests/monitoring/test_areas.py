"""Named reporting areas: an event counts under the named area holding it, or outside every
area under its coarse H3 cell; readers see the names; the migration names stored events, and a
recount moves them when the areas file changes."""

from __future__ import annotations

import importlib
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import h3
import pytest
import shapely
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from shapely.geometry import mapping, shape

from hofburg.core.models import AuditEntry
from hofburg.monitoring import areas, mission, queries, report, scenario
from hofburg.monitoring.engine import binning, periods
from hofburg.monitoring.engine.areas import load_reporting_areas
from hofburg.monitoring.events import rollups
from hofburg.monitoring.importing import header, pipeline
from hofburg.monitoring.intake import workflow
from hofburg.monitoring.models import (
    AreaWeekCount,
    CellCount,
    DailyCount,
    Event,
    EventStatus,
    Observation,
    visibility_scope,
)
from tests.conftest import Cast
from tests.monitoring.rows import release
from tests.monitoring.test_pages import REPORT_DATE, WHEN, crossing_pair, publish, submit

pytestmark = pytest.mark.django_db

API = "/api/v1/monitoring"
ROOT = Path(__file__).resolve().parents[2]
EXERCISE_AREAS = ROOT / "data" / "monitoring" / "exercise_reporting_areas.geojson"
COUNTERS = ("events", "violations", "published_events", "published_violations")
# West of the exercise sectors: an explosion about 1.5 km east of this post is in no area.
OUTSIDE = {"observer_lon": -31.5, "observer_lat": 48.0, "bearing_deg": 90.0,
           "distance_km_min": 1.0, "distance_km_max": 2.0}


def _outside_event(cast: Cast, client_id: str = "33333333-3333-4333-8333-333333333333",
                   **changes: Any) -> Event:
    observation = submit(cast.mona, client_id, observer_id="patrol-far", **{**OUTSIDE, **changes})
    observation.refresh_from_db()
    assert observation.event is not None
    return observation.event


def test_an_event_takes_the_code_of_the_named_area_holding_it(cast: Cast) -> None:
    first, _second = crossing_pair(cast.mona)
    event = first.event
    assert event is not None
    assert event.area == mission.reporting_areas().code_at(event.lon, event.lat)
    assert event.area in {"EX-CENTRE-SOUTH", "EX-CENTRE-NORTH"}
    assert DailyCount.objects.get(day=REPORT_DATE).area == event.area


def test_an_event_outside_every_named_area_counts_under_its_coarse_cell(cast: Cast) -> None:
    event = _outside_event(cast)
    assert mission.reporting_areas().code_at(event.lon, event.lat) is None
    assert event.area == h3.cell_to_parent(event.h3_cell, binning.AREA_RESOLUTION)
    assert mission.area_name(event.area) is None
    row = DailyCount.objects.get(day=REPORT_DATE, area=event.area)
    assert (row.events, row.violations) == (1, 3)


def test_the_areas_file_is_the_one_the_setting_names(
        cast: Cast, settings: Any, tmp_path: Path) -> None:
    mine = tmp_path / "areas.geojson"
    mine.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "WEST", "name": "Far west"},
         "geometry": {"type": "Polygon", "coordinates": [
             [[-32, 47], [-31, 47], [-31, 49], [-32, 49], [-32, 47]]]}}]}))
    settings.MONITORING_AREAS = mine
    mission.reporting_areas.cache_clear()
    try:
        assert _outside_event(cast).area == "WEST"
        assert mission.area_name("WEST") == "Far west"
        assert mission.area_name("EX-NORTH") is None
    finally:
        mission.reporting_areas.cache_clear()


# --- what readers see -----------------------------------------------------------------------


def test_the_daily_report_names_the_areas_and_places_the_others(cast: Cast) -> None:
    first, _second = crossing_pair(cast.mona)
    outside = _outside_event(cast)
    assert first.event is not None
    named = mission.area_name(first.event.area)
    assert named is not None and named.endswith("(exercise)")

    daily = report.build_daily_report(cast.mona, date.fromisoformat(REPORT_DATE))
    assert {(row.area, row.label, row.named) for row in daily.areas} == {
        (first.event.area, named, True),
        (outside.area, report.area_label(outside.area), False)}
    assert report.area_label(outside.area).endswith("° W")
    assert daily.has_unnamed_areas

    page = cast.client(cast.mona).get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert f"<td>{named}</td>" in page and f"Area {named}:" in page
    assert f"<td>{report.area_label(outside.area)}</td>" in page
    assert outside.area not in page
    assert "outside every named reporting area" in page


def test_the_footnote_on_unnamed_areas_appears_only_when_one_is_listed(cast: Cast) -> None:
    crossing_pair(cast.mona)
    page = cast.client(cast.mona).get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert "outside every named reporting area" not in page


def test_the_answers_by_area_keep_the_code_and_add_the_name(cast: Cast) -> None:
    first, _second = crossing_pair(cast.mona)
    outside = _outside_event(cast)
    assert first.event is not None
    code = first.event.area
    names = {code: mission.area_name(code), outside.area: None}
    client = cast.client(cast.mona)
    day = {"start": REPORT_DATE, "end": REPORT_DATE}

    periods = client.get(f"{API}/periods", day).json()["periods"]
    assert {(p["area"], p["area_name"]) for p in periods} == set(names.items())
    trends = client.get(f"{API}/trends", {**day, "by_area": "true"}).json()["series"]
    assert {(p["area"], p["area_name"]) for p in trends} == set(names.items())
    assert "area_name" not in client.get(f"{API}/trends", day).json()["series"][0]


def test_the_event_answers_carry_the_area_name_beside_the_code(cast: Cast) -> None:
    first, _second = crossing_pair(cast.mona)
    outside = _outside_event(cast)
    assert first.event is not None
    named = first.event
    client = cast.client(cast.mona)

    listed = client.get(f"{API}/events").json()["items"]
    assert {e["id"]: (e["area"], e["area_name"]) for e in listed} == {
        named.pk: (named.area, mission.area_name(named.area)), outside.pk: (outside.area, None)}
    assert mission.area_name(named.area)
    for event, name in ((named, mission.area_name(named.area)), (outside, None)):
        detail = client.get(f"{API}/events/{event.pk}").json()
        assert (detail["area"], detail["area_name"]) == (event.area, name)


def test_the_trends_legend_names_the_areas(cast: Cast) -> None:
    first, _second = crossing_pair(cast.mona)
    _outside_event(cast)
    assert first.event is not None
    publish(cast, first.event)
    page = Client().get("/monitoring/trends/", {"start": REPORT_DATE, "end": REPORT_DATE})
    chart = page.context["chart"]
    assert [area["label"] for area in chart["areas"]] == [mission.area_name(first.event.area)]
    signed_in = cast.client(cast.mona).get("/monitoring/trends/", {"start": REPORT_DATE,
                                                                  "end": REPORT_DATE})
    assert len(signed_in.context["chart"]["areas"]) == 2


# --- the migration --------------------------------------------------------------------------


@pytest.fixture
def stored_scenario(cast: Cast, tmp_path: Path) -> Cast:
    """An imported exercise scenario with published and withdrawn events, and one event
    outside every named area."""
    rows = scenario.generate(days=30, seed=3, start=WHEN.date() - timedelta(days=29),
                             observations=400,
                             line_path=ROOT / "data" / "monitoring" / "exercise_lines.geojson")
    path = tmp_path / "scenario.csv"
    scenario.write_csv(path, rows, header.CSV_COLUMNS)
    pipeline.import_observations(path, actor=cast.mona, is_exercise=True)
    events = list(Event.objects.order_by("event_key"))
    for event in random.Random(3).sample(events, len(events) // 3):
        release(cast.mona, event)
    for observation in Observation.objects.order_by("observation_id")[:3]:
        workflow.reject_observation(cast.mona, observation, "EXERCISE: test rejection")
    _outside_event(cast)
    assert Event.objects.filter(status=EventStatus.WITHDRAWN).exists()
    return cast


def _area_rollups() -> list[dict[tuple[Any, ...], tuple[int, ...]]]:
    stored = []
    for model, period in ((DailyCount, "day"), (AreaWeekCount, "week")):
        stored.append({(r[period], r["category"], r["area"], r["is_exercise"], r["scope"]):
                       tuple(r[name] for name in COUNTERS)
                       for r in model.objects.values(period, "category", "area", "is_exercise",
                                                     "scope", *COUNTERS)
                       if any(r[name] for name in COUNTERS)})
    return stored


def _counted_from_events() -> list[dict[tuple[Any, ...], tuple[int, ...]]]:
    days: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    weeks: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for day, category, area, exercise, status, count, level, owner in Event.objects.exclude(
            status=EventStatus.WITHDRAWN).values_list(
                "report_date", "category", "area", "is_exercise", "status", "count_at_least",
                "classification", "owner_affiliation_id"):
        scope = visibility_scope(level, owner)
        for sums in (days[(day, category, area, exercise, scope)],
                     weeks[(periods.week_of(day), category, area, exercise, scope)]):
            published = status == EventStatus.PUBLISHED and level == "public"
            sums[0] += 1
            sums[1] += count
            sums[2] += published
            sums[3] += count if published else 0
    return [{k: tuple(v) for k, v in days.items()}, {k: tuple(v) for k, v in weeks.items()}]


def test_the_migration_names_the_areas_of_stored_events_and_recounts_their_rollups(
        stored_scenario: Cast) -> None:
    migration = importlib.import_module(
        "hofburg.monitoring.migrations.0004_named_reporting_areas")
    editor = SimpleNamespace(connection=connection)
    expected_areas = dict(Event.objects.values_list("event_key", "area"))
    expected = _area_rollups()
    assert expected == _counted_from_events()
    generation = queries.rollup_generation()

    # The rollups of this schema are kept per visibility scope, which 0004 predates: each of
    # its steps is followed by 0007's recount per scope, as a migration from before 0004 runs.
    scoped = importlib.import_module("hofburg.monitoring.migrations.0007_rollup_visibility_scope")

    # Backwards: every event under its coarse cell, as before named areas.
    migration.back_to_cells(django_apps, editor)
    scoped.recount_by_scope(django_apps, editor)
    cells = dict(Event.objects.values_list("event_key", "h3_cell"))
    assert dict(Event.objects.values_list("event_key", "area")) == {
        key: h3.cell_to_parent(cell, binning.AREA_RESOLUTION) for key, cell in cells.items()}
    assert _area_rollups() == _counted_from_events() != expected
    assert queries.rollup_generation() == generation + 2

    migration.name_the_areas(django_apps, editor)
    scoped.recount_by_scope(django_apps, editor)
    assert dict(Event.objects.values_list("event_key", "area")) == expected_areas
    assert _area_rollups() == expected
    assert queries.rollup_generation() == generation + 4
    named = [a for a in expected_areas.values() if mission.area_name(a)]
    assert len(named) == len(expected_areas) - 1  # all but the one outside every area


def test_the_migration_starts_the_rollup_generation_when_there_is_none(
        stored_scenario: Cast) -> None:
    migration = importlib.import_module(
        "hofburg.monitoring.migrations.0004_named_reporting_areas")
    django_apps.get_model("monitoring", "RollupGeneration").objects.all().delete()
    migration.name_the_areas(django_apps, SimpleNamespace(connection=connection))
    assert queries.rollup_generation() == 1


# --- recounting after the areas file changed ------------------------------------------------


def _redrawn_areas() -> dict[str, Any]:
    """The exercise sectors with the two centre ones made one, and a far-west area holding the
    event that is outside every exercise sector."""
    data = json.loads(EXERCISE_AREAS.read_text(encoding="utf-8"))
    by_code = {f["properties"]["code"]: f for f in data["features"]}
    centre = shapely.union_all([shape(by_code[code]["geometry"])
                                for code in ("EX-CENTRE-SOUTH", "EX-CENTRE-NORTH")])
    far_west = {"type": "Polygon",
                "coordinates": [[[-32, 47], [-31, 47], [-31, 49], [-32, 49], [-32, 47]]]}
    return {**data, "features": [
        by_code["EX-SOUTH"],
        {"type": "Feature", "geometry": mapping(centre),
         "properties": {"code": "EX-CENTRE", "name": "Sector Centre (exercise)"}},
        by_code["EX-NORTH"],
        {"type": "Feature", "geometry": far_west,
         "properties": {"code": "FAR-WEST", "name": "Far west"}}]}


@pytest.fixture
def areas_file(settings: Any, tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Point settings.MONITORING_AREAS at a file with the given text; the areas the services
    read once per process are read again afterwards."""

    def use(text: str) -> Path:
        path = tmp_path / "areas.geojson"
        path.write_text(text, encoding="utf-8")
        settings.MONITORING_AREAS = path
        return path

    yield use
    mission.reporting_areas.cache_clear()


def _stored_state() -> dict[str, Any]:
    return {"areas": dict(Event.objects.values_list("event_key", "area")),
            "updated": dict(Event.objects.values_list("event_key", "updated_at")),
            "rollups": _area_rollups(), "generation": queries.rollup_generation(),
            "cells": sorted(CellCount.objects.values_list("cell", "day", "category", "events",
                                                          "published_events")),
            "audit": AuditEntry.objects.count()}


def test_a_recount_moves_events_to_the_areas_of_the_current_file(
        stored_scenario: Cast, areas_file: Callable[[str], Path]) -> None:
    before = _stored_state()
    path = areas_file(json.dumps(_redrawn_areas()))
    redrawn = load_reporting_areas(path)
    events = list(Event.objects.values_list("event_key", "lon", "lat", "h3_cell"))
    expected = {key: redrawn.code_at(lon, lat) or binning.area_of_cell(cell)
                for key, lon, lat, cell in events}
    moving = {key for key, area in expected.items() if area != before["areas"][key]}

    summary = areas.recount_areas(stored_scenario.mona)

    assert dict(Event.objects.values_list("event_key", "area")) == expected
    assert {"EX-CENTRE", "FAR-WEST"} <= set(expected.values())
    assert not Event.objects.filter(area__in=["EX-CENTRE-SOUTH", "EX-CENTRE-NORTH"]).exists()
    assert (summary.events, summary.moved) == (len(events), len(moving)) and moving
    assert summary.as_dict()["areas"]["FAR-WEST"] == {"name": "Far west", "moved_in": 1,
                                                      "moved_out": 0}
    assert Event.objects.get(event_key=next(iter(moving))).updated_at > max(
        before["updated"].values())
    # The area rollups are what counting every event again gives; the cell rollups stay.
    after = _stored_state()
    assert after["rollups"] == _counted_from_events() != before["rollups"]
    assert after["cells"] == before["cells"]
    assert after["generation"] == summary.rollup_generation == before["generation"] + 1
    rollups.rebuild_rollups()
    assert _area_rollups() == after["rollups"]
    # Readers of this process see the names of the file the events now follow.
    assert mission.area_name("EX-CENTRE") == "Sector Centre (exercise)"
    entry = AuditEntry.objects.get(action="recount")
    assert (entry.actor, entry.model_label) == (stored_scenario.mona, "monitoring.RollupGeneration")
    assert entry.after is not None and entry.before == {"value": before["generation"]}
    assert (entry.after["moved"], entry.after["areas_file"]) == (len(moving), str(path))


def test_a_second_recount_moves_nothing_and_writes_nothing(
        stored_scenario: Cast, areas_file: Callable[[str], Path]) -> None:
    # The stored events follow the exercise file already: nothing to do.
    unchanged = _stored_state()
    assert areas.recount_areas().moved == 0
    assert _stored_state() == unchanged

    areas_file(json.dumps(_redrawn_areas()))
    assert areas.recount_areas().moved > 0
    recounted = _stored_state()
    again = areas.recount_areas()
    assert (again.events, again.moved, again.rollup_generation) == (
        len(recounted["areas"]), 0, None)
    assert again.as_dict()["areas"] == {}
    assert _stored_state() == recounted


@pytest.mark.parametrize(("text", "reason"), [
    ("{not json", "not a GeoJSON file"),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "A"}, "geometry": {
            "type": "Polygon", "coordinates": [[[-31, 47], [-29, 47], [-29, 49], [-31, 47]]]}},
        {"type": "Feature", "properties": {"code": "B"}, "geometry": {
            "type": "Polygon", "coordinates": [[[-30, 47], [-28, 47], [-28, 49], [-30, 47]]]}},
    ]}), "feature 1: geometry: overlaps feature 0 (A)"),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "No code"}, "geometry": None}]}),
     "feature 0: code: is required"),
])
def test_a_bad_areas_file_is_refused_and_changes_nothing(
        stored_scenario: Cast, areas_file: Callable[[str], Path], text: str,
        reason: str) -> None:
    before = _stored_state()
    path = areas_file(text)
    with pytest.raises(areas.AreasFileError) as refused:
        areas.recount_areas()
    assert str(refused.value).startswith(f"areas file {path}: {reason}")
    assert str(refused.value).endswith("nothing was changed")
    assert _stored_state() == before


def test_a_missing_areas_file_is_refused(settings: Any, tmp_path: Path) -> None:
    generation = queries.rollup_generation()
    settings.MONITORING_AREAS = tmp_path / "gone.geojson"
    with pytest.raises(areas.AreasFileError, match=r"gone\.geojson: No such file"):
        areas.recount_areas()
    assert queries.rollup_generation() == generation
