"""API: invocations of the mechanisms a participating State or a group of States can set in
motion alone (kind `invoked_alone` in data/decisions/mechanisms.yaml).

Reads go through `decisions.queries.invocations` (`core.access`: a hidden invocation is a 404
like a missing one, and a meeting the caller may not see is left out); the write goes through
`decisions.services.invocations`, whose refusals rise to `core.api`'s handlers as
problem+json. A retry under the same `Idempotency-Key` header gets the first answer again and
stores nothing (`core.idempotency`, decision 0021).
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core import bounds
from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import Day, RecordId
from hofburg.core.models import Classification
from hofburg.decisions import mechanisms
from hofburg.decisions.models import Body, Invocation
from hofburg.decisions.models.mechanisms import (
    MAX_INVOCATION_SUMMARY,
    MAX_INVOKING_STATES,
    MAX_MECHANISM_CODE,
)
from hofburg.decisions.parties import MAX_CODE_LENGTH
from hofburg.decisions.queries import invocations as queries
from hofburg.decisions.services import invocations as services

router = Router()

STATE_CODE = ("A participating State's ISO alpha-2 code (AT); in an exercise record, an "
              "exercise delegation's code (exercise-north).")
StateCode = Annotated[str, Field(min_length=1, max_length=MAX_CODE_LENGTH)]


class PartyOut(Schema):
    code: str = Field(description=STATE_CODE)
    name: str


class InvokedAtOut(Schema):
    id: int
    journal_symbol: str


class InvocationOut(Schema):
    id: int
    mechanism: str = Field(description="The mechanism's code in data/decisions/mechanisms.yaml.")
    mechanism_name: str
    states: list[PartyOut] = Field(description="The invoking States, in the order recorded.")
    invoked_on: dt.date
    body: str = Field(description="PC, FSC, MC, SUMMIT, or empty where none is recorded.")
    meeting: InvokedAtOut | None = Field(
        description="The meeting it was raised at, if any and if you may see it.")
    summary: str
    source: str = Field(description="A document symbol or the address of a public page.")
    confidence: str
    classification: str
    owner: str | None = Field(description="The recording affiliation's code.")
    is_exercise: bool

    @staticmethod
    def resolve_mechanism_name(obj: Invocation) -> str:
        return mechanisms.name_of(obj.mechanism)

    @staticmethod
    def resolve_states(obj: Invocation) -> list[dict[str, str]]:
        return [{"code": row.code, "name": row.name} for row in obj.invoking_states.all()]

    @staticmethod
    def resolve_meeting(obj: Invocation) -> dict[str, Any] | None:
        if obj.meeting is None or not getattr(obj, "meeting_shown", False):
            return None
        return {"id": obj.meeting.pk, "journal_symbol": obj.meeting.journal_symbol}

    @staticmethod
    def resolve_owner(obj: Invocation) -> str | None:
        return obj.owner_affiliation.code if obj.owner_affiliation is not None else None


class InvocationFilters(Schema):
    mechanism: str = Field("", max_length=MAX_MECHANISM_CODE,
                           description="A mechanism's code, e.g. moscow.")
    state: str = Field("", max_length=MAX_CODE_LENGTH,
                       description="Invocations this State took part in: " + STATE_CODE)


class InvocationIn(Schema):
    mechanism: str = Field(..., max_length=MAX_MECHANISM_CODE, examples=["moscow"],
                           description="A mechanism of kind invoked_alone in "
                                       "data/decisions/mechanisms.yaml (/decisions/mechanisms/).")
    states: list[StateCode] = Field(..., min_length=1, max_length=MAX_INVOKING_STATES,
                              examples=[["AT"]], description="The invoking States: " + STATE_CODE)
    invoked_on: Day
    summary: str = Field(..., min_length=1, max_length=MAX_INVOCATION_SUMMARY)
    body: Body | None = Field(None, description="Defaults to the meeting's body, if one is named.")
    meeting: RecordId | None = Field(None, description="The id of a meeting you may see.")
    source: str = Field("", max_length=bounds.MAX_SOURCE_LENGTH, examples=["PC.DEL/12/26"])
    confidence: str = Field("", max_length=12, description="The label of the source's "
                                                          "reference, for a copied record.")
    classification: Classification = Classification.RESTRICTED


@router.get("/invocations", response=list[InvocationOut],
            summary="List the invocations of mechanisms you may see")
@paginate(Page)
def list_invocations(request: HttpRequest,
                     filters: Query[InvocationFilters]) -> QuerySet[Invocation]:
    return queries.invocations_for(current_user(request), mechanism=filters.mechanism,
                                   state=filters.state)


@router.get("/invocations/{invocation_id}", response=InvocationOut,
            summary="One invocation of a mechanism")
def get_invocation(request: HttpRequest, invocation_id: RecordId) -> Invocation:
    return queries.invocation_for(current_user(request), invocation_id)


@router.post("/invocations", response={201: InvocationOut},
             summary="Record an invocation of a mechanism States invoke alone")
def create_invocation(request: HttpRequest, payload: InvocationIn) -> Any:
    """Editors of a participating State's delegation, for an invocation their own State took
    part in; editors of a Secretariat unit, for any."""
    user = require_user(request)
    invocation = services.record_invocation(user, services.InvocationInput(
        mechanism=payload.mechanism, states=payload.states, invoked_on=payload.invoked_on,
        summary=payload.summary, body=payload.body or "", meeting=payload.meeting,
        source=payload.source, confidence=payload.confidence,
        classification=payload.classification))
    return Status(201, queries.invocation_for(user, invocation.pk))
