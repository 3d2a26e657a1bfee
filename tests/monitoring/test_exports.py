"""The exports parse back: CSV with its HXL hashtag row, and GeoJSON; each names the areas."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from hofburg.monitoring import exports, mission, queries
from hofburg.monitoring.importing import pipeline
from hofburg.monitoring.models import Event
from tests.conftest import Cast
from tests.monitoring.rows import row, same_explosion, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(cast: Cast, tmp_path: Path) -> Cast:
    pipeline.import_observations(write_csv(tmp_path / "o.csv", same_explosion()),
                                 actor=cast.mona, is_exercise=True)
    return cast


# West of the exercise sectors: two explosions hours apart in no named area, both counted
# under the same coarse cell.
OUTSIDE = [row(key, observer_id="EX-OP-FAR", observer_lon=-31.5, observer_lat=48.0,
               bearing_deg=90, distance_km_min=1, distance_km_max=2, observed_at=at)
           for key, at in (("OBS-FAR", "2026-01-05T21:00:00+02:00"),
                           ("OBS-FAR-LATER", "2026-01-06T03:00:00+02:00"))]


@pytest.fixture
def named_and_outside(cast: Cast, tmp_path: Path) -> Cast:
    """The events of `events` and two more outside every named area, in one coarse cell."""
    pipeline.import_observations(write_csv(tmp_path / "o.csv", [*same_explosion(), *OUTSIDE]),
                                 actor=cast.mona, is_exercise=True)
    far, later = (Event.objects.get(event_key=key) for key in ("OBS-FAR", "OBS-FAR-LATER"))
    assert far.area == later.area and mission.area_name(far.area) is None
    return cast


def _names_by_event() -> dict[str, tuple[str, str | None]]:
    return {key: (area, mission.area_name(area))
            for key, area in Event.objects.values_list("event_key", "area")}


def test_the_events_csv_has_a_hashtag_row_and_one_line_per_event(events: Cast) -> None:
    text = "".join(exports.events_csv(queries.events_for(events.alice)))
    header, hashtags, *rows = list(csv.reader(io.StringIO(text)))
    assert hashtags[header.index("event_id")] == "#event+id"
    assert hashtags[header.index("lon")] == "#geo+lon"
    assert all(tag.startswith("#") for tag in hashtags)
    assert {r[header.index("event_id")] for r in rows} == {"OBS-1", "OBS-3"}
    assert {r[header.index("exercise")] for r in rows} == {"true"}


def test_the_events_csv_names_each_area_beside_its_code(named_and_outside: Cast) -> None:
    text = "".join(exports.events_csv(queries.events_for(named_and_outside.alice)))
    header, hashtags, *rows = list(csv.reader(io.StringIO(text)))
    area = header.index("area")
    assert (header[area + 1], hashtags[area], hashtags[area + 1]) == (
        "area_name", "#adm1+code", "#adm1+name")
    names = _names_by_event()
    assert {r[0]: (r[area], r[area + 1]) for r in rows} == {
        key: (code, name or "") for key, (code, name) in names.items()}
    assert names["OBS-FAR"][1] is None and names["OBS-1"][1]
    assert {r[header.index("exercise")] for r in rows} == {"true"}


def test_the_events_geojson_names_each_area_and_null_outside_them(
        named_and_outside: Cast) -> None:
    data = json.loads("".join(exports.events_geojson(
        queries.events_for(named_and_outside.alice))))
    assert "EXERCISE" in data["note"]
    assert {f["id"]: (f["properties"]["area"], f["properties"]["area_name"])
            for f in data["features"]} == _names_by_event()
    assert {f["properties"]["exercise"] for f in data["features"]} == {True}


def test_an_export_looks_up_each_area_name_once(named_and_outside: Cast,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def area_name(code: str) -> str | None:
        asked.append(code)
        return mission.reporting_areas().name_of(code)

    monkeypatch.setattr(mission, "area_name", area_name)
    for export in (exports.events_csv, exports.events_geojson):
        asked.clear()
        "".join(export(queries.events_for(named_and_outside.alice)))
        assert sorted(asked) == sorted(set(Event.objects.values_list("area", flat=True)))
    assert Event.objects.count() > len(asked)


def test_the_events_geojson_is_a_feature_collection_of_points(events: Cast) -> None:
    data = json.loads("".join(exports.events_geojson(queries.events_for(events.alice))))
    assert data["type"] == "FeatureCollection" and "EXERCISE" in data["note"]
    event = Event.objects.get(event_key="OBS-1")
    feature = next(f for f in data["features"] if f["id"] == "OBS-1")
    assert feature["geometry"]["coordinates"] == [event.lon, event.lat]
    assert feature["properties"]["count_at_least"] == 1


def test_an_empty_geojson_export_is_still_valid(cast: Cast) -> None:
    data = json.loads("".join(exports.events_geojson(Event.objects.none())))
    assert data["features"] == []


def test_the_daily_counts_csv_gives_the_callers_share(events: Cast) -> None:
    text = "".join(exports.daily_counts_csv(queries.rollup_scope(events.mona),
                                            start=date(2026, 1, 1), end=date(2026, 1, 31)))
    header, hashtags, *rows = list(csv.reader(io.StringIO(text)))
    assert header == ["report_date", "area", "area_name", "category", "events",
                      "violations_at_least", "exercise"]
    assert hashtags == ["#date+reported", "#adm1+code", "#adm1+name", "#event+type",
                        "#event+num", "#affected+count+min", "#meta+exercise"]
    assert sorted((r[3], r[5]) for r in rows) == [("burst", "12"),
                                                   ("explosion_undetermined", "1")]
    assert all(r[2] == (mission.area_name(r[1]) or "") for r in rows)
    public = "".join(exports.daily_counts_csv(queries.PUBLISHED, start=date(2026, 1, 1),
                                              end=date(2026, 1, 31)))
    assert len(public.splitlines()) == 2


def test_the_daily_counts_csv_leaves_the_name_of_a_cell_empty(named_and_outside: Cast) -> None:
    text = "".join(exports.daily_counts_csv(queries.rollup_scope(named_and_outside.mona),
                                            start=date(2026, 1, 1), end=date(2026, 1, 31)))
    _header, _hashtags, *rows = list(csv.reader(io.StringIO(text)))
    names = dict(_names_by_event().values())
    assert {(r[1], r[2]) for r in rows} == {(code, name or "") for code, name in names.items()}
    assert "" in {r[2] for r in rows}
