"""The leak walk of meetings and journals: each viewer finds exactly the meetings, statements
and decisions they may see through every route (pages, API, PDF, command line), and a 404
for the rest, with no count that gives a hidden record away.

Three meetings, one of each classification (the confidential one belongs to the Secretariat),
each with statements and decisions of every classification mixed together.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.test import Client
from pypdf import PdfReader
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.core.models import Classification, User
from hofburg.core.services.users import issue_api_token
from hofburg.decisions.models import Meeting
from hofburg.decisions.services.meetings import add_agenda_item, create_meeting
from tests.conftest import Cast
from tests.decisions.samples_meetings import (
    MEETING_DAY,
    add_decision,
    add_statement,
    make_chairs,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/decisions"
LEVELS = (Classification.PUBLIC, Classification.RESTRICTED, Classification.CONFIDENTIAL)


@dataclass
class World:
    meetings: dict[str, Meeting]  # by classification
    secretary: User


@pytest.fixture
def world(cast: Cast) -> World:
    chairs = make_chairs(cast)
    meetings = {}
    number = 0
    for level in LEVELS:
        meeting = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY,
                                 classification=level)
        item = add_agenda_item(chairs.secretary, meeting, f"Item of the {level} meeting")
        for statement_level in LEVELS:
            # Confidential statements belong to Finland: only bob's delegation reads them.
            add_statement(meeting, item, cast.finland,
                          speaker=f"Speaker-{level}-{statement_level}",
                          classification=statement_level)
            number += 1
            add_decision(meeting, number=number, title=f"Decision {level}-{statement_level}",
                         text=f"Text-{level}-{statement_level}", classification=statement_level,
                         owner=cast.finland)
        meetings[level] = meeting
    return World(meetings=meetings, secretary=chairs.secretary)


def _viewer(cast: Cast, world: World, who: str) -> User | None:
    return {"anonymous": None, "nick": cast.nick, "alice": cast.alice, "bob": cast.bob,
            "secretary": world.secretary}[who]


# Who may see which meetings, and which statements' and decisions' levels inside them.
MEETINGS_SEEN = {
    "anonymous": {"public"}, "nick": {"public"},
    "alice": {"public", "restricted"}, "bob": {"public", "restricted"},
    "secretary": {"public", "restricted", "confidential"},
}
INSIDE_SEEN = {
    "anonymous": {"public"}, "nick": {"public"},
    "alice": {"public", "restricted"}, "bob": {"public", "restricted", "confidential"},
    "secretary": {"public", "restricted"},
}
VIEWERS = list(MEETINGS_SEEN)


def _api_client(user: User | None) -> Client:
    if user is None:
        return Client()
    _token, key = issue_api_token(user, "walk")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.parametrize("who", VIEWERS)
def test_lists_show_exactly_the_meetings_a_viewer_may_see(cast: Cast, world: World,
                                                          who: str) -> None:
    user = _viewer(cast, world, who)
    expected = {world.meetings[level].journal_symbol for level in MEETINGS_SEEN[who]}
    listed = _api_client(user).get(f"{API}/meetings").json()
    assert {m["journal_symbol"] for m in listed["items"]} == expected
    assert listed["count"] == len(expected)
    page = cast.client(user).get("/decisions/meetings/").content.decode()
    for level, meeting in world.meetings.items():
        shown = f'href="/decisions/meetings/{meeting.pk}/"' in page
        assert shown == (level in MEETINGS_SEEN[who]), (who, level)
    assert f"{len(expected)} meeting" in page


@pytest.mark.parametrize("who", VIEWERS)
def test_every_route_answers_404_for_a_hidden_meeting_and_shows_only_what_may_be_seen(
        cast: Cast, world: World, who: str) -> None:
    user = _viewer(cast, world, who)
    pages, api = cast.client(user), _api_client(user)
    for level, meeting in world.meetings.items():
        symbol = meeting.journal_symbol
        routes = [pages.get(f"/decisions/meetings/{meeting.pk}/"),
                  pages.get(f"/decisions/journals/{symbol}/"),
                  api.get(f"{API}/meetings/{meeting.pk}"),
                  api.get(f"{API}/journal", {"symbol": symbol})]
        if level not in MEETINGS_SEEN[who]:
            assert [r.status_code for r in routes] == [404] * 4, (who, level)
            continue
        assert [r.status_code for r in routes] == [200] * 4, (who, level)
        journal = routes[3].json()
        speakers = {s["speaker"] for s in journal["agenda"][0]["statements"]}
        assert speakers == {f"Speaker-{level}-{inner}" for inner in INSIDE_SEEN[who]}
        decisions = {d["title"] for d in journal["decisions"]}
        assert decisions == {f"Decision {level}-{inner}" for inner in INSIDE_SEEN[who]}
        page = routes[1].content.decode()
        for inner in LEVELS:
            assert (f"Speaker-{level}-{inner}" in page) == (inner in INSIDE_SEEN[who])
            assert (f"Text-{level}-{inner}" in page) == (inner in INSIDE_SEEN[who])


@pytest.mark.parametrize("who", ["anonymous", "alice", "bob"])
def test_the_pdf_and_the_command_hold_only_what_may_be_seen(cast: Cast, world: World,
                                                            who: str) -> None:
    user = _viewer(cast, world, who)
    restricted = world.meetings["restricted"].journal_symbol
    public = world.meetings["public"].journal_symbol
    pdf = cast.client(user).get(f"/decisions/journals/{public}.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    command = ["decisions", "journal", public] + (["--as-user", user.username] if user else [])
    printed = CliRunner().invoke(app, command).stdout
    for inner in LEVELS:
        assert (f"Speaker-public-{inner}" in text) == (inner in INSIDE_SEEN[who])
        assert (f"Speaker-public-{inner}" in printed) == (inner in INSIDE_SEEN[who])
    hidden_pdf = cast.client(user).get(f"/decisions/journals/{restricted}.pdf")
    assert hidden_pdf.status_code == (200 if "restricted" in MEETINGS_SEEN[who] else 404)


def test_the_confidential_meeting_is_the_same_404_as_a_missing_one(cast: Cast,
                                                                   world: World) -> None:
    confidential = world.meetings["confidential"]
    client = _api_client(cast.bob)
    hidden = client.get(f"{API}/meetings/{confidential.pk}")
    missing = client.get(f"{API}/meetings/{confidential.pk + 1000}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == missing.json()["detail"]
    hidden = client.get(f"{API}/journal", {"symbol": confidential.journal_symbol})
    missing = client.get(f"{API}/journal", {"symbol": "PC.JOUR/999"})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == missing.json()["detail"]
    # Writing to a meeting one may not see is also a 404, not a 403.
    assert client.post(f"{API}/meetings/{confidential.pk}/issue").status_code == 404
    assert cast.client(cast.bob).post(f"/decisions/meetings/{confidential.pk}/issue/")\
        .status_code == 404
