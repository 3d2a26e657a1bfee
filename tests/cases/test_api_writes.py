"""Writes through the desk's API: what an officer records on the desk, a script records with a
token of an account that has a second factor. Each write stores through its service; a refusal
is problem+json with the service's status and field and stores nothing; a record the caller
may not see answers as a missing one; a retry under its `Idempotency-Key` stores nothing new;
no answer, and no row kept for a retry, repeats a value of the identity vault."""

from __future__ import annotations

import json

from django.test import Client

from hofburg.cases import sealed, vault
from hofburg.cases.models import (
    Alert,
    Assistance,
    CaseMovement,
    ConditionReport,
    DetentionEpisode,
    EscalationAssessment,
    FollowUp,
    Incident,
    IndicatorObservation,
    Person,
    PrisonerCase,
    Proceeding,
    ProtectionCase,
    Recognition,
    Referral,
    RiskAssessment,
    Situation,
    StateReply,
    VaultEntry,
)
from hofburg.core.models import AuditEntry, IdempotentRequest, Role, User
from tests.cases.calls import API, NEW_PERSON, no_vault_value, post, problem, same_as_missing
from tests.cases.conftest import Records, Scene, verified_client
from tests.cases.tokens import bearer
from tests.conftest import PASSWORD


def _stored() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (
        Person, VaultEntry, PrisonerCase, DetentionEpisode, Proceeding, Recognition,
        ConditionReport, Incident, Alert, StateReply, FollowUp, ProtectionCase, CaseMovement,
        RiskAssessment, Referral, Assistance, Situation, IndicatorObservation,
        EscalationAssessment)}


# -- persons and the vault ---------------------------------------------------------------------


def test_a_person_goes_into_the_vault_and_the_answer_is_the_surrogate_id(scene: Scene) -> None:
    erin = bearer(scene.erin)
    created = post(erin, "/persons", {**NEW_PERSON, "birth_date": "1990-02-03",
                                       "protection_level": "standard"}, key="p-1")
    assert created.status_code == 201
    assert set(created.json()) == {"surrogate_id"}
    no_vault_value(created)
    person = Person.objects.get(surrogate_id=created.json()["surrogate_id"])
    assert person.owner_affiliation == scene.cast.cpc and person.protection_level == "standard"
    assert set(person.vault.values_list("field", flat=True)) == set(NEW_PERSON)
    for entry in person.vault.all():
        assert NEW_PERSON[entry.field].encode() not in bytes(entry.ciphertext)
    # The vault opens for its creator, who holds the strictly-confidential grant.
    read = Client().get(f"{API}/persons/{person.surrogate_id}", **erin)
    assert read.json()["medical"] == NEW_PERSON["medical"]
    # Neither the audit trail nor the row kept for a retry holds a vault value.
    kept = IdempotentRequest.objects.get(key="p-1")
    stored = json.dumps(kept.fields) + kept.request_digest + bytes(kept.body).decode()
    trail = " ".join(json.dumps(e.after, default=str) for e in AuditEntry.objects.all())
    for value in NEW_PERSON.values():
        assert value not in stored and value not in trail
    assert set(kept.fields) == {*NEW_PERSON, "birth_date", "protection_level"}


