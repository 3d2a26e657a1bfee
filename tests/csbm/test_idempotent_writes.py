"""An identical request to the Vienna Document desk is the same request (decision 0021).

Sent twice, or eight times at once, a visit or risk-reduction request is stored once: the first
answer is 201, every other one 200 with the same record. An annual exchange re-submitted with
the same content is answered with the current version instead of a new one; changed content is
still a correction, the next version.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hofburg.core.models import ApiToken, User
from hofburg.csbm.models import AnnualExchange, RiskReductionRequest, Visit
from tests.concurrency import at_once, own_connections
from tests.conftest import Cast
from tests.csbm.test_write_api import exchange_body

API = "/api/v1/csbm"
RETRIES = 8


def _bearer(user: User) -> dict[str, str]:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", key_digest=ApiToken.digest(key))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
    response = Client().post(f"{API}{path}", json.dumps(body), content_type="application/json",
                             **headers)
    return response.status_code, response.json()


def _visit(**changes: Any) -> dict[str, Any]:
    return {"kind": "inspection", "inspecting_state": "AT", "receiving_state": "FI",
            "requested_at": "2026-03-01T09:00:00+01:00", "on": "2026-03-03",
            "area": "EXERCISE specified area", **changes}


def _risk_reduction(**changes: Any) -> dict[str, Any]:
    return {"requesting_state": "AT", "responding_state": "FI",
            "subject": "EXERCISE unusual activity near the border",
            "requested_at": "2026-03-01T09:00:00Z", **changes}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "body", "model"), [
    ("/visits", _visit, Visit),
    ("/risk-reduction", _risk_reduction, RiskReductionRequest),
])
def test_an_identical_request_is_answered_with_the_stored_one(
        cast: Cast, states: Any, path: str, body: Any, model: Any) -> None:
    headers = _bearer(cast.alice)
    first = _post(path, body(), headers)
    again = _post(path, body(), headers)
    assert (first[0], again[0]) == (201, 200)
    assert first[1] == again[1]
    assert model.objects.count() == 1


@pytest.mark.django_db
def test_the_same_moment_in_another_time_zone_is_the_same_request(
        cast: Cast, states: Any) -> None:
    headers = _bearer(cast.alice)
    assert _post("/visits", _visit(), headers)[0] == 201
    assert _post("/visits", _visit(requested_at="2026-03-01T08:00:00Z"), headers)[0] == 200
    assert Visit.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "body", "change", "model"), [
    ("/visits", _visit, {"on": "2026-03-04"}, Visit),
    ("/visits", _visit, {"kind": "evaluation", "area": ""}, Visit),
    ("/risk-reduction", _risk_reduction, {"subject": "EXERCISE another activity"},
     RiskReductionRequest),
    ("/risk-reduction", _risk_reduction, {"requested_at": "2026-03-02T09:00:00Z"},
     RiskReductionRequest),
])
def test_a_request_that_differs_in_anything_is_another_request(
        cast: Cast, states: Any, path: str, body: Any, change: dict[str, Any],
        model: Any) -> None:
    headers = _bearer(cast.alice)
    assert _post(path, body(), headers)[0] == 201
    assert _post(path, body(**change), headers)[0] == 201
    assert model.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("path", "body", "model"), [
    ("/visits", _visit, Visit),
    ("/risk-reduction", _risk_reduction, RiskReductionRequest),
])
def test_eight_identical_requests_at_once_store_one_and_all_answer_it(
        cast: Cast, states: Any, tmp_path: Path, path: str, body: Any, model: Any) -> None:
    headers = _bearer(cast.alice)
    with own_connections(tmp_path):
        answers = at_once(RETRIES, lambda: _post(path, body(), headers))
        assert at_once(1, model.objects.count) == [1]
    assert sorted(status for status, _ in answers) == [200] * (RETRIES - 1) + [201]
    assert len({answer["id"] for _, answer in answers}) == 1


@pytest.mark.django_db
def test_an_identical_exchange_resubmission_is_answered_with_the_current_version(
        cast: Cast, states: Any) -> None:
    headers = _bearer(cast.alice)
    status, first = _post("/exchanges", exchange_body(), headers)
    assert status == 201
    reordered = exchange_body()
    reordered["units"].reverse()
    reordered["holdings"].reverse()
    for body in (exchange_body(), reordered, exchange_body(submitted_on="2026-12-12")):
        status, again = _post("/exchanges", body, headers)
        assert status == 200
        assert again == first
    stored = AnnualExchange.objects.get()
    assert (stored.version, stored.is_current, str(stored.submitted_on)) == (1, True,
                                                                             "2026-12-10")


@pytest.mark.django_db
@pytest.mark.parametrize("change", [
    {"note": "Corrected by note verbale."},
    {"declared_evaluation_quota": 2},
    {"holdings": [{"category": "towed_artillery", "quantity": 7}]},
    {"distribution": "public"},
])
def test_an_exchange_with_changed_content_is_still_the_next_version(
        cast: Cast, states: Any, change: dict[str, Any]) -> None:
    headers = _bearer(cast.alice)
    assert _post("/exchanges", exchange_body(), headers)[0] == 201
    status, corrected = _post("/exchanges", exchange_body(**change), headers)
    assert (status, corrected["version"], corrected["supersedes_version"]) == (201, 2, 1)
    assert AnnualExchange.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_eight_identical_first_exchanges_at_once_store_one_version(
        cast: Cast, states: Any, tmp_path: Path) -> None:
    headers = _bearer(cast.alice)
    with own_connections(tmp_path):
        answers = at_once(RETRIES, lambda: _post("/exchanges", exchange_body(), headers))
        assert at_once(1, lambda: list(AnnualExchange.objects.values_list("version",
                                                                          flat=True))) == [[1]]
    assert sorted(status for status, _ in answers) == [200] * (RETRIES - 1) + [201]
