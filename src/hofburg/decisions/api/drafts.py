"""API: drafts and decisions, mounted at /api/v1/decisions/ (issue 16, "Interfaces").

Every draft and meeting is read through `queries.drafts` / `core.access`: one the caller may
not see is a 404, on reads and writes alike. Writes need an API token and go through
`services.drafts` and `services.decide`; their refusals (a Partner's objection 403, an
objection after the expiry or a second adoption 409, a bad value 422, the wrong States
concerned by an exception to consensus 422) rise to `core.api`'s
handlers, which answer problem+json. A retry under the same `Idempotency-Key` header gets the
first answer again (`core.idempotency`, decision 0021). A draft's `status` is where it stands
now: a silence that expired unbroken reads `adopted`, with `decision_symbol` null until the
adoption is announced.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core import access
from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import (
    MAX_AMENDMENTS_PER_REVISION,
    DraftText,
    DraftTitle,
    LanguageCode,
    Moment,
    RecordId,
    RevisionNumber,
    Year,
)
from hofburg.core.models import Classification
from hofburg.decisions import clock
from hofburg.decisions.api.invocations import STATE_CODE, PartyOut, StateCode
from hofburg.decisions.engine.rules import MAX_STATES_CONCERNED
from hofburg.decisions.engine.silence import days_under_silence
from hofburg.decisions.models import Attachment, Body, Draft, Meeting
from hofburg.decisions.models.mechanisms import MAX_MECHANISM_CODE
from hofburg.decisions.queries import drafts as queries
from hofburg.decisions.services import decide
from hofburg.decisions.services import drafts as services

router = Router()

StatusName = Literal["draft", "under_silence", "silence_broken", "adopted"]


# -- answers -----------------------------------------------------------------------------------


class CreatedOut(Schema):
    id: int
    symbol: str


class SymbolOut(Schema):
    symbol: str


class StatusOut(Schema):
    status: StatusName


class DecisionOut(StatusOut):
    decision_symbol: str | None
    adoption_basis: str | None = Field(
        None, description="consensus, an exception (consensus_minus_one, ...) or silence.")
    states_concerned: list[PartyOut] = Field(
        [], description="For an exception to consensus, the States whose objections it set "
                        "aside.")


class ObjectionOut(StatusOut):
    id: int
    kind: str


class AttachmentNumberOut(Schema):
    attachment: int


class AmendmentOut(Schema):
    id: int
    revision: str
    delegation: str
    text: str
    proposed_at: dt.datetime
    outcome: str


class RevisionOut(Schema):
    number: int
    symbol: str
    original_language: str
    only_original: bool
    languages: list[str]
    texts: dict[str, str]
    note: str


class AttachmentOut(Schema):
    number: int
    kind: str
    delegation: str
    language: str
    text: str
    made_at: dt.datetime
    source: str
    confidence: str


class ObjectionRecordOut(Schema):
    kind: str
    delegation: str
    text: str
    received_at: dt.datetime


class SilenceOut(Schema):
    meeting: str | None
    placed_at: dt.datetime | None
    expires_at: dt.datetime | None
    broken_at: dt.datetime | None
    days_under_silence: int | None


class _DraftFields(Schema):
    id: int
    symbol: str
    body: str
    kind: str
    title: str
    venue: str
    status: StatusName
    decision_symbol: str | None
    is_exercise: bool
    classification: str
    source: str
    confidence: str


class DraftSummaryOut(_DraftFields):
    """A draft in a list; its status as of now."""

    @staticmethod
    def resolve_status(obj: Draft) -> str:
        return queries.draft_state(obj, clock.now()).status.value

    @staticmethod
    def resolve_decision_symbol(obj: Draft) -> str | None:
        return obj.decision_symbol or None


class DraftOut(_DraftFields):
    adopted_by: str | None
    adoption_basis: str | None
    adoption_note: str
    states_concerned: list[PartyOut] = Field(
        description="For an exception to consensus, the States whose objections it set "
                    "aside, as many as the rule says (data/decisions/mechanisms.yaml).")
    adopted_at: dt.datetime | None
    adopted_meeting: str | None
    announced_meeting: str | None
    silence: SilenceOut | None
    revisions: list[RevisionOut]
    amendments: list[AmendmentOut]
    objections: list[ObjectionRecordOut]
    attachments: list[AttachmentOut]


class StatusRowOut(Schema):
    id: int
    body: str
    symbol: str
    title: str
    latest_revision: int
    latest_symbol: str
    venue: str
    status: StatusName
    days_under_silence: int | None
    decision_symbol: str | None
    is_exercise: bool


class SegmentOut(Schema):
    op: Literal["equal", "insert", "delete"]
    text: str


class DiffOut(Schema):
    from_revision: str
    to_revision: str
    language: str
    segments: list[SegmentOut]


# -- requests ----------------------------------------------------------------------------------


class DraftIn(Schema):
    body: Body = Field(..., examples=["PC"])
    title: DraftTitle
    text: DraftText
    language: LanguageCode
    kind: Draft.Kind = Draft.Kind.DECISION
    venue: Draft.Venue = Draft.Venue.PLENARY
    only_original: bool = Field(False, description='Issued in its original language only '
                                                   '("ENGLISH only").')
    classification: Classification = Classification.RESTRICTED


class RevisionIn(Schema):
    text: DraftText
    language: LanguageCode | None = Field(
        None, description="The revision's language; the previous revision's by default.")
    note: str = Field("", max_length=500)
    taken: list[RecordId] = Field(
        [], max_length=MAX_AMENDMENTS_PER_REVISION,
        description="Pending amendments (ids) this revision takes in.")
    not_taken: list[RecordId] = Field(
        [], max_length=MAX_AMENDMENTS_PER_REVISION,
        description="Pending amendments (ids) this revision leaves out.")


class MeetingIn(Schema):
    meeting: RecordId = Field(..., description="The id of a meeting you may see.")


class AdoptIn(MeetingIn):
    basis: str = Field("consensus", max_length=MAX_MECHANISM_CODE,
                       description="A basis of adoption in data/decisions/mechanisms.yaml: "
                                   "consensus, consensus_minus_one or consensus_minus_two.")
    note: str = Field("", max_length=500, description="Why, for a basis other than consensus.")
    states_concerned: list[StateCode] = Field(
        [], max_length=MAX_STATES_CONCERNED,
        description="For an exception to consensus, the States whose objections it sets "
                    "aside: exactly one for consensus_minus_one, two for consensus_minus_two. "
                    + STATE_CODE)


class SilenceIn(MeetingIn):
    expires_at: Moment = Field(..., description="The exact time the silence expires, with its "
                                                "offset (ISO 8601).")


class ObjectionIn(Schema):
    kind: Literal["objection", "amendment"]
    text: DraftText


class StatementIn(Schema):
    kind: Attachment.Kind
    text: DraftText
    language: LanguageCode = "en"


class AmendmentIn(Schema):
    text: DraftText


class DraftFilters(Schema):
    body: Body | None = None
    status: StatusName | None = None


class DiffQuery(Schema):
    from_: RevisionNumber = Field(..., alias="from", description="0 for the text as tabled.")
    to: RevisionNumber
    language: LanguageCode = "en"


class StatusTableQuery(Schema):
    body: Body | None = None
    earlier: bool = Field(False, description="Also the decisions adopted before this year "
                                             "(default: open drafts and this year's decisions).")


# -- reads -------------------------------------------------------------------------------------


@router.get("/drafts", response=list[DraftSummaryOut],
            summary="List the drafts and decisions you may see")
@paginate(Page)
def list_drafts(request: HttpRequest, filters: Query[DraftFilters]) -> QuerySet[Draft]:
    drafts = queries.visible_drafts(current_user(request))
    if filters.body:
        drafts = drafts.filter(body=filters.body)
    if filters.status:
        drafts = queries.with_status(drafts, filters.status, clock.now())
    return drafts.order_by("body", "-year", "-number", "-pk")


@router.get("/drafts/{draft_id}", response=DraftOut, summary="One draft or decision")
def get_draft(request: HttpRequest, draft_id: RecordId) -> dict[str, Any]:
    draft = queries.get_draft(current_user(request), draft_id)
    return _detail(draft)


@router.get("/drafts/{draft_id}/diff", response=DiffOut,
            summary="What changed between two revisions, word by word")
def diff_revisions(request: HttpRequest, draft_id: RecordId,
                   params: Query[DiffQuery]) -> dict[str, Any]:
    draft = queries.get_draft(current_user(request), draft_id)
    first, last = params.from_, params.to
    segments = queries.revision_diff(draft, first, last, params.language)
    symbols = dict(draft.revisions.filter(number__in=[first, last])
                   .values_list("number", "symbol"))
    return {"from_revision": symbols[first], "to_revision": symbols[last],
            "language": params.language,
            "segments": [{"op": s.op, "text": s.text} for s in segments]}


@router.get("/status-table", response=list[StatusRowOut],
            summary="The status table of the drafts you may see")
def get_status_table(request: HttpRequest, params: Query[StatusTableQuery],
                     year: Year | None = None) -> list[dict[str, Any]]:
    rows = queries.status_table(current_user(request), body=params.body, now=clock.now(),
                                year=year, earlier=params.earlier)
    return [{**row.__dict__, "status": row.status.value,
             "decision_symbol": row.decision_symbol or None} for row in rows]


# -- writes ------------------------------------------------------------------------------------


@router.post("/drafts", response={201: CreatedOut}, summary="Table a draft (the Chair)")
def create_draft(request: HttpRequest, payload: DraftIn) -> Any:
    draft = services.table_draft(require_user(request), services.DraftInput(
        body=payload.body, title=payload.title, text=payload.text, language=payload.language,
        kind=payload.kind, venue=payload.venue, only_original=payload.only_original,
        classification=payload.classification))
    return Status(201, {"id": draft.pk, "symbol": draft.symbol})


@router.post("/drafts/{draft_id}/revisions", response={201: SymbolOut},
             summary="Issue the next revision (the Chair)")
def create_revision(request: HttpRequest, draft_id: RecordId, payload: RevisionIn) -> Any:
    user = require_user(request)
    revision = services.add_revision(user, queries.get_draft(user, draft_id),
                                     services.RevisionInput(
                                         text=payload.text, language=payload.language,
                                         note=payload.note, taken=tuple(payload.taken),
                                         not_taken=tuple(payload.not_taken)))
    return Status(201, {"symbol": revision.symbol})


@router.post("/drafts/{draft_id}/amendments", response={201: AmendmentOut},
             summary="Propose an amendment (a participating State's delegation)")
def create_amendment(request: HttpRequest, draft_id: RecordId, payload: AmendmentIn) -> Any:
    user = require_user(request)
    amendment = services.propose_amendment(user, queries.get_draft(user, draft_id),
                                           payload.text)
    return Status(201, _amendment(amendment))


@router.post("/drafts/{draft_id}/adopt", response=DecisionOut,
             summary="Adopt the draft at a meeting (the Chair)")
def adopt_draft(request: HttpRequest, draft_id: RecordId, payload: AdoptIn) -> dict[str, Any]:
    user = require_user(request)
    draft = decide.adopt(user, queries.get_draft(user, draft_id),
                         _meeting(request, payload.meeting), basis=payload.basis,
                         note=payload.note, states_concerned=payload.states_concerned)
    return _decision(draft)


@router.post("/drafts/{draft_id}/silence", response=StatusOut,
             summary="Place the draft under silence at a meeting (the Chair, Annex 1(A))")
def place_under_silence(request: HttpRequest, draft_id: RecordId,
                        payload: SilenceIn) -> dict[str, Any]:
    user = require_user(request)
    draft = decide.place_under_silence(user, queries.get_draft(user, draft_id),
                                       _meeting(request, payload.meeting), payload.expires_at)
    return {"status": queries.draft_state(draft, clock.now()).status.value}


@router.post("/drafts/{draft_id}/objections", response={201: ObjectionOut},
             summary="Break the silence with an objection or an amendment in writing "
                     "(a participating State's delegation)")
def create_objection(request: HttpRequest, draft_id: RecordId, payload: ObjectionIn) -> Any:
    user = require_user(request)
    draft = queries.get_draft(user, draft_id)
    objection = decide.break_silence(user, draft, payload.kind, payload.text)
    draft.refresh_from_db()
    return Status(201, {"id": objection.pk, "kind": objection.kind,
                        "status": queries.draft_state(draft, clock.now()).status.value})


@router.post("/drafts/{draft_id}/announce", response=DecisionOut,
             summary="Announce a decision adopted by silence; it is numbered now (the Chair)")
def announce_decision(request: HttpRequest, draft_id: RecordId,
                      payload: MeetingIn) -> dict[str, Any]:
    user = require_user(request)
    draft = decide.announce(user, queries.get_draft(user, draft_id),
                            _meeting(request, payload.meeting))
    return _decision(draft)


@router.post("/drafts/{draft_id}/statements", response={201: AttachmentNumberOut},
             summary="Attach an interpretative statement or a formal reservation "
                     "(a participating State's delegation, IV.1(A)6)")
def attach_decision_statement(request: HttpRequest, draft_id: RecordId,
                              payload: StatementIn) -> Any:
    user = require_user(request)
    attachment = decide.attach_statement(user, queries.get_draft(user, draft_id),
                                         payload.kind, payload.text, payload.language)
    return Status(201, {"attachment": attachment.number})


# -- helpers -----------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting `pk` if the caller may see it; a 404 otherwise."""
    return access.get_visible_or_404(Meeting.objects.all(), current_user(request), pk=pk)


