"""The monitoring API: idempotent submissions, the workflow, aggregates, problem+json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hofburg.core.services.users import issue_api_token
from hofburg.monitoring import mission
from hofburg.monitoring.importing import pipeline
from hofburg.monitoring.models import Event, Observation
from tests.conftest import Cast
from tests.monitoring.rows import row, same_explosion, write_csv

pytestmark = pytest.mark.django_db
API = "/api/v1/monitoring"


def _bearer(cast: Cast, name: str = "mona") -> dict[str, Any]:
    _token, key = issue_api_token(getattr(cast, name), "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _payload(**changes: Any) -> dict[str, Any]:
    data = {k: v for k, v in row("API-1").items() if v != ""}
    data.update(client_id="phone-7f3a", **changes)
    return data


def _post(client: Client, path: str, data: Any, headers: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(data), content_type="application/json",
                       **headers)


def test_a_submission_is_stored_once_and_a_retry_answers_200_with_the_same_record(
        cast: Cast) -> None:
    client, headers = Client(), _bearer(cast)
    first = _post(client, "/observations", _payload(), headers)
    retry = _post(client, "/observations", _payload(), headers)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    assert Observation.objects.count() == 1


def test_an_invalid_submission_is_a_problem_naming_the_field(cast: Cast) -> None:
    response = _post(Client(), "/observations", _payload(count=0), _bearer(cast))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["field"] == "count"
    assert not Observation.objects.exists()


def test_a_submission_without_a_token_is_a_401_problem(cast: Cast) -> None:
    response = _post(Client(), "/observations", _payload(), {})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_an_editor_verifies_and_publishes_an_event_through_the_api(
        cast: Cast, tmp_path: Path) -> None:
    pipeline.import_observations(write_csv(tmp_path / "o.csv", same_explosion()), actor=cast.mona)
    event = Event.objects.get(event_key="OBS-1")
    client, headers = Client(), _bearer(cast)
    early = _post(client, f"/events/{event.pk}/publish", {}, headers)
    assert early.status_code == 409 and early["Content-Type"] == "application/problem+json"
    assert _post(client, f"/events/{event.pk}/verify", {}, headers).json()["status"] == \
        "verified"
    restricted = _post(client, f"/events/{event.pk}/publish", {}, headers)
    assert restricted.status_code == 409 and "declassify it first" in restricted.json()["detail"]
    assert _post(client, f"/events/{event.pk}/declassify", {"reason": "cleared"},
                 headers).json()["classification"] == "public"
    waiting = _post(client, f"/events/{event.pk}/publish", {}, headers)
    assert waiting.status_code == 409 and "not all verified" in waiting.json()["detail"]
    day = event.report_date.isoformat()
    blocked = _post(client, f"/periods/{day}/release", {}, headers)
    assert blocked.status_code == 409 and "cannot be released yet" in blocked.json()["detail"]
    for observation in event.observations.all():
        assert _post(client, f"/observations/{observation.pk}/verify", {},
                     headers).status_code == 200
    alone = _post(client, f"/events/{event.pk}/publish", {}, headers)
    assert alone.status_code == 409 and "release the whole period" in alone.json()["detail"]
    assert Client().get(f"{API}/periods/{day}/release").status_code == 404
    assert _post(client, f"/periods/{day}/release", {}, {}).status_code == 401
    nick = _post(client, f"/periods/{day}/release", {}, _bearer(cast, "nick"))
    assert nick.status_code == 404  # not entitled: no such period for them
    alice = _post(client, f"/periods/{day}/release", {}, _bearer(cast, "alice"))
    assert alice.status_code == 403  # a delegate, not an editor of the mission
    asked = Client().get(f"{API}/periods/{day}/release", **headers).json()
    assert (asked["released"], asked["ready"], asked["unverified_members"]) == (False, 1, 0)
    released = _post(client, f"/periods/{day}/release", {}, headers)
    assert released.status_code == 200
    assert (released.json()["released"], released.json()["published"]) == (True, 1)
    event.refresh_from_db()
    assert event.status == "published"
    trends = Client().get(f"{API}/trends", {"start": "2026-01-01", "end": "2026-01-31"}).json()
    assert trends["scope"] == "published"
    assert [(p["category"], p["events"]) for p in trends["series"]] == \
        [("explosion_undetermined", 1)]


def test_the_event_detail_explains_the_merge(cast: Cast, tmp_path: Path) -> None:
    pipeline.import_observations(write_csv(tmp_path / "o.csv", same_explosion()), actor=cast.mona)
    event = Event.objects.get(event_key="OBS-1")
    detail = Client().get(f"{API}/events/{event.pk}", **_bearer(cast)).json()
    assert detail["observation_ids"] == ["OBS-1", "OBS-2"]
    assert detail["error_ellipse_m"]["semi_major"] > 0
    assert any("joins" in line for line in detail["explanation"])


def test_period_counts_compare_each_period_with_the_one_before(
        cast: Cast, tmp_path: Path, settings: Any) -> None:
    settings.MONITORING_TIME_ZONE = "Europe/Kyiv"
    mission.clear_calendar()
    try:
        pipeline.import_observations(write_csv(tmp_path / "o.csv", same_explosion()),
                                     actor=cast.mona)
        answer = Client().get(f"{API}/periods", {"start": "2026-01-06", "end": "2026-01-07"},
                              **_bearer(cast)).json()
    finally:
        mission.clear_calendar()
    by_date: dict[str, int] = {}
    for period in answer["periods"]:
        by_date[period["report_date"]] = by_date.get(period["report_date"], 0) + \
            period["violations_at_least"]
    # 20:00 and 01:00 in Kyiv (+02:00) are both after the 19:30 cut-off of 5 January: both
    # are in the period reported on 6 January; the next period had none.
    assert by_date == {"2026-01-06": 13, "2026-01-07": 0}
    changes = [p["change"] for p in answer["periods"] if p["report_date"] == "2026-01-07"]
    assert sorted(changes) == sorted(-p["violations_at_least"] for p in answer["periods"]
                                     if p["report_date"] == "2026-01-06")


def test_a_map_range_longer_than_a_year_is_a_problem(cast: Cast) -> None:
    response = Client().get(f"{API}/map", {"start": "2024-01-01", "end": "2026-01-01"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_a_bad_bbox_is_a_problem(cast: Cast) -> None:
    response = Client().get(f"{API}/map", {"start": "2026-01-01", "end": "2026-01-02",
                                           "bbox": "west,south"})
    assert response.status_code == 422 and "bbox" in response.json()["detail"]
