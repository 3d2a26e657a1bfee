"""`{% load mission_time %}`: `{{ value|mission_moment }}`, a moment in the mission's zone (settings
MONITORING_TIME_ZONE, the zone of its reporting periods), labelled with it;
`{{ period|period_words }}`, a reporting period in the reader's language."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.conf import settings

from hofburg.core import dates
from hofburg.core.templatetags.when import moment
from hofburg.monitoring.engine.periods import ReportingPeriod

register = template.Library()


@register.filter
def mission_moment(value: datetime | None) -> str:
    return moment(value, settings.MONITORING_TIME_ZONE)


@register.filter
def period_words(period: ReportingPeriod) -> str:
    """A reporting period with its dates as the reader's language writes them (CLDR): "19:30
    9 March 2026 - 19:30 10 March 2026 (EET)", "19:30 9 марта 2026 г. - …". The engine's own
    `label()` stays the English of the command line and the API."""
    return f"{_wall(period.start)} - {_wall(period.end)} ({period.end.tzname()})"


def _wall(moment: datetime) -> str:
    return f"{moment:%H:%M} {dates.day(moment.date())}"
