"""Hidden is as absent on the Vienna Document desk: version flags and activity references.

Finland published version 1 of its 2027 exchange; version 2, a confidential correction of
Finland's delegation, is hidden from Austria and from the public. To them every answer about
the exchange must be what it was before version 2 existed.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hofburg.core.models import ApiToken, Classification, User
from hofburg.csbm import services
from hofburg.csbm.services import UnitIn
from tests.conftest import Cast
from tests.registry.factories import freeze_today

API = "/api/v1/csbm"


def _token_client(user: User) -> Client:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", key_digest=ApiToken.digest(key))
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _page(response: Any) -> str:
    """The page without its CSRF token, which is masked afresh on every answer."""
    assert response.status_code == 200
    return re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1",
                  response.content.decode())


def _answers(cast: Cast) -> dict[str, Any]:
    """What the public and Austria learn about Finland's exchange, through API and pages."""
    found: dict[str, Any] = {}
    for name, client in (("public", Client()), ("austria", _token_client(cast.alice)),
                         ("austria-page", cast.client(cast.alice))):
        if name == "austria-page":
            found[name] = _page(client.get(reverse("csbm:exchange", args=["FI", 2027])))
            continue
        found[f"{name}-list"] = client.get(f"{API}/exchanges", {"year": 2027}).json()
        found[f"{name}-detail"] = client.get(f"{API}/exchanges/FI/2027").json()
        found[f"{name}-page"] = _page(client.get(reverse("csbm:exchange", args=["FI", 2027])))
    found["public-index"] = _page(Client().get(reverse("csbm:exchanges"), {"year": 2027}))
    return found


@pytest.fixture
def finland(cast: Cast, states: Any, monkeypatch: pytest.MonkeyPatch) -> Cast:
    freeze_today(monkeypatch, date(2027, 3, 1))
    services.submit_exchange(None, state="FI", year=2027, submitted_on=date(2026, 12, 10),
                             units=[UnitIn("Karelia Brigade")], declared_evaluation_quota=1,
                             classification=Classification.PUBLIC)
    return cast


def _hidden_correction(cast: Cast) -> None:
    services.submit_exchange(cast.bob, state="FI", year=2027, submitted_on=date(2027, 1, 20),
                             units=[UnitIn("Karelia Brigade"), UnitIn("Kainuu Brigade")],
                             declared_evaluation_quota=1,
                             classification=Classification.CONFIDENTIAL)


def test_a_hidden_newer_version_does_not_mark_the_visible_one_superseded(finland: Cast) -> None:
    before = _answers(finland)
    _hidden_correction(finland)
    after = _answers(finland)
    assert after == before
    detail = after["public-detail"]
    assert (detail["version"], detail["is_current"]) == (1, True)
    assert "superseded" not in after["public-page"]


def test_the_owner_still_sees_the_correction_as_current(finland: Cast) -> None:
    _hidden_correction(finland)
    client = _token_client(finland.bob)
    assert client.get(f"{API}/exchanges/FI/2027").json()["version"] == 2
    first = client.get(f"{API}/exchanges/FI/2027", {"version": 1}).json()
    assert first["is_current"] is False
    listed = client.get(f"{API}/exchanges", {"year": 2027, "all_versions": True}).json()
    assert {(e["version"], e["is_current"]) for e in listed["items"]} == {(1, False), (2, True)}


def _record(client: Client, reference: str) -> Any:
    body = {"state": "FI", "reference": reference, "name": "Northern Shield",
            "start": "2027-05-01", "end": "2027-05-03", "troops": 100}
    return client.post(f"{API}/activities", json.dumps(body), content_type="application/json")


def test_a_reference_held_by_a_hidden_activity_answers_as_one_held_by_a_visible_one(
        cast: Cast, states: Any) -> None:
    for reference, level in (("alpine-secret", Classification.CONFIDENTIAL),
                             ("alpine-open", Classification.RESTRICTED)):
        services.record_activity(cast.alice, state="AT", reference=reference, name=reference,
                                 start=date(2027, 4, 1), end=date(2027, 4, 2),
                                 classification=level)
    client = _token_client(cast.bob)
    hidden, visible = (_record(client, ref) for ref in ("alpine-secret", "alpine-open"))
    assert hidden.status_code == visible.status_code == 422
    for body in (hidden.json(), visible.json()):
        body.pop("instance", None)
    assert hidden.json() | {"instance": ""} == visible.json() | {"instance": ""}
    assert "exists" not in hidden.json()["detail"]
    assert "alpine" not in hidden.json()["detail"]


def test_a_hidden_newer_calendar_does_not_hide_the_published_one(finland: Cast) -> None:
    services.submit_calendar(None, state="FI", year=2027, submitted_on=date(2026, 11, 10),
                             classification=Classification.PUBLIC)

    def public_calendars() -> Any:
        return Client().get(f"{API}/calendars", {"year": 2027}).json()

    before = public_calendars()
    services.submit_calendar(finland.bob, state="FI", year=2027,
                             submitted_on=date(2027, 1, 10),
                             classification=Classification.CONFIDENTIAL)
    assert public_calendars() == before
    assert [c["version"] for c in before["items"]] == [1]


def test_a_hidden_correction_does_not_mark_the_published_notification_superseded(
        finland: Cast) -> None:
    activity = services.record_activity(
        finland.bob, state="FI", reference="northern-shield", name="Northern Shield",
        start=date(2027, 5, 1), end=date(2027, 5, 3), troops=14000,
        classification=Classification.PUBLIC)
    services.notify_activity(finland.bob, activity, sent_on=date(2027, 3, 1),
                             classification=Classification.PUBLIC)

    def public_notifications() -> Any:
        return Client().get(f"{API}/notifications",
                            {"activity": "northern-shield", "current_only": True}).json()

    before = public_notifications()
    services.notify_activity(finland.bob, activity, sent_on=date(2027, 3, 2),
                             classification=Classification.CONFIDENTIAL,
                             correction_reason="Figures corrected.")
    assert public_notifications() == before
    assert [(n["version"], n["is_current"]) for n in before["items"]] == [(1, True)]
