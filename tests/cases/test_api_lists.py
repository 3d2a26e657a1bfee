"""The lists the API gives of who had access and of erasure requests (decision 0064): a
person's and a situation's grants, held and revoked, for their granters alone, and a person's
erasure requests for the holders of a grant (who asked and who decided for those who decide).
Everyone else, a revoked holder included, is answered exactly as for a missing record; every
read is in the access log without a value; the answers are those the OpenAPI document states.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hofburg.cases.models import AccessLog, Grant
from hofburg.cases.services import erasure, persons, situations
from hofburg.core.models import Role, User
from tests.cases.calls import API, same_as_missing
from tests.cases.conftest import OTHER_NAME, SECRET, Records, Scene, verified_client
from tests.cases.tokens import bearer
from tests.conftest import PASSWORD
from tests.test_api_schema import open_connection  # noqa: F401  (a fixture)

REVOKE_REASON = "moved to another desk (list marker)"
GROUNDS = "erasure-grounds-marker"
HOLD = "legal-hold-text-marker"
DECISION = "decision-reason-marker"
NEVER = {*SECRET.values(), OTHER_NAME, GROUNDS, HOLD}


def _get(user: User | None, path: str) -> Any:
    headers: dict[str, Any] = bearer(user)
    response = Client().get(f"{API}{path}", **headers)
    text = response.content.decode()
    for value in NEVER:
        assert value not in text, (path, value)
    return response



@pytest.fixture
def rita(records: Records) -> User:
    """Of the owner affiliation, an editor like erin, who held grants for the person and the
    situation, both revoked by erin."""
    s = records.scene
    user = User.objects.create_user("rita", password=PASSWORD, affiliation=s.cast.cpc,
                                    roles=[Role.READER, Role.EDITOR])
    persons.grant_access(s.erin, s.person, user, Grant.Level.STRICTLY_CONFIDENTIAL)
    situations.grant_situation(s.erin, records.situation, user, Grant.Level.RESTRICTED)
    assert _get(user, f"/persons/{s.person.surrogate_id}/grants").status_code == 200
    assert _get(user, f"/situations/{records.situation.situation_id}/grants").status_code == 200
    persons.revoke_access(s.erin, s.person, user, REVOKE_REASON)
    situations.revoke_situation(s.erin, records.situation, user, REVOKE_REASON)
    return user


def _cast(scene: Scene, rita: User) -> dict[str, User | None]:
    return {"anonymous": None, "bob": scene.cast.bob, "carol": scene.cast.carol,
            "gina": scene.gina, "rita": rita, "dora": scene.cast.dora}


def test_a_persons_granter_reads_its_holders_and_revoked_grants(records: Records,
                                                                 rita: User) -> None:
    s = records.scene
    before = AccessLog.objects.count()
    response = _get(s.erin, f"/persons/{s.person.surrogate_id}/grants")
    assert response.status_code == 200
    body = response.json()
    assert body["surrogate_id"] == s.person.surrogate_id
    holders = {h["username"]: h for h in body["holders"]}
    assert set(holders) == {"erin", "gina"}
    assert holders["erin"]["level"] == "strictly_confidential"
    assert holders["gina"]["level"] == "restricted"
    assert holders["gina"]["granted_by"] == "erin"
    assert holders["gina"]["granted_at"]
    [revoked] = body["revoked"]
    assert revoked["username"] == "rita"
    assert revoked["level"] == "strictly_confidential"
    assert revoked["granted_by"] == "erin"
    assert revoked["revoked_by"] == "erin"
    assert revoked["reason"] == REVOKE_REASON
    assert revoked["granted_at"] <= revoked["revoked_at"]
    # The read is logged: what and how many, never a value.
    assert AccessLog.objects.count() == before + 1
    entry = AccessLog.objects.order_by("-sequence").first()
    assert entry is not None
    assert (entry.user_label, entry.action, entry.record_type, entry.count, entry.channel) == (
        "erin", "read", "person_grant", 3, "api")
    assert "reason" in entry.fields and "revoked_by" in entry.fields
    assert REVOKE_REASON not in str(entry.fields) and "rita" not in str(entry.fields)


def test_the_same_list_through_a_verified_session(records: Records, rita: User) -> None:
    s = records.scene
    path = f"{API}/persons/{s.person.surrogate_id}/grants"
    assert verified_client(s.erin).get(path).json() == _get(
        s.erin, f"/persons/{s.person.surrogate_id}/grants").json()
    # A session that has not passed the second factor is a visitor: as for a missing person.
    unverified = Client()
    unverified.force_login(s.erin)
    same_as_missing(unverified.get(path), unverified.get(f"{API}/persons/P-000000000000/grants"))


def test_a_situations_granter_reads_its_holders_and_revoked_grants(records: Records,
                                                                    rita: User) -> None:
    s = records.scene
    response = _get(s.erin, f"/situations/{records.situation.situation_id}/grants")
    assert response.status_code == 200
    body = response.json()
    assert body["situation_id"] == records.situation.situation_id
    assert {h["username"]: h["level"] for h in body["holders"]} == {
        "erin": "strictly_confidential", "gina": "restricted"}
    assert [(r["username"], r["level"], r["revoked_by"], r["reason"])
            for r in body["revoked"]] == [("rita", "restricted", "erin", REVOKE_REASON)]
    entry = AccessLog.objects.order_by("-sequence").first()
    assert entry is not None
    assert (entry.record_type, entry.count, entry.channel) == ("situation_grant", 3, "api")
    # The situation granted to erin alone: she is its only holder, nobody was revoked.
    alone = _get(s.erin, f"/situations/{records.ungranted_situation.situation_id}/grants")
    assert [h["username"] for h in alone.json()["holders"]] == ["erin"]
    assert alone.json()["revoked"] == []


@pytest.mark.parametrize("who", ["anonymous", "bob", "carol", "gina", "rita", "dora"])
def test_grant_lists_are_missing_for_everyone_but_the_granters(records: Records, rita: User,
                                                               who: str) -> None:
    """Visitors, another affiliation, the owner affiliation without a grant, a holder who may
    not grant, the holder whose grant was revoked and an administrator: 404, word for word as
    for a missing record, and nothing logged."""
    s = records.scene
    user = _cast(s, rita)[who]
    before = AccessLog.objects.count()
    for hidden, missing in (
            (f"/persons/{s.person.surrogate_id}/grants", "/persons/P-000000000000/grants"),
            (f"/persons/{s.other.surrogate_id}/grants", "/persons/P-000000000000/grants"),
            (f"/situations/{records.situation.situation_id}/grants",
             "/situations/HS-000000000000/grants"),
            (f"/situations/{records.ungranted_situation.situation_id}/grants",
             "/situations/HS-000000000000/grants")):
        answer = _get(user, hidden)
        assert "rita" not in answer.content.decode()
        assert REVOKE_REASON not in answer.content.decode()
        same_as_missing(answer, _get(user, missing))
    assert AccessLog.objects.count() == before


@pytest.fixture
def requests_filed(records: Records) -> Records:
    """Two erasure requests for the scene's person: one gina filed that erin denied under a
    legal hold, and one erin filed, pending."""
    s = records.scene
    first = erasure.request_erasure(s.gina, s.person, GROUNDS)
    erasure.set_legal_hold(s.erin, s.person, HOLD)
    erasure.decide_erasure(s.erin, first, "denied", DECISION)
    erasure.request_erasure(s.erin, s.person, GROUNDS)
    return records


def test_the_deciders_read_the_erasure_requests_with_who_asked_and_decided(
        requests_filed: Records) -> None:
    s = requests_filed.scene
    before = AccessLog.objects.count()
    response = _get(s.erin, f"/persons/{s.person.surrogate_id}/erasure-requests")
    assert response.status_code == 200
    body = response.json()
    assert (body["surrogate_id"], body["legal_hold"], body["count"]) == (
        s.person.surrogate_id, True, 2)
    pending, denied = body["items"]  # newest first
    assert (pending["outcome"], pending["requested_by"], pending["decided_by"],
            pending["decided_at"], pending["reason"], pending["legal_hold"]) == (
        "pending", "erin", None, None, "", True)
    assert (denied["outcome"], denied["requested_by"], denied["decided_by"], denied["reason"],
            denied["legal_hold"]) == ("denied", "gina", "erin", DECISION, True)
    assert denied["decided_at"] and denied["requested_at"]
    assert "grounds" not in denied
    assert AccessLog.objects.count() == before + 1
    entry = AccessLog.objects.order_by("-sequence").first()
    assert entry is not None
    assert (entry.action, entry.record_type, entry.count, entry.channel) == (
        "read", "erasure_request", 2, "api")
    assert {"requested_by", "decided_by", "reason"} <= set(entry.fields)
    assert DECISION not in str(entry.fields)


def test_a_holder_reads_the_requests_without_who_asked_or_decided(
        requests_filed: Records) -> None:
    """gina holds a restricted grant and sees the erasure page; she does not decide, and who
    asked and who decided would name holders of grants, which she is not shown."""
    s = requests_filed.scene
    body = _get(s.gina, f"/persons/{s.person.surrogate_id}/erasure-requests").json()
    assert [item["outcome"] for item in body["items"]] == ["pending", "denied"]
    for item in body["items"]:
        assert "requested_by" not in item and "decided_by" not in item
    assert body["items"][1]["reason"] == DECISION
    entry = AccessLog.objects.order_by("-sequence").first()
    assert entry is not None
    assert entry.user_label == "gina" and "requested_by" not in entry.fields


def test_no_request_is_an_empty_list_and_no_log_entry(records: Records) -> None:
    s = records.scene
    before = AccessLog.objects.count()
    body = _get(s.erin, f"/persons/{s.other.surrogate_id}/erasure-requests").json()
    assert body == {"surrogate_id": s.other.surrogate_id, "legal_hold": False, "count": 0,
                    "items": []}
    assert AccessLog.objects.count() == before


@pytest.mark.parametrize("who", ["anonymous", "bob", "carol", "rita", "dora"])
def test_erasure_requests_are_missing_for_those_without_a_grant(requests_filed: Records,
                                                                rita: User, who: str) -> None:
    s = requests_filed.scene
    user = _cast(s, rita)[who]
    before = AccessLog.objects.count()
    for person in (s.person, s.other):
        answer = _get(user, f"/persons/{person.surrogate_id}/erasure-requests")
        same_as_missing(answer, _get(user, "/persons/P-000000000000/erasure-requests"))
        assert DECISION not in answer.content.decode()
    assert AccessLog.objects.count() == before
    if who == "rita":
        return
    # gina holds no grant for the other person: missing for her too.
    gina = s.gina
    same_as_missing(_get(gina, f"/persons/{s.other.surrogate_id}/erasure-requests"),
                     _get(gina, "/persons/P-000000000000/erasure-requests"))


def test_the_openapi_document_states_the_answers() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for path, name, fields in (
            ("/persons/{surrogate_id}/grants", "PersonGrantsOut",
             {"surrogate_id", "holders", "revoked"}),
            ("/situations/{situation_id}/grants", "SituationGrantsOut",
             {"situation_id", "holders", "revoked"}),
            ("/persons/{surrogate_id}/erasure-requests", "ErasureRequestsOut",
             {"surrogate_id", "legal_hold", "count", "items"})):
        operation = document["paths"][f"{API}{path}"]["get"]
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer["$ref"] == f"#/components/schemas/{name}"
        assert set(schemas[name]["properties"]) == fields
        assert set(schemas[name]["required"]) == fields
        # The writes on the same path are still there.
        assert "post" in document["paths"][f"{API}{path}"]
    assert set(schemas["RevokedGrantOut"]["properties"]) == {
        "username", "level", "granted_by", "granted_at", "revoked_by", "revoked_at", "reason"}
    assert "grounds" not in schemas["ErasureRequestOut"]["properties"]


@pytest.mark.usefixtures("open_connection")
def test_every_answer_matches_the_openapi_document(requests_filed: Records, rita: User) -> None:
    """The answers themselves, with revoked grants, a decided and a pending request and the
    names left out for a holder who does not decide, checked by schemathesis against the
    document the schemathesis run reads."""
    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from hofburg.wsgi import application

    s = requests_filed.scene
    person = {"surrogate_id": s.person.surrogate_id}
    situation = {"situation_id": requests_filed.situation.situation_id}
    # The application is called as a server calls it; its request signals would close the
    # test's database connection (and its transaction), as Django's test client knows.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
        for user, path, parameters in (
                (s.erin, "/persons/{surrogate_id}/grants", person),
                (s.erin, "/situations/{situation_id}/grants", situation),
                (s.erin, "/persons/{surrogate_id}/erasure-requests", person),
                (s.gina, "/persons/{surrogate_id}/erasure-requests", person)):
            case = schema[f"{API}{path}"]["GET"].Case(path_parameters=parameters)
            response = case.call(headers={"Authorization": bearer(user)["HTTP_AUTHORIZATION"]})
            assert response.status_code == 200, (path, response.text)
            case.validate_response(response, checks=[response_schema_conformance])
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_page_shows_its_granter_the_same_history_once(records: Records, rita: User) -> None:
    """The person's page shows erin the holders and revoked grants the API answers her, once,
    in the page's content (not in its title or head); gina's page shows none of it."""
    s = records.scene
    html = verified_client(s.erin).get(f"/cases/persons/{s.person.surrogate_id}/").content
    page = html.decode()
    head, main = page[:page.index("<body")], page[page.index("<main"):page.index("</main>")]
    assert f"<title>{s.person.surrogate_id}" in head and "rita" not in head
    assert page.count(REVOKE_REASON) == main.count(REVOKE_REASON) == 1
    body = _get(s.erin, f"/persons/{s.person.surrogate_id}/grants").json()
    for holder in body["holders"]:
        assert f"<strong>{holder['username']}</strong>" in main
    assert f"<strong>{body['revoked'][0]['username']}</strong>" in main
    gina = verified_client(s.gina).get(f"/cases/persons/{s.person.surrogate_id}/")
    assert "rita" not in gina.content.decode() and REVOKE_REASON not in gina.content.decode()


def _logged_since(before: int) -> list[AccessLog]:
    return list(AccessLog.objects.filter(sequence__gt=before).order_by("sequence"))


def _head() -> int:
    return AccessLog.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def test_the_pages_log_the_grant_history_and_erasure_requests_as_the_api_does(
        requests_filed: Records, rita: User) -> None:
    """Reading who had access on a person's or a situation's page, and the erasure requests on
    the erasure page, is an access-log entry like the same read through the API: the fields
    and how many, never a value. A page that shows no history logs none."""
    s = requests_filed.scene
    person, situation = s.person.surrogate_id, requests_filed.situation.situation_id
    erin = verified_client(s.erin)
    for page, api, kind in (
            (f"/cases/persons/{person}/", f"/persons/{person}/grants", "person_grant"),
            (f"/cases/situations/{situation}/", f"/situations/{situation}/grants",
             "situation_grant"),
            (f"/cases/persons/{person}/erasure/", f"/persons/{person}/erasure-requests",
             "erasure_request")):
        before = _head()
        assert erin.get(page).status_code == 200
        logged = [e for e in _logged_since(before) if e.record_type == kind]
        assert len(logged) == 1, (page, logged)
        entry = logged[0]
        before = _head()
        _get(s.erin, api)
        through_api = _logged_since(before)[0]
        assert (entry.action, entry.user_label, entry.count, entry.channel) == (
            "read", "erin", through_api.count, "page")
        assert set(entry.fields) <= set(through_api.fields) and entry.fields
        for value in (REVOKE_REASON, GROUNDS, HOLD, DECISION, "rita"):
            assert value not in str(entry.fields)
    # gina holds a grant but gives none: her person page shows no history and logs none;
    # her erasure page shows the requests and logs them.
    gina = verified_client(s.gina)
    before = _head()
    gina.get(f"/cases/persons/{person}/")
    assert not [e for e in _logged_since(before) if e.record_type == "person_grant"]
    gina.get(f"/cases/persons/{person}/erasure/")
    assert [(e.record_type, e.count) for e in _logged_since(before)
            if e.record_type == "erasure_request"] == [("erasure_request", 2)]
