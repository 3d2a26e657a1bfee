"""The write endpoints of /api/v1/csbm: exchanges, calendars and activity changes, called with
an API token as a delegation's client calls them, asserting the answer and what was stored."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from hofburg.core.models import ApiToken, Classification, User
from hofburg.csbm import services
from hofburg.csbm.models import Activity, AnnualCalendar, AnnualExchange, ExchangeHolding
from tests.conftest import Cast

API = "/api/v1/csbm"


def _token_client(user: User) -> Client:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", key_digest=ApiToken.digest(key))
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(f"{API}{path}", json.dumps(body), content_type="application/json")


def exchange_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "state": "AT", "year": 2027, "submitted_on": "2026-12-10",
        "units": [
            {"designation": "1. Division", "level": "formation", "personnel": 900},
            {"designation": "3. Mechanized Brigade", "subordinate_to": "1. Division",
             "unit_type": "mechanized", "personnel": 3200, "latitude": 48.2,
             "longitude": 16.4},
            {"designation": "7. Air Wing", "service": "air", "personnel": 800},
        ],
        "holdings": [
            {"category": "battle_tanks", "quantity": 40, "type_name": "Type A",
             "unit": "3. Mechanized Brigade"},
            {"category": "combat_aircraft", "quantity": 15, "unit": "7. Air Wing"},
            {"category": "towed_artillery", "quantity": 6},
        ],
        "declared_evaluation_quota": 1, "note": "Sent by note verbale.",
    }
    body.update(changes)
    return body


def test_a_delegate_submits_austrias_exchange_with_its_units_and_holdings(
        cast: Cast, states: Any) -> None:
    response = _post(_token_client(cast.alice), "/exchanges", exchange_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["version"], body["units_reported"], body["formations_and_units"],
            body["holdings_rows"], body["supersedes_version"]) == (1, 2, 3, 3, None)
    assert body["computed_evaluation_quota"] == body["declared_evaluation_quota"] == 1
    exchange = AnnualExchange.objects.get()
    assert exchange.submitted_by == cast.alice
    assert exchange.classification == Classification.RESTRICTED
    brigade = exchange.units.get(designation="3. Mechanized Brigade")
    assert brigade.parent is not None and brigade.parent.designation == "1. Division"
    assert ExchangeHolding.objects.get(category="battle_tanks").unit == brigade
    assert ExchangeHolding.objects.get(category="towed_artillery").unit is None


def test_a_second_submission_becomes_version_2_and_supersedes_version_1(
        cast: Cast, states: Any) -> None:
    client = _token_client(cast.alice)
    _post(client, "/exchanges", exchange_body())
    corrected = exchange_body(submitted_on="2027-01-20", holdings=[
        {"category": "battle_tanks", "quantity": 44, "unit": "3. Mechanized Brigade"}])
    response = _post(client, "/exchanges", corrected)
    assert response.status_code == 201, response.content
    assert (response.json()["version"], response.json()["supersedes_version"]) == (2, 1)
    first, second = AnnualExchange.objects.order_by("version")
    assert (first.is_current, second.is_current, second.supersedes) == (False, True, first)
    current = _token_client(cast.bob).get(f"{API}/exchanges/AT/2027").json()
    assert current["version"] == 2
    assert [h["quantity"] for h in current["holdings"]] == [44]
    kept = _token_client(cast.bob).get(f"{API}/exchanges/AT/2027", {"version": 1}).json()
    assert len(kept["holdings"]) == 3


def test_distribution_is_another_name_for_the_classification(cast: Cast, states: Any) -> None:
    response = _post(_token_client(cast.alice), "/exchanges",
                     exchange_body(distribution="public"))
    assert response.json()["classification"] == "public"
    assert Client().get(f"{API}/exchanges/AT/2027").status_code == 200


def test_another_states_delegate_cannot_submit_for_austria(cast: Cast, states: Any) -> None:
    response = _post(_token_client(cast.bob), "/exchanges", exchange_body())
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not AnnualExchange.objects.exists()


def test_an_analyst_without_a_delegation_cannot_submit(cast: Cast, states: Any) -> None:
    response = _post(_token_client(cast.carol), "/exchanges", exchange_body())
    assert response.status_code == 403
    assert not AnnualExchange.objects.exists()


def test_anonymous_callers_get_a_401_and_nothing_is_stored(states: Any, client: Client) -> None:
    response = _post(client, "/exchanges", exchange_body())
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert not AnnualExchange.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"holdings": [{"category": "spears", "quantity": 3}]}, "holdings[0].category"),
    ({"holdings": [{"category": "acvs", "quantity": 3, "unit": "9. Brigade"}]},
     "holdings[0].unit"),
    ({"units": [{"designation": "2. Brigade", "subordinate_to": "5. Division"}]},
     "units[0].parent"),
    ({"units": [{"designation": "2. Brigade"}, {"designation": "2. Brigade"}]},
     "units[1].designation"),
    ({"units": [{"designation": "2. Brigade", "personnel": -5}]}, "units.0.personnel"),
    ({"state": "XX"}, "state"),
    ({"is_nil": True}, "is_nil"),
])
def test_bad_rows_are_a_422_naming_the_field_and_nothing_is_stored(
        cast: Cast, states: Any, change: dict[str, Any], field: str) -> None:
    response = _post(_token_client(cast.alice), "/exchanges", exchange_body(**change))
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not AnnualExchange.objects.exists()
    assert not ExchangeHolding.objects.exists()


def test_a_refused_correction_leaves_the_current_version_current(
        cast: Cast, states: Any) -> None:
    client = _token_client(cast.alice)
    _post(client, "/exchanges", exchange_body())
    refused = _post(client, "/exchanges", exchange_body(
        holdings=[{"category": "spears", "quantity": 1}]))
    assert refused.status_code == 422
    assert list(AnnualExchange.objects.values_list("version", "is_current")) == [(1, True)]


# -- calendars --------------------------------------------------------------------------------


def _activity(reference: str, start: date, state: str = "AT") -> Activity:
    return services.record_activity(None, services.ActivityRecord(
        state=state, reference=reference, name=reference, start=start, end=start))


def test_a_delegate_submits_a_calendar_listing_its_activities(cast: Cast, states: Any) -> None:
    _activity("at-spring", date(2027, 4, 1))
    response = _post(_token_client(cast.alice), "/calendars", {
        "state": "AT", "year": 2027, "submitted_on": "2026-11-10",
        "activities": ["at-spring"]})
    assert response.status_code == 201, response.content
    assert response.json()["activities"] == ["at-spring"]
    assert Activity.objects.get().in_calendar_on == date(2026, 11, 10)
    second = _post(_token_client(cast.alice), "/calendars", {
        "state": "AT", "year": 2027, "submitted_on": "2026-12-01"})
    assert second.json()["version"] == 2 and second.json()["activities"] == []


def test_a_calendar_with_an_unknown_or_foreign_activity_is_refused(
        cast: Cast, states: Any) -> None:
    _activity("fi-autumn", date(2027, 9, 1), state="FI")
    client = _token_client(cast.alice)
    unknown = _post(client, "/calendars", {"state": "AT", "year": 2027,
                                          "submitted_on": "2026-11-10", "activities": ["nope"]})
    foreign = _post(client, "/calendars", {"state": "AT", "year": 2027,
                                          "submitted_on": "2026-11-10",
                                          "activities": ["fi-autumn"]})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "activities")
    assert (foreign.status_code, foreign.json()["field"]) == (422, "activities")
    assert not AnnualCalendar.objects.exists()


def test_only_the_states_delegation_submits_its_calendar(cast: Cast, states: Any,
                                                         client: Client) -> None:
    body = {"state": "AT", "year": 2027, "submitted_on": "2026-11-10"}
    assert _post(_token_client(cast.bob), "/calendars", body).status_code == 403
    assert _post(client, "/calendars", body).status_code == 401
    assert not AnnualCalendar.objects.exists()


# -- activity changes -------------------------------------------------------------------------


def test_a_delegate_changes_an_activity_of_its_state(cast: Cast, states: Any) -> None:
    _activity("at-spring", date(2027, 4, 1))
    response = _patch(_token_client(cast.alice), "/activities/AT/at-spring",
                      {"troops": 9500, "end": "2027-04-10", "classification": "public"})
    assert response.status_code == 200, response.content
    assert response.json()["classification_answers"]["notifiable"] is True
    stored = Activity.objects.get()
    assert (stored.troops, stored.end, stored.classification) == (
        9500, date(2027, 4, 10), "public")
    assert stored.name == "at-spring"  # left out, so kept


def test_a_change_that_makes_an_activity_end_before_it_starts_is_refused(
        cast: Cast, states: Any) -> None:
    _activity("at-spring", date(2027, 4, 1))
    response = _patch(_token_client(cast.alice), "/activities/AT/at-spring",
                      {"end": "2027-03-01", "troops": 100})
    assert (response.status_code, response.json()["field"]) == (422, "end")
    stored = Activity.objects.get()
    assert (stored.end, stored.troops) == (date(2027, 4, 1), None)


def test_a_required_field_cannot_be_emptied(cast: Cast, states: Any) -> None:
    _activity("at-spring", date(2027, 4, 1))
    response = _patch(_token_client(cast.alice), "/activities/AT/at-spring", {"name": None})
    assert (response.status_code, response.json()["field"]) == (422, "name")


def test_another_states_delegate_cannot_change_austrias_activity(
        cast: Cast, states: Any, client: Client) -> None:
    _activity("at-spring", date(2027, 4, 1))
    assert _patch(_token_client(cast.bob), "/activities/AT/at-spring",
                  {"troops": 1}).status_code == 403
    assert _patch(client, "/activities/AT/at-spring", {"troops": 1}).status_code == 401
    assert Activity.objects.get().troops is None


def test_an_activity_the_caller_may_not_see_is_a_404(cast: Cast, states: Any) -> None:
    _activity("at-spring", date(2027, 4, 1))  # restricted; nick has no affiliation
    response = _patch(_token_client(cast.nick), "/activities/AT/at-spring", {"troops": 1})
    assert response.status_code == 404
