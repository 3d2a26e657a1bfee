"""Protection cases and HCNM situations on the database: the codes checked against their
lists, the write path's refusals, the status and escalation histories, and the audit trail
that never copies what a case says about its person."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone

from hofburg.cases import disclosure, queries
from hofburg.cases.models import Grant
from hofburg.cases.services import protection, situations
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import AuditEntry
from tests.cases.conftest import PROTECTION_MARKERS, SITUATION_MARKERS, Records, Scene

BASE = protection.ProtectionRecord(concern="trafficking", country="XE",
                                   opened_on=date(2024, 5, 1))


def test_a_case_keeps_its_codes_in_the_lists_order_and_its_code_version(
        records: Records) -> None:
    case = records.trafficking
    assert case.code_version == "2.0"
    assert case.exploitation_types == ["forced_labour", "sexual_exploitation"]
    assert case.citizenship == ["XE", "XF"]
    assert case.status == "active" and case.classification == "confidential"


@pytest.mark.parametrize(("change", "field"), [
    ({"concern": "smuggling"}, "concern"),
    ({"country": "XEX"}, "country"),
    ({"gender": "male"}, "gender"),
    ({"exploitation_types": ["forced_labour", "organ_trade"]}, "exploitation_types"),
    ({"control_methods": ["magic"]}, "control_methods"),
    ({"trafficking_status": "victim"}, "trafficking_status"),
    ({"status_decided_by": "police"}, "status_decided_by"),
    ({"age_at_exploitation": 300}, "age_at_exploitation"),
    ({"citizenship": ["XEE"]}, "citizenship"),
    ({"classification": "secret"}, "classification"),
])
def test_a_bad_case_is_refused_naming_the_field(scene: Scene, change: dict[str, object],
                                                field: str) -> None:
    with pytest.raises(Invalid) as refused:
        protection.create_protection_case(scene.erin, scene.person,
                                          replace(BASE, **change))  # type: ignore[arg-type]
    assert refused.value.field == field


def test_opening_a_case_needs_a_grant_for_the_person(scene: Scene) -> None:
    with pytest.raises(AccessDenied):
        protection.create_protection_case(scene.cast.bob, scene.person, BASE)
    with pytest.raises(AccessDenied):  # gina holds a grant but is no editor
        protection.create_protection_case(scene.gina, scene.person, BASE)


def test_the_steps_of_a_case_are_checked(records: Records) -> None:
    erin, case = records.scene.erin, records.trafficking
    with pytest.raises(Invalid) as refused:
        protection.add_movement(erin, case, kind="flight", country="XE")
    assert refused.value.field == "kind"
    with pytest.raises(Invalid) as refused:
        protection.add_risk_assessment(erin, case, assessed_on=date(2024, 4, 1),
                                       level="household", factors=["age"])
    assert refused.value.field == "factors"  # age is an individual factor
    with pytest.raises(Invalid) as refused:
        protection.add_risk_assessment(erin, case, assessed_on=date(2024, 1, 1),
                                       level="individual", factors=[])
    assert refused.value.field == "assessed_on"  # before the case was opened
    with pytest.raises(Conflict):
        protection.add_referral(erin, case, direction="outgoing",
                                organisation=PROTECTION_MARKERS["referral"],
                                on=date(2024, 3, 5), reason="other")
    with pytest.raises(Invalid):
        protection.add_assistance(erin, case, kind="legal", started_on=date(2024, 5, 1),
                                  actual_end=date(2024, 4, 1))
    with pytest.raises(AccessDenied):
        protection.add_movement(records.scene.cast.bob, records.gbv, kind="transit",
                                country="XE")


def test_closing_a_case_states_the_reason(records: Records) -> None:
    erin, case = records.scene.erin, records.trafficking
    with pytest.raises(Invalid) as refused:
        protection.set_case_status(erin, case, "closed")
    assert refused.value.field == "reason"
    protection.set_case_status(erin, case, "closed", "assistance completed")
    with pytest.raises(Conflict):
        protection.set_case_status(erin, case, "closed", "again")
    protection.set_case_status(erin, case, "follow_up")
    case.refresh_from_db()
    assert case.status == "follow_up" and case.closure_reason_sealed == ""


def test_the_audit_trail_holds_no_protected_value(records: Records) -> None:
    protection.set_case_status(records.scene.erin, records.trafficking, "closed",
                               "closure-reason-marker")
    entries = AuditEntry.objects.filter(model_label__in=["cases.ProtectionCase",
                                                         "cases.Situation"])
    assert entries.count() >= 10
    text = " ".join(f"{e.before} {e.after}" for e in entries)
    for marker in [*PROTECTION_MARKERS.values(), "closure-reason-marker",
                   SITUATION_MARKERS["source"], SITUATION_MARKERS["note"],
                   SITUATION_MARKERS["reason"], "feminine", "withholds_documents"]:
        assert marker not in text
    created = entries.get(model_label="cases.ProtectionCase", action="create",
                          object_id=str(records.trafficking.pk))
    assert "summary" in created.after["fields_recorded"]


def test_the_escalation_history_is_kept_and_the_latest_holds(records: Records) -> None:
    erin, situation = records.scene.erin, records.situation
    situations.assess_escalation(erin, situation, level="monitoring", reason="calmer")
    rows = disclosure.situation_rows(erin, [queries.situation_for(erin,
                                                                  situation.situation_id)],
                                     channel="page", detail=True)
    row = rows.rows[0]
    assert row["escalation_level"] == "monitoring"
    assert [a["level"] for a in row["assessments"]] == ["monitoring", "concern", "monitoring"]
    assert all(a["assessed_by"] == "erin" for a in row["assessments"])


def test_observations_and_assessments_are_checked(records: Records) -> None:
    erin, situation = records.scene.erin, records.situation
    for change, field in (({"indicator": "weather"}, "indicator"),
                          ({"level": "extreme"}, "level"),
                          ({"level": "", "value": None}, "value"),
                          ({"value": "many"}, "value"),
                          ({"source": " "}, "source"),
                          ({"observed_on": timezone.localdate() + timedelta(days=1)},
                           "observed_on")):
        values: dict[str, object] = {"indicator": "education", "observed_on": date(2024, 3, 1),
                                     "source": "s", "level": "low", **change}
        with pytest.raises(Invalid) as refused:
            situations.record_observation(erin, situation, **values)  # type: ignore[arg-type]
        assert refused.value.field == field
    with pytest.raises(Invalid) as refused:
        situations.assess_escalation(erin, situation, level="war", reason="x")
    assert refused.value.field == "level"
    with pytest.raises(Invalid) as refused:
        situations.assess_escalation(erin, situation, level="concern", reason=" ")
    assert refused.value.field == "reason"


def test_only_an_owner_editor_with_a_grant_records_in_a_situation(records: Records) -> None:
    s = records.scene
    with pytest.raises(AccessDenied):  # gina holds a grant but is no editor
        situations.assess_escalation(s.gina, records.situation, level="concern", reason="x")
    with pytest.raises(AccessDenied):  # bob is an editor of another affiliation
        situations.grant_situation(s.cast.bob, records.situation, s.cast.bob)
    with pytest.raises(Invalid) as refused:  # bob may not see a confidential record
        situations.grant_situation(s.erin, records.situation, s.cast.bob)
    assert refused.value.field == "user"
    situations.grant_situation(s.erin, records.ungranted_situation, s.cast.bob,
                               Grant.Level.STRICTLY_CONFIDENTIAL)
    assert list(queries.situations_for(s.cast.bob)) == [records.ungranted_situation]


def test_a_situation_page_records_an_assessment_for_its_editor(records: Records) -> None:
    from tests.cases.conftest import verified_client

    client = verified_client(records.scene.erin)
    url = f"/cases/situations/{records.situation.situation_id}/"
    refused = client.post(url, {"assess": "1", "assess-level": "war", "assess-reason": "x"})
    assert refused.status_code == 400
    done = client.post(url, {"assess": "1", "assess-level": "risk_of_conflict",
                             "assess-reason": "rhetoric escalates"})
    assert done.status_code == 302
    assert records.situation.assessments.order_by("-assessed_at", "-pk").first().level == \
        "risk_of_conflict"
    reader = verified_client(records.scene.gina)
    assert reader.post(url, {"assess": "1", "assess-level": "concern",
                             "assess-reason": "x"}).status_code == 403


def test_a_protection_case_page_changes_the_status_for_its_editor(records: Records) -> None:
    from tests.cases.conftest import verified_client

    url = f"/cases/protection/{records.trafficking.case_id}/"
    client = verified_client(records.scene.erin)
    refused = client.post(url, {"status": "closed", "reason": ""})
    assert refused.status_code == 400
    assert "closing a case states its reason" in refused.content.decode()
    assert client.post(url, {"status": "closed", "reason": "done"}).status_code == 302
    records.trafficking.refresh_from_db()
    assert records.trafficking.status == "closed"
    assert verified_client(records.scene.gina).post(
        url, {"status": "active"}).status_code == 403
