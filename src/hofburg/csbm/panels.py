"""Panels this desk adds to shared pages (State profile, home)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from hofburg.core import access, panels
from hofburg.csbm import queries
from hofburg.csbm.engine import deadlines
from hofburg.csbm.models import Activity
from hofburg.csbm.rulesets import get_ruleset
from hofburg.registry.models import ParticipatingState

UPCOMING_SHOWN = 5
UPCOMING_DAYS = 120  # as far ahead as the desk's home page looks


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
    }


def register() -> None:
    """Register this desk's panels with core.panels (called from AppConfig.ready)."""
    panels.register("state_profile", "csbm", "csbm/panels/state.html", state_panel, order=20)
