"""Panels this desk adds to shared pages (State profile, home)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from hofburg.core import access, panels
from hofburg.csbm import queries
from hofburg.csbm.models import Activity
from hofburg.registry.models import ParticipatingState

UPCOMING_SHOWN = 5


def state_panel(request: HttpRequest, state: ParticipatingState) -> dict[str, Any] | None:
    """A State's CSBM figures for this year, as far as the user may see them.

    None when the desk holds nothing visible about the State: no activity, notification,
    annual exchange or visit. Overdue items are listed for entitled users only; for the public,
    what is not published is not "missing".
    """
    user = request.user
    today = timezone.localdate()
    year = today.year
    activities = list(queries.visible_activities(user).filter(
        state=state, start__year=year).exclude(status=Activity.Status.CANCELLED)
        .order_by("start", "pk"))
    notifications = queries.visible_notifications(user, current_only=True).filter(
        activity__state=state, sent_on__year=year).count()
    exchange = queries.visible_exchanges(user).filter(state=state, year=year).first()
    quota = next(iter(queries.quota_board(year, user, states=[state.iso2])), None)
    has_visits = quota is not None and (quota.inspection.used or quota.inspection.not_counted or (
        quota.evaluation is not None and (quota.evaluation.used or quota.evaluation.not_counted)))
    if not (activities or notifications or exchange or has_visits):
        return None
    classified = [(a, queries.classify_activity(a)) for a in activities]
    overdue = ([item for item in queries.due_and_overdue(state.iso2, today, user) if item.overdue]
               if access.is_entitled(user) else [])
    return {
        "state": state,
        "year": year,
        "activity_count": len(activities),
        "notifiable_count": sum(1 for _a, c in classified if c.notifiable),
        "upcoming": [(a, c) for a, c in classified if a.start >= today][:UPCOMING_SHOWN],
        "notification_count": notifications,
        "exchange": exchange,
        "quota": quota,
        "overdue": overdue,
        "user_is_entitled": access.is_entitled(user),
        "includes_exercise_data": any(a.is_exercise for a in activities) or bool(
            exchange and exchange.is_exercise),
    }


def register() -> None:
    """Register this desk's panels with core.panels (called from AppConfig.ready)."""
    panels.register("state_profile", "csbm", "csbm/panels/state.html", state_panel, order=20)
