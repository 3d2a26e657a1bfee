"""Hate incidents (recorded, screened, advanced, with a public summary, decision 0065) and
media-freedom alerts (the State's reply, the follow-up log)."""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema, Status

from hofburg.cases import queries
from hofburg.cases.api import SurrogateId, router
from hofburg.cases.api.writes.common import (
    Code,
    Codes,
    _given,
    _limit,
    _person,
    _writer,
)
from hofburg.cases.engine import workflow
from hofburg.cases.engine.publication import MAX_PUBLIC_SUMMARY
from hofburg.cases.models import Alert, Incident
from hofburg.cases.services import hatecrime, media
from hofburg.core.bounds import Count, Day, LongText, Year
from hofburg.core.models import Classification

MediaText = Annotated[str, Field(max_length=media.MAX_TEXT)]


class IncidentStateOut(Schema):
    incident_id: str
    stage: str
    screening: str


class AlertCreatedOut(Schema):
    alert_id: str
    coe_categories: list[str]


class AlertEntryOut(Schema):
    alert_id: str
    id: int


# -- hate incidents ----------------------------------------------------------------------------


class IncidentIn(Schema):
    reporting_year: Year
    country: str = Field(..., max_length=2, examples=["XE"])
    incident_type: Code
    bias_motivations: Codes
    source_org: str = Field(..., max_length=hatecrime.MAX_SHORT_TEXT)
    source_kind: Incident.SourceKind
    occurred_on: Day | None = None
    other_bias: str = Field("", max_length=hatecrime.MAX_SHORT_TEXT)
    indicators: LongText = ""
    description: LongText = ""
    victim_count: Count | None = None
    classification: Classification | None = None
    is_exercise: bool | None = None


class ScreeningIn(Schema):
    decision: workflow.Screening
    reason: LongText = ""


class StageIn(Schema):
    stage: workflow.Stage


def _incident_state(incident: Incident) -> dict[str, str]:
    return {"incident_id": incident.incident_id, "stage": incident.stage,
            "screening": incident.screening}


@router.post("/incidents", response={201: IncidentStateOut},
             summary="Record a civil-society hate incident (it arrives received, pending "
                     "screening)")
def create_incident(request: HttpRequest, payload: IncidentIn) -> Any:
    user = _writer(request)
    record = hatecrime.IncidentRecord(
        reporting_year=payload.reporting_year, country=payload.country,
        incident_type=payload.incident_type, bias_motivations=payload.bias_motivations,
        source_org=payload.source_org, source_kind=payload.source_kind,
        occurred_on=payload.occurred_on, other_bias=payload.other_bias,
        indicators=payload.indicators, description=payload.description,
        victim_count=payload.victim_count)
    incident = hatecrime.record_incident(user, record,
                                         **_given(payload, "classification", "is_exercise"))
    return Status(201, _incident_state(incident))


@router.post("/incidents/{incident_id}/screening", response=IncidentStateOut,
             summary="Record the screening decision (the incident moves to screened)")
def screen_incident(request: HttpRequest, incident_id: SurrogateId,
                    payload: ScreeningIn) -> Any:
    user = _writer(request)
    incident = hatecrime.screen_incident(user, queries.incident_for(user, incident_id),
                                         payload.decision, payload.reason)
    return _incident_state(incident)


@router.post("/incidents/{incident_id}/stage", response=IncidentStateOut,
             summary="Move a screened incident on (consultation, published)")
def advance_incident(request: HttpRequest, incident_id: SurrogateId, payload: StageIn) -> Any:
    user = _writer(request)
    incident = hatecrime.advance_incident(user, queries.incident_for(user, incident_id),
                                          payload.stage)
    return _incident_state(incident)


class PublicSummaryIn(Schema):
    public_summary: str = Field(..., max_length=MAX_PUBLIC_SUMMARY,
                                description="Published beside the hate-crime table once the "
                                            "incident is published; empty withdraws it.")


class PublicSummaryOut(Schema):
    incident_id: str
    public_summary: str


@router.post("/incidents/{incident_id}/public-summary", response=PublicSummaryOut,
             summary="Write an incident's public summary (an analyst of the owner affiliation; "
                     "incidents against people only)")
def set_public_summary(request: HttpRequest, incident_id: SurrogateId,
                       payload: PublicSummaryIn) -> Any:
    user = _writer(request)
    incident = hatecrime.set_public_summary(user, queries.incident_for(user, incident_id),
                                            payload.public_summary)
    return {"incident_id": incident.incident_id, "public_summary": incident.public_summary}


# -- media freedom -----------------------------------------------------------------------------


class AlertIn(Schema):
    country: str = Field(..., max_length=2, examples=["XE"])
    submitted_on: Day
    violations: Codes
    perpetrator_type: Code
    media_actor_type: str = Field(..., max_length=_limit(Alert, "media_actor_type"))
    severity: Code
    partner: str = Field(..., max_length=_limit(Alert, "partner"))
    summary: MediaText
    occurred_on: Day | None = None
    verification: Code | None = None
    person: SurrogateId | None = Field(None, description="The surrogate id of the journalist, "
                                                         "a person you hold a grant for.")
    classification: Classification | None = None
    is_exercise: bool | None = None


class ReplyIn(Schema):
    received_on: Day
    text: MediaText


class FollowUpIn(Schema):
    on: Day
    note: MediaText


@router.post("/alerts", response={201: AlertCreatedOut},
             summary="Record a media-freedom alert (its CoE categories follow from the "
                     "violations)")
def create_alert(request: HttpRequest, payload: AlertIn) -> Any:
    user = _writer(request)
    alert = media.create_alert(user, media.AlertRecord(
        country=payload.country, submitted_on=payload.submitted_on,
        violations=payload.violations, perpetrator_type=payload.perpetrator_type,
        media_actor_type=payload.media_actor_type, severity=payload.severity,
        partner=payload.partner, summary=payload.summary, occurred_on=payload.occurred_on,
        person=_person(user, payload.person),
        **_given(payload, "verification", "classification", "is_exercise")))
    return Status(201, {"alert_id": alert.alert_id, "coe_categories": alert.coe_categories})


@router.post("/alerts/{alert_id}/replies", response={201: AlertEntryOut},
             summary="Record the reply of the State concerned")
def record_state_reply(request: HttpRequest, alert_id: SurrogateId, payload: ReplyIn) -> Any:
    user = _writer(request)
    alert = queries.alert_for(user, alert_id)
    reply = media.record_state_reply(user, alert, received_on=payload.received_on,
                                     text=payload.text)
    return Status(201, {"alert_id": alert.alert_id, "id": reply.pk})


@router.post("/alerts/{alert_id}/follow-ups", response={201: AlertEntryOut},
             summary="Add an entry to the alert's follow-up log")
def add_follow_up(request: HttpRequest, alert_id: SurrogateId, payload: FollowUpIn) -> Any:
    user = _writer(request)
    alert = queries.alert_for(user, alert_id)
    entry = media.add_follow_up(user, alert, on=payload.on, note=payload.note)
    return Status(201, {"alert_id": alert.alert_id, "id": entry.pk})
