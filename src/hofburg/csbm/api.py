"""Vienna Document endpoints, mounted at /api/v1/csbm by hofburg/api.py.

The rule endpoints (rulesets, classify, quota, constraints, what-if over given figures) read
no stored record. Every stored record goes through core.access (via queries.py): what a
caller may not see is a 404, never a 403. Writes need an API token and go through
services.py; their refusals (core.errors) rise to core.api's handler, which answers
problem+json with the offending `field`.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt
import io
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AliasChoices

from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import (
    Count,
    Day,
    Latitude,
    Longitude,
    LongText,
    PastMoment,
    RecordId,
    Year,
)
from hofburg.core.errors import Invalid
from hofburg.core.idempotency import is_replay
from hofburg.core.models import Classification
from hofburg.core.tables import CONTENT_TYPES
from hofburg.csbm import exports, queries, rulesets, services, uploads, whatif
from hofburg.csbm.engine import quotas
from hofburg.csbm.engine.activities import Activity as EngineActivity
from hofburg.csbm.engine.activities import ActivityError, ActivityType
from hofburg.csbm.engine.classify import classify as classify_activity
from hofburg.csbm.engine.constraints import check_constraints
from hofburg.csbm.engine.rulesets import NotDefinedError, Ruleset
from hofburg.csbm.models import (
    Activity,
    AnnualCalendar,
    AnnualExchange,
    Notification,
    RiskReductionRequest,
    Visit,
)
from hofburg.csbm.scorecard import ScorecardRow, build_scorecard

router = Router()

Format = Literal["csv", "xlsx", "json"]


def _rules(name: str | None) -> Ruleset:
    try:
        return rulesets.get_ruleset(name or rulesets.DEFAULT_RULESET)
    except rulesets.UnknownRuleset as exc:
        raise Invalid(str(exc)) from exc


def _written(record: Any) -> Status[Any]:
    """201 for a record stored now, 200 for one an identical earlier request stored."""
    return Status(200 if is_replay(record) else 201, record)


# -- rules -----------------------------------------------------------------------------------


class RulesetOut(Schema):
    id: str
    title: str
    status: str
    proposal: bool
    extends: str | None
    document: str | None
    note: str


@router.get("/rulesets", response=list[RulesetOut], summary="The rulesets the desk knows")
def list_rulesets(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"id": r.id, "title": r.title, "status": r.status.value, "proposal": r.is_proposal,
             "extends": r.extends, "document": r.document, "note": r.note}
            for r in rulesets.all_rulesets().values()]


class ActivityFigures(Schema):
    """An activity's type, dates and peak figures, as the engine reads them."""

    ruleset: str = Field(rulesets.DEFAULT_RULESET, max_length=64, examples=["vd2011"])
    type: ActivityType = ActivityType.LAND
    start: Day
    end: Day
    troops: Count = 0
    battle_tanks: Count = 0
    acvs: Count = 0
    artillery: Count = 0
    sorties: Count = 0
    amphibious_troops: Count | None = Field(
        None, description="Troops in an amphibious landing (40.2.1), counted on their "
        "own; for an amphibious activity left out, its troops.")
    airborne_troops: Count | None = Field(
        None, description="Troops in a parachute drop or heliborne landing (40.2.1), "
        "counted on their own; for an airborne activity left out, its troops.")
    without_advance_notice: bool = False
    outside_zone: bool = Field(
        False, description="Outside the zone of application for CSBMs: not subject.")
    duration_hours: Count | None = None


def _engine_activity(figures: ActivityFigures, activity_id: str = "request") -> EngineActivity:
    try:
        return EngineActivity(
            id=activity_id, state="", type=figures.type, start=figures.start, end=figures.end,
            troops=figures.troops, battle_tanks=figures.battle_tanks, acvs=figures.acvs,
            artillery=figures.artillery, sorties=figures.sorties,
            amphibious_troops=figures.amphibious_troops,
            airborne_troops=figures.airborne_troops,
            without_advance_notice=figures.without_advance_notice,
            outside_zone=figures.outside_zone,
            duration_hours=figures.duration_hours)
    except ActivityError as exc:
        raise Invalid(str(exc).removeprefix(f"{activity_id}: ")) from exc


@router.get("/classify", summary="Classify an activity's figures (query parameters)")
def classify_get(request: HttpRequest, figures: Query[ActivityFigures]) -> dict[str, Any]:
    """Notifiable? Observable? By when? With the thresholds crossed and the citations."""
    return rulesets.classification_data(
        classify_activity(_engine_activity(figures), _rules(figures.ruleset)))


