"""Bad input to the pages: a form error or a 404, never a 500; forms take the bounds of
hofburg.core.bounds."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hofburg.core import bounds
from hofburg.monitoring.models import Observation
from tests.conftest import Cast


def anonymous() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", [
    pytest.param("/csbm/checker/answer/?start=0001-01-01&end=0001-01-05&troops=100000"
                 "&type=land&ruleset=vd2011", id="checker-day-0001"),
    pytest.param("/csbm/checker/answer/?start=2026-01-01&end=2026-01-05&troops=100000000000"
                 "&type=land&ruleset=vd2011", id="checker-troops-huge"),
    pytest.param("/monitoring/trends/?start=0001-01-01&end=0001-01-05", id="trends-day-0001"),
    pytest.param("/monitoring/reports/0001-01-01/", id="report-day-0001"),
    pytest.param("/monitoring/reports/9999-12-31/", id="report-day-9999"),
])
def test_a_bad_page_query_is_never_a_server_error(cast: Cast, url: str) -> None:
    response = anonymous().get(url)
    assert response.status_code < 500, (url, response.status_code)


def _observation(**changes: Any) -> dict[str, Any]:
    return {"client_id": "11111111-1111-4111-8111-111111111111",
            "observed_at": "2026-01-05T20:00", "observer_id": "patrol-1",
            "observer_kind": "patrol", "observer_lat": 48.2, "observer_lon": -30.0,
            "method": "heard", "category": "explosion_undetermined", "count": 1,
            "bearing_deg": 90, **changes}


@pytest.mark.parametrize("changes", [
    pytest.param({"observed_at": (timezone.localtime() + bounds.CLOCK_SKEW
                                  + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
                 id="in-the-future"),
    pytest.param({"observed_at": "0001-01-01T00:00"}, id="year-0001"),
    pytest.param({"count": 2**31}, id="count-beyond-int32"),
    pytest.param({"distance_km_min": 1, "distance_km_max": 1e308}, id="distance-1e308"),
])
def test_the_observation_form_refuses_what_is_out_of_bounds(cast: Cast,
                                                            changes: dict[str, Any]) -> None:
    client = cast.client(cast.mona)
    response = client.post("/monitoring/observations/submit/", json.dumps(_observation(**changes)),
                           content_type="application/json")
    assert 400 <= response.status_code < 500, response.content[:300]
    assert not Observation.objects.exists()
