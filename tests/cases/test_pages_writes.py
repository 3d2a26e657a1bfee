"""The desk's pages that record: every form stores through the services; a refusal is shown
beside its field with what was typed kept, and nothing is stored; a record hidden from the
reader is a 404 exactly like a missing one, a reader who may see it but not record in it gets
a 403, and a visitor is sent to sign in. Evidence is uploaded, listed with its hash and custody
and downloaded by the owner's editors only."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone

from hofburg.cases.models import (
    Alert,
    Assistance,
    CaseMovement,
    ConditionReport,
    CustodyEvent,
    DetentionEpisode,
    Evidence,
    FollowUp,
    Grant,
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
    SituationGrant,
    StateReply,
    VaultEntry,
)
from hofburg.cases.services import evidence as evidence_services
from hofburg.core.models import AuditEntry, LedgerEntry
from tests.cases.conftest import Records, verified_client

pytestmark = pytest.mark.django_db

TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


def _person(r: Records) -> str:
    return r.scene.person.surrogate_id


def _case(r: Records) -> str:
    return r.scene.released_case.case_id  # restricted, held until 2024-06-01


def _alert(r: Records) -> str:
    return r.scene.public_alert.alert_id


@dataclass(frozen=True)
class Form:
    """A form page: its address, what a good entry sends, a change the service or the form
    refuses beside `field` (with `typed` kept on the page), and what it stores."""

    path: Callable[[Records], str]
    good: dict[str, Any]
    bad: dict[str, Any]
    field: str
    typed: str
    stored: type[Model]
    hidden: Callable[[Records], str] | None = None  # an address bob may not see
    counted: dict[str, Any] = field(default_factory=dict)  # which of `stored` it adds to

    def count(self) -> int:
        return self.stored.objects.filter(**self.counted).count()


FORMS: dict[str, Form] = {
    "new_person": Form(
        lambda r: "/cases/persons/new/",
        {"name": "Quentin Example-Newperson", "contacts": "", "identity_number": "QX-1",
         "medical": "", "birth_date": "1990-01-02", "protection_level": "high",
         "classification": "confidential"},
        {"birth_date": "1990-02-30"}, "birth_date", "Quentin Example-Newperson", Person),
    "grant_person": Form(
        lambda r: f"/cases/persons/{_person(r)}/grants/new/",
        {"username": "carol", "level": "restricted"},
        {"username": "nobody-such"}, "username", "nobody-such", Grant),
    "new_prisoner_case": Form(
        lambda r: f"/cases/persons/{_person(r)}/cases/new/",
        {"jurisdiction": "XE", "articles": "CC 130; CC 190", "charges": "", "case_number": "",
         "classification": "restricted"},
        {"articles": "A" * 41}, "articles", "A" * 41, PrisonerCase),
    "add_episode": Form(
        lambda r: f"/cases/prisoners/{_case(r)}/episodes/new/",
        {"kind": "sentence", "start": "2024-07-01", "end": "", "facility": "Exercise Colony"},
        {"end": "2024-06-30"}, "end", "Exercise Colony", DetentionEpisode,
        hidden=lambda r: f"/cases/prisoners/{r.scene.confidential_case.case_id}/episodes/new/"),
    "end_episode": Form(
        lambda r: f"/cases/prisoners/{r.scene.restricted_case.case_id}/episodes/"
                  f"{r.scene.restricted_case.episodes.get().pk}/end/",
        {"end": "2024-12-31"}, {"end": "2024-01-01"}, "end", "2024-01-01", DetentionEpisode,
        hidden=lambda r: f"/cases/prisoners/{r.scene.confidential_case.case_id}/episodes/"
                         f"{r.scene.confidential_case.episodes.get().pk}/end/",
        counted={"end__isnull": False}),
    "withdraw_recognition": Form(
        lambda r: f"/cases/prisoners/{r.scene.public_case.case_id}/recognitions/"
                  f"{r.scene.public_case.recognitions.get().pk}/withdraw/",
        {"withdrawn_on": "2024-09-01"}, {"withdrawn_on": "2024-03-01"}, "withdrawn_on",
        "2024-03-01", Recognition,
        hidden=lambda r: f"/cases/prisoners/{r.scene.confidential_case.case_id}/recognitions/"
                         f"{r.scene.public_case.recognitions.get().pk}/withdraw/",
        counted={"withdrawn_on__isnull": False}),
    "add_proceeding": Form(
        lambda r: f"/cases/prisoners/{_case(r)}/proceedings/new/",
        {"court": "Exercise District Court", "hearing_date": "2024-05-02",
         "closed_trial": "on", "verdict": "", "sentence": ""},
        {"court": "", "verdict": "guilty-typed"}, "court", "guilty-typed", Proceeding,
        hidden=lambda r: f"/cases/prisoners/{r.scene.confidential_case.case_id}/"
                         "proceedings/new/"),
    "add_recognition": Form(
        lambda r: f"/cases/prisoners/{_case(r)}/recognitions/new/",
        {"organisations": "Exercise Watch; Exercise Memorial", "criteria": ["a", "c"],
         "recognised_on": "2024-06-01", "statement_url": ""},
        {"organisations": " ; ", "statement_url": "https://example.org/typed"},
        "organisations", "https://example.org/typed", Recognition,
        hidden=lambda r: f"/cases/prisoners/{r.scene.confidential_case.case_id}/"
                         "recognitions/new/"),
    "add_condition_report": Form(
        lambda r: f"/cases/prisoners/{_case(r)}/conditions/new/",
        {"reported_on": "2024-06-02", "text": "Six in a cell built for two"},
        {"reported_on": "2024-13-40"}, "reported_on", "Six in a cell built for two",
        ConditionReport,
        hidden=lambda r: f"/cases/prisoners/{r.scene.confidential_case.case_id}/"
                         "conditions/new/"),
    "new_incident": Form(
        lambda r: "/cases/hate-crime/incidents/new/",
        {"reporting_year": "2024", "country": "XE", "occurred_on": "2024-03-03",
         "incident_type": "threats", "bias_motivations": ["antisemitism"], "other_bias": "",
         "indicators": "", "description": "", "victim_count": "2",
         "source_org": "Exercise Monitor", "source_kind": "cso",
         "classification": "confidential"},
        {"occurred_on": "2023-12-31"}, "occurred_on", "Exercise Monitor", Incident),
    "new_alert": Form(
        lambda r: "/cases/media-freedom/new/",
        {"country": "XE", "submitted_on": "2024-06-01", "occurred_on": "2024-05-30",
         "violations": ["verbal.insult"], "perpetrator_type": "state_actor",
         "media_actor_type": "journalist", "severity": "high", "verification": "unverified",
         "partner": "Exercise Press Union", "summary": "Detained at a rally", "person": "",
         "classification": "restricted"},
        {"occurred_on": "2024-06-05"}, "occurred_on", "Exercise Press Union", Alert),
    "add_reply": Form(
        lambda r: f"/cases/media-freedom/{_alert(r)}/reply/",
        {"received_on": "2024-08-01", "text": "The State answers"},
        {"received_on": "2024-05-01"}, "received_on", "The State answers", StateReply,
        hidden=lambda r: f"/cases/media-freedom/{r.scene.confidential_alert.alert_id}/reply/"),
    "add_follow_up": Form(
        lambda r: f"/cases/media-freedom/{_alert(r)}/follow-up/",
        {"on": "2024-08-02", "note": "Called the partner"},
        {"on": "2024-05-01"}, "on", "Called the partner", FollowUp,
        hidden=lambda r: f"/cases/media-freedom/{r.scene.confidential_alert.alert_id}/"
                         "follow-up/"),
    "new_protection_case": Form(
        lambda r: f"/cases/persons/{_person(r)}/protection/new/",
        {"concern": "trafficking", "country": "XE", "opened_on": "2024-05-01",
         "trafficking_status": "possible_victim", "status_decided_by": "", "gender": "",
         "age_at_exploitation": "", "citizenship": "XE xf", "relationship_to_trafficker": "",
         "summary": "", "classification": "confidential"},
        {"trafficking_status": "", "status_decided_by": "court_or_prosecution"},
        "status_decided_by", "XE xf", ProtectionCase),
    "add_movement": Form(
        lambda r: f"/cases/protection/{r.trafficking.case_id}/movement/new/",
        {"kind": "transit", "country": "XG", "on": "2023-11-01", "description": "by bus"},
        {"on": TOMORROW}, "on", "by bus", CaseMovement),
    "add_risk": Form(
        lambda r: f"/cases/protection/{r.trafficking.case_id}/risks/new/",
        {"assessed_on": "2024-03-10", "level": "individual", "factors": ["age"],
         "note": "typed-note"},
        {"assessed_on": "2024-01-01"}, "assessed_on", "typed-note", RiskAssessment),
    "add_referral": Form(
        lambda r: f"/cases/protection/{r.trafficking.case_id}/referrals/new/",
        {"direction": "incoming", "organisation": "Exercise Shelter",
         "organisation_type": "ngo", "on": "2024-03-06", "reason": "additional_services",
         "details": ""},
        {"on": TOMORROW}, "on", "Exercise Shelter", Referral),
    "add_assistance": Form(
        lambda r: f"/cases/protection/{r.trafficking.case_id}/assistance/new/",
        {"kind": "legal", "started_on": "2024-04-01", "planned_end": "2024-12-31",
         "actual_end": "", "objectives": "typed-objective"},
        {"planned_end": "2024-01-01"}, "planned_end", "typed-objective", Assistance),
    "new_situation": Form(
        lambda r: "/cases/situations/new/",
        {"state": "XE", "region": "Exercise South", "title": "Language in schools",
         "opened_on": "2024-02-01", "communities": "Exercise Community A\nExercise B",
         "classification": "confidential"},
        {"opened_on": TOMORROW}, "opened_on", "Language in schools", Situation),
    "add_observation": Form(
        lambda r: f"/cases/situations/{r.situation.situation_id}/observations/new/",
        {"indicator": "education", "observed_on": "2024-03-01", "value": "5", "level": "",
         "source": "Exercise school board", "note": ""},
        {"value": "", "level": ""}, "value", "Exercise school board", IndicatorObservation),
    "grant_situation": Form(
        lambda r: f"/cases/situations/{r.situation.situation_id}/grants/new/",
        {"username": "carol", "level": "restricted"},
        {"username": "nick"}, "username", "nick", SituationGrant),
}
NEW = {"new_person", "new_incident", "new_alert", "new_situation"}  # no record to start from


def _errors_of(response: Any, name: str) -> str:
    return " ".join(str(e) for e in response.context["form"].errors.get(name, []))


@pytest.mark.parametrize("name", FORMS)
def test_each_form_records_through_its_service(name: str, records: Records) -> None:
    form = FORMS[name]
    client = verified_client(records.scene.erin)
    url = form.path(records)
    assert client.get(url).status_code == 200
    before = form.count()
    response = client.post(url, form.good)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert form.count() == before + 1
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("name", FORMS)
def test_a_refusal_is_shown_beside_its_field_keeps_the_input_and_stores_nothing(
        name: str, records: Records) -> None:
    form = FORMS[name]
    client = verified_client(records.scene.erin)
    before = form.count()
    audit = AuditEntry.objects.count()
    response = client.post(form.path(records), {**form.good, **form.bad})
    assert response.status_code == 422
    assert _errors_of(response, form.field), response.context["form"].errors
    page = response.content.decode()
    assert 'role="alert"' in page
    assert form.typed in page  # what was typed is kept
    assert form.count() == before
    assert AuditEntry.objects.count() == audit


@pytest.mark.parametrize("name", sorted(set(FORMS) - NEW))
def test_a_hidden_record_is_a_404_like_a_missing_one(name: str, records: Records) -> None:
    form = FORMS[name]
    bob = verified_client(records.scene.cast.bob)  # another affiliation, an editor there
    url = (form.hidden or form.path)(records)
    before = form.count()
    assert bob.get(url).status_code == 404
    assert bob.post(url, form.good).status_code == 404
    assert form.count() == before
    record_id = url.split("/")[3]
    missing = url.replace(record_id, record_id.split("-")[0] + "-000000000000")
    assert verified_client(records.scene.erin).get(missing).status_code == 404


@pytest.mark.parametrize("name", FORMS)
def test_a_reader_who_may_not_record_gets_a_403(name: str, records: Records) -> None:
    """gina sees every record here (a grant for the person and the situation, the owner
    affiliation) but is an analyst, not an editor."""
    form = FORMS[name]
    gina = verified_client(records.scene.gina)
    before = form.count()
    assert gina.get(form.path(records)).status_code == 403
    assert gina.post(form.path(records), form.good).status_code == 403
    assert form.count() == before


@pytest.mark.parametrize("name", ["new_person", "add_reply", "new_incident"])
def test_a_visitor_is_sent_to_sign_in_and_an_unverified_session_to_the_second_factor(
        name: str, records: Records) -> None:
    form = FORMS[name]
    url = form.path(records)
    visitor = verified_client(None).get(url)
    assert visitor.status_code == 302 and "/accounts/login/" in visitor["Location"]
    unverified = records.scene.cast.client(records.scene.erin).post(url, form.good)
    assert unverified.status_code == 302 and "/cases/two-factor/" in unverified["Location"]


def test_a_person_recorded_from_the_page_has_a_sealed_vault_and_a_grant(
        records: Records) -> None:
    client = verified_client(records.scene.erin)
    response = client.post("/cases/persons/new/", FORMS["new_person"].good)
    person = Person.objects.latest("pk")
    assert response["Location"] == f"/cases/persons/{person.surrogate_id}/"
    assert sorted(VaultEntry.objects.filter(person=person).values_list("field", flat=True)) \
        == ["identity_number", "name"]
    assert all(b"Quentin" not in bytes(entry.ciphertext)
               for entry in VaultEntry.objects.filter(person=person))
    assert Grant.objects.get(person=person).user == records.scene.erin
    assert person.owner_affiliation == records.scene.cast.cpc
    page = client.get(response["Location"]).content.decode()
    assert "Quentin Example-Newperson" in page
    # The same identity again: recorded, and the first named as a possible duplicate.
    again = client.post("/cases/persons/new/", FORMS["new_person"].good, follow=True)
    assert person.surrogate_id in again.content.decode()


def test_an_alert_names_only_a_person_granted_to_its_recorder(records: Records) -> None:
    client = verified_client(records.scene.gina)
    erin = verified_client(records.scene.erin)
    good = FORMS["new_alert"].good
    before = Alert.objects.count()
    unknown = erin.post("/cases/media-freedom/new/", {**good, "person": "P-000000000000"})
    assert unknown.status_code == 422 and _errors_of(unknown, "person")
    named = erin.post("/cases/media-freedom/new/", {**good, "person": _person(records)})
    assert named.status_code == 302
    assert Alert.objects.count() == before + 1
    assert Alert.objects.latest("pk").person == records.scene.person
    assert client.get("/cases/media-freedom/new/").status_code == 403


def test_the_pages_link_to_the_forms_for_those_who_may_use_them(records: Records) -> None:
    s = records.scene
    erin, gina = verified_client(s.erin), verified_client(s.gina)
    person, case, alert = (f"/cases/persons/{_person(records)}/",
                           f"/cases/prisoners/{_case(records)}/",
                           f"/cases/media-freedom/{_alert(records)}/")
    protection = f"/cases/protection/{records.trafficking.case_id}/"
    situation = f"/cases/situations/{records.situation.situation_id}/"
    for path, link in (
            ("/cases/persons/", "/cases/persons/new/"),
            ("/cases/hate-crime/incidents/", "/cases/hate-crime/incidents/new/"),
            ("/cases/media-freedom/", "/cases/media-freedom/new/"),
            ("/cases/situations/", "/cases/situations/new/"),
            (person, f"{person}cases/new/"), (person, f"{person}protection/new/"),
            (person, f"{person}grants/new/"), (case, f"{case}episodes/new/"),
            (alert, f"{alert}reply/"),
            (alert, f"{alert}follow-up/"), (protection, f"{protection}risks/new/"),
            (situation, f"{situation}observations/new/"),
            (situation, f"{situation}grants/new/")):
        assert f'href="{link}"' in erin.get(path).content.decode(), path
        assert f'href="{link}"' not in gina.get(path).content.decode(), path


# -- evidence ----------------------------------------------------------------------------------

PDF = b"%PDF-1.4 exercise evidence\n%%EOF\n"


def _upload(client: Any, url: str, name: str = "statement.pdf", data: bytes = PDF,
            **more: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"file": SimpleUploadedFile(name, data), "title": "Court record",
                             "source_url": "", "classification": "restricted", **more})


@pytest.mark.parametrize("kind", ["case", "alert"])
def test_evidence_is_uploaded_listed_and_downloaded_by_the_owner_s_editors_only(
        kind: str, records: Records) -> None:
    s = records.scene
    url = (f"/cases/prisoners/{_case(records)}/evidence/" if kind == "case"
           else f"/cases/media-freedom/{_alert(records)}/evidence/")
    erin = verified_client(s.erin)
    ledger = LedgerEntry.objects.count()
    response = _upload(erin, url)
    assert response.status_code == 302 and response["Location"] == url
    found = Evidence.objects.get()
    assert found.sha256 == hashlib.sha256(PDF).hexdigest()
    assert found.media_type == "application/pdf" and found.size == len(PDF)
    page = erin.get(url).content.decode()
    assert found.sha256 in page and "ingest" in page
    download = f"/cases/evidence/{found.evidence_id}/original/"
    assert f'href="{download}"' in page

    opened = erin.get(download)
    assert opened.status_code == 200 and opened.content == PDF
    assert opened["Content-Type"] == "application/pdf"
    assert "attachment" in opened["Content-Disposition"]
    assert list(CustodyEvent.objects.filter(evidence=found).values_list("action", flat=True)) \
        == ["ingest", "open"]
    assert LedgerEntry.objects.count() == ledger + 2  # both events on the ledger

    # Seen but not opened: gina (the owner affiliation, no editor) sees the hash, not the file.
    gina = verified_client(s.gina)
    listed = gina.get(url)
    assert listed.status_code == 200 and found.sha256 in listed.content.decode()
    assert download not in listed.content.decode()
    for other in (gina, verified_client(s.cast.bob), verified_client(None)):
        assert other.get(download).status_code == 404
    assert CustodyEvent.objects.filter(evidence=found).count() == 2  # a refusal opens nothing
    assert _upload(gina, url).status_code == 403
    assert Evidence.objects.count() == 1


def test_evidence_of_a_hidden_case_is_a_404_and_bad_files_are_refused(
        records: Records, tmp_path: Any, settings: Any, monkeypatch: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    s = records.scene
    hidden = f"/cases/prisoners/{s.confidential_case.case_id}/evidence/"
    assert verified_client(s.cast.bob).get(hidden).status_code == 404
    assert verified_client(None).get(f"/cases/prisoners/{s.public_case.case_id}/evidence/") \
        .status_code == 404  # evidence is internal: nothing for a visitor
    erin = verified_client(s.erin)
    url = f"/cases/prisoners/{_case(records)}/evidence/"
    monkeypatch.setattr(evidence_services, "MAX_BYTES", len(PDF) - 1)
    for name, data in (("tool.exe", b"MZ"), ("empty.pdf", b""), ("large.pdf", PDF)):
        refused = _upload(erin, url, name=name, data=data, title="typed-title")
        assert refused.status_code == 422 and _errors_of(refused, "file")
        assert "typed-title" in refused.content.decode()
    assert not Evidence.objects.exists()
    assert not (tmp_path / "cases").exists()
