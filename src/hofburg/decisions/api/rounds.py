"""API: negotiation rounds of the registry's formats and the commitments taken in them.

Reads go through `decisions.queries.rounds` (`core.access`: a hidden round is a 404 like a
missing one); writes through `decisions.services.rounds`, whose refusals rise to the handlers
of `core.api.build_api` as problem+json.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core import bounds
from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import Day, LongText, PositiveCount, RecordId
from hofburg.core.models import Classification
from hofburg.decisions.models import Commitment, NegotiationRound
from hofburg.decisions.queries import rounds as queries
from hofburg.decisions.services import rounds as services

router = Router()


class ParticipantSchema(Schema):
    role: str = Field(..., max_length=16, examples=["mediator"])
    state: str = Field("", max_length=2, description="A participating State's ISO alpha-2 code.")
    name: str = Field("", max_length=bounds.MAX_PARTY_NAME_LENGTH,
                      description="A party that is not a participating State.")
    affiliation: str = Field("", max_length=64,
                             description="An exercise affiliation's code (exercise rounds).")


class CommitmentOut(Schema):
    id: int
    text: str
    kind: str
    source: str
    confidence: str
    evidence_path: str = Field(description="Site-relative path of the monitoring desk's page "
                                           "that shows the evidence, or empty.")


class RoundOut(Schema):
    id: int
    format: str
    number: int | None
    starts_on: datetime.date
    ends_on: datetime.date | None
    date_precision: str
    place: str
    classification: Classification
    is_exercise: bool
    source: str
    confidence: str

    @staticmethod
    def resolve_format(obj: NegotiationRound) -> str:
        return obj.format.code


class RoundDetailOut(RoundOut):
    participants: list[ParticipantSchema]
    outcome: str
    documents: list[str]
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_participants(obj: NegotiationRound) -> list[dict[str, str]]:
        return list(obj.participants or [])

    @staticmethod
    def resolve_commitments(obj: NegotiationRound) -> list[Commitment]:
        return list(obj.commitments.all())


class RoundFilters(Schema):
    format: str = Field("", max_length=60, description="A format's code, e.g. five-plus-two.")


class RoundIn(Schema):
    format: str = Field(..., max_length=60, examples=["five-plus-two"])
    number: PositiveCount | None = None
    starts_on: Day
    ends_on: Day | None = None
    date_precision: NegotiationRound.DatePrecision = NegotiationRound.DatePrecision.DAY
    place: str = Field(..., max_length=200)
    participants: list[ParticipantSchema] | None = Field(
        None, max_length=bounds.MAX_ROUND_PARTICIPANTS,
        description="Omit to take the format's participants from the registry (real rounds).")
    outcome: LongText = ""
    documents: list[str] = Field([], max_length=bounds.MAX_ROUND_DOCUMENTS)
    classification: Classification = Classification.RESTRICTED


class CommitmentIn(Schema):
    text: LongText
    kind: str = Field("other", max_length=32, examples=["withdrawal_of_weapons"])
    source: str = Field("", max_length=bounds.MAX_SOURCE_LENGTH)
    confidence: str = Field("", max_length=12)
    evidence_path: str = Field("", max_length=bounds.MAX_EVIDENCE_PATH_LENGTH,
                               examples=["/monitoring/reports/2026-05-04/"])


@router.get("/rounds", response=list[RoundOut], summary="List the negotiation rounds you may see")
@paginate(Page)
def list_rounds(request: HttpRequest, filters: Query[RoundFilters]) -> QuerySet[NegotiationRound]:
    return queries.rounds_for(current_user(request), format_code=filters.format)


@router.get("/rounds/{round_id}", response=RoundDetailOut, summary="One negotiation round")
def get_round(request: HttpRequest, round_id: RecordId) -> NegotiationRound:
    return queries.round_for(current_user(request), round_id)


@router.post("/rounds", response={201: RoundDetailOut}, summary="Record a negotiation round")
def create_round(request: HttpRequest, payload: RoundIn) -> Any:
    """Editors of a Secretariat unit, a field operation or the Chairmanship's delegation."""
    user = require_user(request)
    participants = None if payload.participants is None else [
        services.ParticipantInput(role=p.role, state=p.state, name=p.name,
                                  affiliation=p.affiliation) for p in payload.participants]
    negotiation_round = services.record_round(user, services.RoundInput(
        format_code=payload.format, number=payload.number, starts_on=payload.starts_on,
        ends_on=payload.ends_on, place=payload.place, participants=participants,
        outcome=payload.outcome, documents=payload.documents,
        classification=payload.classification, date_precision=payload.date_precision))
    return Status(201, queries.round_for(user, negotiation_round.pk))


@router.post("/rounds/{round_id}/commitments", response={201: CommitmentOut},
             summary="Record a commitment taken in a round")
def create_commitment(request: HttpRequest, round_id: RecordId, payload: CommitmentIn) -> Any:
    """Those who may record rounds, on a round they may see."""
    user = require_user(request)
    negotiation_round = queries.round_for(user, round_id)
    commitment = services.record_commitment(user, negotiation_round, services.CommitmentInput(
        text=payload.text, kind=payload.kind, source=payload.source,
        evidence_path=payload.evidence_path, confidence=payload.confidence))
    return Status(201, commitment)
