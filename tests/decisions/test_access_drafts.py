"""The leak walk for drafts and decisions: each viewer finds exactly the drafts they may see
through every route (the list, the detail, the diff, the status table in the API and on the
command line, the decision's text in the document library) and a 404 for the rest, on reads
and writes alike, the same answer as for a draft that does not exist; no count leaks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from time_machine import TimeMachineFixture
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.core.models import Classification, Role, User
from hofburg.decisions.models import Draft
from hofburg.decisions.services import decide
from hofburg.decisions.services.drafts import DraftInput, table_draft
from tests.conftest import PASSWORD, Cast
from tests.core.conftest import media_root
from tests.decisions.samples_drafts import Caller, Desk, make_desk, make_meeting

# Stored files (the adopted texts in the library) go to a fresh folder per test.
__all__ = ["media_root"]

pytestmark = pytest.mark.django_db

MISSING = 999_999


@dataclass
class World:
    desk: Desk
    drafts: dict[str, Draft]
    reader: User  # a reader of Austria's delegation: reads, writes nothing


# Who sees which draft: the owner (the Secretariat unit that tabled them) sees all; a
# delegation the confidential one is shared with sees it too; other affiliations see public
# and restricted; outsiders see only the public one.
SEES = {
    "anonymous": {"public"},
    "nick": {"public"},
    "mona": {"public", "restricted"},
    "reader": {"public", "restricted", "shared"},
    "alice": {"public", "restricted", "shared"},
    "sam": {"public", "restricted", "shared", "confidential"},
}


@pytest.fixture
def world(cast: Cast, clock: TimeMachineFixture) -> World:
    desk = make_desk(cast)
    meeting = make_meeting(1400, classification=Classification.PUBLIC)
    drafts = {}
    for name, classification in (("public", Classification.PUBLIC),
                                 ("restricted", Classification.RESTRICTED),
                                 ("shared", Classification.CONFIDENTIAL),
                                 ("confidential", Classification.CONFIDENTIAL)):
        drafts[name] = table_draft(desk.chair, DraftInput(
            body="PC", title=f"The {name} draft", text=f"The {name} text.", language="en",
            classification=classification))
    drafts["shared"].shared_with.add(cast.austria)
    for name in ("public", "shared", "confidential"):
        drafts[name] = decide.adopt(desk.chair, drafts[name], meeting)
    decide.place_under_silence(desk.chair, drafts["restricted"], meeting,
                               timezone.now() + timedelta(days=2))
    reader = User.objects.create_user(username="reader", password=PASSWORD,
                                      affiliation=cast.austria, roles=[Role.READER])
    return World(desk=desk, drafts=drafts, reader=reader)


def _viewer(world: World, who: str) -> User | None:
    cast = world.desk.cast
    return {"anonymous": None, "nick": cast.nick, "mona": cast.mona, "reader": world.reader,
            "alice": cast.alice, "sam": world.desk.chair}[who]


def _not_found(response: Any) -> dict[str, Any]:
    assert response.status_code == 404, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return {key: value for key, value in body.items() if key != "instance"}


@pytest.mark.parametrize("who", list(SEES))
def test_each_viewer_reads_exactly_what_they_may_see(world: World, who: str) -> None:
    caller = Caller(_viewer(world, who))
    expected = SEES[who]
    symbols = {world.drafts[name].symbol for name in expected}
    listed = caller.get("/drafts?limit=100").json()
    assert {item["symbol"] for item in listed["items"]} == symbols
    assert listed["count"] == len(symbols)
    assert {row["symbol"] for row in caller.get("/status-table").json()} == symbols
    missing = _not_found(caller.get(f"/drafts/{MISSING}"))
    for name, draft in world.drafts.items():
        detail = caller.get(f"/drafts/{draft.pk}")
        diff = caller.get(f"/drafts/{draft.pk}/diff?from=0&to=0")
        if name in expected:
            assert (detail.status_code, diff.status_code) == (200, 200), name
        else:
            assert _not_found(detail) == missing, name
            assert _not_found(diff) == _not_found(caller.get(f"/drafts/{MISSING}/diff?from=0"
                                                             "&to=0")), name


@pytest.mark.parametrize("who", list(SEES))
def test_the_command_line_shows_what_the_user_may_see(world: World, who: str) -> None:
    user = _viewer(world, who)
    args = ["decisions", "status-table", "--json"] + (["--as-user", user.username]
                                                      if user else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert {row["symbol"] for row in json.loads(result.stdout)} == {
        world.drafts[name].symbol for name in SEES[who]}


@pytest.mark.parametrize("who", list(SEES))
def test_the_adopted_text_is_in_the_library_for_those_who_may_see_it(world: World,
                                                                     who: str) -> None:
    user = _viewer(world, who)
    client = Client()
    if user is not None:
        client.force_login(user)
    listed = client.get("/api/v1/documents", {"q": "text", "limit": 100}).json()
    adopted = {"public", "shared", "confidential"}
    assert {item["symbol"] for item in listed["items"]} == {
        world.drafts[name].decision_symbol for name in SEES[who] & adopted}


WRITES: list[tuple[str, dict[str, Any]]] = [
    ("revisions", {"text": "x"}),
    ("amendments", {"text": "x"}),
    ("adopt", {"meeting": 0}),
    ("silence", {"meeting": 0, "expires_at": "2027-02-01T12:00:00+01:00"}),
    ("objections", {"kind": "objection", "text": "x"}),
    ("announce", {"meeting": 0}),
    ("statements", {"kind": "interpretative_statement", "text": "x"}),
]


@pytest.mark.parametrize("who", ["nick", "mona", "alice"])
def test_writes_to_a_hidden_draft_are_404_like_a_missing_one(world: World, who: str) -> None:
    caller = Caller(_viewer(world, who))
    meeting = make_meeting(1401)
    hidden = [draft for name, draft in world.drafts.items() if name not in SEES[who]]
    assert hidden
    for action, body in WRITES:
        payload = {**body, **({"meeting": meeting.pk} if "meeting" in body else {})}
        missing = _not_found(caller.post(f"/drafts/{MISSING}/{action}", payload))
        for draft in hidden:
            assert _not_found(caller.post(f"/drafts/{draft.pk}/{action}", payload)) == missing
    assert Draft.objects.filter(revisions__number=1).count() == 0


def test_a_reader_without_the_right_gets_403_on_a_draft_they_see(world: World) -> None:
    caller = Caller(world.reader)
    draft = world.drafts["restricted"]
    for action, body in WRITES:
        payload = {**body, **({"meeting": make_meeting(1500 + len(action)).pk}
                              if "meeting" in body else {})}
        response = caller.post(f"/drafts/{draft.pk}/{action}", payload)
        assert response.status_code == 403, (action, response.content)
        assert response["Content-Type"].startswith("application/problem+json")


def test_a_meeting_the_chair_may_not_see_is_404(world: World) -> None:
    hidden = make_meeting(1600, classification=Classification.CONFIDENTIAL,
                          owner=world.desk.cast.mission)
    draft = table_draft(world.desk.chair, DraftInput(body="PC", title="t", text="x",
                                                     language="en"))
    response = Caller(world.desk.chair).post(f"/drafts/{draft.pk}/adopt",
                                             {"meeting": hidden.pk})
    assert _not_found(response) == _not_found(
        Caller(world.desk.chair).post(f"/drafts/{draft.pk}/adopt", {"meeting": MISSING}))
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DRAFT

