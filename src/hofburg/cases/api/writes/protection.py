"""Protection cases and what follows them (movements, risk assessments, referrals,
assistance, status), and HCNM situations with their observations and assessments."""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema, Status

from hofburg.cases import queries
from hofburg.cases.api import SurrogateId, router
from hofburg.cases.api.writes.common import (
    CaseEntryOut,
    CaseIdOut,
    Code,
    Codes,
    _affiliation,
    _given,
    _limit,
    _one,
    _person,
    _writer,
)
from hofburg.cases.engine import protection as protection_codes
from hofburg.cases.models import Situation
from hofburg.cases.services import protection, situations
from hofburg.core.bounds import Count, Day
from hofburg.core.models import Classification

ProtectionText = Annotated[str, Field(max_length=protection.MAX_TEXT)]
SituationText = Annotated[str, Field(max_length=situations.MAX_TEXT)]


class ProtectionStateOut(CaseIdOut):
    status: str


class SituationIdOut(Schema):
    situation_id: str


class SituationEntryOut(SituationIdOut):
    id: int


# -- protection cases --------------------------------------------------------------------------


class ProtectionIn(Schema):
    person: SurrogateId = Field(..., description="The surrogate id of a person you hold a "
                                                 "grant for.")
    concern: Code
    country: str = Field(..., max_length=2, examples=["XE"])
    opened_on: Day
    trafficking_status: Code = ""
    status_decided_by: Code = ""
    consent: bool = False
    gender: Code = ""
    age_at_exploitation: Count | None = None
    citizenship: list[Annotated[str, Field(max_length=2)]] = Field(
        [], max_length=protection.MAX_CITIZENSHIPS)
    relationship_to_trafficker: Code = ""
    exploitation_types: Codes = []
    recruitment_methods: Codes = []
    control_methods: Codes = []
    summary: ProtectionText = ""
    classification: Classification | None = None
    is_exercise: bool | None = None


class MovementIn(Schema):
    kind: Code
    country: str = Field(..., max_length=2, examples=["XE"])
    on: Day | None = None
    description: ProtectionText = ""


class RiskAssessmentIn(Schema):
    assessed_on: Day
    level: Code
    factors: Codes
    note: ProtectionText = ""


class ReferralIn(Schema):
    direction: str = Field(..., max_length=10,
                           description=" or ".join(protection_codes.DIRECTIONS))
    organisation: str = Field(..., max_length=protection.MAX_ORGANISATION)
    on: Day
    reason: Code
    organisation_type: Code = ""
    details: ProtectionText = ""


class AssistanceIn(Schema):
    kind: Code
    started_on: Day
    objectives: ProtectionText = ""
    planned_end: Day | None = None
    actual_end: Day | None = None


class CaseStatusIn(Schema):
    status: Code
    reason: ProtectionText = Field("", description="Required when the case is closed.")


@router.post("/protection", response={201: ProtectionStateOut},
             summary="Open a protection case (trafficking, gender-based violence, Roma and "
                     "Sinti) for a person you hold a grant for")
def create_protection_case(request: HttpRequest, payload: ProtectionIn) -> Any:
    user = _writer(request)
    record = protection.ProtectionRecord(
        concern=payload.concern, country=payload.country, opened_on=payload.opened_on,
        trafficking_status=payload.trafficking_status,
        status_decided_by=payload.status_decided_by, consent=payload.consent,
        gender=payload.gender, age_at_exploitation=payload.age_at_exploitation,
        citizenship=payload.citizenship,
        relationship_to_trafficker=payload.relationship_to_trafficker,
        exploitation_types=payload.exploitation_types,
        recruitment_methods=payload.recruitment_methods,
        control_methods=payload.control_methods, summary=payload.summary,
        **_given(payload, "classification", "is_exercise"))
    case = protection.create_protection_case(user, _one(_person(user, payload.person)), record)
    return Status(201, {"case_id": case.case_id, "status": case.status})


@router.post("/protection/{case_id}/movements", response={201: CaseEntryOut},
             summary="Add a step of the movement (recruitment, transit, exploitation)")
def add_movement(request: HttpRequest, case_id: SurrogateId, payload: MovementIn) -> Any:
    user = _writer(request)
    case = queries.protection_case_for(user, case_id)
    movement = protection.add_movement(user, case, kind=payload.kind, country=payload.country,
                                       on=payload.on, description=payload.description)
    return Status(201, {"case_id": case.case_id, "id": movement.pk})


@router.post("/protection/{case_id}/risk-assessments", response={201: CaseEntryOut},
             summary="Add a section of a risk and vulnerability assessment")
