"""Bad input through the API: a clear 4xx problem+json, nothing stored, never a 500.

One case per family of the input-bounds decision (docs/decisions/0022-input-bounds.md): huge or
negative `limit` and `offset`, years and dates at the ends of the calendar, counts beyond a
32-bit column, numbers that are not finite, moments in the future, NUL in text. The file runs on
SQLite and on PostgreSQL (HOFBURG_DATABASE_URL): PostgreSQL refuses NUL and counts above 2^31-1
itself, and those refusals must never surface as database errors.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hofburg.core import bounds
from hofburg.core.models import AuditEntry
from hofburg.core.services.users import issue_api_token
from hofburg.csbm.models import Activity, AnnualExchange, RiskReductionRequest, Visit
from hofburg.documents.models import Document
from hofburg.monitoring.models import CivilianImpact, Observation, WeaponSighting
from tests.conftest import Cast
from tests.csbm.conftest import states  # noqa: F401 - the fixture below

pytestmark = pytest.mark.usefixtures("states")

HUGE = 10**30
API = "/api/v1"


def anonymous() -> Client:
    return Client(raise_request_exception=False)


def with_token(user: Any) -> Client:
    _token, key = issue_api_token(user, "test")
    return Client(raise_request_exception=False, headers={"Authorization": f"Bearer {key}"})


def assert_problem(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


def post(client: Client, path: str, data: Any) -> Any:
    return client.post(f"{API}{path}", json.dumps(data) if not isinstance(data, str) else data,
                       content_type="application/json")


# -- reads, anonymous ---------------------------------------------------------------------------

READS = [
    pytest.param(f"/states?limit={HUGE}", id="limit-huge"),
    pytest.param(f"/states?offset={HUGE}", id="offset-huge"),
    pytest.param("/states?limit=-1", id="limit-negative"),
    pytest.param("/states?offset=-5", id="offset-negative"),
    pytest.param(f"/states?limit={bounds.MAX_PAGE_SIZE + 1}", id="page-size-beyond-cap"),
    pytest.param(f"/troika/{HUGE}", id="troika-year-huge"),
    pytest.param("/troika/0", id="troika-year-0"),
    pytest.param("/csbm/quota-board/0", id="quota-board-year-0"),
    pytest.param(f"/csbm/quota-board/{HUGE}", id="quota-board-year-huge"),
    pytest.param("/csbm/scorecard/0", id="scorecard-year-0"),
    pytest.param("/csbm/scorecard/0/export", id="scorecard-export-year-0"),
    pytest.param(f"/csbm/scorecard/{HUGE}", id="scorecard-year-huge"),
    pytest.param("/csbm/visits?year=0", id="visits-year-0"),
    pytest.param(f"/csbm/visits?year={HUGE}", id="visits-year-huge"),
    pytest.param("/csbm/what-if?year=0", id="what-if-year-0"),
    pytest.param("/csbm/classify?start=0001-01-01&end=0001-01-05&troops=100000",
                 id="classify-day-0001"),
    pytest.param("/csbm/classify?start=9999-12-01&end=9999-12-31", id="classify-day-9999"),
    pytest.param(f"/csbm/classify?start=2026-01-01&end=2026-01-05&troops={HUGE}",
                 id="classify-troops-huge"),
    pytest.param(f"/csbm/quota?units={HUGE}", id="quota-units-huge"),
    pytest.param(f"/monitoring/observations?event_id={HUGE}", id="event-id-huge"),
    pytest.param(f"/monitoring/events/{HUGE}", id="event-pk-huge"),
    pytest.param(f"/documents/{HUGE}", id="document-id-huge"),
    pytest.param("/monitoring/periods?start=0001-01-01&end=0001-01-05", id="periods-day-0001"),
    pytest.param("/monitoring/map?start=9999-12-25&end=9999-12-31", id="map-day-9999"),
    pytest.param("/states?q=a%00b", id="nul-in-query"),
    pytest.param("/documents?q=a%00b", id="nul-in-search"),
]


@pytest.mark.parametrize("path", READS)
def test_a_bad_query_is_a_4xx_problem_for_anyone(cast: Cast, path: str) -> None:
    response = anonymous().get(f"{API}{path}")
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert response["Content-Type"] == "application/problem+json"


def test_the_page_size_is_capped_and_stated_in_the_document(cast: Cast) -> None:
    assert_problem(anonymous().get(f"{API}/states?limit={bounds.MAX_PAGE_SIZE + 1}"))
    assert anonymous().get(f"{API}/states?limit={bounds.MAX_PAGE_SIZE}").status_code == 200
    document = anonymous().get(f"{API}/openapi.json").json()
    limit = next(p for p in document["paths"][f"{API}/states"]["get"]["parameters"]
                 if p["name"] == "limit")
    assert limit["schema"]["maximum"] == bounds.MAX_PAGE_SIZE


def test_a_method_not_allowed_is_a_problem_too(cast: Cast) -> None:
    response = anonymous().delete(f"{API}/states")
    body = assert_problem(response, 405)
    assert "GET" in body["detail"] and "GET" in response["Allow"]


def test_json_with_nan_or_infinity_is_refused(cast: Cast) -> None:
    text = '{"start": "2026-01-01", "end": "2026-01-02", "troops": NaN}'
    body = assert_problem(post(with_token(cast.alice), "/csbm/classify", text))
    assert "finite" in body["detail"]
    assert_problem(post(with_token(cast.alice), "/csbm/classify", "{not json"), 400)


# -- writes: nothing is stored ------------------------------------------------------------------

def _activity(**changes: Any) -> dict[str, Any]:
    return {"state": "AT", "reference": "AT-2026-9", "name": "EXERCISE", "start": "2026-05-01",
            "end": "2026-05-03", **changes}


def _exchange(**changes: Any) -> dict[str, Any]:
    return {"state": "AT", "year": 2027, "submitted_on": "2026-12-01", **changes}


def _observation(**changes: Any) -> dict[str, Any]:
    return {"client_id": "phone-1", "observed_at": "2026-01-05T20:00:00+02:00",
            "observer_id": "EX-OP-1", "observer_kind": "observation_point",
            "observer_lon": -29.95, "observer_lat": 48.0, "method": "saw",
            "category": "explosion_undetermined", "bearing_deg": 45, **changes}


def _sighting(**changes: Any) -> dict[str, Any]:
    return {"report_id": "WS-1", "observed_at": "2026-01-05T20:00:00+02:00", "lon": -29.9,
            "lat": 48.0, "weapon_class": "tank", **changes}


# A day beyond the skew: computed when the module is collected, still ahead when the test runs.
SOON = (timezone.now() + bounds.CLOCK_SKEW + timedelta(days=1)).isoformat()

WRITES = [
    pytest.param("alice", "/csbm/activities", _activity(troops=HUGE), Activity,
                 id="activity-troops-huge"),
    pytest.param("alice", "/csbm/activities", _activity(troops=2**31), Activity,
                 id="activity-troops-beyond-int32"),
    pytest.param("alice", "/csbm/activities", _activity(name="EXER\x00CISE"), Activity,
                 id="activity-nul-in-name"),
    pytest.param("alice", "/csbm/activities", _activity(start="0001-01-01", end="0001-01-03"),
                 Activity, id="activity-day-0001"),
    pytest.param("alice", "/csbm/activities", _activity(start="9999-12-01", end="9999-12-31"),
                 Activity, id="activity-day-9999"),
    pytest.param("alice", "/csbm/exchanges",
                 _exchange(holdings=[{"category": "battle_tanks", "quantity": HUGE}]),
                 AnnualExchange, id="exchange-quantity-huge"),
    pytest.param("alice", "/csbm/exchanges",
                 _exchange(units=[{"designation": "A", "personnel": 2**31}]),
                 AnnualExchange, id="exchange-personnel-beyond-int32"),
    pytest.param("alice", "/csbm/exchanges", _exchange(note="a\x00b"), AnnualExchange,
                 id="exchange-nul-in-note"),
    pytest.param("alice", "/csbm/exchanges", _exchange(units=[
        {"designation": "1. Division", "level": "formation", "subordinate_to": "2. Division"},
        {"designation": "2. Division", "level": "formation", "subordinate_to": "1. Division"}]),
        AnnualExchange, id="exchange-circular-hierarchy"),
    pytest.param("alice", "/csbm/visits",
                 {"kind": "inspection", "inspecting_state": "AT", "receiving_state": "FI",
                  "requested_at": "9999-12-31T23:00:00Z", "on": "9999-12-31"},
                 Visit, id="visit-requested-9999"),
    pytest.param("alice", "/csbm/risk-reduction",
                 {"requesting_state": "AT", "responding_state": "FI", "subject": "s",
                  "requested_at": "9999-12-31T23:00:00Z"},
                 RiskReductionRequest, id="risk-reduction-requested-9999"),
    pytest.param("alice", "/documents",
                 {"symbol": "PC.DEL/1/26", "title": "a\x00b", "date": "2026-01-01",
                  "originator": "Austria", "original_language": "en"},
                 Document, id="document-nul-in-title"),
    pytest.param("mona", "/monitoring/observations", _observation(observed_at=SOON),
                 Observation, id="observation-in-the-future"),
    pytest.param("mona", "/monitoring/observations", _observation(count=HUGE),
                 Observation, id="observation-count-huge"),
    pytest.param("mona", "/monitoring/observations", _observation(count=2**31),
                 Observation, id="observation-count-beyond-int32"),
    pytest.param("mona", "/monitoring/observations",
                 _observation(distance_km_min=1e308, distance_km_max=1e308),
                 Observation, id="observation-distance-1e308"),
    pytest.param("mona", "/monitoring/observations", _observation(observer_lon=1e308),
                 Observation, id="observation-longitude-1e308"),
    pytest.param("mona", "/monitoring/observations", _observation(notes="a\x00b"),
                 Observation, id="observation-nul-in-notes"),
    pytest.param("mona", "/monitoring/weapon-sightings", _sighting(observed_at=SOON),
                 WeaponSighting, id="sighting-in-the-future"),
    pytest.param("mona", "/monitoring/weapon-sightings",
                 _sighting(observed_at="9999-12-31T23:59:59-05:00"),
                 WeaponSighting, id="sighting-moment-9999"),
    pytest.param("mona", "/monitoring/weapon-sightings",
                 _sighting(observed_at="0001-01-01T00:00:00+05:00"),
                 WeaponSighting, id="sighting-moment-0001"),
    pytest.param("mona", "/monitoring/weapon-sightings", _sighting(calibre_mm=1e308),
                 WeaponSighting, id="sighting-calibre-1e308"),
    pytest.param("mona", "/monitoring/civilian-impacts",
                 {"report_id": "CI-1", "observed_at": "2026-01-05T20:00:00+02:00", "lon": -29.9,
                  "lat": 48.0, "kind": "damage", "notes": "a\x00b"},
                 CivilianImpact, id="civilian-impact-nul-in-notes"),
]


@pytest.mark.parametrize(("who", "path", "payload", "model"), WRITES)
def test_a_bad_write_is_a_422_problem_and_stores_nothing(
        cast: Cast, who: str, path: str, payload: dict[str, Any],
        model: Any) -> None:
    client = with_token(getattr(cast, who))
    audit_before = AuditEntry.objects.count()
    response = post(client, path, payload)
    assert_problem(response)
    assert not model.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_nul_is_named_as_the_reason(cast: Cast) -> None:
    body = assert_problem(post(with_token(cast.alice), "/csbm/activities",
                               _activity(name="EXER\x00CISE")))
    assert "NUL" in body["detail"]


def test_a_circular_hierarchy_names_the_circle(cast: Cast) -> None:
    body = assert_problem(post(with_token(cast.alice), "/csbm/exchanges", _exchange(units=[
        {"designation": "1. Division", "level": "formation", "subordinate_to": "3. Division"},
        {"designation": "2. Division", "level": "formation", "subordinate_to": "1. Division"},
        {"designation": "3. Division", "level": "formation", "subordinate_to": "2. Division"}])))
    assert "circle" in body["detail"] and "1. Division" in body["detail"]


def test_an_observation_a_few_minutes_ahead_is_accepted(cast: Cast) -> None:
    """A device clock running a little fast is not an error (CLOCK_SKEW)."""
    ahead = (timezone.now() + timedelta(minutes=2)).isoformat()
    response = post(with_token(cast.mona), "/monitoring/observations",
                    _observation(observed_at=ahead))
    assert response.status_code == 201, response.content


def test_an_unexpected_error_is_a_500_problem_without_a_traceback(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    from hofburg.registry import api as registry_api

    def broken(year: int) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(registry_api, "troika_for_year", broken)
    response = anonymous().get(f"{API}/troika/2026")
    body = assert_problem(response, 500)
    assert "secret" not in response.content.decode() and "Traceback" not in body["detail"]
