"""The API for a patrol's other reports: weapon sightings, movement restrictions, civilian impact.

Each kind: stored once (a retry with the report id answers 200), a bad payload is a 422 problem
naming the field with nothing stored, and outsiders see nothing restricted (404 for details).
EXERCISE positions (open North Atlantic), as in rows.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from hofburg.core.models import Role, User
from hofburg.core.services.users import issue_api_token
from hofburg.monitoring.models import CivilianImpact, MovementRestriction, WeaponSighting
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
API = "/api/v1/monitoring"
PROBLEM = "application/problem+json"


def _bearer(cast: Cast, name: str = "mona") -> dict[str, Any]:
    _token, key = issue_api_token(getattr(cast, name), "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(path: str, data: Any, headers: dict[str, Any]) -> Any:
    return Client().post(f"{API}{path}", json.dumps(data), content_type="application/json",
                         **headers)


def _base(report_id: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"report_id": report_id, "observed_at": "2026-01-05T20:00:00+02:00",
                            "lon": -29.95, "lat": 48.0, "observer_id": "EX-PATROL-1",
                            "place": "EXERCISE hamlet", "notes": "EXERCISE", "is_exercise": True}
    data.update(changes)
    return data


def _sighting(report_id: str = "ws-1", **changes: Any) -> dict[str, Any]:
    return _base(report_id, **{"weapon_class": "mlrs", "weapon_type": "EXERCISE MLRS",
                               "calibre_mm": 122, "count": 2, **changes})


def _restriction(report_id: str = "fom-1", **changes: Any) -> dict[str, Any]:
    return _base(report_id, **{"kind": "denied_passage", "imposed_by": "armed_personnel",
                               **changes})


def _impact(report_id: str = "civ-1", **changes: Any) -> dict[str, Any]:
    return _base(report_id, **{"kind": "casualties", "object_type": "house", "injured": 1,
                               "reported_by": "hospital staff", **changes})


def _invalid_fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    return {error["field"] for error in response.json()["errors"]}


def _assert_hidden_from_outsiders(cast: Cast, path: str, pk: int) -> None:
    """The anonymous visitor and nick (registered, no affiliation) list nothing and get 404."""
    for client in (Client(), cast.client(cast.nick)):
        assert client.get(f"{API}{path}").json()["count"] == 0
        detail = client.get(f"{API}{path}/{pk}")
        assert detail.status_code == 404 and detail["Content-Type"] == PROBLEM


# --- weapon sightings ---------------------------------------------------------------------------


def test_a_weapon_sighting_is_stored_once_with_its_withdrawal_check_and_rule_source(
        cast: Cast) -> None:
    headers = _bearer(cast)
    first = _post("/weapon-sightings", _sighting(), headers)
    retry = _post("/weapon-sightings", _sighting(), headers)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    assert WeaponSighting.objects.count() == 1
    check = first.json()["withdrawal_check"]
    assert check["status"] in {"compliant", "in_violation"}
    assert check["required_km"] > 0 and check["reference_line"]
    assert "Package of Measures" in check["explanation"]  # the rule's source is cited
    detail = Client().get(f"{API}/weapon-sightings/{first.json()['id']}", **headers).json()
    assert detail["withdrawal_check"] == check and detail["count"] == 2
    real = _post("/weapon-sightings", _sighting("ws-2", is_exercise=False), headers)
    assert real.status_code == 201 and real.json()["withdrawal_check"] is None
    User.objects.create_user("mika", affiliation=cast.mission, roles=[Role.READER, Role.EDITOR])
    _token, key = issue_api_token(User.objects.get(username="mika"), "test")
    other_user = _post("/weapon-sightings", _sighting(), {"HTTP_AUTHORIZATION": f"Bearer {key}"})
    assert other_user.status_code == 409 and other_user["Content-Type"] == PROBLEM
    assert WeaponSighting.objects.count() == 2


@pytest.mark.parametrize(("changes", "field"), [
    ({"count": 0}, "count"),
    ({"lon": 200}, "lon"),
    ({"weapon_class": ""}, "weapon_class"),
    ({"report_id": "x" * 65}, "report_id"),
])
def test_an_invalid_weapon_sighting_is_a_problem_naming_the_field_and_stores_nothing(
        cast: Cast, changes: dict[str, Any], field: str) -> None:
    response = _post("/weapon-sightings", _sighting(**changes), _bearer(cast))
    assert field in _invalid_fields(response)
    assert not WeaponSighting.objects.exists()


def test_a_time_without_offset_is_refused_by_the_service_naming_the_field(cast: Cast) -> None:
    response = _post("/weapon-sightings", _sighting(observed_at="2026-01-05T20:00:00"),
                     _bearer(cast))
    assert _invalid_fields(response) == {"observed_at"}
    assert response.json()["field"] == "observed_at"
    assert not WeaponSighting.objects.exists()


def test_weapon_sightings_are_restricted_and_writes_need_an_affiliated_editor(
        cast: Cast) -> None:
    assert _post("/weapon-sightings", _sighting(), {}).status_code == 401
    refused = _post("/weapon-sightings", _sighting(), _bearer(cast, "nick"))
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM
    assert not WeaponSighting.objects.exists()
    pk = _post("/weapon-sightings", _sighting(), _bearer(cast)).json()["id"]
    _assert_hidden_from_outsiders(cast, "/weapon-sightings", pk)
    delegate = Client()
    headers = _bearer(cast, "alice")
    assert delegate.get(f"{API}/weapon-sightings", **headers).json()["count"] == 1
    assert delegate.get(f"{API}/weapon-sightings/{pk}", **headers).status_code == 200
    assert delegate.get(f"{API}/weapon-sightings/{pk + 1000}", **headers).status_code == 404


# --- freedom-of-movement restrictions -----------------------------------------------------------


def test_a_movement_restriction_is_stored_once_and_listed_by_date_and_kind(cast: Cast) -> None:
    headers = _bearer(cast)
    first = _post("/movement-restrictions", _restriction(), headers)
    retry = _post("/movement-restrictions", _restriction(), headers)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    assert first.json()["imposed_by"] == "armed_personnel"
    assert MovementRestriction.objects.count() == 1
    later = _restriction("fom-2", kind="uav_jamming", observed_at="2026-01-09T10:00:00+02:00")
    assert _post("/movement-restrictions", later, headers).status_code == 201

    def listed(**params: Any) -> list[str]:
        answer = Client().get(f"{API}/movement-restrictions", params, **headers).json()
        return [item["report_id"] for item in answer["items"]]

    assert listed() == ["fom-2", "fom-1"]  # newest first
    assert listed(start="2026-01-05", end="2026-01-06") == ["fom-1"]
    assert listed(start="2026-01-07") == ["fom-2"]
    assert listed(kind="uav_jamming") == ["fom-2"]
    assert listed(limit=1, offset=1) == ["fom-1"]
    backwards = Client().get(f"{API}/movement-restrictions",
                             {"start": "2026-01-09", "end": "2026-01-01"}, **headers)
    assert backwards.status_code == 422 and backwards["Content-Type"] == PROBLEM


@pytest.mark.parametrize(("changes", "field"), [
    ({"imposed_by": "Commander Smith"}, "imposed_by"),  # a category, never a named person
    ({"kind": "rude"}, "kind"),
    ({"lat": -91}, "lat"),
])
def test_an_invalid_movement_restriction_is_a_problem_naming_the_field_and_stores_nothing(
        cast: Cast, changes: dict[str, Any], field: str) -> None:
    response = _post("/movement-restrictions", _restriction(**changes), _bearer(cast))
    assert field in _invalid_fields(response)
    assert not MovementRestriction.objects.exists()


def test_movement_restrictions_are_restricted_and_confidential_ones_stay_with_the_mission(
        cast: Cast) -> None:
    headers = _bearer(cast)
    pk = _post("/movement-restrictions", _restriction(), headers).json()["id"]
    _assert_hidden_from_outsiders(cast, "/movement-restrictions", pk)
    secret = _post("/movement-restrictions", _restriction("fom-2", distribution="confidential"),
                   headers).json()["id"]
    delegate = _bearer(cast, "alice")
    assert Client().get(f"{API}/movement-restrictions/{secret}", **delegate).status_code == 404
    assert Client().get(f"{API}/movement-restrictions", **delegate).json()["count"] == 1
    assert Client().get(f"{API}/movement-restrictions/{secret}", **headers).status_code == 200


# --- civilian impact ----------------------------------------------------------------------------


def test_a_civilian_impact_report_is_stored_once_as_reported(cast: Cast) -> None:
    headers = _bearer(cast)
    first = _post("/civilian-impacts", _impact(), headers)
    retry = _post("/civilian-impacts", _impact(), headers)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    changed = _post("/civilian-impacts", _impact(injured=5), headers)  # not a retry: a conflict
    assert changed.status_code == 409 and "injured differ" in changed.json()["detail"]
    assert first.json()["kind"] == "casualties"
    assert (first.json()["killed"], first.json()["injured"]) == (0, 1)
    damage = _post("/civilian-impacts", _impact("civ-2", kind="damage", injured=0,
                                                object_type="school"), headers)
    assert damage.status_code == 201
    assert CivilianImpact.objects.count() == 2
    kinds = Client().get(f"{API}/civilian-impacts", {"kind": "damage"}, **headers).json()
    assert [item["report_id"] for item in kinds["items"]] == ["civ-2"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"killed": -1}, "killed"),
    ({"kind": "rumour"}, "kind"),
    ({"observed_at": "yesterday"}, "observed_at"),
])
def test_an_invalid_civilian_impact_is_a_problem_naming_the_field_and_stores_nothing(
        cast: Cast, changes: dict[str, Any], field: str) -> None:
    response = _post("/civilian-impacts", _impact(**changes), _bearer(cast))
    assert field in _invalid_fields(response)
    assert not CivilianImpact.objects.exists()


def test_outsiders_see_only_public_civilian_impact_reports(cast: Cast) -> None:
    headers = _bearer(cast)
    restricted = _post("/civilian-impacts", _impact(), headers).json()["id"]
    _assert_hidden_from_outsiders(cast, "/civilian-impacts", restricted)
    public = _post("/civilian-impacts", _impact("civ-2", distribution="public"),
                   headers).json()["id"]
    for client in (Client(), cast.client(cast.nick)):
        listed = client.get(f"{API}/civilian-impacts").json()
        assert [item["id"] for item in listed["items"]] == [public]
        assert client.get(f"{API}/civilian-impacts/{public}").status_code == 200
        assert client.get(f"{API}/civilian-impacts/{restricted}").status_code == 404
