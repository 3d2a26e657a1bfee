"""Deadlines and time limits, and what is due or overdue for a participating State.

Day limits give the latest date on which a message is on time ("42 days or more in advance":
start - 42 days). Hour limits are counted in UTC from transmission (the domain reference's
counting convention, itself unconfirmed), so they take and return timezone-aware datetimes.
A "year" argument is always the calendar year that the information covers.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol

from hofburg.csbm.engine.activities import Activity
from hofburg.csbm.engine.classify import classify
from hofburg.csbm.engine.rulesets import Citation, Ruleset
from hofburg.notes import Note, gettext_noop


class Obligation(StrEnum):
    ANNUAL_EXCHANGE = "annual_exchange"  # (10)
    DEPLOYMENT_PLANS = "deployment_plans"  # (13)-(14)
    DEFENCE_PLANNING = "defence_planning"  # (15)
    ANNUAL_CALENDAR = "annual_calendar"  # (61)
    LARGE_ACTIVITY_NOTICE = "large_activity_notice"  # (70)
    NOTIFICATION = "notification"  # (38); with the invitation to observe where it applies
    RISK_REDUCTION_REPLY = "risk_reduction_reply"  # (16)
    RISK_REDUCTION_MEETING = "risk_reduction_meeting"  # (16)
    AIR_BASE_VISIT = "air_base_visit"  # Chapter IV


# -- single deadlines ---------------------------------------------------------------------


def annual_exchange_deadline(year: int, ruleset: Ruleset) -> date:
    """(10): the exchange valid as of 1 January of `year` is sent by 15 December before it."""
    return ruleset.required(ruleset.month_day("annual_exchange.deadline")).in_year(year - 1)


def deployment_plans_deadline(year: int, ruleset: Ruleset) -> date:
    """Plans for deploying major weapon and equipment systems during `year`."""
    return ruleset.required(ruleset.month_day("deployment_plans.deadline")).in_year(year - 1)


def annual_calendar_deadline(year: int, ruleset: Ruleset) -> date:
    """(61): the annual calendar of notifiable activities for `year`, sent the year before."""
    return ruleset.required(ruleset.month_day("calendar.deadline")).in_year(year - 1)


def large_activity_notice_deadline(year: int, ruleset: Ruleset) -> date:
    """(70): an activity above the large band in `year` is announced in the second year before."""
    deadline = ruleset.required(ruleset.month_day("constraints.advance_notice.deadline"))
    years = ruleset.required(ruleset.count("constraints.advance_notice.years_ahead"))
    return deadline.in_year(year - years)


# -- the desk's year, by the texts' calendar ------------------------------------------------
#
# "This year" is not one thing near the year's end: on 6 December 2026 the exchange in force is
# the one valid from 1 January 2026, the exchange being sent is the one valid from 1 January
# 2027 (due 15 December 2026), and the calendar of 2027's activities was due on 15 November
# 2026. These functions say which year the desk means by "current", "due" and "overdue".


def exchange_year_in_force(day: date) -> int:
    """(10): the exchange valid on `day` is the one "valid as of 1 January" of its year."""
    return day.year


def exchange_year_due_next(day: date, ruleset: Ruleset) -> int:
    """The exchange whose deadline (10) is the next on or after `day`: on 6 and on 15 December
    2026 the one valid from 2027; from 16 December 2026 the one valid from 2028."""
    year = day.year + 1
    return year if day <= annual_exchange_deadline(year, ruleset) else year + 1


def years_due(day: date, ruleset: Ruleset) -> list[int]:
    """The years whose yearly submissions can be due or overdue on `day`: the year in force,
    and the next one once the first of its deadlines has passed (the annual calendar (61) on
    15 November, the exchange (10) on 15 December, as far as the ruleset defines them)."""
    following = day.year + 1
    firsts = [deadline(following, ruleset) for deadline, key in (
        (annual_exchange_deadline, "annual_exchange.deadline"),
        (annual_calendar_deadline, "calendar.deadline")) if _defined(ruleset, key)]
    return [day.year, following] if firsts and day > min(firsts) else [day.year]


def default_exchange_year(day: date, years_with_exchanges: Iterable[int],
                          ruleset: Ruleset) -> int:
    """The year the exchange pages open on: the newest year with an exchange the reader may
    see, no later than the exchange due next (`exchange_year_due_next`); without one, the year
    in force. On 6 December 2026, with exchanges for 2027 arriving, that is 2027, never an
    empty 2026 nor a 2028 nobody sends yet."""
    latest = exchange_year_due_next(day, ruleset)
    candidates = [year for year in years_with_exchanges if year <= latest]
    return max(candidates) if candidates else exchange_year_in_force(day)


def defence_planning_deadline(budget_approved_on: date, ruleset: Ruleset) -> date:
    """(15): defence planning information, N months after the military budget is approved.

    A month later than the month's last day falls on the last day (31 January + 1 month is
    28 or 29 February).
    """
    months = ruleset.required(ruleset.count("defence_planning.months_after_budget_approval"))
    return add_months(budget_approved_on, months)


def observation_reply_deadline(invited_on: date, ruleset: Ruleset) -> date:
    """A State's reply to an invitation to observe."""
    return invited_on + timedelta(days=ruleset.required(ruleset.count("observation.reply_days")))


