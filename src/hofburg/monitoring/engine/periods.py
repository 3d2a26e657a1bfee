"""Reporting periods and the counts per period and area, with the change against the previous.

The SMM's daily report covered "19:30 one evening to 19:30 the next, local time" and every
figure was compared with the previous reporting period (domain reference, section 0 and 1.1).
A period here runs from its start (inclusive) to its end (exclusive), so every moment belongs to
exactly one period; it is named by the local date of its end, the date of the report "as of
19:30". The cut-off is a local wall-clock time, so a period is 23 or 25 hours long on the day the
clocks change: periods are computed in the mission's zone, never as fixed 24-hour steps in UTC.
Reports after a weekend or holiday covered several days; `join_periods` makes such a period.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from numpy.typing import NDArray


class PeriodError(ValueError):
    """A reporting period or calendar cannot be built as asked."""


@dataclass(frozen=True)
class ReportingCalendar:
    """When the mission's reporting periods end: a local cut-off time in an IANA time zone."""

    time_zone: str
    cutoff: time

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise PeriodError(f"time_zone: {self.time_zone!r} is not an IANA time zone") from None
        if self.cutoff.tzinfo is not None:
            raise PeriodError("cutoff: give the local wall-clock time without a zone")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def cutoff_on(self, day: date) -> datetime:
        """The cut-off instant on a local date, as an aware datetime in the mission's zone.

        A cut-off that falls in a spring-forward gap is the first instant after the gap; one
        that occurs twice in an autumn fold is its first occurrence. (19:30 is never in either
        in Europe, but a mission may choose an early-morning cut-off.)
        """
        zone = self.zone
        naive = datetime.combine(day, self.cutoff)
        first = naive.replace(tzinfo=zone, fold=0)
        if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive:
            return first
        # In a gap, the two folds read the wall time with the offsets before and after the
        # change; the change itself lies between them: find it to the second.
        low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
        high = first.astimezone(UTC)
        low, high = min(low, high), max(low, high)
        after = high.astimezone(zone).utcoffset()
        while high - low > timedelta(seconds=1):
            middle = low + (high - low) / 2
            if middle.astimezone(zone).utcoffset() == after:
                high = middle
            else:
                low = middle
        return high.replace(microsecond=0).astimezone(zone)


@dataclass(frozen=True)
class ReportingPeriod:
    """From `start` (inclusive) to `end` (exclusive), both aware; named by `report_date`."""

    start: datetime
    end: datetime
    report_date: date

    def __contains__(self, moment: object) -> bool:
        # Compared in UTC: aware datetimes sharing a tzinfo compare by wall time, which is
        # wrong inside an autumn fold.
        return (isinstance(moment, datetime) and moment.tzinfo is not None
                and _utc(self.start) <= _utc(moment) < _utc(self.end))

    @property
    def duration(self) -> timedelta:
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def label(self) -> str:
        """As the reports said it: "19:30 15 June 2020 - 19:30 16 June 2020 (EEST)"."""
        return f"{_wall(self.start)} - {_wall(self.end)} ({self.end.tzname()})"


def reporting_period(moment: datetime, calendar: ReportingCalendar) -> ReportingPeriod:
    """The daily reporting period that contains `moment` (an aware datetime)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise PeriodError("moment: must be timezone-aware")
    local_day = moment.astimezone(calendar.zone).date()
    end = calendar.cutoff_on(local_day)
    if _utc(moment) >= _utc(end):
        local_day += timedelta(days=1)
    return period_for_report_date(local_day, calendar)


class ReportDates:
    """The report date of moments by one calendar: the local date of the cut-off that ends the
    period holding each moment. The cut-off of each local day is computed once."""

    def __init__(self, calendar: ReportingCalendar) -> None:
        self.calendar = calendar
        self.zone = calendar.zone
        self._cutoffs: dict[date, datetime] = {}

    def cutoff_on(self, day: date) -> datetime:
        found = self._cutoffs.get(day)
        if found is None:
            found = self._cutoffs[day] = self.calendar.cutoff_on(day)
        return found

    def of(self, moment: datetime) -> date:
        """The report date of one aware moment (as `reporting_period(...).report_date`)."""
        local_day = moment.astimezone(self.zone).date()
        if moment >= self.cutoff_on(local_day):
            return local_day + timedelta(days=1)
        return local_day

    def of_seconds(self, seconds: NDArray[np.float64]) -> list[date]:
        """`of` for many instants (POSIX seconds) at once, with the same answers.

        The zone's offset is looked up once per hour of UTC (per instant in an hour that holds
        a change of offset) and the cut-off once per local day.
        """
        if not len(seconds):
            return []
        hours = np.floor(seconds / 3600).astype(np.int64)
        unique_hours, which = np.unique(hours, return_inverse=True)
        offset = np.empty(len(unique_hours))
        changing = np.zeros(len(unique_hours), dtype=bool)
        for k, hour in enumerate(unique_hours.tolist()):
            begins = self._utc_offset(hour * 3600)
            offset[k] = begins
            changing[k] = begins != self._utc_offset(hour * 3600 + 3599)
        local = seconds + offset[which]
        for k in np.flatnonzero(changing[which]).tolist():
            local[k] = seconds[k] + self._utc_offset(float(seconds[k]))
        day_number = np.floor(local / 86400).astype(np.int64)
        unique_days, day_of = np.unique(day_number, return_inverse=True)
        epoch = date(1970, 1, 1)
        days = [epoch + timedelta(days=d) for d in unique_days.tolist()]
        cutoff = np.array([self.cutoff_on(day).timestamp() for day in days])
        after = seconds >= cutoff[day_of]
        following = [day + timedelta(days=1) for day in days]
        return [following[d] if late else days[d]
                for d, late in zip(day_of.tolist(), after.tolist(), strict=True)]

    def _utc_offset(self, seconds: float) -> float:
        offset = datetime.fromtimestamp(seconds, UTC).astimezone(self.zone).utcoffset()
        return offset.total_seconds() if offset else 0.0


def week_of(day: date) -> date:
    """The key of `day`'s ISO week in weekly counts: its Monday."""
    return day - timedelta(days=day.weekday())


