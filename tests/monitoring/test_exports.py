"""The exports parse back: CSV with its HXL hashtag row, and GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from hofburg.monitoring import exports, queries, services
from hofburg.monitoring.models import Event
from tests.conftest import Cast
from tests.monitoring.rows import same_explosion, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(cast: Cast, tmp_path: Path) -> Cast:
    services.import_observations(write_csv(tmp_path / "o.csv", same_explosion()),
                                 actor=cast.mona, is_exercise=True)
    return cast


def test_the_events_csv_has_a_hashtag_row_and_one_line_per_event(events: Cast) -> None:
    text = "".join(exports.events_csv(queries.events_for(events.alice)))
    header, hashtags, *rows = list(csv.reader(io.StringIO(text)))
    assert hashtags[header.index("event_id")] == "#event+id"
    assert hashtags[header.index("lon")] == "#geo+lon"
    assert all(tag.startswith("#") for tag in hashtags)
    assert {r[header.index("event_id")] for r in rows} == {"OBS-1", "OBS-3"}
    assert {r[header.index("exercise")] for r in rows} == {"true"}


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
    text = "".join(exports.daily_counts_csv(queries.ALL, start=date(2026, 1, 1),
                                            end=date(2026, 1, 31)))
    _header, hashtags, *rows = list(csv.reader(io.StringIO(text)))
    assert hashtags[0] == "#date+reported"
    assert sorted((r[2], r[4]) for r in rows) == [("burst", "12"),
                                                   ("explosion_undetermined", "1")]
    public = "".join(exports.daily_counts_csv(queries.PUBLISHED, start=date(2026, 1, 1),
                                              end=date(2026, 1, 31)))
    assert len(public.splitlines()) == 2
