"""Dates and times as each language writes them (CLDR through Babel), one form per language
across the platform, every time labelled with its zone.

`day` is the long date ("6 March 2026", "6 марта 2026 г.", "6 marzo 2026"), `day(…, short=True)`
the medium one for dense tables ("6 Mar 2026", "06.03.2026"), `month` a month and year
("март 2026 г."), `moment` a date and time with its zone ("6 March 2026, 19:30 CET") and
`clock` a time with its zone where the date stands beside it; `day_and_month` ("6 Mar") only
labels a chart's axis. English is written as the OSCE writes it (CLDR's en-GB). Pages use
them through `{% load when %}`; numbers are written by `hofburg.core.numbers`.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton
from django.utils import timezone, translation

# The catalogue's language → the CLDR locale of its dates.
_LOCALES = {"en": "en_GB"}


def cldr_locale() -> str:
    """The CLDR locale of the active language (`en` is written as `en_GB`)."""
    language = (translation.get_language() or "en").split("-")[0]
    return _LOCALES.get(language, language)


def _local(value: datetime, zone: str | None) -> datetime:
    return timezone.localtime(value, ZoneInfo(zone) if zone else None)


def _date_of(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def day(value: date | datetime, short: bool = False) -> str:
    """The date in the active language; a moment's date in the site's zone."""
    return format_date(_date_of(value), "medium" if short else "long", locale=cldr_locale())


def day_and_month(value: date | datetime) -> str:
    """The day and the month's short name without the year ("6 Mar", "6 мар."), for the
    labels of a chart's axis whose title gives the year."""
    return format_skeleton("MMMd", _date_of(value), locale=cldr_locale())


def day_of_year(month_number: int, day_number: int) -> str:
    """A day that recurs every year, without a year ("15 December", "15 декабря")."""
    return format_skeleton("MMMMd", date(2001, month_number, day_number), locale=cldr_locale())


def month(value: date | datetime, short: bool = False) -> str:
    """A month and year ("март 2026 г."), or the month's short name alone ("мар.") for the
    headings of a year's timeline."""
    if short:
        return format_date(_date_of(value), "LLL", locale=cldr_locale())
    return format_skeleton("yMMMM", _date_of(value), locale=cldr_locale())


def moment(value: datetime, zone: str | None = None) -> str:
    """The date and time in `zone` (the site's by default), with the zone's abbreviation."""
    local = _local(value, zone)
    return f"{format_date(local.date(), 'long', locale=cldr_locale())}, {clock(value, zone)}"


def clock(value: datetime, zone: str | None = None) -> str:
    local = _local(value, zone)
    return f"{local:%H:%M} {local.tzname()}"
