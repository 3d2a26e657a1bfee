"""`{% load mission_time %}`: `{{ value|mission_moment }}`, a moment in the mission's zone (settings
MONITORING_TIME_ZONE, the zone of its reporting periods), labelled with it."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.conf import settings

from hofburg.core.templatetags.when import moment

register = template.Library()


@register.filter
def mission_moment(value: datetime | None) -> str:
    return moment(value, settings.MONITORING_TIME_ZONE)
