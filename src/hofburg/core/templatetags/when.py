"""`{% load when %}`: dates and times in one form per language (`hofburg.core.dates`).

`{{ value|day }}` ("6 March 2026"), `{{ value|day:"short" }}` for dense tables,
`{{ value|month }}`, `{{ value|moment }}` ("6 March 2026, 19:30 CET", in the site's zone or
the one given: `{{ value|moment:"Europe/Kyiv" }}`) and `{{ value|clock }}` ("19:30 CET").
Machine-readable values (`<time datetime>`, inputs) keep ISO 8601: `|date:"c"`, `|date:"Y-m-d"`.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template

from hofburg.core import dates

register = template.Library()


def _blank(value: object) -> bool:
    return value is None or value == ""


@register.filter
def day(value: date | datetime | None, form: str = "") -> str:
    return "" if _blank(value) else dates.day(value, short=form == "short")  # type: ignore[arg-type]


@register.filter
def month(value: date | datetime | None, form: str = "") -> str:
    return "" if _blank(value) else dates.month(value, short=form == "short")  # type: ignore[arg-type]


@register.filter
def moment(value: datetime | None, zone: str | None = None) -> str:
    return "" if _blank(value) else dates.moment(value, zone)  # type: ignore[arg-type]


@register.filter
def clock(value: datetime | None, zone: str | None = None) -> str:
    return "" if _blank(value) else dates.clock(value, zone)  # type: ignore[arg-type]
