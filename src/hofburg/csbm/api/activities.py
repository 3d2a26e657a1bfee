"""Activities and their notifications."""


# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import (
    Count,
    Day,
    LongText,
    Year,
)
from hofburg.core.models import Classification
from hofburg.csbm import queries, rulesets, services
from hofburg.csbm.api.common import (
    CurrentForReader,
)
from hofburg.csbm.engine.activities import ActivityType
from hofburg.csbm.models import (
    Activity,
    Notification,
)

router = Router()


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



class NotificationOut(CurrentForReader):
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