@router.post("/classify", summary="Classify an activity's figures (JSON body)")
def classify_post(request: HttpRequest, figures: ActivityFigures) -> dict[str, Any]:
    return rulesets.classification_data(
        classify_activity(_engine_activity(figures), _rules(figures.ruleset)))


@router.get("/quota", summary="Evaluation and inspection quotas for a number of units")
def quota(request: HttpRequest, units: Count,
          ruleset: str = rulesets.DEFAULT_RULESET) -> dict[str, Any]:
    rules = _rules(ruleset)
    try:
        evaluation = quotas.evaluation_quota(units, rules)
        return {
            "ruleset": rules.id, "proposal": rules.is_proposal, "units": units,
            "evaluation_quota": evaluation,
            "max_from_one_state": quotas.evaluation_same_state_cap(evaluation, rules),
            "inspection_quota": quotas.inspection_quota(rules),
            "inspection_max_from_one_state": quotas.inspection_same_state_cap(rules),
        }
    except NotDefinedError as exc:
        raise Invalid(str(exc)) from exc


class ConstraintActivity(ActivityFigures):
    id: str = Field(..., max_length=80)
    state: str = Field(..., max_length=2)
    notified_on: Day | None = None
    in_calendar_on: Day | None = None
    announced_on: Day | None = None


class ConstraintsIn(Schema):
    ruleset: str = Field(rulesets.DEFAULT_RULESET, max_length=64)
    as_of: Day | None = None
    activities: list[ConstraintActivity] = Field(..., max_length=10_000)


@router.post("/constraints", summary="Check activities against Chapter VIII")
def constraints(request: HttpRequest, payload: ConstraintsIn) -> dict[str, Any]:
    rules = _rules(payload.ruleset)
    activities = []
    for item in payload.activities:
        base = _engine_activity(item, item.id)
        activities.append(EngineActivity(**{
            **base.__dict__, "state": item.state.upper(), "notified_on": item.notified_on,
            "in_calendar_on": item.in_calendar_on, "announced_on": item.announced_on}))
    report = check_constraints(activities, rules, as_of=payload.as_of)
    return {"ruleset": rules.id, "proposal": rules.is_proposal, "kept": report.kept,
            "breaches": [rulesets.breach_data(b) for b in report.breaches],
            "advisories": [rulesets.breach_data(b) for b in report.advisories],
            "not_defined": list(report.not_defined)}


# -- activities and notifications ------------------------------------------------------------


class ActivityOut(Schema):
    reference: str
    state: str = Field(..., alias="state_id")
    states_involved: list[str]
    name: str
    type: str
    status: str
    start: dt.date
    end: dt.date
    troops: int | None
    battle_tanks: int | None
    acvs: int | None
    artillery: int | None
    amphibious_troops: int | None
    airborne_troops: int | None
    sorties: int | None
    without_advance_notice: bool
    outside_zone: bool
    duration_hours: int | None
    notified_on: dt.date | None
    in_calendar_on: dt.date | None
    announced_on: dt.date | None
    source: str
    confidence: str
    note: str
    classification: str
    is_exercise: bool


class ActivityDetailOut(ActivityOut):
    purpose: str
    area: str
    classification_answers: dict[str, Any]

    @staticmethod
    def resolve_classification_answers(obj: Activity) -> dict[str, Any]:
        return rulesets.classification_data(queries.classify_activity(obj))


class ActivityFilters(Schema):
    state: str = Field("", max_length=2)
    year: Year | None = None
    exercise: bool | None = None


class ActivityIn(Schema):
    state: str = Field(..., max_length=2, examples=["AT"])
    reference: str = Field(..., max_length=80)
    name: str = Field(..., max_length=200)
    type: ActivityType = ActivityType.LAND
    start: Day
    end: Day
    status: Literal["planned", "conducted", "cancelled"] = "planned"
    troops: Count | None = None
    battle_tanks: Count | None = None
    acvs: Count | None = None
    artillery: Count | None = None
    amphibious_troops: Count | None = None
    airborne_troops: Count | None = None
    sorties: Count | None = None
    without_advance_notice: bool = False
    outside_zone: bool = False
    duration_hours: Count | None = None
    purpose: LongText = ""
    area: LongText = ""
    states_involved: list[str] = Field([], max_length=57)
    classification: Classification = Classification.RESTRICTED
    is_exercise: bool = False