def test_an_identical_retry_stores_nothing_and_other_content_under_the_key_is_a_409(
        scene: Scene) -> None:
    erin = bearer(scene.erin)
    first = post(erin, "/persons", NEW_PERSON, key="p-1")
    before = _stored()
    again = post(erin, "/persons", dict(reversed(list(NEW_PERSON.items()))), key="p-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert _stored() == before
    other = post(erin, "/persons", {**NEW_PERSON, "medical": "something else"}, key="p-1")
    body = problem(other, 409)
    assert "medical differ" in body["detail"]
    no_vault_value(other)
    elsewhere = post(erin, f"/prisoners/{scene.restricted_case.case_id}/condition-reports",
                      {"reported_on": "2024-06-01", "text": "x"}, key="p-1")
    assert "POST /api/v1/cases/persons" in problem(elsewhere, 409)["detail"]
    assert _stored() == before
    # Without the key the same request is a new person.
    assert post(erin, "/persons", NEW_PERSON).status_code == 201
    assert Person.objects.count() == before["Person"] + 1


def test_writes_need_a_token_of_an_account_with_a_second_factor(scene: Scene) -> None:
    before = _stored()
    body = {"name": "Someone (EXERCISE)"}
    problem(post({}, "/persons", body), 401)
    # A session, even past the second factor, does not write through the API.
    problem(post({}, "/persons", body, client=verified_client(scene.erin)), 401)
    unenrolled = User.objects.create_user("fred", password=PASSWORD,
                                          affiliation=scene.cast.cpc, roles=[Role.EDITOR])
    refused = post(bearer(unenrolled, enrolled=False), "/persons", body)
    assert "second-factor" in problem(refused, 401)["detail"]
    problem(post({"HTTP_AUTHORIZATION": "Bearer hfb_wrong"}, "/persons", body), 401)
    assert _stored() == before


def test_refusals_are_problems_naming_the_field_and_store_nothing(scene: Scene) -> None:
    erin, gina = bearer(scene.erin), bearer(scene.gina)
    before = _stored()
    # Refused without repeating what was sent (`_post` checks every answer for it).
    problem(post(erin, "/persons", {"contacts": NEW_PERSON["contacts"]}), 422, "name")
    problem(post(erin, "/persons", {"name": "!!!"}), 422, "name")  # the service's refusal
    problem(post(erin, "/persons", {**NEW_PERSON, "medical": "x" * 2001}), 422, "medical")
    problem(post(erin, "/persons", {**NEW_PERSON, "birth_date": "1990-13-01"}), 422,
             "birth_date")
    bad_json = Client().post(f"{API}/persons", b"{", content_type="application/json", **erin)
    problem(bad_json, 400)
    problem(post(gina, "/persons", {"name": "A"}), 403)  # an analyst records nobody
    case_path = f"/prisoners/{scene.restricted_case.case_id}"
    problem(post(erin, "/prisoners", {"person": scene.person.surrogate_id,
                                        "jurisdiction": "X1"}), 422, "jurisdiction")
    problem(post(erin, f"{case_path}/episodes", {"kind": "pre_trial",
                                                   "start": "2024-03-01"}), 409)  # overlaps
    problem(post(erin, f"{case_path}/episodes", {"kind": "exile", "start": "2020-01-01"}),
             422, "kind")
    problem(post(erin, f"{case_path}/recognitions", {
        "organisations": ["Exercise Rights Centre"], "criteria": ["z"],
        "recognised_on": "2024-05-01"}), 422, "criteria")
    problem(post(bearer(scene.cast.bob), f"{case_path}/proceedings", {
        "court": "Exercise Court", "hearing_date": "2024-05-01"}), 403)  # sees, not owner
    problem(post(erin, f"{case_path}/condition-reports", {"reported_on": "3000-01-01",
                                                            "text": "x"}), 422, "reported_on")
    assert _stored() == before


def test_a_hidden_record_answers_every_write_as_a_missing_one(records: Records) -> None:
    s = records.scene
    bob, carol = bearer(s.cast.bob), bearer(s.cast.carol)
    report = {"reported_on": "2024-06-01", "text": "x"}
    same_as_missing(post(bob, f"/prisoners/{s.confidential_case.case_id}/condition-reports",
                           report),
                     post(bob, "/prisoners/PC-000000000000/condition-reports", report))
    episode = s.restricted_case.episodes.get()
    same_as_missing(
        post(bob, f"/prisoners/{s.confidential_case.case_id}/episodes/{episode.pk}/end",
              {"end": "2024-07-01"}),
        post(bob, f"/prisoners/{s.restricted_case.case_id}/episodes/999999/end",
              {"end": "2024-07-01"}))
    # Another case's episode is not this case's.
    other_case_episode = post(bearer(s.erin), f"/prisoners/{s.public_case.case_id}/episodes/"
                                               f"{episode.pk}/end", {"end": "2024-07-01"})
    assert other_case_episode.status_code == 404
    # A person without a grant does not exist for the caller, in a body as in a path.
    case = {"person": s.other.surrogate_id, "jurisdiction": "XE"}
    same_as_missing(post(bearer(s.gina), "/prisoners", case),
                     post(bearer(s.gina), "/prisoners", {**case, "person": "P-000000000000"}))
    same_as_missing(post(bob, "/incidents/" + s.confidential_incident.incident_id
                           + "/stage", {"stage": "published"}),
                     post(bob, "/incidents/HC-000000000000/stage", {"stage": "published"}))
    reply = {"received_on": "2024-07-01", "text": "x"}
    same_as_missing(post(bob, f"/alerts/{s.confidential_alert.alert_id}/replies", reply),
                     post(bob, "/alerts/MF-000000000000/replies", reply))
    movement = {"kind": "transit", "country": "XE"}
    same_as_missing(post(bob, f"/protection/{records.trafficking.case_id}/movements",
                           movement),
                     post(bob, "/protection/TC-000000000000/movements", movement))
    observation = {"indicator": "education", "observed_on": "2024-03-01", "source": "s",
                   "level": "elevated"}
    path = f"/situations/{records.situation.situation_id}/observations"
    same_as_missing(post(carol, path, observation),
                     post(carol, "/situations/HS-000000000000/observations", observation))
    # gina holds the situation's grant but is no editor: she may know it exists.
    problem(post(bearer(s.gina), path, observation), 403)
    assert records.situation.observations.count() == 1


# -- the officer's work, written by a script ---------------------------------------------------


def test_a_prisoners_case_with_its_episodes_hearings_recognitions_and_reports(
        scene: Scene) -> None:
    erin = bearer(scene.erin)
    answers = []
    opened = post(erin, "/prisoners", {"person": scene.person.surrogate_id,
                                        "jurisdiction": "xe", "articles": ["ECC 190"],
                                        "charges": "api-charges", "classification": "public"})
    answers.append(opened)
    assert opened.status_code == 201
    case_id = opened.json()["case_id"]
    case = PrisonerCase.objects.get(case_id=case_id)
    assert (case.jurisdiction, case.classification, case.articles) == ("XE", "public",
                                                                       ["ECC 190"])
    path = f"/prisoners/{case_id}"
    held = post(erin, f"{path}/episodes", {"kind": "pre_trial", "start": "2024-01-05",
                                            "facility": "Exercise Facility 2"})
    answers.append(held)
    assert held.status_code == 201 and held.json()["case_id"] == case_id
    ended = post(erin, f"{path}/episodes/{held.json()['id']}/end", {"end": "2024-04-01"})
    assert ended.status_code == 200
    problem(post(erin, f"{path}/episodes/{held.json()['id']}/end", {"end": "2024-04-02"}),
             409)  # ended already
    answers.append(post(erin, f"{path}/proceedings", {
        "court": "Exercise District Court", "hearing_date": "2024-02-01",
        "closed_trial": True, "verdict": "guilty", "sentence": "3 years"}))
    recognised = post(erin, f"{path}/recognitions", {
        "organisations": ["Exercise Rights Centre"], "criteria": ["b", "a"],
        "recognised_on": "2024-03-01"})
    answers.append(recognised)
    withdrawn = post(erin, f"{path}/recognitions/{recognised.json()['id']}/withdraw",
                      {"withdrawn_on": "2024-05-01"})
    answers.append(post(erin, f"{path}/condition-reports", {"reported_on": "2024-03-15",
                                                             "text": "api-conditions"}))
    assert [a.status_code for a in answers] == [201] * 5 and withdrawn.status_code == 200
    detail = Client().get(f"{API}{path}", **erin).json()
    assert [e["end"] for e in detail["episodes"]] == ["2024-04-01"]
    assert detail["proceedings"][0]["court"] == "Exercise District Court"
    assert detail["recognitions"][0]["criteria"] == ["a", "b"]
    assert detail["recognitions"][0]["withdrawn_on"] == "2024-05-01"
    assert detail["conditions"] == "2024-03-15: api-conditions"
    for answer in [*answers, ended, withdrawn]:
        no_vault_value(answer)


def test_an_incident_is_recorded_screened_and_moved_on(scene: Scene) -> None:
    erin = bearer(scene.erin)
    incident = {"reporting_year": 2024, "country": "XE", "incident_type": "arson",
                "bias_motivations": ["anti_muslim"], "source_org": "Exercise Watch",
                "source_kind": "cso", "occurred_on": "2024-04-02", "victim_count": 2}
    created = post(erin, "/incidents", incident, key="i-1")
    assert created.status_code == 201
    assert created.json()["stage"] == "received" and created.json()["screening"] == "pending"
    incident_id = created.json()["incident_id"]
    stored = Incident.objects.get(incident_id=incident_id)
    assert (stored.target, stored.classification, stored.victim_count) == (
        "property", "confidential", 2)
    assert post(erin, "/incidents", incident, key="i-1").json() == created.json()
    # The source organisation is sealed: the retry stored no second incident.
    ring = vault.load_keyring()
    assert [i.incident_id for i in Incident.objects.all()
            if sealed.open_value(ring, i, "source_org") == "Exercise Watch"] == [incident_id]
    # Checked as an imported row is, the field named.
    problem(post(erin, "/incidents", {**incident, "incident_type": "stabbing"}), 422,
             "incident_type")
    problem(post(erin, "/incidents", {**incident, "occurred_on": "2023-04-02"}), 422,
             "occurred_on")
    problem(post(erin, "/incidents", {**incident, "source_kind": "rumour"}), 422,
             "source_kind")
    screened = post(erin, f"/incidents/{incident_id}/screening", {"decision": "included"})
    assert screened.json() == {"incident_id": incident_id, "stage": "screened",
                               "screening": "included"}
    problem(post(erin, f"/incidents/{incident_id}/stage", {"stage": "published"}), 422,
             "stage")  # consultation comes first
    moved = post(erin, f"/incidents/{incident_id}/stage", {"stage": "consultation"})
    assert moved.json()["stage"] == "consultation"
    problem(post(bearer(scene.gina), f"/incidents/{incident_id}/stage",
                   {"stage": "published"}), 403)


def test_an_alert_naming_a_person_with_the_states_reply_and_the_follow_up(
        scene: Scene) -> None:
    erin = bearer(scene.erin)
    alert = {"country": "XE", "submitted_on": "2024-08-01", "occurred_on": "2024-07-30",
             "violations": ["legal.arrest_detention"], "perpetrator_type": "state_actor",
             "media_actor_type": "journalist", "severity": "high",
             "partner": "Exercise Press Union", "summary": "api-alert-summary",
             "person": scene.person.surrogate_id}
    created = post(erin, "/alerts", alert)
    assert created.status_code == 201
    assert created.json()["coe_categories"] == ["detention"]
    no_vault_value(created)
    alert_id = created.json()["alert_id"]
    assert Alert.objects.get(alert_id=alert_id).person == scene.person
    reply = {"received_on": "2024-08-10", "text": "The State replied through the API."}
    assert post(erin, f"/alerts/{alert_id}/replies", reply).status_code == 201
    problem(post(erin, f"/alerts/{alert_id}/replies", reply), 409)  # recorded already
    problem(post(erin, f"/alerts/{alert_id}/follow-ups", {"on": "2024-07-01", "note": "x"}),
             422, "on")
    assert post(erin, f"/alerts/{alert_id}/follow-ups",
                 {"on": "2024-08-11", "note": "api-follow-up"}).status_code == 201
    detail = Client().get(f"{API}/alerts/{alert_id}", **erin).json()
    assert [r["text"] for r in detail["state_replies"]] == [reply["text"]]
    assert [f["note"] for f in detail["follow_ups"]] == ["api-follow-up"]
    problem(post(erin, "/alerts", {**alert, "violations": ["nonsense"]}), 422, "violations")
    # Naming a person takes a grant: for gina's colleague without one the person is absent.
    colleague = User.objects.create_user("hana", password=PASSWORD,
                                         affiliation=scene.cast.cpc, roles=[Role.EDITOR])
    problem(post(bearer(colleague), "/alerts", alert), 404)
    assert Alert.objects.filter(summary="api-alert-summary").count() == 1


def test_a_protection_case_and_what_follows_it(scene: Scene) -> None:
    erin = bearer(scene.erin)
    opened = post(erin, "/protection", {
        "person": scene.person.surrogate_id, "concern": "trafficking", "country": "XE",
        "opened_on": "2024-03-01", "consent": True, "gender": "feminine",
        "citizenship": ["xe"], "exploitation_types": ["forced_labour"],
        "summary": "api-protection-summary"})
    assert opened.status_code == 201 and opened.json()["status"] == "active"
    no_vault_value(opened)
    case_id = opened.json()["case_id"]
    path = f"/protection/{case_id}"
    steps = [
        post(erin, f"{path}/movements", {"kind": "recruitment", "country": "XE",
                                          "on": "2023-10-01", "description": "api-move"}),
        post(erin, f"{path}/risk-assessments", {"assessed_on": "2024-03-02",
                                                 "level": "individual", "factors": ["age"]}),
        post(erin, f"{path}/referrals", {"direction": "outgoing",
                                          "organisation": "Exercise Shelter",
                                          "organisation_type": "ngo", "on": "2024-03-05",
                                          "reason": "additional_services"}),
        post(erin, f"{path}/assistance", {"kind": "legal", "started_on": "2024-03-05",
                                           "planned_end": "2024-06-01"}),
    ]
    assert [step.status_code for step in steps] == [201] * 4
    problem(post(erin, f"{path}/referrals", {
        "direction": "outgoing", "organisation": "Exercise Shelter", "on": "2024-03-05",
        "reason": "additional_services"}), 409)  # recorded already
    problem(post(erin, f"{path}/assistance", {"kind": "legal", "started_on": "2024-03-05",
                                                "actual_end": "2024-03-01"}), 422, "actual_end")
    problem(post(erin, f"{path}/status", {"status": "closed"}), 422, "reason")
    closed = post(erin, f"{path}/status", {"status": "closed", "reason": "assistance done"})
    assert closed.json() == {"case_id": case_id, "status": "closed"}
    detail = Client().get(f"{API}{path}", **erin).json()
    assert [m["description"] for m in detail["movements"]] == ["api-move"]
    assert detail["referrals"][0]["organisation"] == "Exercise Shelter"
    assert detail["closure_reason"] == "assistance done"
    problem(post(erin, "/protection", {"person": scene.person.surrogate_id,
                                         "concern": "smuggling", "country": "XE",
                                         "opened_on": "2024-03-01"}), 422, "concern")


def test_a_situation_with_its_observations_and_assessments(scene: Scene) -> None:
    erin = bearer(scene.erin)
    opened = post(erin, "/situations", {"state": "XE", "title": "api-situation",
                                         "opened_on": "2024-01-01",
                                         "communities": ["Exercise Community"]})
    assert opened.status_code == 201
    situation_id = opened.json()["situation_id"]
    path = f"/situations/{situation_id}"
    observed = post(erin, f"{path}/observations", {
        "indicator": "education", "observed_on": "2024-02-01", "value": "12.5",
        "source": "api-source", "level": "elevated"})
    assert observed.status_code == 201 and observed.json()["situation_id"] == situation_id
    problem(post(erin, f"{path}/observations", {"indicator": "education",
                                                  "observed_on": "2024-02-01",
                                                  "source": "s"}), 422, "value")
    problem(post(erin, f"{path}/observations", {"indicator": "weather",
                                                  "observed_on": "2024-02-01", "source": "s",
                                                  "level": "elevated"}), 422, "indicator")
    assert post(erin, f"{path}/assessments", {"level": "concern",
                                               "reason": "api-reason"}).status_code == 201
    detail = Client().get(f"{API}{path}", **erin).json()
    assert detail["escalation_level"] == "concern"
    assert detail["observations"][0]["value"] == "12.50"
    assert detail["observations"][0]["source"] == "api-source"
    # The situation exists for its creator only: a colleague without the grant meets a 404.
    carol = bearer(scene.cast.carol)
    assert Client().get(f"{API}{path}", **carol).status_code == 404
