"""The field-monitoring desk's read side, narrowed by core.access.

Maps, trends and period counts read the rollups only, never raw observations or events, so a
year of data answers as fast as a day. Callers who are not entitled (anonymous visitors, users
without an affiliation) get the published share of the rollups; entitled users get all events
that count (provisional, verified and published). Lists and details of events and observations
go through `core.access`; a hidden record is a 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.monitoring.engine.periods import CountedRecord, counts_per_period, daily_periods
from hofburg.monitoring.models import CellCount, DailyCount, Event, Observation
from hofburg.monitoring.services import reporting_calendar

BBox = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Scope:
    """Which share of the rollups a caller sees: `published` only, or `all` events."""

    name: str
    events: str
    violations: str


ALL = Scope("all", "events", "violations")
PUBLISHED = Scope("published", "published_events", "published_violations")


def rollup_scope(user: AnyUser) -> Scope:
    """Entitled users see every counted event; everyone else the published ones only."""
    return ALL if access.is_entitled(user) else PUBLISHED


@dataclass(frozen=True)
class CellAggregate:
    """Events and violations ("at least" counts summed) in one H3 cell over a time range."""

    cell: str
    lon: float
    lat: float
    events: int
    violations: int


@dataclass(frozen=True)
class TrendPoint:
    day: date
    category: str
    area: str | None
    events: int
    violations: int


@dataclass(frozen=True)
class PeriodRow:
    """One area's count in one reporting period and the change from the previous period."""

    report_date: date
    label: str
    area: str
    violations: int
    previous: int | None
    change: int | None


def map_cells(user: AnyUser, *, start: date, end: date, bbox: BBox | None = None,
              categories: Sequence[str] = ()) -> tuple[Scope, list[CellAggregate]]:
    """Counts per map cell for report dates start..end (inclusive) inside `bbox`."""
    scope = rollup_scope(user)
    rows = CellCount.objects.filter(day__gte=start, day__lte=end)
    if bbox is not None:
        west, south, east, north = bbox
        rows = rows.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    if categories:
        rows = rows.filter(category__in=list(categories))
    grouped = (rows.values("cell", "lon", "lat")
               .annotate(events=Sum(scope.events), violations=Sum(scope.violations))
               .filter(events__gt=0).order_by("cell"))
    return scope, [CellAggregate(r["cell"], r["lon"], r["lat"], r["events"], r["violations"])
                   for r in grouped]


def trend_series(user: AnyUser, *, start: date, end: date, categories: Sequence[str] = (),
                 area: str | None = None, by_area: bool = False
                 ) -> tuple[Scope, list[TrendPoint]]:
    """Counts per report date × category (× area if `by_area`), start..end inclusive."""
    scope = rollup_scope(user)
    rows = DailyCount.objects.filter(day__gte=start, day__lte=end)
    if categories:
        rows = rows.filter(category__in=list(categories))
    if area:
        rows = rows.filter(area=area)
    keys = ["day", "category", *(["area"] if by_area else [])]
    grouped = (rows.values(*keys)
               .annotate(events=Sum(scope.events), violations=Sum(scope.violations))
               .filter(events__gt=0).order_by(*keys))
    return scope, [TrendPoint(r["day"], r["category"], r.get("area"), r["events"],
                              r["violations"]) for r in grouped]


def period_counts(user: AnyUser, *, first: date, last: date, categories: Sequence[str] = ()
                  ) -> tuple[Scope, list[PeriodRow]]:
    """Violations per 19:30-to-19:30 period and area, each against the period before.

    The period before `first` is read too, so the first row has its comparison.
    """
    scope = rollup_scope(user)
    calendar = reporting_calendar()
    periods = daily_periods(first - timedelta(days=1), last, calendar)
    rows = DailyCount.objects.filter(day__gte=periods[0].report_date, day__lte=last)
    if categories:
        rows = rows.filter(category__in=list(categories))
    grouped = rows.values("day", "area").annotate(violations=Sum(scope.violations))
    start_of = {p.report_date: p.start for p in periods}
    records = [CountedRecord(moment=start_of[r["day"]], area=r["area"], count=r["violations"])
               for r in grouped if r["violations"]]
    table = counts_per_period(records, periods)
    return scope, [PeriodRow(row.period.report_date, row.period.label(), row.area, row.count,
                             row.previous, row.change)
                   for row in table.rows if row.period.report_date >= first]


def areas_with_data(user: AnyUser) -> list[str]:
    scope = rollup_scope(user)
    return list(DailyCount.objects.filter(**{f"{scope.events}__gt": 0})
                .values_list("area", flat=True).distinct().order_by("area"))


# --- records ----------------------------------------------------------------------------------


def events_for(user: AnyUser, *, status: str | None = None, category: str | None = None,
               start: date | None = None, end: date | None = None, area: str | None = None,
               needs_review: bool | None = None) -> QuerySet[Event]:
    """The events `user` may see, filtered; newest first."""
    events = access.visible(Event.objects.all(), user)
    filters: dict[str, Any] = {}
    if status:
        filters["status"] = status
    if category:
        filters["category"] = category
    if start:
        filters["report_date__gte"] = start
    if end:
        filters["report_date__lte"] = end
    if area:
        filters["area"] = area
    if needs_review is not None:
        filters["needs_review"] = needs_review
    return events.filter(**filters).order_by("-first_observed_at", "event_key")


def observations_for(user: AnyUser, *, status: str | None = None, observer_id: str | None = None,
                     event_id: int | None = None, start: date | None = None,
                     end: date | None = None) -> QuerySet[Observation]:
    """The observations `user` may see, filtered; newest first."""
    rows = access.visible(Observation.objects.all(), user)
    query = Q()
    if status:
        query &= Q(status=status)
    if observer_id:
        query &= Q(observer_id=observer_id)
    if event_id:
        query &= Q(event_id=event_id)
    if start:
        query &= Q(observed_at__date__gte=start)
    if end:
        query &= Q(observed_at__date__lte=end)
    return rows.filter(query).order_by("-observed_at", "observation_id")


def get_event_for_user(user: AnyUser, pk: int) -> Event:
    """The event if `user` may see it; Http404 otherwise (never 403: existence must not leak)."""
    return access.get_visible_or_404(Event.objects.all(), user, pk=pk)


def get_observation_for_user(user: AnyUser, pk: int) -> Observation:
    return access.get_visible_or_404(Observation.objects.select_related("event"), user, pk=pk)


def event_members(user: AnyUser, event: Event) -> QuerySet[Observation]:
    """The event's member observations that `user` may see, in time order."""
    return access.visible(event.observations.all(), user).order_by("observed_at")
