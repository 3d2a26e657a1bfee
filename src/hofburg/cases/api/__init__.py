"""The human-dimension desk's API, mounted at `/api/v1/cases/`.

Rows come from `cases.disclosure`: a field the caller may not read is absent from the answer
(not null), a person without a grant is a 404 like a missing one and is not counted. A session
caller who has not passed the second factor is answered as an anonymous visitor; machine
clients use API tokens, which reach protected records only for an account with a confirmed
second-factor device. Reads of protected fields are written to the access log.
"""

# No `from __future__ import annotations`: django-ninja reads the annotations at import time.
import datetime as dt
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from hofburg.cases import disclosure, permissions, queries
from hofburg.cases.models import Person, Situation
from hofburg.cases.permissions import second_factor_verified
from hofburg.core.access import AnyUser
from hofburg.core.api import current_user
from hofburg.core.bounds import MAX_OFFSET, MAX_PAGE_SIZE, Day
from hofburg.core.models import User

router = Router(tags=["human dimension"])

SurrogateId = Annotated[str, StringConstraints(min_length=1, max_length=20,
                                               pattern=r"^[A-Z0-9-]+$")]


def _caller(request: HttpRequest) -> AnyUser:
    """The caller, downgraded to anonymous when signed in by session without the second step,
    or by an API token of an account that has no confirmed second-factor device: a token
    reaches what the account's pages reach only once the account has enrolled (decision
    0041)."""
    from django.contrib.auth.models import AnonymousUser

    user = current_user(request)
    if not isinstance(user, User):
        return user
    if request.headers.get("Authorization"):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return AnonymousUser()
    elif not second_factor_verified(request):
        return AnonymousUser()
    return user