@router.get("/activities", response=list[ActivityOut], summary="Activities you may see")
@paginate(Page)
def list_activities(request: HttpRequest, filters: Query[ActivityFilters]) -> QuerySet[Activity]:
    activities = queries.visible_activities(current_user(request))
    if filters.state:
        activities = activities.filter(state__iso2=filters.state.upper())
    if filters.year is not None:
        activities = activities.filter(start__year=filters.year)
    if filters.exercise is not None:
        activities = activities.filter(is_exercise=filters.exercise)
    return activities


@router.get("/activities/{state}/{reference}", response=ActivityDetailOut,
            summary="One activity of a State")
def get_activity(request: HttpRequest, state: str, reference: str) -> Activity:
    """An activity is named by its notifying State and its reference."""
    return queries.get_activity(current_user(request), state, reference)


@router.post("/activities", response={201: ActivityDetailOut}, summary="Record an activity")
def create_activity(request: HttpRequest, payload: ActivityIn) -> Any:
    """Editors of the State's delegation, with an API token."""
    user = require_user(request)
    record = services.ActivityRecord.from_fields(payload.dict())
    activity = services.record_activity(user, record)
    return Status(201, activity)


class ActivityChanges(Schema):
    """The fields to change; a field left out is kept, null empties a figure."""

    name: str | None = Field(None, max_length=200)
    type: ActivityType | None = None
    status: Literal["planned", "conducted", "cancelled"] | None = None
    start: Day | None = None
    end: Day | None = None
    troops: Count | None = None
    battle_tanks: Count | None = None
    acvs: Count | None = None
    artillery: Count | None = None
    amphibious_troops: Count | None = None
    airborne_troops: Count | None = None
    sorties: Count | None = None
    without_advance_notice: bool | None = None
    outside_zone: bool | None = None
    duration_hours: Count | None = None
    divisional_structure: bool | None = None
    brigades_or_regiments: Count | None = None
    purpose: LongText | None = None
    area: LongText | None = None
    states_involved: list[str] | None = Field(None, max_length=57)
    announced_on: Day | None = None
    source: str | None = Field(None, max_length=500)
    confidence: Literal["", "confirmed", "secondary", "unconfirmed", "disputed"] | None = None
    note: LongText | None = None
    classification: Classification | None = None


@router.patch("/activities/{state}/{reference}", response=ActivityDetailOut,
              summary="Change an activity of your State")
def change_activity(request: HttpRequest, state: str, reference: str,
                    payload: ActivityChanges) -> Any:
    """Editors of the State's delegation, with an API token. Notifications already sent stay
    as they were: send a correction for that."""
    user = require_user(request)
    activity = queries.get_activity(user, state, reference)
    changes = payload.dict(exclude_unset=True)
    for name, value in changes.items():
        if value is None and not getattr(Activity._meta.get_field(name), "null", False):
            raise services.CsbmError(name, "Cannot be emptied.")
    return services.update_activity(user, activity, **changes)


class _NumberedForReader(Schema):
    """A version numbered among the versions the caller may see: a hidden one leaves no gap."""

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return queries.seen_version(obj)


class _CurrentForReader(_NumberedForReader):
    """Also current when no later version is visible to the caller (queries annotate
    `newest_seen`): a later version they may not see does not make this one superseded."""

    @staticmethod
    def resolve_is_current(obj: Any) -> bool:
        return bool(getattr(obj, "newest_seen", obj.is_current))


class NotificationOut(_CurrentForReader):
    id: int
    state: str
    activity: str
    version: int
    is_current: bool
    sent_on: dt.date
    ruleset: str
    content: dict[str, Any]
    notifiable: bool
    observable: bool
    notify_by: dt.date | None
    invite_by: dt.date | None
    is_late: bool
    correction_reason: str
    ledger_sequence: int
    ledger_digest: str
    classification: str
    is_exercise: bool

    @staticmethod
    def resolve_state(obj: Notification) -> str:
        return obj.activity.state_id

    @staticmethod
    def resolve_activity(obj: Notification) -> str:
        return obj.activity.reference

    @staticmethod
    def resolve_ledger_sequence(obj: Notification) -> int:
        return obj.ledger_entry.sequence

    @staticmethod
    def resolve_ledger_digest(obj: Notification) -> str:
        return obj.ledger_entry.entry_digest


