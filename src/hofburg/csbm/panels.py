"""Panels this desk adds to shared pages: the State profile's figures, and on a delegation's
"My State" the State's deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from hofburg.core import access, panels, updated
from hofburg.core.access import AnyUser
from hofburg.csbm import queries
from hofburg.csbm.engine import deadlines
from hofburg.csbm.models import Activity, AnnualExchange
from hofburg.csbm.rulesets import get_ruleset
from hofburg.registry.models import ParticipatingState

UPCOMING_SHOWN = 5
UPCOMING_DAYS = 120  # as far ahead as the desk's home page looks
# How far ahead "My State" lists what falls due (decision 0072): the 42 days of a notification
# (38) and the month of notice before the 15 November and 15 December deadlines (10), (61).
DEADLINE_HORIZON_DAYS = 60


def state_panel(request: HttpRequest, state: ParticipatingState) -> dict[str, Any] | None:
    """A State's CSBM figures for this year, what is coming up and what is overdue, as far as
    the user may see them.

    "Coming up" and "overdue" follow the texts' calendar, not the calendar year: on 6 December
    an activity starting in January is coming up, and its notification (42 days ahead) may be
    overdue already. None when the desk holds nothing visible about the State: no activity of
    the year or coming up, notification, annual exchange or visit. Overdue items are listed for
    entitled users only; for the public, what is not published is not "missing".
    """
    user = request.user
    today = timezone.localdate()
    year = today.year
    visible = queries.visible_activities(user).filter(state=state).exclude(
        status=Activity.Status.CANCELLED)
    activities = list(visible.filter(start__year=year).order_by("start", "pk"))
    coming = list(visible.filter(start__gte=today,
                                 start__lte=today + timedelta(days=UPCOMING_DAYS))
                  .order_by("start", "pk")[:UPCOMING_SHOWN])
    notifications = queries.visible_notifications(user, current_only=True).filter(
        activity__state=state, sent_on__year=year).count()
    # The newest exchange of the one in force and the one due next (sent before 1 January).
    exchange = queries.visible_exchanges(user).filter(
        state=state, year__gte=deadlines.exchange_year_in_force(today),
        year__lte=deadlines.exchange_year_due_next(today, get_ruleset())).order_by("-year").first()
    quota = next(iter(queries.quota_board(year, user, states=[state.iso2])), None)
    has_visits = quota is not None and (quota.inspection.used or quota.inspection.not_counted or (
        quota.evaluation is not None and (quota.evaluation.used or quota.evaluation.not_counted)))
    overdue = ([item for item in queries.due_and_overdue(state.iso2, today, user) if item.overdue]
               if access.is_entitled(user) else [])
    if not (activities or coming or notifications or exchange or has_visits):
        return None
    classified = [(a, queries.classify_activity(a)) for a in activities]
    return {
        "state": state,
        "year": year,
        "activity_count": len(activities),
        "notifiable_count": sum(1 for _a, c in classified if c.notifiable),
        "upcoming": [(a, queries.classify_activity(a)) for a in coming],
        "notification_count": notifications,
        "exchange": exchange,
        "quota": quota,
        "overdue": overdue,
        "user_is_entitled": access.is_entitled(user),
        "includes_exercise_data": any(a.is_exercise for a in [*activities, *coming]) or bool(
            exchange and exchange.is_exercise),
        "updated": _state_panel_updated(state, user, today, exchange),
    }


def _state_panel_updated(state: ParticipatingState, user: AnyUser, today: date,
                         exchange: AnnualExchange | None) -> datetime | None:
    """When the records behind the State's panel last changed, among those `user` may see:
    the records its due items are read from, the exchange shown and the year's visits."""
    visits = queries.visible_visits(user).filter(receiving_state=state, on__year=today.year)
    return updated.latest(
        queries.state_record_updated(state.iso2, user, today),
        exchange.created_at if exchange is not None else None,
        updated.latest_of(visits, "created_at", "outcome_recorded_at"))


@dataclass(frozen=True)
class DeadlineLine:
    """A due item with the paragraphs its deadline rests on, each once, in their order."""

    item: deadlines.DueItem
    paragraphs: list[str]

    @classmethod
    def of(cls, item: deadlines.DueItem) -> DeadlineLine:
        found: list[str] = []
        for citation in item.citations:
            if citation.paragraph and citation.paragraph not in found:
                found.append(citation.paragraph)
        return cls(item, found)


def state_deadlines(request: HttpRequest, state: ParticipatingState) -> dict[str, Any] | None:
    """For "My State": what the State has still to send or do under the Vienna Document, as far
    as the member of its delegation may see its records — every overdue item, and what falls
    due in the next `DEADLINE_HORIZON_DAYS` days — from the desk's deadline engine
    (`queries.due_and_overdue`), each with its paragraph. A State with nothing on file still
    has its yearly submissions due. None for a reader not entitled to the State's submissions
    (for them what is unpublished is not "missing")."""
    user = request.user
    if not access.is_entitled(user):
        return None
    now = timezone.now()
    items = [DeadlineLine.of(item) for item in queries.due_and_overdue(
        state.iso2, now, user, horizon_days=DEADLINE_HORIZON_DAYS)]
    return {
        "state": state,
        "ruleset": get_ruleset(),
        "horizon_days": DEADLINE_HORIZON_DAYS,
        "overdue": [line for line in items if line.item.overdue],
        "upcoming": [line for line in items if not line.item.overdue],
        "year": timezone.localdate(now).year,
        "updated": queries.state_record_updated(state.iso2, user, timezone.localdate(now)),
    }


def register() -> None:
    """Register this desk's panels with core.panels (called from AppConfig.ready)."""
    panels.register("state_profile", "csbm", "csbm/panels/state.html", state_panel, order=20)
    panels.register("my_state", "csbm", "csbm/panels/my_state.html", state_deadlines, order=10)