def month_of(day: date) -> date:
    """The key of `day`'s month in monthly counts: its first day."""
    return day.replace(day=1)


def period_for_report_date(report_date: date, calendar: ReportingCalendar) -> ReportingPeriod:
    """The daily period whose report is dated `report_date` (it ends at the cut-off that day)."""
    return ReportingPeriod(start=calendar.cutoff_on(report_date - timedelta(days=1)),
                           end=calendar.cutoff_on(report_date), report_date=report_date)


def daily_periods(first_report_date: date, last_report_date: date,
                  calendar: ReportingCalendar) -> list[ReportingPeriod]:
    """The daily periods of the reports dated first_report_date to last_report_date, inclusive."""
    if last_report_date < first_report_date:
        raise PeriodError("last_report_date: must not be before first_report_date")
    days = (last_report_date - first_report_date).days
    return [period_for_report_date(first_report_date + timedelta(days=n), calendar)
            for n in range(days + 1)]


def join_periods(periods: Sequence[ReportingPeriod]) -> ReportingPeriod:
    """One period covering consecutive periods: a report "between the evenings of 15 and 17"."""
    if not periods:
        raise PeriodError("periods: nothing to join")
    _check_consecutive(periods)
    return ReportingPeriod(start=periods[0].start, end=periods[-1].end,
                           report_date=periods[-1].report_date)


@dataclass(frozen=True)
class CountedRecord:
    """Something to count: when, in which area, how many (an event's "at least" count)."""

    moment: datetime
    area: str
    count: int = 1


@dataclass(frozen=True)
class PeriodCount:
    """The count of one area in one period, and the change from the previous period.

    `previous` and `change` are None for the first period, whose predecessor was not counted.
    """

    period: ReportingPeriod
    area: str
    count: int
    previous: int | None
    change: int | None


@dataclass(frozen=True)
class PeriodTable:
    """Counts for every period and area (zeros included); `outside` were in no period."""

    rows: tuple[PeriodCount, ...]
    outside: int

    def for_area(self, area: str) -> list[PeriodCount]:
        return [row for row in self.rows if row.area == area]


def counts_per_period(records: Iterable[CountedRecord], periods: Sequence[ReportingPeriod],
                      areas: Iterable[str] | None = None) -> PeriodTable:
    """Counts per period (consecutive, in order) and area, each compared with the period before.

    Areas with no record in a period count 0. `areas` fixes the areas and their order (records
    in other areas are counted as outside); by default, the areas of the records, sorted.
    """
    if not periods:
        raise PeriodError("periods: give at least one reporting period")
    _check_consecutive(periods)
    items = list(records)
    for item in items:
        if item.moment.tzinfo is None or item.moment.utcoffset() is None:
            raise PeriodError("moment: every record's time must be timezone-aware")
    area_list = list(areas) if areas is not None else sorted({item.area for item in items})
    known = set(area_list)
    totals = {(p, a): 0 for p in range(len(periods)) for a in area_list}
    starts = [_utc(period.start) for period in periods]
    outside = 0
    for item in items:
        index = _find(starts, periods, item.moment)
        if index is None or item.area not in known:
            outside += 1
            continue
        totals[(index, item.area)] += item.count
    rows = []
    for index, period in enumerate(periods):
        for area in area_list:
            count = totals[(index, area)]
            previous = totals[(index - 1, area)] if index > 0 else None
            rows.append(PeriodCount(period=period, area=area, count=count, previous=previous,
                                    change=None if previous is None else count - previous))
    return PeriodTable(rows=tuple(rows), outside=outside)


def _find(starts: list[datetime], periods: Sequence[ReportingPeriod], moment: datetime
          ) -> int | None:
    low, high = 0, len(starts)
    while low < high:  # the last period starting at or before the moment
        middle = (low + high) // 2
        if starts[middle] <= _utc(moment):
            low = middle + 1
        else:
            high = middle
    index = low - 1
    if index < 0 or moment not in periods[index]:
        return None
    return index


def _check_consecutive(periods: Sequence[ReportingPeriod]) -> None:
    for before, after in itertools.pairwise(periods):
        if _utc(before.end) != _utc(after.start):
            raise PeriodError(f"periods: {before.label()} and {after.label()} are not "
                              f"consecutive")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _wall(moment: datetime) -> str:
    return f"{moment:%H:%M} {moment.day} {moment:%B %Y}"