def evaluation_request_latest(visit_on: date, ruleset: Ruleset) -> date:
    """The latest day to request an evaluation visit for `visit_on`."""
    days = ruleset.required(ruleset.count("evaluation.request_days_ahead"))
    return visit_on - timedelta(days=days)


def risk_reduction_reply_deadline(requested_at: datetime, ruleset: Ruleset) -> datetime:
    """(16): the reply to a request for explanation of an unusual military activity."""
    return _hours_after(requested_at, ruleset, "risk_reduction.reply_hours")


def risk_reduction_meeting_deadline(meeting_requested_at: datetime, ruleset: Ruleset) -> datetime:
    """(16): a bilateral meeting or a meeting of all participating States convenes by then."""
    return _hours_after(meeting_requested_at, ruleset, "risk_reduction.meeting_hours")


def inspection_reply_deadline(requested_at: datetime, ruleset: Ruleset) -> datetime:
    return _hours_after(requested_at, ruleset, "inspection.reply_hours")


def inspection_entry_deadline(requested_at: datetime, ruleset: Ruleset) -> datetime:
    """The inspection team may enter the receiving State by then."""
    return _hours_after(requested_at, ruleset, "inspection.entry_hours")


def evaluation_reply_deadline(requested_at: datetime, ruleset: Ruleset) -> datetime:
    return _hours_after(requested_at, ruleset, "evaluation.reply_hours")


