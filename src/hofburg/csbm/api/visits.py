"""Inspections and evaluation visits, the quota board and risk-reduction requests."""


# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import (
    Day,
    LongText,
    PastMoment,
    RecordId,
    Year,
)
from hofburg.core.models import Classification
from hofburg.csbm import queries, rulesets, services
from hofburg.csbm.api.common import (
    ruleset_named,
    visible_or_404,
    written,
)
from hofburg.csbm.engine import quotas
from hofburg.csbm.models import (
    RiskReductionRequest,
    Visit,
)

router = Router()


class VisitOut(Schema):
    id: int
    kind: str
    inspecting_state: str = Field(..., alias="inspecting_state_id")
    receiving_state: str = Field(..., alias="receiving_state_id")
    requested_at: dt.datetime
    on: dt.date
    unit_designation: str
    outcome: str
    report: str
    classification: str
    is_exercise: bool


class VisitOutcomeIn(Schema):
    outcome: Literal["conducted", "force_majeure", "declined_unit_away"]
    report: LongText = ""


@router.get("/visits", response=list[VisitOut], summary="Inspections and evaluation visits")
@paginate(Page)
def list_visits(request: HttpRequest, year: Year | None = None,
                state: str = "") -> QuerySet[Visit]:
    visits = queries.visible_visits(current_user(request))
    if year is not None:
        visits = visits.filter(on__year=year)
    return visits.filter(receiving_state__iso2=state.upper()) if state else visits


class VisitIn(Schema):
    kind: Literal["inspection", "evaluation"]
    inspecting_state: str = Field(..., max_length=2)
    receiving_state: str = Field(..., max_length=2)
    requested_at: PastMoment
    on: Day
    unit_designation: str = Field("", max_length=200)
    area: LongText = ""
    classification: Classification = Classification.RESTRICTED
    is_exercise: bool = False


@router.post("/visits", response={200: VisitOut, 201: VisitOut},
             summary="Request an inspection or evaluation")
def create_visit(request: HttpRequest, payload: VisitIn) -> Any:
    """Editors of the requesting State's delegation, with an API token. 201 when stored; an
    identical request is answered with the stored visit (200), storing nothing."""
    user = require_user(request)
    visit = services.request_visit(user, services.VisitRequest(**payload.dict()))
    return written(visit)


@router.post("/visits/{visit_id}/outcome", response=VisitOut, summary="Record a visit's outcome")
def visit_outcome(request: HttpRequest, visit_id: RecordId, payload: VisitOutcomeIn) -> Any:
    user = require_user(request)
    visit = visible_or_404(queries.visible_visits(user), pk=visit_id)
    return services.record_visit_outcome(user, visit, outcome=payload.outcome,
                                         report=payload.report)





@router.get("/quota-board/{year}", summary="Every State's quotas for a year, used and left")
def quota_board(request: HttpRequest, year: Year,
                ruleset: str = rulesets.DEFAULT_RULESET) -> list[dict[str, Any]]:
    board = queries.quota_board(year, current_user(request), ruleset_named(ruleset))
    return [{
        "state": row.state,
        "units_reported": row.units_reported,
        "evaluation": _board(row.evaluation) if row.evaluation else None,
        "inspection": _board(row.inspection),
    } for row in board]


def _board(board: quotas.QuotaBoard) -> dict[str, Any]:
    return {"quota": board.quota, "used": board.used, "remaining": board.remaining,
            "filled": board.filled, "max_from_one_state": board.same_state_cap}


class RiskReductionOut(Schema):
    id: int
    requesting_state: str = Field(..., alias="requesting_state_id")
    responding_state: str = Field(..., alias="responding_state_id")
    subject: str
    ruleset: str
    requested_at: dt.datetime
    reply_due_at: dt.datetime | None
    replied_at: dt.datetime | None
    reply: str
    meeting_requested_at: dt.datetime | None
    meeting_due_at: dt.datetime | None
    meeting_held_at: dt.datetime | None
    classification: str
    is_exercise: bool


@router.get("/risk-reduction", response=list[RiskReductionOut],
            summary="Chapter III requests and their clocks")
@paginate(Page)
def list_risk_reduction(request: HttpRequest) -> QuerySet[RiskReductionRequest]:
    return queries.visible_risk_reduction_requests(current_user(request))


class RiskReductionIn(Schema):
    requesting_state: str = Field(..., max_length=2)
    responding_state: str = Field(..., max_length=2)
    subject: LongText
    requested_at: PastMoment
    ruleset: str | None = Field(None, max_length=64)
    classification: Classification = Classification.RESTRICTED
    is_exercise: bool = False


@router.post("/risk-reduction", response={200: RiskReductionOut, 201: RiskReductionOut},
             summary="Request an explanation of an unusual military activity (16)")
def create_risk_reduction(request: HttpRequest, payload: RiskReductionIn) -> Any:
    """201 when stored; an identical request is answered with the stored one (200)."""
    user = require_user(request)
    found = services.open_risk_reduction_request(
        user, services.ExplanationRequest(**payload.dict()))
    return written(found)


@router.get("/risk-reduction/{request_id}", response=RiskReductionOut,
            summary="One Chapter III request")
def get_risk_reduction(request: HttpRequest, request_id: RecordId) -> RiskReductionRequest:
    found: RiskReductionRequest = visible_or_404(
        queries.visible_risk_reduction_requests(current_user(request)), pk=request_id)
    return found


# -- scorecard and what-if ---------------------------------------------------------------
