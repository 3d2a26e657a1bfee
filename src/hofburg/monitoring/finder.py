"""The field-monitoring desk's answer to the search across the desks (`core.finder`): a daily
report by its date (ISO 8601, "2026-03-10"), and events by their key."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hofburg.core import access, finder
from hofburg.core.access import AnyUser
from hofburg.monitoring import queries, report
from hofburg.monitoring.models import EventStatus


def find_reports(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    try:
        day = date.fromisoformat(query.strip())
    except ValueError:
        return None
    if day not in report.report_dates(user):
        return None
    return finder.Found(1, [finder.Hit(title=str(_("Daily report")),
                                       url=reverse("monitoring:report", args=[day.isoformat()]),
                                       day=day)], reverse("monitoring:reports"))


def find_events(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    rows = (queries.events_for(user).filter(event_key__icontains=query.strip())
            .exclude(status=EventStatus.WITHDRAWN))
    total = rows.count()
    if not total:
        return None
    hits = [finder.Hit(title=event.event_key,
                       url=reverse("monitoring:event", args=[event.pk]),
                       snippet=event.get_category_display(), day=event.report_date)
            for event in rows[:limit]]
    # The events list is for the entitled; the public reaches public events one by one.
    more = reverse("monitoring:events") if access.is_entitled(user) else ""
    return finder.Found(total, hits, more)


def register() -> None:
    finder.register("reports", _("Daily reports"), find_reports, order=50)
    finder.register("events", _("Monitoring events"), find_events, order=55)