def air_base_visit_due(last_visit_on: date, ruleset: Ruleset) -> date:
    """Chapter IV: the next visit to an air base, N years after the last one."""
    years = ruleset.required(ruleset.count("contacts.air_base_visit_interval_years"))
    return add_months(last_visit_on, 12 * years)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _hours_after(moment: datetime, ruleset: Ruleset, key: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("hour limits need a timezone-aware datetime (they run in UTC)")
    return moment.astimezone(UTC) + timedelta(hours=ruleset.required(ruleset.count(key)))


# -- on time, late or missing -------------------------------------------------------------


class Standing(StrEnum):
    """How a message stands against its deadline on a given day."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"  # not sent, and the deadline has passed
    NOT_DUE = "not_due"  # not sent, and the deadline is still to come


def is_late(sent_on: date, due: date | None) -> bool:
    """Sent after its deadline (sent on the deadline is on time); without one, never late."""
    return due is not None and sent_on > due


def standing(sent_on: date | None, due: date, today: date) -> Standing:
    """A message sent is on time or late for good; one not sent is missing once `today` is
    past `due`, and not due before."""
    if sent_on is not None:
        return Standing.LATE if is_late(sent_on, due) else Standing.ON_TIME
    return Standing.MISSING if today > due else Standing.NOT_DUE


def notification_standing(activity: Activity, ruleset: Ruleset, today: date) -> Standing | None:
    """How the notification (38) of `activity` stands on `today`, judged by its
    `notified_on`; None when the ruleset gives it no notification time limit (it is not
    notifiable, or the ruleset cannot date it)."""
    due = classify(activity, ruleset).notify_by
    return None if due is None else standing(activity.notified_on, due, today)


@dataclass(frozen=True)
class NotificationTally:
    """How the notifications of some activities stand on a day: how many are `notifiable`
    (have a time limit), sent `late`, or `missing` (not sent and overdue); `overdue` names
    the late and missing activities, in the order given."""

    notifiable: int = 0
    late: int = 0
    missing: int = 0
    overdue: tuple[str, ...] = ()


def tally_notifications(activities: Iterable[Activity], ruleset: Ruleset,
                        today: date) -> NotificationTally:
    """The `NotificationTally` of `activities` on `today` under `ruleset`."""
    found = [(a.id, notification_standing(a, ruleset, today)) for a in activities]
    judged = [(activity_id, s) for activity_id, s in found if s is not None]
    return NotificationTally(
        notifiable=len(judged),
        late=sum(s is Standing.LATE for _, s in judged),
        missing=sum(s is Standing.MISSING for _, s in judged),
        overdue=tuple(activity_id for activity_id, s in judged
                      if s in (Standing.LATE, Standing.MISSING)))


# -- what is due for a State --------------------------------------------------------------


@dataclass(frozen=True)
class RiskReductionRequest:
    """A Chapter III request for explanation of an unusual military activity, and its sequel."""

    id: str
    requesting_state: str
    responding_state: str
    requested_at: datetime
    replied_at: datetime | None = None
    meeting_requested_at: datetime | None = None
    meeting_held_at: datetime | None = None


@dataclass(frozen=True)
class StateRecord:
    """What the engine knows a State has sent, for listing what is due.

    Years are the calendar years the information covers (the exchange valid from
    1 January 2026 is `2026`). `defence_planning_sent` holds the budget approval dates whose
    defence planning information has been sent.
    """

    state: str
    annual_exchanges: frozenset[int] = frozenset()
    deployment_plans: frozenset[int] = frozenset()
    annual_calendars: frozenset[int] = frozenset()  # a nil calendar counts as sent
    budget_approvals: tuple[date, ...] = ()
    defence_planning_sent: frozenset[date] = frozenset()
    activities: tuple[Activity, ...] = ()
    risk_reduction_requests: tuple[RiskReductionRequest, ...] = ()
    last_air_base_visit: date | None = None


class _Consider(Protocol):
    """How the helpers of `due_items` hand it an obligation to weigh."""

    def __call__(self, obligation: Obligation, subject: str, due: date | datetime,
                 description: str, *keys: str) -> None: ...


@dataclass(frozen=True, order=True)
class DueItem:
    """Something a State has to send or do, by a date (and for hour limits, a moment)."""

    due_on: date
    obligation: Obligation
    subject: str  # the year, the activity or the request it concerns
    overdue: bool = field(compare=False)
    description: str = field(compare=False)
    due_at: datetime | None = field(default=None, compare=False)
    citations: tuple[Citation, ...] = field(default=(), compare=False)


def due_items(record: StateRecord, at: date | datetime, ruleset: Ruleset, *,
              horizon_days: int = 30) -> list[DueItem]:
    """What `record.state` has still to do at `at`: overdue items, and items due within
    `horizon_days`. Overdue yearly items go back one cycle; items the ruleset cannot date
    (a value not defined in it) are left out. A date `at` is read as 00:00 UTC that day.
    """
    moment = _moment(at)
    today = moment.date()
    items: list[DueItem] = []

    def consider(obligation: Obligation, subject: str, due: date | datetime, description: str,
                 *keys: str) -> None:
        due_at = due if isinstance(due, datetime) else None
        due_on = due.date() if isinstance(due, datetime) else due
        overdue = moment > due_at if due_at is not None else today > due_on
        if overdue or due_on <= today + timedelta(days=horizon_days):
            items.append(DueItem(
                due_on=due_on, obligation=obligation, subject=subject, overdue=overdue,
                description=description, due_at=due_at,
                citations=tuple(ruleset.cite(k) for k in keys)))

    _yearly(record, today, ruleset, consider)
    _activities(record, today, ruleset, consider)
    _risk_reduction(record, ruleset, consider)
    if record.last_air_base_visit is not None and _defined(ruleset,
                                                           "contacts.air_base_visit_interval_years"):
        consider(Obligation.AIR_BASE_VISIT, record.last_air_base_visit.isoformat(),
                 air_base_visit_due(record.last_air_base_visit, ruleset),
                 "host a visit to an air base", "contacts.air_base_visit_interval_years")
    return sorted(items)


def _moment(at: date | datetime) -> datetime:
    if isinstance(at, datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("`at` must be timezone-aware when it is a datetime")
        return at.astimezone(UTC)
    return datetime.combine(at, time(0, 0), tzinfo=UTC)


def _defined(ruleset: Ruleset, *keys: str) -> bool:
    return all(ruleset.provision(k).defined for k in keys)


def _yearly(record: StateRecord, today: date, ruleset: Ruleset, consider: _Consider) -> None:
    # The cycles whose deadline falls last year, this year or (near new year) next year.
    years = range(today.year, today.year + 2)
    yearly = (
        (Obligation.ANNUAL_EXCHANGE, record.annual_exchanges, annual_exchange_deadline,
         gettext_noop("annual exchange of military information valid from 1 January {year}"),
         "annual_exchange.deadline"),
        (Obligation.DEPLOYMENT_PLANS, record.deployment_plans, deployment_plans_deadline,
         gettext_noop("plans for the deployment of major weapon and equipment systems in "
                      "{year}"),
         "deployment_plans.deadline"),
        (Obligation.ANNUAL_CALENDAR, record.annual_calendars, annual_calendar_deadline,
         gettext_noop("annual calendar of notifiable activities for {year}"),
         "calendar.deadline"),
    )
    for obligation, sent, deadline, description, key in yearly:
        if not _defined(ruleset, key):
            continue
        for year in years:
            if year not in sent:
                consider(obligation, str(year), deadline(year, ruleset),
                         Note(description, year=year), key)
    key = "defence_planning.months_after_budget_approval"
    if _defined(ruleset, key):
        for approved_on in record.budget_approvals:
            if approved_on <= today and approved_on not in record.defence_planning_sent:
                consider(Obligation.DEFENCE_PLANNING, approved_on.isoformat(),
                         defence_planning_deadline(approved_on, ruleset),
                         Note(gettext_noop("defence planning information (budget approved "
                                           "on {day})"), day=approved_on), key)


def _activities(record: StateRecord, today: date, ruleset: Ruleset, consider: _Consider) -> None:
    for activity in record.activities:
        if activity.state != record.state or activity.end < today - timedelta(days=365):
            continue
        found = classify(activity, ruleset)
        if found.notify_by is not None and activity.notified_on is None:
            what = (gettext_noop("notify the activity and invite observers: {activity}")
                    if found.observable else gettext_noop("notify the activity: {activity}"))
            keys = [c.key for c in found.citations.get("notify_by", ())]
            consider(Obligation.NOTIFICATION, activity.id, found.notify_by,
                     Note(what, activity=activity.id), *keys)
        if found.advance_notice_by is not None and activity.announced_on is None:
            keys = [c.key for c in found.citations.get("advance_notice_by", ())]
            consider(Obligation.LARGE_ACTIVITY_NOTICE, activity.id, found.advance_notice_by,
                     Note(gettext_noop("announce the large activity {activity} two years "
                                       "ahead"), activity=activity.id), *keys)


def _risk_reduction(record: StateRecord, ruleset: Ruleset, consider: _Consider) -> None:
    for request in record.risk_reduction_requests:
        if (request.responding_state == record.state and request.replied_at is None
                and _defined(ruleset, "risk_reduction.reply_hours")):
            consider(Obligation.RISK_REDUCTION_REPLY, request.id,
                     risk_reduction_reply_deadline(request.requested_at, ruleset),
                     Note(gettext_noop("reply to the request for explanation of {state}"),
                          state=request.requesting_state),
                     "risk_reduction.reply_hours")
        involved = record.state in (request.requesting_state, request.responding_state)
        if (involved and request.meeting_requested_at is not None
                and request.meeting_held_at is None
                and _defined(ruleset, "risk_reduction.meeting_hours")):
            consider(Obligation.RISK_REDUCTION_MEETING, request.id,
                     risk_reduction_meeting_deadline(request.meeting_requested_at, ruleset),
                     Note(gettext_noop("meeting on the request of {requesting} to "
                                       "{responding}"), requesting=request.requesting_state,
                          responding=request.responding_state), "risk_reduction.meeting_hours")