class NotifyIn(Schema):
    sent_on: Day
    ruleset: str | None = Field(None, max_length=64)
    correction_reason: LongText = ""


@router.get("/notifications", response=list[NotificationOut], summary="Notifications")
@paginate(Page)
def list_notifications(request: HttpRequest, state: str = "", activity: str = "",
                       current_only: bool = False) -> QuerySet[Notification]:
    """`state` and `activity` narrow the list to a State's notifications and to one
    reference (references are unique within a State only)."""
    notifications = queries.visible_notifications(current_user(request),
                                                  current_only=current_only)
    if state:
        notifications = notifications.filter(activity__state__iso2=state.upper())
    return notifications.filter(activity__reference=activity) if activity else notifications


@router.post("/activities/{state}/{reference}/notifications", response={201: NotificationOut},
             summary="Notify an activity (or send a correction)")
def notify(request: HttpRequest, state: str, reference: str, payload: NotifyIn) -> Any:
    user = require_user(request)
    activity = queries.get_activity(user, state, reference)
    notification = services.notify_activity(
        user, activity, sent_on=payload.sent_on, ruleset=payload.ruleset,
        correction_reason=payload.correction_reason)
    return Status(201, queries.as_seen(user, notification))


# -- annual exchanges ------------------------------------------------------------------------


class ExchangeOut(_CurrentForReader):
    state: str = Field(..., alias="state_id")
    year: int
    version: int
    is_current: bool
    submitted_on: dt.date
    is_nil: bool
    units_reported: int
    declared_evaluation_quota: int | None
    note: str
    classification: str
    is_exercise: bool


class UnitOut(Schema):
    designation: str
    level: str
    service: str
    unit_type: str
    subordinate_to: str | None
    is_combat_unit: bool
    is_active: bool
    latitude: float | None
    longitude: float | None
    personnel: int

    @staticmethod
    def resolve_subordinate_to(obj: Any) -> str | None:
        return obj.parent.designation if obj.parent else None


class HoldingOut(Schema):
    unit: str | None
    category: str
    type_name: str
    quantity: int

    @staticmethod
    def resolve_unit(obj: Any) -> str | None:
        return obj.unit.designation if obj.unit else None


class ExchangeDetailOut(ExchangeOut):
    computed_evaluation_quota: int | None
    units: list[UnitOut]
    holdings: list[HoldingOut]

    @staticmethod
    def resolve_computed_evaluation_quota(obj: AnnualExchange) -> int | None:
        try:
            return quotas.evaluation_quota(obj.units_reported, rulesets.get_ruleset())
        except NotDefinedError:
            return None

    @staticmethod
    def resolve_units(obj: AnnualExchange) -> list[Any]:
        return list(obj.units.all())

    @staticmethod
    def resolve_holdings(obj: AnnualExchange) -> list[Any]:
        return list(obj.holdings.all())


@router.get("/exchanges", response=list[ExchangeOut], summary="Annual exchanges you may see")
@paginate(Page)
def list_exchanges(request: HttpRequest, year: Year | None = None, state: str = "",
                   all_versions: bool = False) -> QuerySet[AnnualExchange]:
    exchanges = queries.visible_exchanges(current_user(request), current_only=not all_versions)
    if year is not None:
        exchanges = exchanges.filter(year=year)
    return exchanges.filter(state__iso2=state.upper()) if state else exchanges


@router.get("/exchanges/{state}/{year}", response=ExchangeDetailOut,
            summary="A State's exchange for a year, with units and holdings")
def get_exchange(request: HttpRequest, state: str, year: Year,
                 version: Count | None = None) -> AnnualExchange:
    return queries.get_exchange(current_user(request), state, year, version)


@router.get("/exchanges/{state}/{year}/export", summary="Export an exchange (CSV, XLSX, JSON)",
            response={200: None})
def export_exchange(request: HttpRequest, state: str, year: Year, part: Literal[
        "units", "holdings"] = "holdings", format: Format = "csv",
        version: Count | None = None) -> HttpResponse:
    exchange = queries.get_exchange(current_user(request), state, year, version)
    table = (exports.exchange_units_table(exchange) if part == "units"
             else exports.exchange_holdings_table(exchange))
    return _download(table, format, f"aemi-{exchange.state_id}-{year}-{part}")


