"""The /api/v1/csbm endpoints, called as a client calls them: answers and what was stored."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from hofburg.core.models import ApiToken
from hofburg.csbm import services
from hofburg.csbm.models import Activity, Notification
from hofburg.csbm.services import UnitIn

pytestmark = pytest.mark.django_db

API = "/api/v1/csbm"


def _token_client(user) -> Client:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", key_digest=ApiToken.digest(key))
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_rulesets_are_listed_with_proposals_marked(client):
    body = client.get(f"{API}/rulesets").json()
    by_id = {r["id"]: r for r in body}
    assert by_id["vd2011"]["proposal"] is False
    assert by_id["joint-proposal-2019"]["proposal"] is True


def test_classify_answers_by_query_and_by_json_body_alike(client):
    figures = {"start": "2026-06-01", "end": "2026-06-10", "troops": 9500, "battle_tanks": 100}
    by_query = client.get(f"{API}/classify", figures).json()
    by_body = client.post(f"{API}/classify", json.dumps(figures),
                          content_type="application/json").json()
    assert by_query == by_body
    assert by_query["notifiable"] is True and by_query["observable"] is False
    assert by_query["notify_by"] == "2026-04-20"
    assert by_query["thresholds_crossed"]["notification"] == ["troops"]
    assert by_query["citations"]["notifiable"][0]["paragraph"]


def test_an_unknown_ruleset_is_a_problem_naming_the_known_ones(client):
    response = client.get(f"{API}/quota", {"units": 130, "ruleset": "vd2099"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "vd2011" in response.json()["detail"]


def test_quota_gives_the_evaluation_quota_and_the_cap_per_state(client):
    body = client.get(f"{API}/quota", {"units": 130}).json()
    assert (body["evaluation_quota"], body["max_from_one_state"]) == (3, 1)


def test_constraints_lists_the_breaches_of_the_posted_activities(client):
    activities = [{"id": f"a{n}", "state": "xa", "start": f"2026-0{n}-01",
                   "end": f"2026-0{n}-05", "troops": 45000} for n in (3, 6)]
    body = client.post(f"{API}/constraints", json.dumps({"activities": activities}),
                       content_type="application/json").json()
    assert "large_activities" in {b["rule"] for b in body["breaches"]}
    assert body["kept"] is False


def test_a_delegate_records_and_notifies_an_activity_with_a_token(cast, states):
    client = _token_client(cast.alice)
    created = client.post(f"{API}/activities", json.dumps({
        "state": "AT", "reference": "at-api-1", "name": "Exercise Api", "start": "2027-06-01",
        "end": "2027-06-10", "troops": 9500}), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["classification_answers"]["notifiable"] is True
    notified = client.post(f"{API}/activities/AT/at-api-1/notifications",
                           json.dumps({"sent_on": "2027-04-01"}),
                           content_type="application/json")
    assert notified.status_code == 201, notified.content
    assert notified.json()["ledger_sequence"] == 1
    assert Notification.objects.get().activity.reference == "at-api-1"
    listed = client.get(f"{API}/notifications").json()
    assert listed["count"] == 1


def test_a_refused_activity_is_a_problem_naming_the_field(cast, states):
    response = _token_client(cast.alice).post(f"{API}/activities", json.dumps({
        "state": "AT", "reference": "bad", "name": "Bad", "start": "2027-06-10",
        "end": "2027-06-01"}), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "end"
    assert not Activity.objects.exists()


def test_a_delegate_may_not_record_another_states_activity(cast, states):
    response = _token_client(cast.bob).post(f"{API}/activities", json.dumps({
        "state": "AT", "reference": "x", "name": "X", "start": "2027-06-01",
        "end": "2027-06-02"}), content_type="application/json")
    assert response.status_code == 403


def test_writing_needs_a_token(client, states):
    response = client.post(f"{API}/activities", json.dumps({
        "state": "AT", "reference": "x", "name": "X", "start": "2027-06-01",
        "end": "2027-06-02"}), content_type="application/json")
    assert response.status_code == 401


def test_an_exchange_is_read_with_its_units_holdings_and_computed_quota(cast, states):
    services.submit_exchange(cast.alice, services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=date(2026, 12, 1),
        units=[UnitIn(f"{n}. Brigade") for n in range(61)], declared_evaluation_quota=2))
    body = _token_client(cast.bob).get(f"{API}/exchanges/at/2027").json()
    assert body["units_reported"] == 61
    assert body["computed_evaluation_quota"] == 2
    assert len(body["units"]) == 61


def test_the_exchange_exports_as_csv_and_xlsx(cast, states):
    services.submit_exchange(cast.alice, services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=date(2026, 12, 1), units=[UnitIn("1. Brigade")],
        is_exercise=True, holdings=[services.HoldingIn("acvs", 12, unit="1. Brigade")]))
    client = _token_client(cast.bob)
    csv = client.get(f"{API}/exchanges/AT/2027/export", {"format": "csv"})
    assert csv.status_code == 200
    lines = csv.content.decode().splitlines()
    assert lines[0].endswith("exercise") and lines[1].endswith("yes")
    xlsx = client.get(f"{API}/exchanges/AT/2027/export", {"format": "xlsx", "part": "units"})
    assert xlsx.content[:2] == b"PK"


def test_the_scorecard_has_a_row_per_state_and_exports(cast, states):
    client = _token_client(cast.carol)
    rows = client.get(f"{API}/scorecard/2027", {"as_of": "2027-11-01"}).json()
    assert [r["state"] for r in rows] == sorted(states.codes)
    assert {r["exchange_status"] for r in rows} == {"missing"}
    export = client.get(f"{API}/scorecard/2027/export", {"format": "csv"})
    assert export.content.decode().splitlines()[0].startswith("state,state_name,year")


def test_what_if_compares_two_rulesets_over_visible_activities(cast, states):
    services.record_activity(None, services.ActivityRecord(
        state="RU", reference="near", name="Near the threshold", start=date(2027, 9, 14),
        end=date(2027, 9, 20), classification="public", details={"troops": 12700}))
    body = Client().get(f"{API}/what-if", {"a": "vd2011", "b": "joint-proposal-2019",
                                           "changed_only": False}).json()
    assert body["summary"]["activities"] == 1
    assert body["summary"]["proposal_involved"] is True
    assert body["activities"][0]["a"]["ruleset"] == "vd2011"
