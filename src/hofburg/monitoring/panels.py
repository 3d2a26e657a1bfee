"""Panels this desk adds to shared pages: on the home page, the latest published period."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from hofburg.core import panels, updated


def latest_period(request: HttpRequest, subject: Any = None) -> dict[str, Any] | None:
    """The published figures of the latest period with any; None when nothing is published.

    Read as a visitor would, so the home page shows every reader the same public figures.
    """
    from hofburg.monitoring import report  # the report module reads models: not at app loading

    public = AnonymousUser()
    latest = report.latest_report_date(public)
    if latest is None:
        return None
    daily = report.build_daily_report(public, latest)
    return {"daily": daily, "updated": period_updated(public, daily),
            "mission_zone": settings.MONITORING_TIME_ZONE}


def period_updated(user: Any, daily: Any) -> datetime | None:
    """When the period's figures, as `user` may read them, last changed: for the public the
    period's release (its figures are the released ones); for the entitled the latest change
    to a visible event of the period, or the release if later."""
    from hofburg.core import access
    from hofburg.monitoring.models import Event

    released = daily.release.released_at if daily.release is not None else None
    if daily.published_only:
        return released
    events = access.visible(Event.objects.filter(report_date=daily.report_date), user)
    return updated.latest(updated.latest_of(events, "updated_at"), released)


def register() -> None:
    """Register this desk's panels with core.panels (called from AppConfig.ready)."""
    panels.register("home", "monitoring", "monitoring/panels/home.html", latest_period, order=30)
