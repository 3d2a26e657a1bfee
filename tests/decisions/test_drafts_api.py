"""The drafts API as a delegation and the Chair would script it: table, revise, diff, adopt,
place under silence, break it, let it expire, announce, attach statements; every refusal is
problem+json with the status its kind names, and a refused request stores nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from time_machine import TimeMachineFixture

from hofburg.core.models import Classification
from hofburg.decisions import sequences
from hofburg.decisions.models import Amendment, Attachment, Draft, Objection
from hofburg.documents.models import Document
from tests.conftest import Cast
from tests.core.conftest import media_root
from tests.decisions.samples_drafts import Caller, Desk, make_desk, make_meeting

# Stored files (the adopted texts in the library) go to a fresh folder per test.
__all__ = ["media_root"]

pytestmark = pytest.mark.django_db

@pytest.fixture
def desk(cast: Cast, clock: TimeMachineFixture) -> Desk:
    return make_desk(cast)


@pytest.fixture
def chair(desk: Desk) -> Caller:
    return Caller(desk.chair)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def _table(chair: Caller, title: str = "Convening a workshop", **extra: Any) -> dict[str, Any]:
    response = chair.post("/drafts", {"body": "PC", "title": title, "language": "en",
                                      "text": "The Council decides to convene a workshop.",
                                      **extra})
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def test_the_whole_cycle_at_a_meeting(desk: Desk, chair: Caller) -> None:
    with transaction.atomic():
        sequences.set_start("PC", "DEC", start=1308)  # the real sequence stood at PC.DEC/1307
    meeting = make_meeting(1400)
    austria = Caller(desk.cast.alice)

    created = _table(chair)
    assert created["symbol"] == "PC.DD/1/27"
    draft = f"/drafts/{created['id']}"
    amendment = austria.post(f"{draft}/amendments", {"text": "Add: in Vienna."})
    assert amendment.status_code == 201
    assert amendment.json()["delegation"] == "delegation-at"
    rev1 = chair.post(f"{draft}/revisions", {
        "text": "The Council decides to convene a workshop in Vienna.",
        "taken": [amendment.json()["id"]]})
    rev2 = chair.post(f"{draft}/revisions",
                      {"text": "The Council decides to convene two workshops in Vienna."})
    assert (rev1.status_code, rev1.json(), rev2.json()) == (
        201, {"symbol": "PC.DD/1/27/Rev.1"}, {"symbol": "PC.DD/1/27/Rev.2"})

    diff = austria.get(f"{draft}/diff?from=0&to=2&language=en")
    assert diff.status_code == 200
    assert diff.json()["from_revision"] == "PC.DD/1/27"
    assert diff.json()["to_revision"] == "PC.DD/1/27/Rev.2"
    assert {"op": "insert", "text": "two"} in diff.json()["segments"]
    _problem(austria.get(f"{draft}/diff?from=0&to=5"), 404)
    _problem(austria.get(f"{draft}/diff?from=0&to=2&language=fr"), 422)

    adopted = chair.post(f"{draft}/adopt", {"meeting": meeting.pk})
    assert (adopted.status_code, adopted.json()) == (
        200, {"status": "adopted", "decision_symbol": "PC.DEC/1308",
              "adoption_basis": "consensus", "states_concerned": []})
    shown = austria.get(draft).json()
    assert (shown["status"], shown["decision_symbol"], shown["is_exercise"]) == (
        "adopted", "PC.DEC/1308", False)
    assert [r["symbol"] for r in shown["revisions"]] == [
        "PC.DD/1/27", "PC.DD/1/27/Rev.1", "PC.DD/1/27/Rev.2"]
    assert shown["amendments"][0]["outcome"] == "taken"
    assert shown["adopted_meeting"] == "PC.JOUR/1400"

    second = _problem(chair.post(f"{draft}/adopt", {"meeting": meeting.pk}), 409)
    assert "already been adopted" in second["detail"]
    assert Document.objects.filter(symbol="PC.DEC/1308").count() == 1
    assert Document.objects.get(symbol="PC.DEC/1308").text.count("two workshops") == 1


def test_statements_are_numbered_per_decision_and_close_with_the_journal(
        desk: Desk, chair: Caller) -> None:
    meeting = make_meeting(1400)
    first = _table(chair)
    other = _table(chair, title="Other")
    for created in (first, other):
        chair.post(f"/drafts/{created['id']}/adopt", {"meeting": meeting.pk})
    austria, finland = Caller(desk.cast.alice), Caller(desk.cast.bob)
    statement = {"kind": "interpretative_statement", "text": "We read paragraph 2 so."}
    answers = [austria.post(f"/drafts/{first['id']}/statements", statement),
               finland.post(f"/drafts/{first['id']}/statements",
                            {**statement, "kind": "formal_reservation"}),
               finland.post(f"/drafts/{other['id']}/statements", statement)]
    assert [(a.status_code, a.json()) for a in answers] == [
        (201, {"attachment": 1}), (201, {"attachment": 2}), (201, {"attachment": 1})]
    shown = austria.get(f"/drafts/{first['id']}").json()
    assert [(a["number"], a["kind"], a["delegation"]) for a in shown["attachments"]] == [
        (1, "interpretative_statement", "delegation-at"),
        (2, "formal_reservation", "delegation-fi")]
    _problem(Caller(desk.partner).post(f"/drafts/{first['id']}/statements", statement), 403)
    meeting.journal_issued_at = timezone.now()
    meeting.save()
    _problem(austria.post(f"/drafts/{first['id']}/statements", statement), 409)
    assert Attachment.objects.count() == 3


def test_an_amendment_from_a_participating_state_breaks_silence(
        desk: Desk, chair: Caller) -> None:
    meeting = make_meeting(1400)
    created = _table(chair)
    draft = f"/drafts/{created['id']}"
    placed = chair.post(f"{draft}/silence", {
        "meeting": meeting.pk, "expires_at": _iso(timezone.now() + timedelta(days=2))})
    assert (placed.status_code, placed.json()) == (200, {"status": "under_silence"})
    partner = _problem(Caller(desk.partner).post(f"{draft}/objections",
                                                 {"kind": "objection", "text": "No."}), 403)
    assert "participating State" in partner["detail"]
    assert not Objection.objects.exists()

    broken = Caller(desk.cast.bob).post(f"{draft}/objections",
                                        {"kind": "amendment", "text": "Add: in Vienna."})
    assert broken.status_code == 201
    assert broken.json()["status"] == "silence_broken"
    shown = Caller(desk.cast.alice).get(draft).json()
    assert shown["status"] == "silence_broken"
    assert shown["objections"][0]["delegation"] == "delegation-fi"
    assert Amendment.objects.filter(draft_id=created["id"]).count() == 1


def test_an_identical_retry_under_its_key_gets_the_first_answer(desk: Desk) -> None:
    chair = Caller(desk.chair)
    body = {"body": "PC", "title": "Once", "text": "Only once.", "language": "en"}
    first = chair.post("/drafts", body, key="table-1")
    again = chair.post("/drafts", body, key="table-1")
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (
        201, 201, "true")
    assert again.json() == first.json() and Draft.objects.count() == 1
    meeting = make_meeting(1400)
    chair.post(f"/drafts/{first.json()['id']}/silence", {
        "meeting": meeting.pk, "expires_at": _iso(timezone.now() + timedelta(days=1))})
    finland = Caller(desk.cast.bob)
    objection = {"kind": "objection", "text": "We object."}
    answers = [finland.post(f"/drafts/{first.json()['id']}/objections", objection, key="o-1")
               for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json() and Objection.objects.count() == 1
    _problem(finland.post(f"/drafts/{first.json()['id']}/objections",
                          {**objection, "text": "Other"}, key="o-1"), 409)


def test_silence_expires_into_an_adoption_numbered_when_announced(
        desk: Desk, chair: Caller, clock: TimeMachineFixture) -> None:
    with transaction.atomic():
        sequences.set_start("PC", "DEC", start=1308)
    created = _table(chair)
    draft = f"/drafts/{created['id']}"
    expiry = timezone.now() + timedelta(days=2)
    chair.post(f"{draft}/silence", {"meeting": make_meeting(1400).pk,
                                    "expires_at": _iso(expiry)})
    assert Caller(desk.cast.alice).get(draft).json()["status"] == "under_silence"
    clock.shift(timedelta(days=2, minutes=1))
    late = _problem(Caller(desk.cast.alice).post(f"{draft}/objections",
                                                 {"kind": "objection", "text": "No."}), 409)
    assert "expired" in late["detail"]
    shown = Caller(desk.cast.alice).get(draft).json()
    assert (shown["status"], shown["decision_symbol"], shown["adopted_by"]) == (
        "adopted", None, "silence")
    listed = Caller(desk.cast.alice).get("/drafts?status=adopted").json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert Caller(desk.cast.alice).get("/drafts?status=under_silence").json()["count"] == 0
    clock.shift(timedelta(days=1))
    announced = chair.post(f"{draft}/announce", {"meeting": make_meeting(1401).pk})
    assert (announced.status_code, announced.json()) == (
        200, {"status": "adopted", "decision_symbol": "PC.DEC/1308",
              "adoption_basis": "silence", "states_concerned": []})
    assert Caller(desk.cast.alice).get(draft).json()["decision_symbol"] == "PC.DEC/1308"
    _problem(chair.post(f"{draft}/announce", {"meeting": make_meeting(1402).pk}), 409)


def test_who_may_not_is_refused_and_bad_values_name_their_field(
        desk: Desk, chair: Caller) -> None:
    created = _table(chair)
    draft = f"/drafts/{created['id']}"
    meeting = make_meeting(1400)
    reader = Caller(desk.cast.carol)  # an analyst: reads, may not chair
    assert reader.get(draft).status_code == 200
    for path, body in (("/drafts", {"body": "PC", "title": "t", "text": "x",
                                    "language": "en"}),
                       (f"{draft}/revisions", {"text": "x"}),
                       (f"{draft}/adopt", {"meeting": meeting.pk}),
                       (f"{draft}/silence", {"meeting": meeting.pk,
                                             "expires_at": "2027-02-01T12:00:00+01:00"}),
                       (f"{draft}/objections", {"kind": "objection", "text": "No."}),
                       (f"{draft}/amendments", {"text": "No."})):
        _problem(reader.post(path, body), 403)
    _problem(Caller(None).post("/drafts", {"body": "PC", "title": "t", "text": "x",
                                           "language": "en"}), 401)
    bad = _problem(chair.post(f"{draft}/silence", {"meeting": meeting.pk,
                                                   "expires_at": "2027-02-01T12:00:00"}), 422)
    assert bad["field"] == "expires_at"
    assert _problem(chair.post("/drafts", {"body": "XX", "title": "t", "text": "x",
                                           "language": "en"}), 422)["field"] == "body"
    _problem(chair.post(f"{draft}/adopt", {"meeting": 999_999}), 404)
    assert Draft.objects.get().status == Draft.Status.DRAFT


def test_the_list_and_the_status_table(desk: Desk, chair: Caller) -> None:
    plain = _table(chair, title="Plain")
    silent = _table(chair, title="Silent")
    chair.post(f"/drafts/{silent['id']}/silence", {
        "meeting": make_meeting(1400).pk,
        "expires_at": _iso(timezone.now() + timedelta(days=3))})
    _table(chair, title="Hidden", classification=Classification.CONFIDENTIAL)
    table = Caller(desk.cast.alice).get("/status-table?body=PC")
    assert table.status_code == 200
    assert [(r["symbol"], r["status"], r["days_under_silence"]) for r in table.json()] == [
        (plain["symbol"], "draft", None), (silent["symbol"], "under_silence", 0)]
    assert len(chair.get("/status-table").json()) == 3
    assert Caller(None).get("/status-table").json() == []
    listed = Caller(desk.cast.alice).get("/drafts?body=PC&status=under_silence").json()
    assert [item["symbol"] for item in listed["items"]] == [silent["symbol"]]
    assert Caller(desk.cast.alice).get("/drafts?body=FSC").json()["count"] == 0

