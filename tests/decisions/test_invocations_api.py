"""The invocations API as a delegation or the Secretariat would script it: record, list with
filters, read one; every refusal problem+json with the status its kind names and nothing
stored; a retry under its `Idempotency-Key` answered as the first and stored once."""

from __future__ import annotations

from typing import Any

import pytest
from time_machine import TimeMachineFixture

from hofburg.core.models import Classification
from hofburg.decisions.models import Invocation, InvokingState
from tests.conftest import Cast
from tests.decisions.samples_drafts import Caller, make_meeting
from tests.decisions.samples_invocations import Desk, an_invocation, make_desk

pytestmark = pytest.mark.django_db

MOSCOW = {"mechanism": "moscow", "states": ["AT", "FI"], "invoked_on": "2026-03-02",
          "summary": "Invoked to request information.", "classification": "public"}


@pytest.fixture
def desk(cast: Cast, clock: TimeMachineFixture) -> Desk:
    return make_desk(cast)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def test_a_delegation_records_an_invocation_and_reads_it_back(desk: Desk) -> None:
    meeting = make_meeting(1400, classification=Classification.PUBLIC)
    austria = Caller(desk.cast.alice)
    created = austria.post("/invocations", {**MOSCOW, "meeting": meeting.pk,
                                            "source": "PC.DEL/12/26"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"], "mechanism": "moscow", "mechanism_name": "Moscow Mechanism",
        "states": [{"code": "AT", "name": "Austria"}, {"code": "FI", "name": "Finland"}],
        "invoked_on": "2026-03-02", "body": "PC",
        "meeting": {"id": meeting.pk, "journal_symbol": "PC.JOUR/1400"},
        "summary": "Invoked to request information.", "source": "PC.DEL/12/26",
        "confidence": "", "classification": "public", "owner": "delegation-at",
        "is_exercise": False}
    assert Caller(None).get(f"/invocations/{body['id']}").json() == body


def test_the_list_filters_by_mechanism_and_state(desk: Desk) -> None:
    moscow = an_invocation(desk.cast.alice, classification=Classification.PUBLIC)
    finland = an_invocation(desk.cast.bob, mechanism="valletta", states=["FI"],
                            classification=Classification.PUBLIC)
    reader = Caller(None)

    def ids(query: str) -> list[int]:
        answer = reader.get(f"/invocations{query}").json()
        assert answer["count"] == len(answer["items"])
        return [item["id"] for item in answer["items"]]

    assert sorted(ids("")) == sorted([moscow.pk, finland.pk])
    assert ids("?mechanism=valletta") == [finland.pk]
    assert ids("?state=at") == [moscow.pk]
    assert ids("?state=FI&mechanism=moscow") == []
    assert ids("?state=exercise-north") == []


def test_refusals_are_problems_and_store_nothing(desk: Desk) -> None:
    finland = Caller(desk.cast.bob)
    not_own = _problem(finland.post("/invocations", {**MOSCOW, "states": ["AT"]}), 403)
    assert not_own["field"] == "states" and "your own State" in not_own["detail"]
    _problem(Caller(desk.cast.carol).post("/invocations", MOSCOW), 403)
    _problem(Caller(desk.partner).post("/invocations", {**MOSCOW, "states": ["JP"]}), 403)
    _problem(Caller(None).post("/invocations", MOSCOW), 401)
    partner = _problem(Caller(desk.chair).post("/invocations", {**MOSCOW, "states": ["JP"]}),
                       422)
    assert partner["field"] == "states" and "Partner for Co-operation" in partner["detail"]
    adoption = _problem(finland.post("/invocations", {
        **MOSCOW, "mechanism": "consensus_minus_one"}), 422)
    assert adoption["field"] == "mechanism"
    assert _problem(finland.post("/invocations", {**MOSCOW, "states": []}), 422)["field"] == (
        "states")
    hidden = make_meeting(1400, classification=Classification.CONFIDENTIAL,
                          owner=desk.cast.austria)
    _problem(finland.post("/invocations", {**MOSCOW, "meeting": hidden.pk}), 404)
    _problem(finland.get("/invocations/999999"), 404)
    assert not Invocation.objects.exists() and not InvokingState.objects.exists()


def test_a_retry_under_its_key_is_answered_as_the_first_and_stored_once(desk: Desk) -> None:
    austria = Caller(desk.cast.alice)
    first = austria.post("/invocations", MOSCOW, key="invocation-1")
    again = austria.post("/invocations", MOSCOW, key="invocation-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Invocation.objects.count() == 1 and InvokingState.objects.count() == 2
    other = _problem(austria.post("/invocations", {**MOSCOW, "summary": "Something else."},
                                  key="invocation-1"), 409)
    assert "summary" in other["detail"]
    assert Invocation.objects.count() == 1


def test_a_refused_request_may_be_corrected_under_the_same_key(desk: Desk) -> None:
    austria = Caller(desk.cast.alice)
    _problem(austria.post("/invocations", {**MOSCOW, "source": "javascript:alert(1)"},
                          key="invocation-2"), 422)
    corrected = austria.post("/invocations", {**MOSCOW, "source": "https://www.osce.org/"},
                             key="invocation-2")
    assert corrected.status_code == 201
    assert Invocation.objects.get().source == "https://www.osce.org/"


def test_an_exercise_delegation_records_exercise_invocations(desk: Desk) -> None:
    north = Caller(desk.exercise_north)
    created = north.post("/invocations", {**MOSCOW, "states": ["exercise-north"]})
    assert created.status_code == 201, created.content
    assert created.json()["is_exercise"] is True
    assert created.json()["states"] == [{"code": "exercise-north", "name": "EXERCISE Northland"}]
    _problem(north.post("/invocations", {**MOSCOW, "states": ["exercise-north", "AT"]}), 422)
