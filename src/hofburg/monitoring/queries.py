"""The field-monitoring desk's read side, narrowed by core.access.

Maps, trends and period counts read the rollups only, never raw observations or events, and
rollups sized for the range asked: a map of a long range reads the monthly and weekly cell
rollups for the whole months and weeks inside it and the daily rows only for the partial edges,
so its totals are exactly those of the daily rows while a year reads a few rows per cell. Area
trends over long ranges come in weekly buckets, from the weekly area rollup.

Rollups are kept per visibility scope (public, restricted, confidential of one owner), and
every read sums exactly the scopes its caller may see (`rollup_scope`, decision 0018). Callers
who are not entitled (anonymous visitors, users without an affiliation) get the published share
of the public scope; entitled users get all events that count (provisional, verified and
published) of the public and restricted scopes and of their own affiliation's confidential
one. Lists and details of events and observations go through
`core.access`; a hidden record is a 404.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, Q, QuerySet, Sum
from django.http import Http404

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.models import Classification
from hofburg.monitoring.engine.explanations import explain
from hofburg.monitoring.engine.periods import (
    CountedRecord,
    counts_per_period,
    daily_periods,
    month_of,
    week_of,
)
from hofburg.monitoring.mission import reporting_calendar
from hofburg.monitoring.models import (
    PUBLIC_SCOPE,
    RESTRICTED_SCOPE,
    AreaWeekCount,
    CellCount,
    CellMonthCount,
    CellWeekCount,
    DailyCount,
    Event,
    Observation,
    ObservationPhoto,
    RollupGeneration,
    visibility_scope,
)
from hofburg.notes import Note, gettext_noop

BBox = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Scope:
    """Which share of the rollups a caller sees: `published` only, or `all` events; and of
    which visibility scopes (`models.visibility_scope`), the rows' `scope` column."""

    name: str
    events: str
    violations: str
    scopes: tuple[str, ...] = (PUBLIC_SCOPE,)

    @property
    def published_only(self) -> bool:
        return self.name == "published"

    @property
    def cache_key(self) -> tuple[str, ...]:
        """What names this share in a cache key: answers are never shared across shares."""
        return (self.name, *self.scopes)

    def rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rollup rows of `queryset` this share sums."""
        return queryset.filter(scope__in=self.scopes)


# Visitors: the published events of the public scope, the only figures the public sees.
PUBLISHED = Scope("published", "published_events", "published_violations", (PUBLIC_SCOPE,))


def entitled_scope(affiliation_id: int) -> Scope:
    """Every counted event an entitled member of the affiliation may see."""
    return Scope("all", "events", "violations",
                 (PUBLIC_SCOPE, RESTRICTED_SCOPE,
                  visibility_scope(Classification.CONFIDENTIAL, affiliation_id)))


def rollup_scope(user: AnyUser) -> Scope:
    """The share of the rollups `user` may read: entitled users every counted event of the
    scopes they may see (public, restricted, their affiliation's confidential); everyone else
    the published events of the public scope."""
    affiliation_id = getattr(user, "affiliation_id", None)
    if not access.is_entitled(user) or affiliation_id is None:
        return PUBLISHED
    return entitled_scope(int(affiliation_id))


@dataclass(frozen=True)
class CellAggregate:
    """Events and violations ("at least" counts summed) in one H3 cell over a time range."""

    cell: str
    lon: float
    lat: float
    events: int
    violations: int


class TrendPoint(NamedTuple):
    """One bucket of a trend: a report date, or a week (`day`..`last_day`, cut to the range).

    A named tuple rather than a frozen dataclass: a year by area is thousands of points, and a
    tuple is made three times faster.
    """

    day: date
    category: str
    area: str | None
    events: int
    violations: int
    last_day: date | None = None

    @property
    def until(self) -> date:
        return self.last_day or self.day


@dataclass(frozen=True)
class PeriodRow:
    """One area's count in one reporting period and the change from the previous period."""

    report_date: date
    label: str
    area: str
    violations: int
    previous: int | None
    change: int | None


# --- granularity ------------------------------------------------------------------------------

DAY, WEEK, MONTH = "day", "week", "month"
GRANULARITIES = (DAY, WEEK, MONTH)
# A map range this long (in report dates) reads weekly, then monthly rollups where it can.
MAP_WEEKS_FROM_DAYS = 14
MAP_MONTHS_FROM_DAYS = 56
# Trends by area over a range this long come in weekly buckets.
AREA_TREND_WEEKS_FROM_DAYS = 42


@dataclass(frozen=True)
class Span:
    """Report dates `first`..`last` (inclusive) read from the rollup of one granularity; for
    weeks and months `first` and `last` are period keys (Mondays, first days of months)."""

    granularity: str
    first: date
    last: date


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _whole_periods(start: date, end: date, granularity: str) -> tuple[date, date] | None:
    """The first day of the first and the last day of the last whole week or month inside
    start..end, or None if there is no whole one."""
    if granularity == WEEK:
        first = start if start.weekday() == 0 else week_of(start) + timedelta(days=7)
        last = end if end.weekday() == 6 else week_of(end) - timedelta(days=1)
    else:
        first = start if start.day == 1 else _next_month(start)
        last = end if _next_month(end) - timedelta(days=1) == end else month_of(end) - timedelta(
            days=1)
    return (first, last) if first <= last else None


def plan_spans(start: date, end: date, granularity: str) -> list[Span]:
    """Cover start..end exactly, each report date once: the whole months (or weeks) inside it
    from the coarse rollup, the edges from the next finer one, the rest from the daily one."""
    if start > end:
        return []
    if granularity == DAY:
        return [Span(DAY, start, end)]
    whole = _whole_periods(start, end, granularity)
    finer = WEEK if granularity == MONTH else DAY
    if whole is None:
        return plan_spans(start, end, finer)
    first, last = whole
    key = week_of if granularity == WEEK else month_of
    return [*plan_spans(start, first - timedelta(days=1), finer),
            Span(granularity, key(first), key(last)),
            *plan_spans(last + timedelta(days=1), end, finer)]


def map_granularity(start: date, end: date) -> str:
    """The coarsest rollup a map of start..end may read, by the length of the range."""
    days = (end - start).days + 1
    return MONTH if days >= MAP_MONTHS_FROM_DAYS else WEEK if days >= MAP_WEEKS_FROM_DAYS else DAY


def coarsest(spans: Sequence[Span]) -> str:
    """The coarsest granularity a plan actually reads (`day` for an empty one)."""
    return max((s.granularity for s in spans), key=GRANULARITIES.index, default=DAY)


_CELL_ROLLUPS: dict[str, tuple[type[Model], str]] = {
    DAY: (CellCount, "day"), WEEK: (CellWeekCount, "week"), MONTH: (CellMonthCount, "month")}


def map_cells(user: AnyUser, *, start: date, end: date, bbox: BBox | None = None,
              categories: Sequence[str] = (), granularity: str | None = None
              ) -> tuple[Scope, list[CellAggregate]]:
    """Counts per map cell for report dates start..end (inclusive) inside `bbox`.

    `granularity` is the coarsest rollup to read (by default chosen from the length of the
    range, see `map_granularity`); the totals are the same whichever is read.
    """
    scope = rollup_scope(user)
    spans = plan_spans(start, end, granularity or map_granularity(start, end))
    totals: dict[str, list[Any]] = {}
    for level in GRANULARITIES:
        ranges = [s for s in spans if s.granularity == level]
        if not ranges:
            continue
        model, field = _CELL_ROLLUPS[level]
        when = Q()
        for span in ranges:
            when |= Q(**{f"{field}__gte": span.first, f"{field}__lte": span.last})
        rows = scope.rows(model._default_manager.filter(when))
        if bbox is not None:
            west, south, east, north = bbox
            rows = rows.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
        if categories:
            rows = rows.filter(category__in=list(categories))
        for r in (rows.values_list("cell", "lon", "lat")
                  .annotate(events=Sum(scope.events), violations=Sum(scope.violations))
                  .order_by()):
            sums = totals.setdefault(r[0], [r[1], r[2], 0, 0])
            sums[2] += r[3]
            sums[3] += r[4]
    return scope, [CellAggregate(cell, lon, lat, events, violations)
                   for cell, (lon, lat, events, violations) in sorted(totals.items())
                   if events > 0]


def trend_granularity(start: date, end: date, *, by_area: bool = False) -> str:
    """Daily points, or weekly buckets for trends by area over long ranges."""
    long_range = (end - start).days + 1 >= AREA_TREND_WEEKS_FROM_DAYS
    return WEEK if by_area and long_range else DAY


def trend_series(user: AnyUser, *, start: date, end: date, categories: Sequence[str] = (),
                 area: str | None = None, by_area: bool = False, granularity: str = DAY
                 ) -> tuple[Scope, list[TrendPoint]]:
    """Counts per report date (or per ISO week, `granularity="week"`) × category (× area if
    `by_area`), start..end inclusive, in that order; buckets without events are left out.

    A weekly bucket's `day`..`last_day` is the week cut to the range: whole weeks are read from
    the weekly rollup, the partial weeks at the edges summed from the daily one.
    """
    scope = rollup_scope(user)
    if granularity == WEEK:
        return scope, _weekly_trend(scope, start, end, categories, area, by_area)
    rows = _filtered(scope.rows(DailyCount.objects.filter(day__gte=start, day__lte=end)),
                     categories, area)
    keys = ["day", "category", *(["area"] if by_area else [])]
    grouped = (rows.values_list(*keys)
               .annotate(events=Sum(scope.events), violations=Sum(scope.violations))
               .filter(events__gt=0).order_by(*keys))
    if by_area:
        return scope, [TrendPoint(day, category, area_key, events, violations)
                       for day, category, area_key, events, violations in _plain_rows(grouped)]
    return scope, [TrendPoint(day, category, None, events, violations)
                   for day, category, events, violations in _plain_rows(grouped)]


def _trend_order(point: TrendPoint) -> tuple[date, str, str]:
    return point.day, point.category, point.area or ""


def _filtered(rows: QuerySet[Any], categories: Sequence[str], area: str | None
              ) -> QuerySet[Any]:
    if categories:
        rows = rows.filter(category__in=list(categories))
    if area:
        rows = rows.filter(area=area)
    return rows


def _plain_rows(rows: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query over rollups as the database driver returns them.

    Django would pass every value through its converters, a sixth of the time a year of
    trends by area takes; the rollups' report dates, codes and integer sums need none, since
    both drivers return dates as `date` (SQLite through the converter Django registers for the
    `date` column type). Only for queries selecting plain columns and sums of integers.
    """
    try:
        sql, params = rows.query.get_compiler(rows.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched: list[tuple[Any, ...]] = cursor.fetchall()
        return fetched


def _weekly_trend(scope: Scope, start: date, end: date, categories: Sequence[str],
                  area: str | None, by_area: bool) -> list[TrendPoint]:
    area_keys = ["area"] if by_area else []
    points: list[TrendPoint] = []
    # The partial weeks at the edges, summed from their daily rows per week cut to the range.
    edges: dict[tuple[date, str, str | None], list[int]] = {}
    for span in plan_spans(start, end, WEEK):
        rows: QuerySet[Any]
        if span.granularity == WEEK:
            rows = AreaWeekCount.objects.filter(week__gte=span.first, week__lte=span.last)
        else:
            rows = DailyCount.objects.filter(day__gte=span.first, day__lte=span.last)
        grouped = (_filtered(scope.rows(rows), categories, area)
                   .values_list("week" if span.granularity == WEEK else "day", "category",
                                *area_keys)
                   .annotate(events=Sum(scope.events), violations=Sum(scope.violations))
                   .filter(events__gt=0).order_by())
        if span.granularity == WEEK:
            # One row per whole week (and category, area): a point as it stands.
            points += [TrendPoint(row[0], row[1], row[2] if by_area else None, row[-2], row[-1],
                                  row[0] + timedelta(days=6))
                       for row in _plain_rows(grouped)]
            continue
        for row in _plain_rows(grouped):
            key = (max(week_of(row[0]), start), row[1], row[2] if by_area else None)
            sums = edges.setdefault(key, [0, 0])
            sums[0] += row[-2]
            sums[1] += row[-1]
    points += [TrendPoint(day, category, area_key, events, violations,
                          min(day + timedelta(days=6 - day.weekday()), end))
               for (day, category, area_key), (events, violations) in edges.items()]
    return sorted(points, key=_trend_order)


def period_counts(user: AnyUser, *, first: date, last: date, categories: Sequence[str] = ()
                  ) -> tuple[Scope, list[PeriodRow]]:
    """Violations per 19:30-to-19:30 period and area, each against the period before.

    The period before `first` is read too, so the first row has its comparison.
    """
    scope = rollup_scope(user)
    calendar = reporting_calendar()
    periods = daily_periods(first - timedelta(days=1), last, calendar)
    rows = scope.rows(DailyCount.objects.filter(day__gte=periods[0].report_date, day__lte=last))
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
    return list(scope.rows(DailyCount.objects.filter(**{f"{scope.events}__gt": 0}))
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


def photos_of(user: AnyUser, observations: Sequence[Observation] | QuerySet[Observation]
              ) -> QuerySet[ObservationPhoto]:
    """The photos of those of `observations` that `user` may see, without their content (a
    page lists them; the bytes are read one at a time by `get_photo_for_user`)."""
    return (ObservationPhoto.objects
            .filter(observation__in=access.visible(
                Observation.objects.filter(pk__in=[o.pk for o in observations]), user))
            .defer("content").select_related("observation")
            .order_by("observation__observed_at", "observation_id", "added_at", "id"))


def get_photo_for_user(user: AnyUser, observation_pk: int, photo_pk: int) -> ObservationPhoto:
    """One photo of an observation `user` may see; Http404 for a hidden or absent observation
    and for a photo that is not the observation's, alike."""
    observation = access.get_visible_or_404(Observation.objects.all(), user, pk=observation_pk)
    photo = ObservationPhoto.objects.filter(observation=observation, pk=photo_pk).first()
    if photo is None:
        raise Http404("No such record.")
    return photo


EXPLANATION_WITHHELD = Note(gettext_noop(
    "The reasons for this merge name observations you may not see; they are shown only to "
    "those who may see every member."))


def event_explanation(user: AnyUser, event: Event) -> list[str]:
    """The event's merge explanation as sentences, for a reader who may see every member.

    The explanation names each member's id, observer, time, bearing and distances, so a
    reader who may see the event but not all its members (a declassified event's public
    readers, say) gets one sentence saying it is withheld, never part of it.
    """
    members = event.observations.all()
    if access.visible(members, user).count() != members.count():
        return [EXPLANATION_WITHHELD]
    return explain(event.explanation)


# --- cached answers -------------------------------------------------------------------------

# How long an answer read from the rollups is kept; a change to the rollups makes it stale at
# once (the generation is part of the key), so this only bounds the cache's memory.
ANSWER_SECONDS = 600
_LARGEST_CACHED = 4 << 20


def rollup_generation() -> int:
    return _rollup_version()[0]


def _rollup_version() -> tuple[int, str]:
    """The generation's number and token: together they name one state of the rollups.

    Read on every cached answer, so in plain SQL: building the ORM's query took longer than
    the database takes to answer it.
    """
    connection = connections[RollupGeneration.objects.db]
    table = connection.ops.quote_name(RollupGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value, token FROM {table} WHERE id = %s", [1])  # noqa: S608
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


class CachedAnswer(NamedTuple):
    """An answer's encoded body, or None when only its tag was asked for and it matched, its
    entity tag (the digest of its cache key, so the same tag means the same bytes) and its
    content coding: "gzip" or "" (identity)."""

    body: bytes | None
    etag: str
    coding: str = ""


# Answers at least this long are also kept compressed for callers that accept gzip: a year of
# trends by area is about 300 KB of JSON and a tenth of that compressed.
GZIP_FROM = 1024


def cached_answer(parts: tuple[Any, ...], compute: Callable[[], bytes],
                  known_tags: Sequence[str] = (), *, gzip_ok: bool = False) -> CachedAnswer:
    """The answer for `parts` (which must name the caller's share, `Scope.cache_key`: the
    share and every visibility scope it sums) as computed at the current rollup generation:
    from the cache when another caller of the same share asked already.

    When the answer's tag is among `known_tags` (the caller's `If-None-Match`), the body is
    neither read nor computed: the caller holds these bytes already. The tag names the share
    like the key does, so a tag never matches an answer of another share.

    `gzip_ok` (the caller accepts gzip): an answer of `GZIP_FROM` bytes or more comes
    gzip-compressed, compressed once per generation and kept beside the plain one; its tag
    differs from the plain answer's (another representation, other bytes).
    """
    digest = hashlib.sha256(repr((_rollup_version(), parts)).encode()).hexdigest()
    key = f"hofburg:monitoring:answer:{digest}"
    if gzip_ok:
        zipped_tag = f'"{digest[:40]}-gzip"'
        if zipped_tag in known_tags:
            return CachedAnswer(None, zipped_tag, "gzip")
        zipped = cache.get(f"{key}:gzip")
        if zipped is not None:
            return CachedAnswer(bytes(zipped), zipped_tag, "gzip")
    etag = f'"{digest[:40]}"'
    if etag in known_tags or "*" in known_tags:
        return CachedAnswer(None, etag)
    body = cache.get(key)
    if body is None:
        body = compute()
        if len(body) <= _LARGEST_CACHED:
            cache.set(key, body, ANSWER_SECONDS)
    if gzip_ok and len(body) >= GZIP_FROM:
        zipped = gzip.compress(body, compresslevel=6, mtime=0)
        if len(body) <= _LARGEST_CACHED:
            cache.set(f"{key}:gzip", zipped, ANSWER_SECONDS)
        return CachedAnswer(zipped, zipped_tag, "gzip")
    return CachedAnswer(bytes(body), etag)
