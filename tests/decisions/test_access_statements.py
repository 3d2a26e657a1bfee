"""The leak walk of statements and positions: each viewer finds exactly what they may see
through every route — pages, API, CSV, search, the audit trail — and a 404 for the rest, with
no count that gives a hidden record away.

The records: a public statement of Austria, a restricted one of Finland, a public one delivered
at a meeting only the Secretariat's Conflict Prevention Centre may see, and Austria's
confidential position on a public draft.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from django.test import Client

from hofburg.core.models import Classification, User
from hofburg.decisions.models import Draft, Statement
from hofburg.decisions.services.positions import record_stance, report_outcome, set_instruction
from hofburg.decisions.services.statements import record_statement
from tests.conftest import Cast
from tests.decisions.samples_statements import delegates, draft, meeting, statement_input

pytestmark = pytest.mark.django_db
API = "/api/v1/decisions"
SECRET_WORDS = ("Zanzibarred", "Quokkaline", "Wombatnote", "Numbatoutcome")


@dataclass
class World:
    public: Statement
    restricted: Statement
    at_closed_meeting: Statement
    subject: Draft
    users: dict[str, User | None]


@pytest.fixture
def world(cast: Cast) -> World:
    people = delegates(cast)
    closed = meeting(1501, classification=Classification.CONFIDENTIAL, owner=cast.cpc)
    public = record_statement(cast.alice, statement_input(
        title="Public one", texts={"en": "Transparency matters."}, distribute=True))
    restricted = record_statement(cast.bob, statement_input(
        title="Restricted one", classification=Classification.RESTRICTED,
        texts={"en": "The seabed survey."}))
    at_closed = record_statement(people.sam, statement_input(
        title="At a closed meeting", meeting=closed.pk, delegation="delegation-fi",
        texts={"en": "Heard behind closed doors."}))
    subject = draft(classification=Classification.PUBLIC, title="Draft on water")
    set_instruction(cast.alice, subject, instruction=f"Capital says {SECRET_WORDS[0]}.",
                    red_lines=SECRET_WORDS[1], received_on=None)
    record_stance(cast.alice, subject, 1, "oppose", SECRET_WORDS[2])
    report_outcome(cast.alice, subject, "not_adopted", SECRET_WORDS[3])
    cast.dora.is_staff = True  # an administrator may also open the admin site
    cast.dora.save()
    users: dict[str, User | None] = {
        "anonymous": None, "nick": cast.nick, "bob": cast.bob, "carol": cast.carol,
        "dora": cast.dora, "sam": people.sam, "mona": cast.mona, "alice": cast.alice,
        "anna": people.anna}
    return World(public, restricted, at_closed, subject, users)


# Who sees what: restricted statements need an affiliation; the closed meeting is the CPC's;
# the position is Austria's.
ENTITLED = {"bob", "carol", "dora", "sam", "mona", "alice", "anna"}
SEE_MEETING = {"carol", "dora", "sam"}
DELEGATION_OF_AUSTRIA = {"alice", "anna"}
VIEWERS = ["anonymous", "nick", "bob", "carol", "dora", "sam", "mona", "alice", "anna"]


def _client(world: World, who: str) -> Client:
    client = Client()
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return client


def _titles_expected(who: str) -> set[str]:
    titles = {"Public one", "At a closed meeting"}
    return titles | {"Restricted one"} if who in ENTITLED else titles


@pytest.mark.parametrize("who", VIEWERS)
def test_each_viewer_finds_exactly_the_statements_they_may_see(world: World, who: str) -> None:
    client = _client(world, who)
    listed = client.get(f"{API}/statements").json()
    assert {item["title"] for item in listed["items"]} == _titles_expected(who)
    assert listed["count"] == len(_titles_expected(who))

    page = client.get("/decisions/statements/").content.decode()
    for title in ("Public one", "Restricted one", "At a closed meeting"):
        assert (title in page) == (title in _titles_expected(who)), title

    exported = client.get("/decisions/statements/?format=csv").content.decode()
    assert {row["title"] for row in csv.DictReader(io.StringIO(exported))} == (
        _titles_expected(who))

    restricted_status = 200 if who in ENTITLED else 404
    assert client.get(f"{API}/statements/{world.restricted.pk}").status_code == (
        restricted_status)
    assert client.get(f"/decisions/statements/{world.restricted.pk}/").status_code == (
        restricted_status)
    assert client.get(f"{API}/statements/{world.public.pk}").status_code == 200


@pytest.mark.parametrize("who", VIEWERS)
def test_search_counts_only_what_the_viewer_may_see(world: World, who: str) -> None:
    client = _client(world, who)
    expected = 1 if who in ENTITLED else 0
    assert client.get(f"{API}/statements?q=seabed").json()["count"] == expected
    page = client.get("/decisions/statements/?q=seabed").content.decode()
    assert (f"{expected} statement" in page) and (("survey" in page) == bool(expected))
    assert client.get(f"{API}/statements?q=transparency").json()["count"] == 1
    # A position is never a statement: its words are found nowhere.
    for word in SECRET_WORDS:
        assert client.get(f"{API}/statements?q={word}").json()["count"] == 0


@pytest.mark.parametrize("who", VIEWERS)
def test_the_closed_meeting_shows_only_to_those_who_may_see_it(world: World, who: str) -> None:
    client = _client(world, who)
    pk = world.at_closed_meeting.pk
    detail = client.get(f"{API}/statements/{pk}").json()
    assert (detail["meeting"] is not None) == (who in SEE_MEETING)
    for route in (f"/decisions/statements/{pk}/", "/decisions/statements/",
                  "/decisions/statements/?format=csv", f"{API}/statements"):
        body = client.get(route).content.decode()
        assert ("PC.JOUR/1501" in body) == (who in SEE_MEETING), route
    meeting_id = world.at_closed_meeting.meeting_id
    assert client.get(f"{API}/statements?meeting={meeting_id}").json()["count"] == (
        1 if who in SEE_MEETING else 0)


@pytest.mark.parametrize("who", VIEWERS)
def test_the_position_is_known_to_its_delegation_alone(world: World, who: str) -> None:
    client = _client(world, who)
    insider = who in DELEGATION_OF_AUSTRIA
    # What each route shows the delegation itself (the tracker leaves the stances' notes to
    # the draft's page); everyone else must find none of it anywhere.
    shown_to_insiders = {
        "/decisions/positions/": {SECRET_WORDS[0], SECRET_WORDS[1], SECRET_WORDS[3]},
        f"/decisions/positions/{world.subject.pk}/": set(SECRET_WORDS),
        f"{API}/positions": set(SECRET_WORDS),
    }
    routes = [*shown_to_insiders, "/audit/", "/audit/?type=decisions.Position",
              "/admin/core/auditentry/", "/decisions/statements/?format=csv",
              f"/decisions/statements/?format=csv&q={SECRET_WORDS[0]}"]
    for route in routes:
        body = client.get(route).content.decode()
        expected = shown_to_insiders.get(route, set()) if insider else set()
        assert {word for word in SECRET_WORDS if word in body} == expected, route
    positions = client.get(f"{API}/positions").json()
    assert positions["count"] == (1 if insider else 0)
    detail = client.get(f"/decisions/positions/{world.subject.pk}/")
    if who == "anonymous":
        assert detail.status_code == 302  # to sign in
    elif who in {"bob", "alice", "anna"}:
        assert detail.status_code == 200  # a delegation's page: Finland's shows nothing
    else:
        assert detail.status_code == 404


def test_the_audit_withholds_the_positions_details_from_the_administrator(world: World) -> None:
    page = _client(world, "dora").get("/audit/?type=decisions.Position").content.decode()
    assert "details withheld" in page
    assert "position on draft" not in page
    assert world.subject.title not in page


def test_another_delegation_writing_its_own_position_never_touches_austrias(
        world: World, cast: Cast) -> None:
    set_instruction(cast.bob, world.subject, instruction="Finland's own.", red_lines="",
                    received_on=None)
    bob = _client(world, "bob")
    body = bob.get(f"/decisions/positions/{world.subject.pk}/").content.decode()
    assert "Finland&#x27;s own." in body or "Finland's own." in body
    assert all(word not in body for word in SECRET_WORDS)
    alice_api = _client(world, "alice").get(f"{API}/positions").json()
    assert [p["instruction"] for p in alice_api["items"]] == [
        f"Capital says {SECRET_WORDS[0]}."]
