"""The rounds' leak walk: each viewer finds exactly the rounds they may see through every route
(list page, filtered list page, detail page, commitment form, API list, filtered API list, API
detail, API commitment), and a confidential round of another affiliation is a 404 everywhere,
exactly like a missing one, with no count that betrays it."""

from __future__ import annotations

import re

import pytest

from hofburg.core.models import Classification
from hofburg.core.services.users import issue_api_token
from hofburg.decisions.models import Commitment
from hofburg.decisions.services import rounds as services
from tests.decisions.samples_rounds import a_round, make_formats

pytestmark = pytest.mark.django_db

API = "/api/v1/decisions"
SECRET_PLACE = "Secret-Venue-Glarus"
SECRET_COMMITMENT = "Secret-commitment-text"
VIEWERS = ["anonymous", "nick", "alice", "bob", "carol", "mona"]


@pytest.fixture
def rounds(cast):
    """A public, a restricted and a confidential round, all of the mission (mona's)."""
    make_formats()
    public = a_round(cast.mona, place="Public-Venue", classification=Classification.PUBLIC)
    restricted = a_round(cast.mona, place="Restricted-Venue",
                         classification=Classification.RESTRICTED)
    confidential = a_round(cast.mona, place=SECRET_PLACE,
                           classification=Classification.CONFIDENTIAL)
    services.record_commitment(cast.mona, confidential, services.CommitmentInput(
        text=SECRET_COMMITMENT, kind="withdrawal_of_weapons", evidence_path="/monitoring/map/"))
    return {"public": public, "restricted": restricted, "confidential": confidential}


def _without_nonces(response):
    """The page as the reader sees it: each response carries its own CSP nonce and CSRF token."""
    page = re.sub(r'nonce="[^"]*"', "", response.content.decode())
    page = re.sub(r'CSRFToken": "[^"]*"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def may_see(who):
    return {"anonymous": {"public"}, "nick": {"public"},
            "alice": {"public", "restricted"}, "bob": {"public", "restricted"},
            "carol": {"public", "restricted"},
            "mona": {"public", "restricted", "confidential"}}[who]


def viewer(cast, who):
    user = None if who == "anonymous" else getattr(cast, who)
    client = cast.client(user)
    headers = {}
    if user is not None:
        _token, key = issue_api_token(user, "leak walk")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return client, headers


@pytest.mark.parametrize("who", VIEWERS)
def test_each_viewer_finds_exactly_what_they_may_see_in_the_lists(cast, rounds, who):
    client, headers = viewer(cast, who)
    expected = may_see(who)
    for query in ({}, {"format": "five-plus-two"}):
        page = client.get("/decisions/rounds/", query).content.decode()
        api = client.get(f"{API}/rounds", query, **headers).json()
        assert api["count"] == len(expected)
        assert {item["id"] for item in api["items"]} == {rounds[k].pk for k in expected}
        for level, negotiation_round in rounds.items():
            assert (negotiation_round.place in page) == (level in expected), (level, query)
            assert (f"/decisions/rounds/{negotiation_round.pk}/" in page) == (level in expected)


@pytest.mark.parametrize("who", VIEWERS)
def test_a_round_a_viewer_may_not_see_is_a_404_like_a_missing_one(cast, rounds, who):
    client, headers = viewer(cast, who)
    missing = max(r.pk for r in rounds.values()) + 1000
    gone_page = _without_nonces(client.get(f"/decisions/rounds/{missing}/")).replace(
        f"/rounds/{missing}/", "/rounds/N/")
    gone_api = client.get(f"{API}/rounds/{missing}", **headers).json()
    for level, negotiation_round in rounds.items():
        pk = negotiation_round.pk
        page = client.get(f"/decisions/rounds/{pk}/")
        api = client.get(f"{API}/rounds/{pk}", **headers)
        if level in may_see(who):
            assert (page.status_code, api.status_code) == (200, 200), level
            continue
        assert (page.status_code, api.status_code) == (404, 404), level
        # The same page, but for the path the language switcher returns to.
        assert _without_nonces(page).replace(f"/rounds/{pk}/", "/rounds/N/") == gone_page
        assert api.json()["detail"] == gone_api["detail"]
        assert client.post(f"/decisions/rounds/{pk}/commitments/",
                           {"text": "x", "kind": "other"}).status_code == 404
        if headers:
            assert client.post(f"{API}/rounds/{pk}/commitments", {"text": "x"},
                               content_type="application/json", **headers).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "nick", "alice", "bob", "carol"])
def test_the_confidential_round_leaves_no_trace_for_others(cast, rounds, who):
    client, headers = viewer(cast, who)
    texts = [client.get("/decisions/rounds/").content.decode(),
             client.get(f"{API}/rounds", **headers).content.decode()]
    for level in may_see(who):
        texts.append(client.get(f"/decisions/rounds/{rounds[level].pk}/").content.decode())
        texts.append(client.get(f"{API}/rounds/{rounds[level].pk}", **headers).content.decode())
    for text in texts:
        assert SECRET_PLACE not in text
        assert SECRET_COMMITMENT not in text
    assert Commitment.objects.count() == 1  # no route added one


def test_the_owner_sees_the_confidential_round_and_its_commitment(cast, rounds):
    client, headers = viewer(cast, "mona")
    pk = rounds["confidential"].pk
    assert SECRET_COMMITMENT in client.get(f"/decisions/rounds/{pk}/").content.decode()
    detail = client.get(f"{API}/rounds/{pk}", **headers).json()
    assert [c["text"] for c in detail["commitments"]] == [SECRET_COMMITMENT]
