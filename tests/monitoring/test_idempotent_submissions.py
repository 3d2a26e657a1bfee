"""A retry is answered with what the first request stored, whatever the timing (decision 0021).

Eight copies of one submission sent at once, as a phone does when the network comes back, store
one record and all get it: 201 for the request that stored it, 200 for the others, never a 409.
The same client id with different content is the 409, naming the fields that differ.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hofburg.core.services.users import issue_api_token
from hofburg.monitoring.models import Observation, WeaponSighting
from tests.concurrency import at_once, own_connections
from tests.conftest import Cast
from tests.monitoring.rows import row

API = "/api/v1/monitoring"
PROBLEM = "application/problem+json"
RETRIES = 8



def _bearer(cast: Cast) -> dict[str, Any]:
    _token, key = issue_api_token(cast.mona, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(path: str, data: Any, headers: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = Client().post(f"{API}{path}", json.dumps(data), content_type="application/json",
                             **headers)
    return response.status_code, response.json()


def _observation(**changes: Any) -> dict[str, Any]:
    data = {k: v for k, v in row("API-1").items() if v != ""}
    data.update(client_id="phone-7f3a", **changes)
    return data


def _sighting(**changes: Any) -> dict[str, Any]:
    data = {"report_id": "ws-1", "observed_at": "2026-01-05T20:00:00+02:00", "lon": -29.95,
            "lat": 48.0, "observer_id": "EX-PATROL-1", "place": "EXERCISE hamlet",
            "notes": "EXERCISE", "is_exercise": True, "weapon_class": "mlrs",
            "weapon_type": "EXERCISE MLRS", "calibre_mm": 122, "count": 2}
    data.update(changes)
    return data


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_retries_store_one_observation_and_all_answer_it(
        cast: Cast, tmp_path: Path) -> None:
    headers = _bearer(cast)
    with own_connections(tmp_path):
        answers = at_once(RETRIES, lambda: _post("/observations", _observation(), headers))
        assert at_once(1, Observation.objects.count) == [1]
    assert sorted(status for status, _ in answers) == [200] * (RETRIES - 1) + [201]
    assert len({body["id"] for _, body in answers}) == 1


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_retries_store_one_weapon_sighting_and_all_answer_it(
        cast: Cast, tmp_path: Path) -> None:
    headers = _bearer(cast)
    with own_connections(tmp_path):
        answers = at_once(RETRIES, lambda: _post("/weapon-sightings", _sighting(), headers))
        assert at_once(1, WeaponSighting.objects.count) == [1]
    assert sorted(status for status, _ in answers) == [200] * (RETRIES - 1) + [201]
    assert len({body["id"] for _, body in answers}) == 1


@pytest.mark.django_db
def test_a_retry_with_the_same_content_answers_200_with_the_stored_observation(
        cast: Cast) -> None:
    headers = _bearer(cast)
    first = _post("/observations", _observation(), headers)
    again = _post("/observations", _observation(), headers)
    assert (first[0], again[0]) == (201, 200)
    assert first[1] == again[1]


@pytest.mark.django_db
def test_different_content_under_the_same_client_id_is_a_409_naming_the_fields(
        cast: Cast) -> None:
    headers = _bearer(cast)
    status, stored = _post("/observations", _observation(), headers)
    assert status == 201
    response = Client().post(f"{API}/observations",
                             json.dumps(_observation(count=stored["count"] + 4, notes="other")),
                             content_type="application/json", **headers)
    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    assert "count, notes differ" in response.json()["detail"]
    assert Observation.objects.get().count == stored["count"]


@pytest.mark.django_db
def test_a_different_distribution_under_the_same_client_id_is_a_conflict(cast: Cast) -> None:
    headers = _bearer(cast)
    assert _post("/observations", _observation(), headers)[0] == 201
    status, problem = _post("/observations", _observation(distribution="public"), headers)
    assert status == 409 and "classification differ" in problem["detail"]


@pytest.mark.django_db
def test_different_content_under_the_same_report_id_is_a_409_naming_the_fields(
        cast: Cast) -> None:
    headers = _bearer(cast)
    assert _post("/weapon-sightings", _sighting(), headers)[0] == 201
    assert _post("/weapon-sightings", _sighting(), headers)[0] == 200
    status, problem = _post("/weapon-sightings", _sighting(count=5), headers)
    assert status == 409 and "count differ" in problem["detail"]
    assert WeaponSighting.objects.get().count == 2
