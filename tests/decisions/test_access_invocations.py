"""The invocations' leak walk: each viewer finds exactly the invocations they may see through
every route (list page, list page filtered by mechanism and by State, detail page, API list,
filtered API list, API detail), and a confidential invocation of another affiliation is a 404
everywhere, exactly like a missing one, with no count that betrays it. A visible invocation
raised at a meeting the viewer may not see names no meeting."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hofburg.core.models import Classification
from hofburg.core.services.users import issue_api_token
from hofburg.decisions.models import Invocation
from tests.conftest import Cast
from tests.decisions.samples_drafts import make_meeting
from tests.decisions.samples_invocations import an_invocation, make_desk

pytestmark = pytest.mark.django_db

API = "/api/v1/decisions"
SECRET_SUMMARY = "Secret-invocation-account"
SECRET_MEETING = "PC.JOUR/1777"
VIEWERS = ["anonymous", "nick", "alice", "bob", "carol", "mona"]
FILTERS = ({}, {"mechanism": "moscow"}, {"state": "FI"}, {"mechanism": "moscow", "state": "AT"})


@pytest.fixture
def invocations(cast: Cast) -> dict[str, Invocation]:
    """A public, a restricted and a confidential invocation of the Moscow Mechanism by Austria
    and Finland, all Austria's (alice's); the public one raised at a meeting confidential to
    Austria."""
    make_desk(cast)
    meeting = make_meeting(1777, classification=Classification.CONFIDENTIAL,
                           owner=cast.austria)
    both = ["AT", "FI"]
    return {
        "public": an_invocation(cast.alice, states=both, meeting=meeting.pk,
                                summary="Public-account", classification=Classification.PUBLIC),
        "restricted": an_invocation(cast.alice, states=both, summary="Restricted-account",
                                    classification=Classification.RESTRICTED),
        "confidential": an_invocation(cast.alice, states=both, summary=SECRET_SUMMARY,
                                      classification=Classification.CONFIDENTIAL),
    }


def may_see(who: str) -> set[str]:
    return {"anonymous": {"public"}, "nick": {"public"},
            "alice": {"public", "restricted", "confidential"},
            "bob": {"public", "restricted"}, "carol": {"public", "restricted"},
            "mona": {"public", "restricted"}}[who]


def viewer(cast: Cast, who: str) -> tuple[Any, dict[str, str]]:
    user = None if who == "anonymous" else getattr(cast, who)
    client = cast.client(user)
    headers = {}
    if user is not None:
        _token, key = issue_api_token(user, "leak walk")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return client, headers


def _without_nonces(response: Any) -> str:
    """The page as the reader sees it: each response carries its own CSP nonce and CSRF token."""
    page = re.sub(r'nonce="[^"]*"', "", response.content.decode())
    page = re.sub(r'CSRFToken": "[^"]*"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


@pytest.mark.parametrize("who", VIEWERS)
def test_each_viewer_finds_exactly_what_they_may_see_in_the_lists(
        cast: Cast, invocations: dict[str, Invocation], who: str) -> None:
    client, headers = viewer(cast, who)
    expected = may_see(who)
    for query in FILTERS:
        page = client.get("/decisions/invocations/", query).content.decode()
        api = client.get(f"{API}/invocations", query, **headers).json()
        assert api["count"] == len(expected), query
        assert {item["id"] for item in api["items"]} == {invocations[k].pk for k in expected}
        for level, invocation in invocations.items():
            link = f"/decisions/invocations/{invocation.pk}/"
            assert (link in page) == (level in expected), (level, query)
        assert SECRET_SUMMARY not in page


@pytest.mark.parametrize("who", VIEWERS)
def test_an_invocation_a_viewer_may_not_see_is_a_404_like_a_missing_one(
        cast: Cast, invocations: dict[str, Invocation], who: str) -> None:
    client, headers = viewer(cast, who)
    missing = max(i.pk for i in invocations.values()) + 1000
    gone_page = _without_nonces(client.get(f"/decisions/invocations/{missing}/")).replace(
        f"/invocations/{missing}/", "/invocations/N/")
    gone_api = client.get(f"{API}/invocations/{missing}", **headers).json()
    for level, invocation in invocations.items():
        pk = invocation.pk
        page = client.get(f"/decisions/invocations/{pk}/")
        api = client.get(f"{API}/invocations/{pk}", **headers)
        if level in may_see(who):
            assert (page.status_code, api.status_code) == (200, 200), level
            continue
        assert (page.status_code, api.status_code) == (404, 404), level
        assert _without_nonces(page).replace(f"/invocations/{pk}/", "/invocations/N/") == (
            gone_page)
        assert api.json()["detail"] == gone_api["detail"]


@pytest.mark.parametrize("who", ["anonymous", "nick", "bob", "carol", "mona"])
def test_the_confidential_invocation_and_meeting_leave_no_trace_for_others(
        cast: Cast, invocations: dict[str, Invocation], who: str) -> None:
    client, headers = viewer(cast, who)
    texts = [client.get("/decisions/invocations/").content.decode(),
             client.get(f"{API}/invocations", **headers).content.decode(),
             client.get("/decisions/mechanisms/").content.decode()]
    for level in may_see(who):
        pk = invocations[level].pk
        texts.append(client.get(f"/decisions/invocations/{pk}/").content.decode())
        texts.append(client.get(f"{API}/invocations/{pk}", **headers).content.decode())
    for text in texts:
        assert SECRET_SUMMARY not in text
        assert SECRET_MEETING not in text
    public = client.get(f"{API}/invocations/{invocations['public'].pk}", **headers).json()
    assert public["meeting"] is None


def test_the_owner_sees_the_confidential_invocation_and_the_meeting(
        cast: Cast, invocations: dict[str, Invocation]) -> None:
    client, headers = viewer(cast, "alice")
    pk = invocations["confidential"].pk
    assert SECRET_SUMMARY in client.get(f"/decisions/invocations/{pk}/").content.decode()
    public = client.get(f"{API}/invocations/{invocations['public'].pk}", **headers).json()
    assert public["meeting"]["journal_symbol"] == SECRET_MEETING