class PageQuery(Schema):
    limit: int = Field(100, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PersonOut(Schema):
    surrogate_id: str | None = None
    protection_level: str | None = None
    is_exercise: bool | None = None
    created_at: dt.datetime | None = None
    name: str | None = None
    contacts: str | None = None
    identity_number: str | None = None
    medical: str | None = None


class PersonsOut(Schema):
    count: int
    items: list[PersonOut]


class EpisodeOut(Schema):
    kind: str
    start: dt.date
    end: dt.date | None
    died: bool
    facility: str | None = None


class RecognitionOut(Schema):
    organisations: list[str]
    criteria: list[str]
    recognised_on: dt.date
    statement_url: str
    withdrawn_on: dt.date | None


class ProceedingOut(Schema):
    court: str
    hearing_date: dt.date
    closed_trial: bool
    verdict: str
    sentence: str


class PrisonerOut(Schema):
    case_id: str | None = None
    jurisdiction: str | None = None
    articles: str | None = None
    status: str | None = None
    in_custody_since: dt.date | None = None
    recognised_by: str | None = None
    is_exercise: bool | None = None
    charges: str | None = None
    case_number: str | None = None
    person: str | None = None
    facility: str | None = None
    name: str | None = None
    conditions: str | None = None
    episodes: list[EpisodeOut] | None = None
    recognitions: list[RecognitionOut] | None = None
    proceedings: list[ProceedingOut] | None = None


class PrisonersOut(Schema):
    on: dt.date
    count: int
    items: list[PrisonerOut]


class CustodyQuery(PageQuery):
    on: Day | None = Field(None, description="Count those in custody at the end of this day "
                           "(today when left out).")
    jurisdiction: str = Field("", pattern=r"^([A-Za-z]{2})?$", max_length=2)
    recognised: bool = False


@router.get("/persons", response=PersonsOut, exclude_unset=True)
def list_persons(request: HttpRequest, page: Query[PageQuery]) -> dict[str, object]:
    """The persons granted to the caller, with the fields their grant reaches."""
    user = _caller(request)
    found = queries.persons_for(user).order_by("surrogate_id")
    chosen = list(found[page.offset:page.offset + page.limit])
    rows = disclosure.person_rows(user, chosen, channel="api")
    return {"count": found.count(), "items": rows.rows}


@router.get("/persons/{surrogate_id}", response=PersonOut, exclude_unset=True)
def get_person(request: HttpRequest, surrogate_id: SurrogateId) -> dict[str, object]:
    user = _caller(request)
    person = queries.person_for(user, surrogate_id)
    return disclosure.person_rows(user, [person], channel="api").rows[0]


@router.get("/prisoners", response=PrisonersOut, exclude_unset=True)
def list_prisoners(request: HttpRequest, params: Query[CustodyQuery]) -> dict[str, object]:
    """The cases in custody at the end of a day: the list a delegation raises."""
    user = _caller(request)
    day = params.on or timezone.localdate()
    held = queries.in_custody(user, day, params.jurisdiction, params.recognised)
    chosen = held[params.offset:params.offset + params.limit]
    rows = disclosure.prisoner_rows(user, chosen, day=day, channel="api")
    return {"on": day, "count": len(held), "items": rows.rows}


@router.get("/prisoners/{case_id}", response=PrisonerOut, exclude_unset=True)
def get_prisoner(request: HttpRequest, case_id: SurrogateId) -> dict[str, object]:
    user = _caller(request)
    case = queries.prisoner_case_for(user, case_id)
    return disclosure.prisoner_rows(user, [case], day=timezone.localdate(), channel="api",
                                    detail=True).rows[0]


class IncidentOut(Schema):
    incident_id: str | None = None
    reporting_year: int | None = None
    country: str | None = None
    occurred_on: dt.date | None = None
    incident_type: str | None = None
    target: str | None = None
    bias_motivations: str | None = None
    mandates: str | None = None
    source_kind: str | None = None
    stage: str | None = None
    screening: str | None = None
    is_exercise: bool | None = None
    screening_reason: str | None = None
    other_bias: str | None = None
    indicators: str | None = None
    victim_count: int | None = None
    source_org: str | None = None
    description: str | None = None


class IncidentsOut(Schema):
    count: int
    items: list[IncidentOut]


class IncidentQuery(PageQuery):
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", max_length=2)
    year: int | None = Field(None, ge=1990, le=2999)
    stage: Literal["", "received", "screened", "consultation", "published"] = ""
    mandate: Literal["", "antisemitism", "anti_muslim",
                     "racism_xenophobia_christians_other_religions"] = ""


@router.get("/incidents", response=IncidentsOut, exclude_unset=True)
def list_incidents(request: HttpRequest, params: Query[IncidentQuery]) -> dict[str, object]:
    """Civil-society incidents the caller may see; the account and its source only for the
    owner affiliation."""
    user = _caller(request)
    found = queries.incidents_for(user, country=params.country, year=params.year,
                                  stage=params.stage, mandate=params.mandate).order_by(
        "-reporting_year", "incident_id")
    chosen = list(found[params.offset:params.offset + params.limit])
    rows = disclosure.incident_rows(user, chosen, channel="api")
    return {"count": found.count(), "items": rows.rows}


@router.get("/incidents/{incident_id}", response=IncidentOut, exclude_unset=True)
def get_incident(request: HttpRequest, incident_id: SurrogateId) -> dict[str, object]:
    user = _caller(request)
    incident = queries.incident_for(user, incident_id)
    return disclosure.incident_rows(user, [incident], channel="api").rows[0]


class ReplyOut(Schema):
    received_on: dt.date
    text: str


class FollowUpOut(Schema):
    on: dt.date
    note: str


class AlertOut(Schema):
    alert_id: str | None = None
    country: str | None = None
    submitted_on: dt.date | None = None
    occurred_on: dt.date | None = None
    violations: str | None = None
    coe_categories: str | None = None
    perpetrator_type: str | None = None
    media_actor_type: str | None = None
    severity: str | None = None
    verification: str | None = None
    partner: str | None = None
    summary: str | None = None
    is_exercise: bool | None = None
    person: str | None = None
    name: str | None = None
    state_replies: list[ReplyOut] | None = None
    follow_ups: list[FollowUpOut] | None = None


class AlertsOut(Schema):
    count: int
    items: list[AlertOut]


class AlertQuery(PageQuery):
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", max_length=2)
    year: int | None = Field(None, ge=1990, le=2999)
    coe_category: Literal["", "physical_safety", "detention", "harassment", "impunity",
                          "chilling_effect"] = ""


@router.get("/alerts", response=AlertsOut, exclude_unset=True)
def list_alerts(request: HttpRequest, params: Query[AlertQuery]) -> dict[str, object]:
    """Media-freedom alerts the caller may see; the journalist's name only with a grant."""
    user = _caller(request)
    found = queries.alerts_for(user, country=params.country, year=params.year,
                               coe_category=params.coe_category)
    chosen = list(found[params.offset:params.offset + params.limit])
    return {"count": found.count(),
            "items": disclosure.alert_rows(user, chosen, channel="api").rows}


@router.get("/alerts/{alert_id}", response=AlertOut, exclude_unset=True)
def get_alert(request: HttpRequest, alert_id: SurrogateId) -> dict[str, object]:
    """An alert with the State's replies (and, for staff, the follow-up log)."""
    user = _caller(request)
    alert = queries.alert_for(user, alert_id)
    return disclosure.alert_rows(user, [alert], channel="api", detail=True).rows[0]


class MovementOut(Schema):
    kind: str
    country: str
    on: dt.date | None
    description: str


class RiskAssessmentOut(Schema):
    assessed_on: dt.date
    level: str
    factors: list[str]
    note: str


class ReferralOut(Schema):
    direction: str
    organisation: str
    organisation_type: str
    on: dt.date
    reason: str
    details: str


class AssistanceOut(Schema):
    kind: str
    objectives: str
    started_on: dt.date
    planned_end: dt.date | None
    actual_end: dt.date | None


class ProtectionOut(Schema):
    case_id: str | None = None
    concern: str | None = None
    country: str | None = None
    opened_on: dt.date | None = None
    status: str | None = None
    code_version: str | None = None
    is_exercise: bool | None = None
    person: str | None = None
    name: str | None = None
    trafficking_status: str | None = None
    status_decided_by: str | None = None
    consent: bool | None = None
    gender: str | None = None
    age_at_exploitation: int | None = None
    citizenship: str | None = None
    relationship_to_trafficker: str | None = None
    exploitation_types: str | None = None
    recruitment_methods: str | None = None
    control_methods: str | None = None
    countries: str | None = None
    summary: str | None = None
    closure_reason: str | None = None
    movements: list[MovementOut] | None = None
    risk_assessments: list[RiskAssessmentOut] | None = None
    referrals: list[ReferralOut] | None = None
    assistance: list[AssistanceOut] | None = None


class ProtectionListOut(Schema):
    count: int
    items: list[ProtectionOut]


class ProtectionQuery(PageQuery):
    concern: Literal["", "trafficking", "gender_based_violence", "roma_sinti"] = ""
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", max_length=2)
    status: Literal["", "active", "follow_up", "closed", "closed_referred"] = ""


@router.get("/protection", response=ProtectionListOut, exclude_unset=True)
def list_protection_cases(request: HttpRequest,
                          params: Query[ProtectionQuery]) -> dict[str, object]:
    """Trafficking, gender-based violence and Roma and Sinti cases the caller may see; the
    person with a grant, what the case says about them only at the strictly-confidential
    level."""
    user = _caller(request)
    found = queries.protection_cases_for(user, concern=params.concern, country=params.country,
                                         status=params.status)
    chosen = list(found[params.offset:params.offset + params.limit])
    return {"count": found.count(),
            "items": disclosure.protection_rows(user, chosen, channel="api").rows}


@router.get("/protection/{case_id}", response=ProtectionOut, exclude_unset=True)
def get_protection_case(request: HttpRequest, case_id: SurrogateId) -> dict[str, object]:
    user = _caller(request)
    case = queries.protection_case_for(user, case_id)
    return disclosure.protection_rows(user, [case], channel="api", detail=True).rows[0]


class ObservationOut(Schema):
    indicator: str
    observed_on: dt.date
    value: str | None
    level: str
    note: str
    source: str | None = None


class EscalationOut(Schema):
    level: str
    reason: str
    assessed_by: str
    assessed_at: dt.datetime


class SituationOut(Schema):
    situation_id: str | None = None
    state: str | None = None
    region: str | None = None
    communities: str | None = None
    title: str | None = None
    opened_on: dt.date | None = None
    code_version: str | None = None
    is_exercise: bool | None = None
    escalation_level: str | None = None
    assessed_at: dt.datetime | None = None
    observation_count: int | None = None
    sources: str | None = None
    observations: list[ObservationOut] | None = None
    assessments: list[EscalationOut] | None = None


class SituationsOut(Schema):
    count: int
    items: list[SituationOut]


class SituationQuery(PageQuery):
    state: str = Field("", pattern=r"^([A-Za-z]{2})?$", max_length=2)


@router.get("/situations", response=SituationsOut, exclude_unset=True)
def list_situations(request: HttpRequest, params: Query[SituationQuery]) -> dict[str, object]:
    """The HCNM situations granted to the caller, with their current escalation."""
    user = _caller(request)
    found = queries.situations_for(user, state=params.state)
    chosen = list(found[params.offset:params.offset + params.limit])
    return {"count": found.count(),
            "items": disclosure.situation_rows(user, chosen, channel="api").rows}


@router.get("/situations/{situation_id}", response=SituationOut, exclude_unset=True)
def get_situation(request: HttpRequest, situation_id: SurrogateId) -> dict[str, object]:
    """A situation with its observations and the history of its escalation assessments."""
    user = _caller(request)
    situation = queries.situation_for(user, situation_id)
    return disclosure.situation_rows(user, [situation], channel="api", detail=True).rows[0]


# -- who had access, erasure requests (decision 0064) ------------------------------------------
# A record's grants say who had access to it: the granters alone read them, as on its page, and
# everyone else is answered as for a missing record. Each read is in the access log (the fields
# and how many, never a value).


class HolderOut(Schema):
    username: str
    level: str
    granted_by: str | None = Field(..., description="Who gave the grant (null once that "
                                                     "account is gone).")
    granted_at: dt.datetime


class RevokedGrantOut(Schema):
    username: str
    level: str
    granted_by: str | None = Field(..., description="Who had given the grant, when known.")
    granted_at: dt.datetime
    revoked_by: str
    revoked_at: dt.datetime
    reason: str = Field(..., description="Why the grant was withdrawn.")


class GrantsOut(Schema):
    holders: list[HolderOut] = Field(..., description="The grants held now, oldest first.")
    revoked: list[RevokedGrantOut] = Field(..., description="The revoked grants, newest "
                                                            "first: who had access when.")


class PersonGrantsOut(GrantsOut):
    surrogate_id: str


class SituationGrantsOut(GrantsOut):
    situation_id: str


def _grant_lists(request: HttpRequest, record: Person | Situation) -> dict[str, object]:
    """The holders and the revoked grants of a record the caller may see, for those who may
    give its grants (as on its page); a 404 like a missing record for everyone else."""
    user = _caller(request)
    if not permissions.may_give_grants(user, record):
        raise Http404("No such record.")
    holders, revoked = disclosure.grant_rows(user, record, channel="api")
    return {"holders": holders, "revoked": revoked}


@router.get("/persons/{surrogate_id}/grants", response=PersonGrantsOut,
            summary="Who holds need-to-know for a person, and whose grant was revoked")
def list_person_grants(request: HttpRequest, surrogate_id: SurrogateId) -> dict[str, object]:
    """For those who may grant it (editors of the owner affiliation holding a grant), as on
    the person's page; a 404 like a missing person for everyone else."""
    person = queries.person_for(_caller(request), surrogate_id)
    return {"surrogate_id": person.surrogate_id, **_grant_lists(request, person)}


@router.get("/situations/{situation_id}/grants", response=SituationGrantsOut,
            summary="Who holds need-to-know for a situation, and whose grant was revoked")
def list_situation_grants(request: HttpRequest,
                          situation_id: SurrogateId) -> dict[str, object]:
    """For those who may grant it (editors of the owner affiliation holding a grant), as on
    the situation's page; a 404 like a missing situation for everyone else."""
    situation = queries.situation_for(_caller(request), situation_id)
    return {"situation_id": situation.situation_id, **_grant_lists(request, situation)}


class ErasureRequestOut(Schema):
    request_id: int
    outcome: str = Field(..., description="pending, erased, restricted or denied.")
    requested_at: dt.datetime
    requested_by: str | None = Field(None, description="For those who decide only (it names "
                                                       "a holder of a grant).")
    legal_hold: bool = Field(..., description="A legal hold was found when it was decided "
                                              "(while pending, when it was recorded).")
    decided_at: dt.datetime | None
    decided_by: str | None = Field(None, description="For those who decide only.")
    reason: str = Field(..., description="The decision's reason (empty while pending).")


class ErasureRequestsOut(Schema):
    surrogate_id: str
    legal_hold: bool = Field(..., description="A legal hold keeps the identity now.")
    count: int
    items: list[ErasureRequestOut] = Field(..., description="Newest first.")


@router.get("/persons/{surrogate_id}/erasure-requests", response=ErasureRequestsOut,
            exclude_unset=True, summary="A person's erasure requests and their decisions")
def list_erasure_requests(request: HttpRequest, surrogate_id: SurrogateId) -> dict[str, object]:
    """For the holders of a grant for the person, as on its erasure page; who requested and
    who decided only for those who decide (editors of the owner affiliation holding a grant).
    The grounds and the hold's text are not answered."""
    user = _caller(request)
    person = queries.person_for(user, surrogate_id)
    decides = permissions.may_grant(user, person)
    found = disclosure.erasure_requests(user, person, channel="api", names=decides)
    items: list[dict[str, object]] = []
    for asked in found:
        item: dict[str, object] = {
            "request_id": asked.pk, "outcome": asked.outcome,
            "requested_at": asked.requested_at,
            "legal_hold": asked.legal_hold_found, "decided_at": asked.decided_at,
            "reason": asked.decision_reason}
        if decides:
            item["requested_by"] = asked.requested_by.username if asked.requested_by else None
            item["decided_by"] = asked.decided_by.username if asked.decided_by else None
        items.append(item)
    return {"surrogate_id": person.surrogate_id, "legal_hold": person.has_legal_hold,
            "count": len(items), "items": items}


# The writes (`writes/`, one module per kind of record, and through it `evidence.py`) add their
# operations to this router, so that a path both read and written (`/persons`) is one route.
# Imported last: they use the router and `_caller`.
from hofburg.cases.api import writes  # noqa: E402, F401
