"""Panels this desk adds to shared pages: on the home page, the latest published period."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from hofburg.core import panels


def latest_period(request: HttpRequest, subject: Any = None) -> dict[str, Any] | None:
    """The published figures of the latest period with any; None when nothing is published.

    Read as a visitor would, so the home page shows every reader the same public figures.
    """
    from hofburg.monitoring import report  # the report module reads models: not at app loading

    public = AnonymousUser()
    latest = report.latest_report_date(public)
    if latest is None:
        return None
    return {"daily": report.build_daily_report(public, latest)}


def register() -> None:
    """Register this desk's panels with core.panels (called from AppConfig.ready)."""
    panels.register("home", "monitoring", "monitoring/panels/home.html", latest_period, order=30)