def _decision(draft: Draft) -> dict[str, Any]:
    return {"status": queries.draft_state(draft, clock.now()).status.value,
            "decision_symbol": draft.decision_symbol or None,
            "adoption_basis": draft.adoption_basis, "states_concerned": _concerned(draft)}


def _concerned(draft: Draft) -> list[dict[str, str]]:
    rows = draft.states_concerned.select_related("state", "delegation")
    return [{"code": row.code, "name": row.name} for row in rows]


def _amendment(amendment: Any) -> dict[str, Any]:
    return {"id": amendment.pk, "revision": amendment.revision.symbol,
            "delegation": amendment.delegation.code, "text": amendment.text,
            "proposed_at": amendment.proposed_at, "outcome": amendment.outcome}


def _detail(draft: Draft) -> dict[str, Any]:
    now = clock.now()
    state = queries.draft_state(draft, now)
    placed = draft.silence_meeting
    return {
        "id": draft.pk, "symbol": draft.symbol, "body": draft.body, "kind": draft.kind,
        "title": draft.title, "venue": draft.venue, "status": state.status.value,
        "decision_symbol": draft.decision_symbol or None, "is_exercise": draft.is_exercise,
        "classification": draft.classification, "source": draft.source,
        "confidence": draft.confidence, "adopted_by": state.adopted_by,
        "adoption_basis": ("silence" if state.adopted_by == "silence"
                           else draft.adoption_basis if state.adopted_by else None),
        "adoption_note": draft.adoption_note, "states_concerned": _concerned(draft),
        "adopted_at": state.adopted_at,
        "adopted_meeting": str(draft.adopted_meeting) if draft.adopted_meeting else None,
        "announced_meeting": str(draft.announced_meeting) if draft.announced_meeting else None,
        "silence": None if state.placed_at is None else {
            "meeting": str(placed) if placed else None, "placed_at": state.placed_at,
            "expires_at": state.expires_at, "broken_at": state.broken_at,
            "days_under_silence": days_under_silence(state, now)},
        "revisions": [{"number": r.number, "symbol": r.symbol,
                       "original_language": r.original_language,
                       "only_original": r.only_original, "languages": sorted(r.texts),
                       "texts": r.texts, "note": r.note} for r in draft.revisions.all()],
        "amendments": [_amendment(a) for a in
                       draft.amendments.select_related("revision", "delegation")],
        "objections": [{"kind": o.kind, "delegation": o.delegation.code, "text": o.text,
                        "received_at": o.received_at}
                       for o in draft.objections.select_related("delegation")],
        "attachments": [{"number": a.number, "kind": a.kind, "delegation": a.delegation.code,
                         "language": a.language, "text": a.text, "made_at": a.made_at,
                         "source": a.source, "confidence": a.confidence}
                        for a in draft.attachments.select_related("delegation")],
    }
