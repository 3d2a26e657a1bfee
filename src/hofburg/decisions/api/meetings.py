"""API: meetings of the decision-making bodies and their journals of the day.

Reads go through `decisions.queries.meetings` (`core.access`): a meeting or journal the caller
may not see is a 404 like a missing one. Writes need an API token and go through
`decisions.services.meetings`; their refusals rise to `core.api`'s handlers as problem+json.
A journal symbol holds slashes (`PC.JOUR/1200`), so it travels as a query parameter.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core import bounds
from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import Day, Moment, RecordId, Year
from hofburg.core.models import Classification
from hofburg.decisions import journal as journals
from hofburg.decisions.models import Body, Meeting
from hofburg.decisions.queries import meetings as queries
from hofburg.decisions.services import meetings as services

router = Router()


class MeetingIn(Schema):
    body: Body = Field(..., examples=["PC"])
    date: Day
    kind: Meeting.Kind = Meeting.Kind.REGULAR
    starts_at: Moment | None = Field(
        None, description="When the meeting opens, ISO 8601 with an offset; by default "
        "10:00 Vienna time on the date.")
    chairperson: str = Field("", max_length=bounds.MAX_CHAIRPERSON_LENGTH)
    classification: Classification = Classification.PUBLIC


class MeetingCreated(Schema):
    id: int
    number: int
    journal_symbol: str


class AgendaItemOut(Schema):
    number: int
    title: str


class MeetingOut(Schema):
    id: int
    body: str
    number: int
    kind: str
    date: dt.date
    date_precision: str
    starts_at: dt.datetime
    journal_symbol: str
    chairperson: str
    journal_issued_at: dt.datetime | None
    # True once nothing more may be added: issued here, or a real meeting copied from its
    # source (its journal was issued by the OSCE; `journal_issued_at` stays null).
    journal_closed: bool
    classification: str
    is_exercise: bool
    source: str
    confidence: str
    agenda: list[AgendaItemOut]

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[Any]:
        return list(obj.agenda_items.all())


class MeetingFilters(Schema):
    body: Body | None = None
    year: Year | None = None


class AgendaItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=bounds.MAX_AGENDA_TITLE_LENGTH)


class JournalQuery(Schema):
    symbol: str = Field(..., min_length=1, max_length=bounds.MAX_JOURNAL_SYMBOL_LENGTH,
                        examples=["PC.JOUR/1200"])
    exercise: bool | None = Field(
        None, description="The exercise series (true) or the real one (false); by default "
        "the real meeting, else the exercise one.")


@router.post("/meetings", response={201: MeetingCreated}, summary="Convene a meeting")
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    """The Chair only. The meeting gets the next number of its body's JOUR series."""
    meeting = services.create_meeting(
        require_user(request), body=payload.body, date=payload.date, kind=payload.kind,
        starts_at=payload.starts_at, chairperson=payload.chairperson,
        classification=payload.classification)
    return Status(201, meeting)


@router.get("/meetings", response=list[MeetingOut], summary="The meetings you may see")
@paginate(Page)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilters]) -> QuerySet[Meeting]:
    return queries.meetings_for(current_user(request), body=filters.body or "",
                                year=filters.year).prefetch_related("agenda_items")


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="One meeting and its agenda")
def get_meeting(request: HttpRequest, meeting_id: RecordId) -> Meeting:
    return queries.meeting_for(current_user(request), meeting_id)


@router.post("/meetings/{meeting_id}/agenda", response={201: AgendaItemOut},
             summary="Add an item to the agenda")
def add_agenda_item(request: HttpRequest, meeting_id: RecordId, payload: AgendaItemIn) -> Any:
    """The Chair only, until the journal is issued (then 409)."""
    user = require_user(request)
    meeting = queries.meeting_for(user, meeting_id)
    return Status(201, services.add_agenda_item(user, meeting, payload.title))


@router.post("/meetings/{meeting_id}/issue", response=MeetingOut,
             summary="Issue the meeting's journal of the day")
def issue_journal(request: HttpRequest, meeting_id: RecordId) -> Meeting:
    """The Chair only; a journal is issued once (a second issue is a 409)."""
    user = require_user(request)
    meeting = queries.meeting_for(user, meeting_id)
    services.issue_journal(user, meeting)
    return queries.meeting_for(user, meeting_id)


@router.get("/journal", response=dict[str, Any], summary="A journal of the day, by its symbol")
def get_journal(request: HttpRequest, query: Query[JournalQuery]) -> dict[str, Any]:
    """`GET /journal?symbol=PC.JOUR/1200`: the journal as the caller may read it, times in
    ISO 8601 with offsets."""
    user = current_user(request)
    meeting = queries.journal_meeting(user, query.symbol, exercise=query.exercise)
    return journals.build_journal(meeting, user, timezone.now()).as_dict()