class UnitIn(Schema):
    """A formation or unit; `subordinate_to` is the designation of its formation."""

    designation: str = Field(..., min_length=1, max_length=200)
    level: Literal["formation", "unit"] = "unit"
    service: Literal["land", "air"] = "land"
    subordinate_to: str | None = Field(None, max_length=200)
    unit_type: str = Field("", max_length=60)
    is_combat_unit: bool = True
    is_active: bool = True
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    personnel: Count = 0


class HoldingIn(Schema):
    """Holdings of one equipment type, in `unit` (a designation) or outside any unit."""

    category: str = Field(..., max_length=32, examples=["battle_tanks"])
    quantity: Count
    type_name: str = Field("", max_length=120)
    unit: str | None = Field(None, max_length=200)


# Every write endpoint calls the record's level `classification`; `distribution` is accepted
# as its other name.
_CLASSIFICATION = Field(Classification.RESTRICTED,
                        validation_alias=AliasChoices("classification", "distribution"))


class ExchangeIn(Schema):
    state: str = Field(..., max_length=2, examples=["AT"])
    year: int = Field(..., ge=1990, le=2999)
    submitted_on: Day
    units: list[UnitIn] = Field([], max_length=uploads.MAX_ROWS)
    holdings: list[HoldingIn] = Field([], max_length=uploads.MAX_ROWS)
    declared_evaluation_quota: Count | None = None
    is_nil: bool = False
    note: LongText = ""
    classification: Classification = _CLASSIFICATION
    is_exercise: bool = False


class ExchangeWrittenOut(ExchangeOut):
    supersedes_version: int | None
    formations_and_units: int
    holdings_rows: int
    computed_evaluation_quota: int | None

    @staticmethod
    def resolve_supersedes_version(obj: AnnualExchange) -> int | None:
        # The version before it that the caller may see, in the caller's numbers: a hidden
        # version it superseded is as absent.
        seen = queries.seen_version(obj)
        return seen - 1 if obj.supersedes_id and seen > 1 else None

    @staticmethod
    def resolve_formations_and_units(obj: AnnualExchange) -> int:
        return obj.units.count()

    @staticmethod
    def resolve_holdings_rows(obj: AnnualExchange) -> int:
        return obj.holdings.count()

    @staticmethod
    def resolve_computed_evaluation_quota(obj: AnnualExchange) -> int | None:
        return ExchangeDetailOut.resolve_computed_evaluation_quota(obj)


@router.post("/exchanges", response={200: ExchangeWrittenOut, 201: ExchangeWrittenOut},
             summary="Submit a State's annual exchange (a correction when one exists)")
def submit_exchange(request: HttpRequest, payload: ExchangeIn) -> Any:
    """Editors of the State's delegation, with an API token. A second submission for the
    same State and year is stored as the next version and supersedes the current one (201);
    one reporting the same as the current version is answered with it (200), storing nothing."""
    user = require_user(request)
    data = payload.dict()
    units = [services.UnitIn(parent=unit.pop("subordinate_to"), **unit)
             for unit in data.pop("units")]
    holdings = [services.HoldingIn(**holding) for holding in data.pop("holdings")]
    exchange = services.submit_exchange(
        user, services.ExchangeSubmission(units=units, holdings=holdings, **data))
    return _written(queries.as_seen(user, exchange))


def _download(table: Any, file_format: str, stem: str) -> HttpResponse:
    stream = io.BytesIO()
    exports.write_table(table, file_format, stream)
    response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response


# -- calendars, visits, risk reduction ---------------------------------------------------


class CalendarOut(_NumberedForReader):
    state: str = Field(..., alias="state_id")
    year: int
    version: int
    submitted_on: dt.date
    activities: list[str]
    note: str
    classification: str
    is_exercise: bool

    @staticmethod
    def resolve_activities(obj: AnnualCalendar) -> list[str]:
        return [a.reference for a in obj.activities.all()]


@router.get("/calendars", response=list[CalendarOut], summary="Annual calendars")
@paginate(Page)
def list_calendars(request: HttpRequest, year: Year | None = None,
                   state: str = "") -> QuerySet[AnnualCalendar]:
    calendars = queries.visible_calendars(current_user(request))
    if year is not None:
        calendars = calendars.filter(year=year)
    return calendars.filter(state__iso2=state.upper()) if state else calendars


class CalendarIn(Schema):
    state: str = Field(..., max_length=2, examples=["AT"])
    year: int = Field(..., ge=1990, le=2999)
    submitted_on: Day
    activities: list[str] = Field([], max_length=10_000,
                                  description="References of the State's activities; "
                                              "none is a nil calendar.")
    note: LongText = ""
    classification: Classification = _CLASSIFICATION
    is_exercise: bool = False


