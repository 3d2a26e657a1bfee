"""API: delegations' statements and the caller's delegation's positions on drafts.

Statements are read through `core.access` (a hidden one is a 404, and search never counts
one); their meeting is shown only to those who may see the meeting. Positions are the caller's
delegation's alone: `GET /positions` lists them, and no route reaches another delegation's.
Writes need an API token; the services' refusals rise to `core.api`'s handler as problem+json.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core import access
from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import (
    MAX_ALIGNED,
    MAX_ALIGNED_LABEL,
    Day,
    LongText,
    RecordId,
    StatementText,
)
from hofburg.core.models import Classification
from hofburg.core.search import MAX_QUERY_CHARS, RANK_LIMIT
from hofburg.decisions.models import Body, Draft, Position, Stance, Statement
from hofburg.decisions.queries import positions as position_queries
from hofburg.decisions.queries import statements as queries
from hofburg.decisions.search import statement_snippet
from hofburg.decisions.services import positions as position_services
from hofburg.decisions.services import statements as services

router = Router()

LanguageCode = Annotated[str, Field(min_length=2, max_length=2, examples=["en"])]
AgendaItemNumber = Annotated[int, Field(ge=1, le=32767)]


# -- statements --------------------------------------------------------------------------------


class MeetingRef(Schema):
    id: int
    journal_symbol: str
    agenda_item: int | None


class StatementOut(Schema):
    id: int
    symbol: str = Field(description="PC.DEL/N/YY once distributed; empty for an oral statement.")
    body: str
    meeting: MeetingRef | None = Field(
        description="The meeting it was delivered at, if any and if you may see it.")
    delegation: str | None = Field(description="The speaking delegation's affiliation code.")
    speaker_label: str
    speaker_name: str
    aligned: list[str]
    alignment_note: str
    title: str
    delivered_on: dt.date
    original_language: str
    languages: list[str]
    classification: str
    is_exercise: bool
    source: str
    confidence: str

    @staticmethod
    def resolve_meeting(obj: Statement) -> dict[str, Any] | None:
        if obj.meeting is None or not getattr(obj, "meeting_shown", False):
            return None
        item = obj.agenda_item.number if obj.agenda_item is not None else None
        return {"id": obj.meeting.pk, "journal_symbol": obj.meeting.journal_symbol,
                "agenda_item": item}

    @staticmethod
    def resolve_delegation(obj: Statement) -> str | None:
        return obj.delegation.code if obj.delegation is not None else None

    @staticmethod
    def resolve_languages(obj: Statement) -> list[str]:
        return list(obj.texts)


class StatementHitOut(StatementOut):
    snippet: str = Field(description="Plain text around the first word of `q` found.")

    @staticmethod
    def resolve_snippet(obj: Statement, context: dict[str, Any]) -> str:
        request: HttpRequest = context["request"]
        return statement_snippet(obj, request.GET.get("q", "")[:MAX_QUERY_CHARS])


class StatementDetailOut(StatementOut):
    texts: dict[str, str]


class StatementFilters(Schema):
    q: str = Field("", max_length=MAX_QUERY_CHARS,
                   description="Full-text search in every language version; all words must "
                               "match, each by its beginning.")
    body: Body | None = None
    meeting: RecordId | None = None
    delegation: str = Field("", max_length=64, description="A delegation's affiliation code.")
    since: Day | None = Field(None, description="Delivered on or after this day.")
    until: Day | None = Field(None, description="Delivered on or before this day.")
    language: LanguageCode | None = Field(None, description="Only statements with a version "
                                                            "in this language.")
    order: Literal["relevance", "newest"] = Field(
        "relevance", description="With `q`: best match first (newest first when more than "
                                 f"{RANK_LIMIT:,} statements match), or newest first.")


class StatementIn(Schema):
    body: Body
    delivered_on: Day | None = Field(None, description="Defaults to the meeting's day.")
    meeting: RecordId | None = None
    agenda_item: AgendaItemNumber | None = Field(
        None, description="The number of the item on the meeting's agenda.")
    delegation: str = Field("", max_length=64, description=(
        "The speaking delegation's code: the Chair and the Secretariat only; a delegation "
        "speaks for itself."))
    speaker_label: str = Field("", max_length=200, examples=["Austria-European Union"])
    speaker_name: str = Field("", max_length=200)
    aligned: list[Annotated[str, Field(max_length=MAX_ALIGNED_LABEL)]] = Field(
        [], max_length=MAX_ALIGNED)
    alignment_note: str = Field("", max_length=500)
    title: str = Field("", max_length=500)
    original_language: LanguageCode
    texts: dict[LanguageCode, StatementText] = Field(
        ..., max_length=6, description="The text in each language; the original one at least.")
    classification: Literal["public", "restricted", "OSCE+"] = Field(
        "restricted", description="OSCE+ (restricted distribution) is stored as restricted.")
    distribute: bool = Field(False, description="Distributed statements take the next "
                                                "PC.DEL/N/YY number; oral ones have none.")


class TranslationIn(Schema):
    language: LanguageCode
    text: StatementText


def _shown(statement: Statement, request: HttpRequest) -> Statement:
    statement.meeting_shown = (  # type: ignore[attr-defined]
        statement.meeting is not None and access.can_view(current_user(request),
                                                          statement.meeting))
    return statement


@router.get("/statements", response=list[StatementHitOut],
            summary="Delegations' statements you may see (full-text search with q)")
@paginate(Page)
def list_statements(request: HttpRequest,
                    filters: Query[StatementFilters]) -> QuerySet[Statement]:
    user = current_user(request)
    found = queries.find_statements(user, queries.StatementFilters(
        q=filters.q, body=filters.body or "", meeting=filters.meeting,
        delegation=filters.delegation, since=filters.since, until=filters.until,
        language=filters.language or "", order=filters.order))
    return found


@router.get("/statements/{statement_id}", response=StatementDetailOut, summary="One statement")
def get_statement(request: HttpRequest, statement_id: RecordId) -> Statement:
    return _shown(queries.get_statement(current_user(request), statement_id), request)


@router.post("/statements", response={201: StatementDetailOut}, summary="Record a statement")
def create_statement(request: HttpRequest, payload: StatementIn) -> Any:
    """A delegation's editors for their own delegation; the Chair or the Secretariat for any
    speaker."""
    statement = services.record_statement(require_user(request), services.StatementInput(
        body=payload.body, original_language=payload.original_language,
        texts=dict(payload.texts), delivered_on=payload.delivered_on, meeting=payload.meeting,
        agenda_item=payload.agenda_item, delegation=payload.delegation,
        speaker_label=payload.speaker_label, speaker_name=payload.speaker_name,
        aligned=list(payload.aligned), alignment_note=payload.alignment_note,
        title=payload.title, classification=payload.classification,
        distribute=payload.distribute))
    return Status(201, _shown(statement, request))


@router.post("/statements/{statement_id}/translations", response={201: StatementDetailOut},
             summary="Add a language version of a statement")
def add_translation(request: HttpRequest, statement_id: RecordId, payload: TranslationIn) -> Any:
    user = require_user(request)
    statement = queries.get_statement(user, statement_id)
    updated = services.add_statement_translation(user, statement, payload.language,
                                                 payload.text)
    return Status(201, _shown(queries.get_statement(user, updated.pk), request))


# -- positions ---------------------------------------------------------------------------------


class StanceOut(Schema):
    revision: int
    revision_symbol: str
    stance: str
    note: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_revision(obj: Stance) -> int:
        return obj.revision.number

    @staticmethod
    def resolve_revision_symbol(obj: Stance) -> str:
        return obj.revision.symbol


class PositionOut(Schema):
    draft: int
    draft_symbol: str
    instruction: str
    red_lines: str
    instruction_received_on: dt.date | None
    stances: list[StanceOut]
    outcome: str
    outcome_note: str
    classification: Classification
    updated_at: dt.datetime

    @staticmethod
    def resolve_draft(obj: Position) -> int:
        return obj.draft_id

    @staticmethod
    def resolve_draft_symbol(obj: Position) -> str:
        return str(obj.draft)

    @staticmethod
    def resolve_stances(obj: Position) -> list[Stance]:
        return list(obj.stances.all())


class InstructionIn(Schema):
    instruction: LongText = ""
    red_lines: LongText = ""
    received_on: Day | None = None


class StanceIn(Schema):
    revision: int = Field(..., ge=0, le=32767, description="0 for the text as tabled.")
    stance: Stance.Kind
    note: LongText = ""


class OutcomeIn(Schema):
    outcome: Position.Outcome
    note: LongText = ""


def _draft(request: HttpRequest, draft_id: int) -> Draft:
    return access.get_visible_or_404(Draft.objects.all(), current_user(request), pk=draft_id)


def _position(request: HttpRequest, draft: Draft) -> Position:
    position = position_queries.position_for(current_user(request), draft)
    if position is None:  # the service has just written it: only a concurrent delete
        raise Http404("No such position.")
    return position


@router.get("/positions", response=list[PositionOut],
            summary="Your delegation's positions on drafts (confidential to it)")
@paginate(Page)
def list_positions(request: HttpRequest) -> QuerySet[Position]:
    return position_queries.my_positions(current_user(request))


@router.put("/drafts/{draft_id}/position", response=PositionOut,
            summary="Record the instruction from capital and its red lines")
def put_instruction(request: HttpRequest, draft_id: RecordId, payload: InstructionIn) -> Position:
    user = require_user(request)
    draft = _draft(request, draft_id)
    position_services.set_instruction(user, draft, instruction=payload.instruction,
                                      red_lines=payload.red_lines,
                                      received_on=payload.received_on)
    return _position(request, draft)


@router.post("/drafts/{draft_id}/position/stances", response={201: PositionOut},
             summary="Record your delegation's stance on a revision")
def post_stance(request: HttpRequest, draft_id: RecordId, payload: StanceIn) -> Any:
    user = require_user(request)
    draft = _draft(request, draft_id)
    position_services.record_stance(user, draft, payload.revision, payload.stance, payload.note)
    return Status(201, _position(request, draft))


@router.post("/drafts/{draft_id}/position/outcome", response=PositionOut,
             summary="Report the outcome for your delegation")
def post_outcome(request: HttpRequest, draft_id: RecordId, payload: OutcomeIn) -> Position:
    user = require_user(request)
    draft = _draft(request, draft_id)
    position_services.report_outcome(user, draft, payload.outcome, payload.note)
    return _position(request, draft)
