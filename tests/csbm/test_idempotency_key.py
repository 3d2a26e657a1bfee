"""The `Idempotency-Key` header on API writes (decision 0021), through the Vienna Document
desk's endpoints: a retry under the key gets the first answer again, as it was, and changes
nothing; another request under the same key is a 409 naming what differs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hofburg.core.models import ApiToken, User
from hofburg.csbm.models import Activity, Notification
from tests.concurrency import at_once, own_connections
from tests.conftest import Cast

API = "/api/v1/csbm"
RETRIES = 8


def _bearer(user: User) -> dict[str, str]:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", key_digest=ApiToken.digest(key))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _send(path: str, body: dict[str, Any], headers: dict[str, str], key: str | None = None,
          method: str = "post") -> Any:
    if key is not None:
        headers = {**headers, "HTTP_IDEMPOTENCY_KEY": key}
    return getattr(Client(), method)(f"{API}{path}", json.dumps(body),
                                     content_type="application/json", **headers)


def _activity(**changes: Any) -> dict[str, Any]:
    return {"state": "AT", "reference": "at-2027-1", "name": "EXERCISE Alpine Shield",
            "start": "2027-06-01", "end": "2027-06-10", "troops": 9500, **changes}


@pytest.mark.django_db
def test_a_retry_under_the_key_gets_the_first_answer_again_and_stores_nothing(
        cast: Cast, states: Any) -> None:
    headers = _bearer(cast.alice)
    first = _send("/activities", _activity(), headers, key="k-1")
    again = _send("/activities", _activity(), headers, key="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert (first.get("Idempotent-Replayed"), again["Idempotent-Replayed"]) == (None, "true")
    assert Activity.objects.count() == 1
    # Without a key the same request is a new one, refused for its taken reference.
    assert _send("/activities", _activity(), headers).status_code == 422


@pytest.mark.django_db
def test_a_key_reused_for_different_content_is_a_409_naming_the_fields(
        cast: Cast, states: Any) -> None:
    headers = _bearer(cast.alice)
    assert _send("/activities", _activity(), headers, key="k-1").status_code == 201
    response = _send("/activities", _activity(troops=12000, name="Other"), headers, key="k-1")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "name, troops differ" in response.json()["detail"]
    elsewhere = _send("/activities/AT/at-2027-1", {"troops": 1}, headers, key="k-1",
                      method="patch")
    assert elsewhere.status_code == 409
    assert "POST /api/v1/csbm/activities" in elsewhere.json()["detail"]
    assert Activity.objects.get().troops == 9500


@pytest.mark.django_db
def test_a_refused_request_is_not_kept_and_may_be_corrected_under_its_key(
        cast: Cast, states: Any) -> None:
    headers = _bearer(cast.alice)
    refused = _send("/activities", _activity(end="2027-05-01"), headers, key="k-1")
    assert refused.status_code == 422
    assert _send("/activities", _activity(), headers, key="k-1").status_code == 201


@pytest.mark.django_db
def test_keys_belong_to_the_token_that_sent_them(cast: Cast, states: Any) -> None:
    alice, bob = _bearer(cast.alice), _bearer(cast.bob)
    assert _send("/activities", _activity(), alice, key="k-1").status_code == 201
    fi = _send("/activities", _activity(state="FI", reference="fi-2027-1"), bob, key="k-1")
    assert fi.status_code == 201 and fi.get("Idempotent-Replayed") is None
    assert Activity.objects.count() == 2


@pytest.mark.django_db
def test_a_notification_sent_twice_under_its_key_is_one_version(cast: Cast, states: Any) -> None:
    headers = _bearer(cast.alice)
    assert _send("/activities", _activity(), headers).status_code == 201
    body = {"sent_on": "2027-04-01"}
    first = _send("/activities/AT/at-2027-1/notifications", body, headers, key="n-1")
    again = _send("/activities/AT/at-2027-1/notifications", body, headers, key="n-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_an_overlong_key_is_refused(cast: Cast, states: Any) -> None:
    response = _send("/activities", _activity(), _bearer(cast.alice), key="k" * 256)
    assert response.status_code == 422 and response.json()["field"] == "Idempotency-Key"
    assert not Activity.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_eight_retries_under_one_key_at_once_store_one_record_and_get_one_answer(
        cast: Cast, states: Any, tmp_path: Path) -> None:
    headers = _bearer(cast.alice)

    def send() -> tuple[int, str | None, Any]:
        response = _send("/activities", _activity(), headers, key="k-1")
        return response.status_code, response.get("Idempotent-Replayed"), response.json()

    with own_connections(tmp_path):
        answers = at_once(RETRIES, send)
        assert at_once(1, Activity.objects.count) == [1]
    assert [status for status, _, _ in answers] == [201] * RETRIES
    assert sorted(str(replayed) for _, replayed, _ in answers) == ["None"] + ["true"] * 7
    assert len({json.dumps(body, sort_keys=True) for _, _, body in answers}) == 1