@router.post("/calendars", response={201: CalendarOut},
             summary="Submit a State's annual calendar (a new version when one exists)")
def submit_calendar(request: HttpRequest, payload: CalendarIn) -> Any:
    """Editors of the State's delegation, with an API token."""
    user = require_user(request)
    data = payload.dict()
    references = data.pop("activities")
    # References name activities within the calendar's State only.
    found = {a.reference: a for a in queries.visible_activities(user).filter(
        state__iso2=data["state"].upper(), reference__in=references)}
    unknown = [r for r in references if r not in found]
    if unknown:
        raise services.CsbmError(
            "activities", f"No activity {', '.join(unknown)} that you may see.")
    calendar = services.submit_calendar(user, activities=list(found.values()), **data)
    return Status(201, queries.as_seen(user, calendar))


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
    return _written(visit)


@router.post("/visits/{visit_id}/outcome", response=VisitOut, summary="Record a visit's outcome")
def visit_outcome(request: HttpRequest, visit_id: RecordId, payload: VisitOutcomeIn) -> Any:
    user = require_user(request)
    visit = _visible_or_404(queries.visible_visits(user), pk=visit_id)
    return services.record_visit_outcome(user, visit, outcome=payload.outcome,
                                         report=payload.report)


def _visible_or_404(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """`queryset` is narrowed by core.access already; a hidden record is a missing one."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404("No such record.")
    return found


@router.get("/quota-board/{year}", summary="Every State's quotas for a year, used and left")
def quota_board(request: HttpRequest, year: Year,
                ruleset: str = rulesets.DEFAULT_RULESET) -> list[dict[str, Any]]:
    board = queries.quota_board(year, current_user(request), _rules(ruleset))
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
    return _written(found)


@router.get("/risk-reduction/{request_id}", response=RiskReductionOut,
            summary="One Chapter III request")
def get_risk_reduction(request: HttpRequest, request_id: RecordId) -> RiskReductionRequest:
    found: RiskReductionRequest = _visible_or_404(
        queries.visible_risk_reduction_requests(current_user(request)), pk=request_id)
    return found


# -- scorecard and what-if ---------------------------------------------------------------


class BreachOut(Schema):
    rule: str
    paragraph: str | None
    activities: list[str]
    period: str
    message: str


class ScorecardOut(Schema):
    state: str
    state_name: str
    year: int
    exchange_status: str
    exchange_submitted_on: dt.date | None
    exchange_due_on: dt.date
    declared_quota_mismatch: bool
    calendar_status: str
    calendar_submitted_on: dt.date | None
    calendar_due_on: dt.date
    notifiable_activities: int
    late_notifications: int
    missing_notifications: int
    breaches: list[BreachOut]
    issues: int


@router.get("/scorecard/{year}", response=list[ScorecardOut],
            summary="Compliance scorecard of every State for a year")
def scorecard(request: HttpRequest, year: Year, ruleset: str = rulesets.DEFAULT_RULESET,
              as_of: Day | None = None) -> list[ScorecardRow]:
    return build_scorecard(year, current_user(request), _rules(ruleset), as_of)


@router.get("/scorecard/{year}/export", response={200: None},
            summary="The scorecard as CSV, XLSX or JSON")
def scorecard_export(request: HttpRequest, year: Year, format: Format = "csv",
                     ruleset: str = rulesets.DEFAULT_RULESET) -> HttpResponse:
    rows = build_scorecard(year, current_user(request), _rules(ruleset))
    return _download(exports.scorecard_table(rows), format, f"csbm-scorecard-{year}")


@router.get("/what-if", summary="Compare two rulesets over the activities you may see")
def what_if(request: HttpRequest, a: str = rulesets.DEFAULT_RULESET,
            b: str = "joint-proposal-2019", year: Year | None = None, state: str = "",
            changed_only: bool = True) -> dict[str, Any]:
    result = whatif.compare_visible_activities(current_user(request), _rules(a), _rules(b),
                                               year=year, state=state or None)
    rows = result.differences if changed_only else result.rows
    return {
        "summary": result.summary.__dict__,
        "activities": [{
            "activity": row.activity_id, "state": row.state, "start": row.start.isoformat(),
            "changed": list(row.changed),
            "a": rulesets.classification_data(row.a), "b": rulesets.classification_data(row.b),
        } for row in rows],
    }
