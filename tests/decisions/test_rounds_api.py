"""The rounds API: list with a format filter, one round, record a round and a commitment, with
bearer tokens and problem+json on every refusal."""

from __future__ import annotations

import pytest

from hofburg.core.models import Classification
from hofburg.core.services.users import issue_api_token
from hofburg.decisions.models import Commitment, NegotiationRound
from tests.decisions.samples_rounds import a_round, make_formats

pytestmark = pytest.mark.django_db

API = "/api/v1/decisions"


@pytest.fixture
def formats(cast):
    return make_formats()


def bearer(user):
    _token, key = issue_api_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, path, body, user):
    return client.post(API + path, body, content_type="application/json", **bearer(user))


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    if field:
        assert response.json()["field"] == field


def test_a_round_and_a_commitment_are_recorded_and_read_back(cast, formats, client):
    created = post(client, "/rounds", {
        "format": "five-plus-two", "starts_on": "2018-05-29", "ends_on": "2018-05-30",
        "place": "Rome", "documents": ["Rome Protocol"], "classification": "public"}, cast.mona)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["format"], body["place"], body["documents"], body["is_exercise"]) == (
        "five-plus-two", "Rome", ["Rome Protocol"], False)
    assert {"role": "side", "state": "MD", "name": "", "affiliation": ""} in body["participants"]
    commitment = post(client, f"/rounds/{body['id']}/commitments", {
        "text": "Withdraw.", "kind": "withdrawal_of_weapons",
        "evidence_path": "/monitoring/events/7/"}, cast.mona)
    assert commitment.status_code == 201, commitment.content
    assert commitment.json()["evidence_path"] == "/monitoring/events/7/"
    read = client.get(f"{API}/rounds/{body['id']}").json()
    assert [c["text"] for c in read["commitments"]] == ["Withdraw."]
    assert read["date_precision"] == "day"


def test_the_list_filters_by_format(cast, formats, client):
    a_round(cast.mona)
    assert client.get(f"{API}/rounds").json()["count"] == 1
    assert client.get(f"{API}/rounds", {"format": "five-plus-two"}).json()["count"] == 1
    assert client.get(f"{API}/rounds", {"format": "exercise-talks"}).json()["count"] == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"format": "nowhere", "starts_on": "2026-01-01", "place": "x"}, "format"),
    ({"format": "five-plus-two", "starts_on": "2026-01-02", "ends_on": "2026-01-01",
      "place": "x"}, "ends_on"),
    ({"format": "five-plus-two", "starts_on": "2026-01-01", "place": "x",
      "participants": [{"role": "side", "state": "ZZ"}]}, "participants"),
])
def test_a_refused_round_is_problem_json_naming_the_field(cast, formats, client, body, field):
    assert_problem(post(client, "/rounds", body, cast.mona), 422, field)
    assert not NegotiationRound.objects.exists()


def test_refusals_are_problem_json(cast, formats, client):
    body = {"format": "five-plus-two", "starts_on": "2026-01-01", "place": "x"}
    assert_problem(client.post(f"{API}/rounds", body, content_type="application/json"), 401)
    assert_problem(post(client, "/rounds", body, cast.alice), 403)
    negotiation_round = a_round(cast.mona)
    assert_problem(post(client, f"/rounds/{negotiation_round.pk}/commitments",
                        {"text": "x", "evidence_path": "https://evil.example/"}, cast.mona),
                   422, "evidence_path")
    assert_problem(post(client, f"/rounds/{negotiation_round.pk}/commitments", {"text": "x"},
                        cast.alice), 403)
    assert_problem(client.get(f"{API}/rounds/999999"), 404)
    assert not Commitment.objects.exists()


def test_a_hidden_round_answers_404_to_a_commitment(cast, formats, client):
    hidden = a_round(cast.mona, classification=Classification.CONFIDENTIAL)
    assert_problem(post(client, f"/rounds/{hidden.pk}/commitments", {"text": "x"}, cast.bob), 404)
