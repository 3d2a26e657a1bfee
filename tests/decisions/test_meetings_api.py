"""The meetings API at /api/v1/decisions/: shapes, refusals as problem+json, the journal."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hofburg.core.models import Classification, User
from hofburg.core.services.users import issue_api_token
from hofburg.decisions import sequences
from hofburg.decisions.models import Meeting
from tests.conftest import Cast
from tests.decisions.samples_meetings import (
    Chairs,
    add_decision,
    add_statement,
    attach,
    make_chairs,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/decisions"


def _client(user: User | None) -> Client:
    if user is None:
        return Client()
    _token, key = issue_api_token(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def _is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def chairs(cast: Cast) -> Chairs:
    return make_chairs(cast)


def test_convening_answers_the_number_and_the_journal_symbol(cast: Cast, chairs: Chairs) -> None:
    sequences.set_start("PC", "JOUR", start=1501)
    response = _post(_client(cast.alice), "/meetings",
                     {"body": "PC", "date": "2026-03-12", "kind": "regular"})
    assert response.status_code == 201
    meeting = Meeting.objects.get()
    assert response.json() == {"id": meeting.pk, "number": 1501,
                               "journal_symbol": "PC.JOUR/1501"}
    assert meeting.starts_at.isoformat().startswith("2026-03-12T09:00")


def test_the_ministerial_council_meets_adopts_and_appends_to_its_journal(
        cast: Cast, chairs: Chairs) -> None:
    """The MC's journal series is assumed like the PC's (labelled unconfirmed in the data); a
    draft tabled for the MC is numbered in the MC's per-year series when adopted there."""
    chair = _client(cast.alice)
    convened = _post(chair, "/meetings", {"body": "MC", "date": "2026-03-12", "kind": "regular"})
    assert convened.status_code == 201, convened.content
    assert convened.json()["journal_symbol"] == "MC.JOUR/1"
    tabled = _post(chair, "/drafts", {"body": "MC", "title": "Ministerial declaration",
                                      "text": "The Ministerial Council declares.",
                                      "language": "en"})
    assert tabled.status_code == 201, tabled.content
    assert tabled.json()["symbol"].startswith("MC.DD/1/")
    adopted = _post(chair, f"/drafts/{tabled.json()['id']}/adopt",
                    {"meeting": convened.json()["id"]})
    assert adopted.status_code == 200, adopted.content
    assert adopted.json()["decision_symbol"] == "MC.DEC/1/26"
    journal = chair.get(f"{API}/journal", {"symbol": "MC.JOUR/1"})
    assert journal.status_code == 200, journal.content
    assert "MC.DEC/1/26" in journal.content.decode()


def test_refusals_are_problems(cast: Cast, chairs: Chairs) -> None:
    body = {"body": "PC", "date": "2026-03-12", "kind": "regular"}
    assert _is_problem(_post(_client(None), "/meetings", body), 401)
    assert _is_problem(_post(_client(cast.bob), "/meetings", body), 403)
    assert _is_problem(_post(_client(cast.alice), "/meetings", {**body, "kind": "informal"}),
                       422)["field"] == "kind"
    assert _is_problem(_post(_client(cast.alice), "/meetings", {**body, "body": "SUMMIT"}),
                       422)["field"] == "body"
    assert not Meeting.objects.exists()


def test_agenda_and_issue_with_a_second_issue_a_conflict(cast: Cast, chairs: Chairs) -> None:
    client = _client(cast.alice)
    meeting_id = _post(client, "/meetings", {"body": "PC", "date": "2026-03-12"}).json()["id"]
    first = _post(client, f"/meetings/{meeting_id}/agenda", {"title": "Opening"})
    second = _post(client, f"/meetings/{meeting_id}/agenda", {"title": "Current issues"})
    assert (first.status_code, first.json()) == (201, {"number": 1, "title": "Opening"})
    assert second.json()["number"] == 2
    assert _is_problem(_post(_client(cast.bob), f"/meetings/{meeting_id}/agenda",
                             {"title": "Bob's"}), 403)
    issued = _post(client, f"/meetings/{meeting_id}/issue")
    assert issued.status_code == 200 and issued.json()["journal_issued_at"]
    assert _is_problem(_post(client, f"/meetings/{meeting_id}/issue"), 409)
    assert _is_problem(_post(client, f"/meetings/{meeting_id}/agenda", {"title": "Late"}), 409)
    detail = client.get(f"{API}/meetings/{meeting_id}").json()
    assert [item["number"] for item in detail["agenda"]] == [1, 2]
    assert detail["journal_symbol"] == "PC.JOUR/1" and detail["is_exercise"] is False


def test_the_list_is_paged_and_filtered_and_hides_what_it_must(cast: Cast,
                                                               chairs: Chairs) -> None:
    from datetime import date

    from hofburg.decisions.services.meetings import create_meeting

    create_meeting(chairs.secretary, body="PC", date=date(2026, 3, 12))
    create_meeting(chairs.secretary, body="FSC", date=date(2026, 3, 12))
    create_meeting(chairs.secretary, body="PC", date=date(2025, 3, 13))
    hidden = create_meeting(chairs.secretary, body="PC", date=date(2026, 3, 19),
                            classification=Classification.CONFIDENTIAL)
    public = Client().get(f"{API}/meetings").json()
    assert public["count"] == 3
    assert hidden.journal_symbol not in {m["journal_symbol"] for m in public["items"]}
    pcs = Client().get(f"{API}/meetings?body=PC&year=2026&limit=1").json()
    assert pcs["count"] == 1 and pcs["items"][0]["journal_symbol"] == "PC.JOUR/1"
    assert _is_problem(Client().get(f"{API}/meetings/{hidden.pk}"), 404)
    assert _is_problem(Client().get(f"{API}/meetings/999999"), 404)
    assert _client(chairs.secretary).get(f"{API}/meetings/{hidden.pk}").status_code == 200


def test_the_journal_as_json_by_its_symbol(cast: Cast, chairs: Chairs) -> None:
    from datetime import date

    from hofburg.decisions.services.meetings import add_agenda_item, create_meeting

    meeting = create_meeting(chairs.secretary, body="PC", date=date(2026, 3, 12))
    item = add_agenda_item(chairs.secretary, meeting, "Current issues")
    add_statement(meeting, item, cast.finland, speaker="Finland", symbol="PC.DEL/3/26")
    add_statement(meeting, item, cast.austria, speaker="Austria (restricted)",
                  classification=Classification.RESTRICTED)
    decision = add_decision(meeting, number=9, title="Decision on X", text="Text of X")
    attach(decision, cast.finland, number=1, text="Reading")
    data = Client().get(f"{API}/journal", {"symbol": "PC.JOUR/1"}).json()
    assert data["heading"] == "Journal No. 1"
    assert [s["line"] for s in data["agenda"][0]["statements"]] == ["Finland (PC.DEL/3/26)"]
    assert data["decisions"][0]["decision_symbol"] == "PC.DEC/9"
    assert data["decisions"][0]["attachments"][0]["reference"].endswith(
        "see attachment 1 to the decision)")
    assert data["starts_at"].startswith("2026-03-12T")
    entitled = _client(cast.bob).get(f"{API}/journal", {"symbol": "PC.JOUR/1"}).json()
    assert len(entitled["agenda"][0]["statements"]) == 2
    assert _is_problem(Client().get(f"{API}/journal", {"symbol": "PC.JOUR/77"}), 404)
    assert _is_problem(Client().get(f"{API}/journal"), 422)