def add_risk_assessment(request: HttpRequest, case_id: SurrogateId,
                        payload: RiskAssessmentIn) -> Any:
    user = _writer(request)
    case = queries.protection_case_for(user, case_id)
    assessment = protection.add_risk_assessment(user, case, assessed_on=payload.assessed_on,
                                                level=payload.level, factors=payload.factors,
                                                note=payload.note)
    return Status(201, {"case_id": case.case_id, "id": assessment.pk})


@router.post("/protection/{case_id}/referrals", response={201: CaseEntryOut},
             summary="Record a referral in or out")
def add_referral(request: HttpRequest, case_id: SurrogateId, payload: ReferralIn) -> Any:
    user = _writer(request)
    case = queries.protection_case_for(user, case_id)
    referral = protection.add_referral(
        user, case, direction=payload.direction, organisation=payload.organisation,
        on=payload.on, reason=payload.reason, organisation_type=payload.organisation_type,
        details=payload.details)
    return Status(201, {"case_id": case.case_id, "id": referral.pk})


@router.post("/protection/{case_id}/assistance", response={201: CaseEntryOut},
             summary="Record assistance given (a support plan)")
def add_assistance(request: HttpRequest, case_id: SurrogateId, payload: AssistanceIn) -> Any:
    user = _writer(request)
    case = queries.protection_case_for(user, case_id)
    assistance = protection.add_assistance(
        user, case, kind=payload.kind, started_on=payload.started_on,
        objectives=payload.objectives, planned_end=payload.planned_end,
        actual_end=payload.actual_end)
    return Status(201, {"case_id": case.case_id, "id": assistance.pk})


@router.post("/protection/{case_id}/status", response=ProtectionStateOut,
             summary="Move the case to another status (closing it states the reason)")
def set_case_status(request: HttpRequest, case_id: SurrogateId, payload: CaseStatusIn) -> Any:
    user = _writer(request)
    case = protection.set_case_status(user, queries.protection_case_for(user, case_id),
                                      payload.status, payload.reason)
    return {"case_id": case.case_id, "status": case.status}


# -- HCNM situations ---------------------------------------------------------------------------


class SituationIn(Schema):
    state: str = Field(..., max_length=2, examples=["XE"])
    title: str = Field(..., max_length=_limit(Situation, "title"))
    opened_on: Day
    communities: list[Annotated[str, Field(max_length=200)]] = Field(
        ..., max_length=situations.MAX_COMMUNITIES)
    region: str = Field("", max_length=_limit(Situation, "region"))
    classification: Classification | None = None
    is_exercise: bool | None = None


class ObservationIn(Schema):
    indicator: Code
    observed_on: Day
    source: SituationText
    value: Annotated[Decimal, Field(allow_inf_nan=False)] | None = None
    level: Code = ""
    note: SituationText = ""


class AssessmentIn(Schema):
    level: Code
    reason: SituationText


@router.post("/situations", response={201: SituationIdOut},
             summary="Open an HCNM situation (you are granted it at the strictly-confidential "
                     "level)")
def create_situation(request: HttpRequest, payload: SituationIn) -> Any:
    user = _writer(request)
    situation = situations.create_situation(user, _affiliation(user), situations.SituationRecord(
        state=payload.state, title=payload.title, opened_on=payload.opened_on,
        communities=payload.communities, region=payload.region,
        **_given(payload, "classification", "is_exercise")))
    return Status(201, {"situation_id": situation.situation_id})


@router.post("/situations/{situation_id}/observations", response={201: SituationEntryOut},
             summary="Record what an indicator showed on a day, with its source")
def record_observation(request: HttpRequest, situation_id: SurrogateId,
                       payload: ObservationIn) -> Any:
    user = _writer(request)
    situation = queries.situation_for(user, situation_id)
    observation = situations.record_observation(
        user, situation, indicator=payload.indicator, observed_on=payload.observed_on,
        source=payload.source, value=payload.value, level=payload.level, note=payload.note)
    return Status(201, {"situation_id": situation.situation_id, "id": observation.pk})


@router.post("/situations/{situation_id}/assessments", response={201: SituationEntryOut},
             summary="Assess the situation's escalation (earlier assessments stay)")
def assess_escalation(request: HttpRequest, situation_id: SurrogateId,
                      payload: AssessmentIn) -> Any:
    user = _writer(request)
    situation = queries.situation_for(user, situation_id)
    assessment = situations.assess_escalation(user, situation, level=payload.level,
                                              reason=payload.reason)
    return Status(201, {"situation_id": situation.situation_id, "id": assessment.pk})
