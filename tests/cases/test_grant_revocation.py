"""Revoking need-to-know (decision 0064): a person's or a situation's grant is withdrawn by
those who may give it, never their own; it moves into the history with who revoked it, when
and why; the audit trail and the access log say so; and from the next request on the former
holder is answered, on every page and endpoint, as one who never held it. Through the service,
the pages and the API, with the refusals and the retries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from hofburg.cases.models import (
    AccessLog,
    Grant,
    RevokedGrant,
    RevokedSituationGrant,
    SituationGrant,
)
from hofburg.cases.services import grants, persons, situations
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Invalid
from hofburg.core.models import AuditEntry, IdempotentRequest, Role, User
from tests.cases.calls import API, post, problem, same_as_missing
from tests.cases.conftest import SECRET, Records, Scene, verified_client
from tests.cases.tokens import bearer
from tests.conftest import PASSWORD


def _main(response: Any) -> str:
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]





# -- the services ------------------------------------------------------------------------------


def test_a_revoked_person_grant_is_kept_as_history_and_the_person_is_gone_at_once(
        scene: Scene) -> None:
    s = scene
    gina = verified_client(s.gina)
    page = f"/cases/persons/{s.person.surrogate_id}/"
    assert gina.get(page).status_code == 200
    assert SECRET["name"] in gina.get(page).content.decode()
    granted_at = Grant.objects.get(person=s.person, user=s.gina).granted_at
    logged = AccessLog.objects.count()

    revoked = persons.revoke_access(s.erin, s.person, s.gina, "  left the desk  ")

    assert not Grant.objects.filter(person=s.person, user=s.gina).exists()
    kept = RevokedGrant.objects.get()
    assert kept == revoked
    assert (kept.user, kept.user_label, kept.level, kept.granted_by_label, kept.granted_at,
            kept.revoked_by, kept.revoked_by_label, kept.reason) == (
        s.gina, "gina", Grant.Level.RESTRICTED, "erin", granted_at, s.erin, "erin",
        "left the desk")
    assert kept.revoked_at >= granted_at
    audit = AuditEntry.objects.filter(action="revoke").get()
    assert audit.actor == s.erin and audit.after["grantee"] == "gina"
    assert "left the desk" not in json.dumps(audit.after)  # the reason stays in the history
    entry = AccessLog.objects.order_by("-sequence").first()
    assert AccessLog.objects.count() == logged + 1 and entry is not None
    assert (entry.user, entry.action, entry.record_type, entry.fields, entry.count,
            entry.channel) == (s.erin, "revoke", "person", ["restricted"], 1, "page")

    # The same session, the next request: the person is missing, as for one never granted.
    hidden, missing = gina.get(page), gina.get("/cases/persons/P-000000000000/")
    assert hidden.status_code == missing.status_code == 404
    assert _main(hidden) == _main(missing)
    assert s.person.surrogate_id not in gina.get("/cases/persons/").content.decode()
    assert SECRET["name"] not in gina.get(
        f"/cases/prisoners/{s.public_case.case_id}/").content.decode()

    # Given again, the grant is a new one; the history keeps the first period.
    persons.grant_access(s.erin, s.person, s.gina, Grant.Level.RESTRICTED)
    assert gina.get(page).status_code == 200
    holders, history = grants.grant_history(s.person)
    assert {g.user.username for g in holders} == {"erin", "gina"}
    assert [r.user_label for r in history] == ["gina"]


def test_revocations_that_are_refused_store_nothing(scene: Scene) -> None:
    s = scene
    fred = User.objects.create_user("fred", password=PASSWORD, affiliation=s.cast.cpc,
                                    roles=[Role.READER, Role.EDITOR])
    before = (Grant.objects.count(), AuditEntry.objects.count(), AccessLog.objects.count())
    for actor in (s.gina, fred, s.cast.bob, s.cast.carol):  # not an editor holding a grant
        with pytest.raises(AccessDenied):
            persons.revoke_access(actor, s.person, s.erin, "a reason")
    refusals = ((s.erin, "a reason", "user"),  # one's own grant
                (s.cast.carol, "a reason", "user"),  # holds none
                (s.gina, "   ", "reason"), (s.gina, "x" * (grants.MAX_REASON + 1), "reason"))
    for user, reason, field in refusals:
        with pytest.raises(Invalid) as refused:
            persons.revoke_access(s.erin, s.person, user, reason)
        assert refused.value.field == field
    assert (Grant.objects.count(), AuditEntry.objects.count(), AccessLog.objects.count()) \
        == before
    assert not RevokedGrant.objects.exists()


def test_a_revoked_situation_grant_is_kept_and_the_situation_is_gone(records: Records) -> None:
    s, situation = records.scene, records.situation
    gina = verified_client(s.gina)
    page = f"/cases/situations/{situation.situation_id}/"
    api = f"{API}/situations/{situation.situation_id}"
    assert gina.get(page).status_code == gina.get(api).status_code == 200
    with pytest.raises(AccessDenied):
        situations.revoke_situation(s.gina, situation, s.erin, "a reason")
    with pytest.raises(Invalid):
        situations.revoke_situation(s.erin, situation, s.erin, "a reason")

    situations.revoke_situation(s.erin, situation, s.gina, "rotation")

    kept = RevokedSituationGrant.objects.get()
    assert (kept.situation, kept.user_label, kept.level, kept.revoked_by_label, kept.reason) \
        == (situation, "gina", Grant.Level.RESTRICTED, "erin", "rotation")
    assert not SituationGrant.objects.filter(situation=situation, user=s.gina).exists()
    assert AccessLog.objects.filter(action="revoke", record_type="situation").count() == 1
    same_as_missing(gina.get(api), gina.get(f"{API}/situations/HS-000000000000"))
    assert _main(gina.get(page)) == _main(gina.get("/cases/situations/HS-000000000000/"))
    assert gina.get(f"{API}/situations").json()["count"] == 0


# -- the pages ---------------------------------------------------------------------------------


def test_the_person_page_revokes_beside_the_grant_and_shows_the_history(scene: Scene) -> None:
    s = scene
    erin = verified_client(s.erin)
    person_page = f"/cases/persons/{s.person.surrogate_id}/"
    form = f"{person_page}grants/revoke/"
    shown = erin.get(person_page).content.decode()
    assert f'href="{form}"' in shown and f'href="{person_page}grants/new/"' in shown
    page = erin.get(form)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="gina"' in html and 'value="erin"' not in html  # never one's own

    refused = erin.post(form, {"username": "gina", "reason": ""})
    assert refused.status_code == 422 and "reason" in refused.content.decode()
    assert Grant.objects.filter(person=s.person, user=s.gina).exists()
    unknown = erin.post(form, {"username": "carol", "reason": "typed-reason"})
    assert unknown.status_code == 422 and "typed-reason" in unknown.content.decode()

    done = erin.post(form, {"username": "gina", "reason": "moved to another desk"})
    assert done.status_code == 302 and done["Location"] == person_page
    assert not Grant.objects.filter(person=s.person, user=s.gina).exists()
    history = erin.get(person_page).content.decode()
    assert "Revoked grants" in history and "moved to another desk" in history
    assert verified_client(s.gina).get(person_page).status_code == 404
    assert RevokedGrant.objects.get().revoked_by == s.erin


def test_who_may_open_the_revocation_pages(records: Records) -> None:
    s = records.scene
    person_form = f"/cases/persons/{s.person.surrogate_id}/grants/revoke/"
    situation_form = f"/cases/situations/{records.situation.situation_id}/grants/revoke/"
    expected = {"gina": 403, "carol": 404, "bob": 404, "erin": 200}  # seen but not hers: 403
    for name, status in expected.items():
        user = getattr(s, name, None) or getattr(s.cast, name)
        client = verified_client(user)
        assert client.get(person_form).status_code == status, name
        assert client.get(situation_form).status_code == status, name
    assert Client().get(person_form).status_code == 404  # a visitor: missing
    assert verified_client(s.gina).post(person_form, {"username": "erin", "reason": "x"}) \
        .status_code == 403
    assert Grant.objects.filter(person=s.person, user=s.erin).exists()


def test_the_situation_page_revokes_and_shows_the_history(records: Records) -> None:
    s, situation = records.scene, records.situation
    erin = verified_client(s.erin)
    page = f"/cases/situations/{situation.situation_id}/"
    assert f'href="{page}grants/revoke/"' in erin.get(page).content.decode()
    done = erin.post(f"{page}grants/revoke/", {"username": "gina", "reason": "rotation"})
    assert done.status_code == 302 and done["Location"] == page
    shown = erin.get(page).content.decode()
    assert "rotation" in shown and "Revoked grants" in shown
    assert verified_client(s.gina).get(page).status_code == 404


# -- the API -----------------------------------------------------------------------------------


def test_grants_given_and_revoked_through_the_api_with_retries(scene: Scene) -> None:
    s = scene
    erin = bearer(s.erin)
    path = f"/persons/{s.person.surrogate_id}/grants"
    carol_reads = Client().get(f"{API}/persons/{s.person.surrogate_id}", **bearer(s.cast.carol))
    assert carol_reads.status_code == 404

    given = post(erin, path, {"username": "carol", "level": "restricted"}, key="g-1")
    assert given.status_code == 201
    assert given.json()["username"] == "carol" and given.json()["level"] == "restricted"
    audits = AuditEntry.objects.count()
    again = post(erin, path, {"username": "carol", "level": "restricted"}, key="g-1")
    assert again.status_code == 201 and again.json() == given.json()
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.count() == audits and Grant.objects.filter(person=s.person) \
        .count() == 3
    problem(post(erin, path, {"username": "carol", "level": "strictly_confidential"},
                   key="g-1"), 409)
    assert Grant.objects.get(person=s.person, user=s.cast.carol).level == "restricted"
    carol = bearer(s.cast.carol)
    assert Client().get(f"{API}/persons/{s.person.surrogate_id}", **carol).status_code == 200

    revoke = {"username": "carol", "reason": "no longer on the case"}
    revoked = post(erin, f"{path}/revoke", revoke, key="r-1")
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["username"] == "carol" and revoked.json()["revoked_at"]
    assert post(erin, f"{path}/revoke", revoke, key="r-1").json() == revoked.json()
    assert RevokedGrant.objects.count() == 1
    assert AccessLog.objects.filter(action="revoke", channel="api").count() == 1
    same_as_missing(Client().get(f"{API}/persons/{s.person.surrogate_id}", **carol),
                     Client().get(f"{API}/persons/P-000000000000", **carol))
    assert Client().get(f"{API}/persons", **carol).json()["count"] == 0

    # A deactivated account's grant is revoked too.
    gina_grant = Grant.objects.get(person=s.person, user=s.gina)
    s.gina.is_active = False
    s.gina.save(update_fields=["is_active"])
    gone = post(erin, f"{path}/revoke", {"username": "gina", "reason": "account closed"})
    assert gone.status_code == 200 and gone.json()["level"] == gina_grant.level
    s.gina.is_active = True
    s.gina.save(update_fields=["is_active"])
    persons.grant_access(s.erin, s.person, s.gina, Grant.Level.RESTRICTED)
    assert RevokedGrant.objects.count() == 2

    # Refusals: holds none, one's own, no such user, no reason; then who may not.
    problem(post(erin, f"{path}/revoke", revoke), 422, "username")
    problem(post(erin, f"{path}/revoke", {**revoke, "username": "erin"}), 422, "username")
    problem(post(erin, path, {"username": "nobody-such"}), 422, "username")
    problem(post(erin, path, {"username": "nick"}), 422, "username")  # no affiliation
    problem(post(erin, f"{path}/revoke", {"username": "gina", "reason": " "}), 422, "reason")
    problem(post(bearer(s.gina), f"{path}/revoke", {**revoke, "username": "erin"}), 403)
    for hidden_to in (s.cast.bob, s.cast.carol):
        headers = bearer(hidden_to)
        same_as_missing(post(headers, f"{path}/revoke", {**revoke, "username": "gina"}),
                         post(headers, "/persons/P-000000000000/grants/revoke",
                               {**revoke, "username": "gina"}))
        same_as_missing(post(headers, path, {"username": "bob"}),
                         post(headers, "/persons/P-000000000000/grants", {"username": "bob"}))
    assert post({}, path, {"username": "bob"}).status_code == 401
    assert RevokedGrant.objects.count() == 2
    assert Grant.objects.filter(person=s.person, user=s.gina).exists()
    assert not any("no longer on the case" in json.dumps(row.fields)
                   for row in IdempotentRequest.objects.all())


def test_situation_grants_through_the_api(records: Records) -> None:
    s, situation = records.scene, records.situation
    erin = bearer(s.erin)
    path = f"/situations/{situation.situation_id}/grants"
    assert post(erin, path, {"username": "carol"}).status_code == 201
    carol = bearer(s.cast.carol)
    assert Client().get(f"{API}/situations/{situation.situation_id}", **carol).status_code == 200
    revoked = post(erin, f"{path}/revoke", {"username": "carol", "reason": "done"})
    assert revoked.status_code == 200 and revoked.json()["situation_id"] == \
        situation.situation_id
    same_as_missing(Client().get(f"{API}/situations/{situation.situation_id}", **carol),
                     Client().get(f"{API}/situations/HS-000000000000", **carol))
    problem(post(bearer(s.gina), f"{path}/revoke", {"username": "erin", "reason": "x"}), 403)
    hidden = f"/situations/{records.ungranted_situation.situation_id}/grants"
    same_as_missing(post(bearer(s.gina), hidden, {"username": "carol"}),
                     post(bearer(s.gina), "/situations/HS-000000000000/grants",
                           {"username": "carol"}))
    assert RevokedSituationGrant.objects.count() == 1
