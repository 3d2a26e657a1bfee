"""The statements and positions API: shapes, search, refusals as problem+json."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from hofburg.core import search
from hofburg.core.models import Classification, User
from hofburg.core.services.users import issue_api_token
from hofburg.decisions.models import Position, Statement
from hofburg.decisions.services.positions import set_instruction
from hofburg.decisions.services.statements import add_statement_translation, record_statement
from tests.conftest import Cast
from tests.decisions.samples_statements import (
    Delegates,
    delegates,
    draft,
    meeting,
    statement_input,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/decisions"


@pytest.fixture
def people(cast: Cast) -> Delegates:
    return delegates(cast)


def _client(user: User | None) -> Client:
    if user is None:
        return Client()
    _token, key = issue_api_token(user, "test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return dict(response.json())


def test_a_delegation_posts_a_distributed_statement(cast: Cast) -> None:
    plenary = meeting(classification=Classification.PUBLIC)
    response = _client(cast.alice).post(f"{API}/statements", {
        "body": "PC", "meeting": plenary.pk, "agenda_item": 1, "original_language": "en",
        "texts": {"en": "We align ourselves.", "ru": "Мы присоединяемся."},
        "aligned": ["Norway"], "classification": "OSCE+", "distribute": True,
    }, content_type="application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["symbol"] == "PC.DEL/1/26"
    assert body["delivered_on"] == "2026-03-05"
    assert body["meeting"] == {"id": plenary.pk, "journal_symbol": "PC.JOUR/1500",
                               "agenda_item": 1}
    assert body["delegation"] == "delegation-at"
    assert body["classification"] == "restricted"
    assert body["texts"] == {"en": "We align ourselves.", "ru": "Мы присоединяемся."}
    assert set(body["languages"]) == {"en", "ru"} and body["is_exercise"] is False


def test_the_list_searches_filters_and_pages(cast: Cast) -> None:
    for n in range(3):
        record_statement(cast.alice, statement_input(title=f"Austria {n}"))
    finnish = record_statement(cast.bob, statement_input(
        title="Finland", delivered_on=date(2026, 5, 1),
        texts={"en": "On the security of the Baltic seabed."}))
    add_statement_translation(cast.bob, finnish, "ru", "О безопасности морского дна.")

    def get(query: str) -> dict[str, Any]:
        response = Client().get(f"{API}/statements?{query}")
        assert response.status_code == 200, response.content
        return dict(response.json())

    page = get("limit=2")
    assert page["count"] == 4 and len(page["items"]) == 2
    assert page["items"][0]["title"] == "Finland"  # newest first
    hit = get("q=безопасности")["items"]
    assert [h["title"] for h in hit] == ["Finland"]
    assert "безопасности" in hit[0]["snippet"] and "texts" not in hit[0]
    assert get("delegation=delegation-fi")["count"] == 1
    assert get("since=2026-04-01")["count"] == 1
    assert get("until=2026-04-01")["count"] == 3
    assert get("body=FSC")["count"] == 0
    assert get("language=ru")["count"] == 1


def test_a_hidden_statement_is_a_404_and_never_counted(cast: Cast) -> None:
    hidden = record_statement(cast.alice, statement_input(
        classification=Classification.RESTRICTED, texts={"en": "A seabed survey."}))
    anonymous = Client()

    _problem(anonymous.get(f"{API}/statements/{hidden.pk}"), 404)
    assert anonymous.get(f"{API}/statements?q=seabed").json() == {"count": 0, "items": []}
    assert _client(cast.bob).get(f"{API}/statements?q=seabed").json()["count"] == 1


def test_a_meeting_the_caller_may_not_see_is_left_out(cast: Cast, people: Delegates) -> None:
    closed = meeting(classification=Classification.CONFIDENTIAL, owner=cast.cpc)
    statement = record_statement(people.sam, statement_input(meeting=closed.pk,
                                                             delegation="delegation-at"))
    for client in (Client(), _client(cast.alice)):
        assert client.get(f"{API}/statements/{statement.pk}").json()["meeting"] is None
        listed = client.get(f"{API}/statements").json()["items"]
        assert listed[0]["meeting"] is None
        assert client.get(f"{API}/statements?meeting={closed.pk}").json()["count"] == 0
    assert _client(people.sam).get(
        f"{API}/statements/{statement.pk}").json()["meeting"]["journal_symbol"] == "PC.JOUR/1500"


@pytest.mark.parametrize(("payload", "status", "field"), [
    ({"body": "PC", "original_language": "en", "texts": {"fr": "x"},
      "delivered_on": "2026-03-05"}, 422, "texts"),
    ({"body": "PC", "original_language": "en", "texts": {"en": "x"}}, 422, "delivered_on"),
    ({"body": "PC", "original_language": "en", "texts": {"en": "x"},
      "delivered_on": "2026-03-05", "delegation": "delegation-fi"}, 403, None),
    ({"body": "PC", "original_language": "en", "texts": {"en": "x"},
      "delivered_on": "2026-03-05", "meeting": 999}, 404, "meeting"),
    ({"body": "XX", "original_language": "en", "texts": {"en": "x"}}, 422, None),
])
def test_refusals_are_problems(cast: Cast, payload: dict[str, Any], status: int,
                               field: str | None) -> None:
    problem = _problem(_client(cast.alice).post(f"{API}/statements", payload,
                                                content_type="application/json"), status)
    if field:
        assert problem["field"] == field
    assert not Statement.objects.exists()


def test_writing_needs_a_token(cast: Cast) -> None:
    valid = {"body": "PC", "original_language": "en", "texts": {"en": "x"},
             "delivered_on": "2026-03-05"}
    _problem(Client().post(f"{API}/statements", valid, content_type="application/json"), 401)
    subject = draft(classification=Classification.PUBLIC)
    _problem(Client().put(f"{API}/drafts/{subject.pk}/position", {},
                          content_type="application/json"), 401)
    assert not Statement.objects.exists() and not Position.objects.exists()


def test_a_translation_is_added(cast: Cast) -> None:
    statement = record_statement(cast.alice, statement_input())
    url = f"{API}/statements/{statement.pk}/translations"
    response = _client(cast.alice).post(url, {"language": "fr", "text": "Texte français."},
                                        content_type="application/json")
    assert response.status_code == 201 and response.json()["texts"]["fr"] == "Texte français."
    _problem(_client(cast.alice).post(url, {"language": "fr", "text": "Encore."},
                                      content_type="application/json"), 409)
    _problem(_client(cast.bob).post(url, {"language": "de", "text": "Deutsch."},
                                    content_type="application/json"), 403)


def test_the_position_workflow_through_the_api(cast: Cast) -> None:
    subject = draft(classification=Classification.PUBLIC)
    alice = _client(cast.alice)
    url = f"{API}/drafts/{subject.pk}/position"

    response = alice.put(url, {"instruction": "Join if para 3 stays.", "red_lines": "No money.",
                               "received_on": "2026-03-01"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["classification"] == "confidential"
    response = alice.post(f"{url}/stances", {"revision": 1, "stance": "accept", "note": "ok"},
                          content_type="application/json")
    assert response.status_code == 201
    assert response.json()["stances"][0]["revision_symbol"] == "PC.DD/1/26/Rev.1"
    response = alice.post(f"{url}/outcome", {"outcome": "joined"},
                          content_type="application/json")
    assert response.json()["outcome"] == "joined"

    listed = alice.get(f"{API}/positions").json()
    assert listed["count"] == 1 and listed["items"][0]["red_lines"] == "No money."
    recorded_at = listed["items"][0]["stances"][0]["recorded_at"]
    assert recorded_at.endswith(("Z", "+00:00"))  # ISO 8601 with its offset


def test_positions_of_others_are_never_reached(cast: Cast, people: Delegates) -> None:
    subject = draft(classification=Classification.PUBLIC)
    set_instruction(cast.alice, subject, instruction="Secret.", red_lines="", received_on=None)
    for user in (cast.bob, people.sam, cast.dora, cast.carol, None):
        assert _client(user).get(f"{API}/positions").json() == {"count": 0, "items": []}
    _problem(_client(people.sam).put(f"{API}/drafts/{subject.pk}/position",
                                     {"instruction": "x"}, content_type="application/json"), 403)
    hidden = draft(2, classification=Classification.CONFIDENTIAL, owner=cast.cpc)
    _problem(_client(cast.alice).put(f"{API}/drafts/{hidden.pk}/position",
                                     {"instruction": "x"}, content_type="application/json"), 404)
    _problem(_client(cast.alice).post(f"{API}/drafts/{subject.pk}/position/stances",
                                      {"revision": 9, "stance": "accept"},
                                      content_type="application/json"), 422)
    assert Position.objects.count() == 1


def test_the_search_orders_newest_first_on_request_or_past_the_limit(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    for day in (3, 5, 4):
        statement = record_statement(cast.alice, statement_input(title=f"Day {day}"))
        Statement.objects.filter(pk=statement.pk).update(delivered_on=f"2026-03-0{day}")
    newest = ["Day 5", "Day 4", "Day 3"]
    asked = Client().get(f"{API}/statements?q=ceasefire&order=newest").json()
    assert [hit["title"] for hit in asked["items"]] == newest and asked["count"] == 3
    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    past = Client().get(f"{API}/statements?q=ceasefire").json()
    assert [hit["title"] for hit in past["items"]] == newest and past["count"] == 3
    refused = Client().get(f"{API}/statements?q=ceasefire&order=best")
    assert refused.status_code == 422
