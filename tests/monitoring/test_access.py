"""Who sees what: restricted details for the entitled only, published aggregates for all."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from hofburg.core.services.users import issue_api_token
from hofburg.monitoring.importing import pipeline
from hofburg.monitoring.models import Event, Observation
from tests.conftest import Cast
from tests.monitoring.rows import release, same_explosion, write_csv

pytestmark = pytest.mark.django_db
API = "/api/v1/monitoring"
RANGE = {"start": "2026-01-01", "end": "2026-01-31"}


@pytest.fixture
def loaded(cast: Cast, tmp_path: Path) -> Cast:
    pipeline.import_observations(write_csv(tmp_path / "o.csv", same_explosion()), actor=cast.mona)
    return cast


def _outsiders(cast: Cast) -> list[Client]:
    """The anonymous visitor and nick, a registered reader without an affiliation."""
    return [Client(), cast.client(cast.nick)]


def test_outsiders_see_no_observation_or_event_in_any_list(loaded: Cast) -> None:
    for client in _outsiders(loaded):
        assert client.get(f"{API}/observations").json()["count"] == 0
        assert client.get(f"{API}/events").json()["count"] == 0


def test_outsiders_get_404_not_403_for_restricted_details(loaded: Cast) -> None:
    event = Event.objects.first()
    observation = Observation.objects.first()
    assert event and observation
    for client in _outsiders(loaded):
        assert client.get(f"{API}/events/{event.pk}").status_code == 404
        assert client.get(f"{API}/observations/{observation.pk}").status_code == 404


def test_outsiders_export_no_restricted_event(loaded: Cast) -> None:
    for client in _outsiders(loaded):
        csv_text = b"".join(client.get(f"{API}/exports/events.csv").streaming_content)
        assert len(csv_text.decode().splitlines()) == 2  # header and hashtag row only
        geojson = b"".join(client.get(f"{API}/exports/events.geojson").streaming_content)
        assert b"OBS-" not in geojson


def test_outsiders_see_only_published_aggregates(loaded: Cast) -> None:
    for client in _outsiders(loaded):
        assert client.get(f"{API}/map", RANGE).json()["features"] == []
        assert client.get(f"{API}/trends", RANGE).json()["series"] == []
        daily = b"".join(client.get(f"{API}/exports/daily-counts.csv", RANGE)
                         .streaming_content).decode()
        assert len(daily.splitlines()) == 2
    event = Event.objects.get(event_key="OBS-1")
    release(loaded.mona, event)
    for client in _outsiders(loaded):
        features = client.get(f"{API}/map", RANGE).json()["features"]
        assert [f["properties"]["events"] for f in features] == [1]
        # The event was made public to be published; its observations stay restricted.
        assert client.get(f"{API}/events").json()["count"] == 1
        assert client.get(f"{API}/observations").json()["count"] == 0


def test_a_delegate_sees_restricted_details_and_every_counted_event(loaded: Cast) -> None:
    _token, key = issue_api_token(loaded.alice, "t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    assert client.get(f"{API}/events", **headers).json()["count"] == 2
    assert client.get(f"{API}/map", RANGE, **headers).json()["scope"] == "all"
