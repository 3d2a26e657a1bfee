"""The coarse rollups (per week and per month) and the reads that choose them by range.

A generated exercise scenario goes through import, publication, rejection, correction and a new
submission; after every step the weekly and monthly rows must equal the sums of the daily ones,
and maps and trends must give the same totals whichever rollup they read.
"""

from __future__ import annotations

import gzip
import importlib
import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from hofburg.monitoring import queries, scenario
from hofburg.monitoring.engine import binning, periods
from hofburg.monitoring.events import rollups
from hofburg.monitoring.importing import header, pipeline
from hofburg.monitoring.intake import submit, workflow
from hofburg.monitoring.models import (
    AreaWeekCount,
    CellCount,
    CellMonthCount,
    CellWeekCount,
    DailyCount,
    Event,
    EventStatus,
    Observation,
    ObservationStatus,
    RollupGeneration,
)
from tests.conftest import Cast
from tests.monitoring.rows import release

API = "/api/v1/monitoring"
ROOT = Path(__file__).resolve().parents[2]
FIRST_DAY = date(2026, 1, 1)
DAYS = 100
COUNTERS = ("events", "violations", "published_events", "published_violations")


# --- planning the reads (no database) -------------------------------------------------------


def _days_of(span: queries.Span) -> list[date]:
    if span.granularity == queries.DAY:
        return [span.first + timedelta(days=n) for n in range((span.last - span.first).days + 1)]
    days = []
    key = span.first
    while key <= span.last:
        following = (key + timedelta(days=7) if span.granularity == queries.WEEK
                     else queries._next_month(key))
        days.extend(key + timedelta(days=n) for n in range((following - key).days))
        key = following
    return days


@given(st.dates(date(2024, 1, 1), date(2027, 12, 31)), st.integers(0, 400),
       st.sampled_from(queries.GRANULARITIES))
def test_a_plan_covers_every_report_date_of_the_range_exactly_once(
        start: date, length: int, granularity: str) -> None:
    end = start + timedelta(days=length)
    spans = queries.plan_spans(start, end, granularity)
    days = [day for span in spans for day in _days_of(span)]
    assert days == [start + timedelta(days=n) for n in range(length + 1)]
    assert queries.GRANULARITIES.index(queries.coarsest(spans)) <= \
        queries.GRANULARITIES.index(granularity)


def test_a_whole_year_reads_twelve_months_and_nothing_else() -> None:
    spans = queries.plan_spans(date(2026, 1, 1), date(2026, 12, 31), queries.MONTH)
    assert spans == [queries.Span(queries.MONTH, date(2026, 1, 1), date(2026, 12, 1))]
    assert queries.map_granularity(date(2026, 1, 1), date(2026, 12, 31)) == queries.MONTH
    assert queries.map_granularity(date(2026, 1, 1), date(2026, 1, 10)) == queries.DAY


# --- the scenario ----------------------------------------------------------------------------


def _import_scenario(cast: Cast, tmp_path: Path) -> None:
    rows = scenario.generate(days=DAYS, seed=11, start=FIRST_DAY, observations=700,
                             line_path=ROOT / "data" / "monitoring" / "exercise_lines.geojson")
    path = tmp_path / "scenario.csv"
    scenario.write_csv(path, rows, header.CSV_COLUMNS)
    pipeline.import_observations(path, actor=cast.mona, is_exercise=True)


def _sums(rows: Iterable[dict[str, Any]], key: Any) -> dict[tuple[Any, ...], tuple[int, ...]]:
    totals: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        for n, name in enumerate(COUNTERS):
            totals[key(row)][n] += row[name]
    return {k: tuple(v) for k, v in totals.items() if any(v)}


def _stored(model: Any, *key: str) -> dict[tuple[Any, ...], tuple[int, ...]]:
    return _sums(model.objects.values(*key, *COUNTERS), lambda r: tuple(r[k] for k in key))


def assert_coarse_rollups_are_sums_of_daily_ones() -> None:
    week, month = periods.week_of, periods.month_of
    daily = list(DailyCount.objects.values("day", "category", "area", "is_exercise", "scope",
                                           *COUNTERS))
    cells = list(CellCount.objects.values("cell", "day", "category", "is_exercise", "scope",
                                          *COUNTERS))
    assert _stored(AreaWeekCount, "week", "category", "area", "is_exercise", "scope") == _sums(
        daily, lambda r: (week(r["day"]), r["category"], r["area"], r["is_exercise"],
                          r["scope"]))
    assert _stored(CellWeekCount, "cell", "week", "category", "is_exercise", "scope") == _sums(
        cells, lambda r: (r["cell"], week(r["day"]), r["category"], r["is_exercise"],
                          r["scope"]))
    assert _stored(CellMonthCount, "cell", "month", "category", "is_exercise",
                   "scope") == _sums(
        cells, lambda r: (r["cell"], month(r["day"]), r["category"], r["is_exercise"],
                          r["scope"]))
    assert CellWeekCount.objects.exists() and CellMonthCount.objects.exists()


def _all_rollups(*, by_scope: bool = True) -> list[dict[tuple[Any, ...], tuple[int, ...]]]:
    scope = ("scope",) if by_scope else ()
    return [_stored(DailyCount, "day", "category", "area", "is_exercise", *scope),
            _stored(AreaWeekCount, "week", "category", "area", "is_exercise", *scope),
            _stored(CellCount, "cell", "day", "category", "is_exercise", *scope),
            _stored(CellWeekCount, "cell", "week", "category", "is_exercise", *scope),
            _stored(CellMonthCount, "cell", "month", "category", "is_exercise", *scope)]


@pytest.fixture
def worked_scenario(cast: Cast, tmp_path: Path) -> Cast:
    """The scenario imported, then a third of its events published, observations rejected
    (some in published events), one corrected by weeks and one new submission; the invariant
    is checked after every step."""
    pick = random.Random(5)
    _import_scenario(cast, tmp_path)
    assert_coarse_rollups_are_sums_of_daily_ones()
    events = list(Event.objects.order_by("event_key"))
    for event in pick.sample(events, len(events) // 3):
        release(cast.mona, event)
    assert Event.objects.filter(status=EventStatus.PUBLISHED).exists()
    assert_coarse_rollups_are_sums_of_daily_ones()
    published_members = list(Observation.objects.filter(event__status=EventStatus.PUBLISHED)
                             .order_by("observation_id")[:4])
    others = list(Observation.objects.filter(event__status=EventStatus.PROVISIONAL)
                  .order_by("observation_id")[:4])
    for observation in [*published_members, *others]:
        workflow.reject_observation(cast.mona, observation, "EXERCISE: test rejection")
        assert_coarse_rollups_are_sums_of_daily_ones()
    moved = Observation.objects.exclude(status=ObservationStatus.REJECTED).order_by(
        "observation_id").first()
    assert moved is not None
    workflow.correct_observation(
        cast.mona, moved, {"observed_at": (moved.observed_at + timedelta(days=38)).isoformat()},
        "EXERCISE: wrong date")
    assert_coarse_rollups_are_sums_of_daily_ones()
    submit.submit_observation(cast.mona, {
        "observation_id": "EX-NEW-1", "observed_at": "2026-02-28T21:00:00+00:00",
        "observer_id": "EX-OP-NEW", "observer_kind": "observation_point",
        "observer_lon": moved.observer_lon, "observer_lat": moved.observer_lat,
        "method": "heard", "category": "burst", "count": 9, "sector": "N",
        "distance_km_min": 1, "distance_km_max": 4, "notes": "EXERCISE"}, "client-new-1")
    assert_coarse_rollups_are_sums_of_daily_ones()
    assert Event.objects.filter(status=EventStatus.WITHDRAWN).exists()
    return cast


# --- the rollups after every step -----------------------------------------------------------


@pytest.mark.django_db
def test_coarse_rollups_stay_sums_of_daily_ones_and_equal_a_recount(
        worked_scenario: Cast) -> None:
    incremental = _all_rollups()
    assert rollups.rebuild_rollups() > 0
    assert _all_rollups() == incremental
    assert_coarse_rollups_are_sums_of_daily_ones()


@pytest.mark.django_db
def test_the_migration_fills_the_coarse_rollups_from_the_daily_ones(
        worked_scenario: Cast) -> None:
    # 0002 predates the visibility scopes (0007 counts everything again per scope), so its
    # sums are compared across scopes.
    expected = _all_rollups(by_scope=False)
    for model in (AreaWeekCount, CellWeekCount, CellMonthCount):
        model.objects.all().delete()
    migration = importlib.import_module("hofburg.monitoring.migrations.0002_coarse_rollups")
    migration.fill_from_daily_rollups(django_apps, SimpleNamespace(connection=connection))
    assert _all_rollups(by_scope=False) == expected


# --- reads: the same totals whichever rollup ------------------------------------------------


def _expected_cells(start: date, end: date, published_only: bool
                    ) -> dict[str, tuple[int, int]]:
    """The map straight from the events: what every granularity must answer. The published
    share counts published public events (an event whose members changed after it was made
    public is classified as they are again, decision 0018)."""
    statuses = [EventStatus.PUBLISHED] if published_only else [
        EventStatus.PROVISIONAL, EventStatus.VERIFIED, EventStatus.PUBLISHED]
    events = Event.objects.filter(report_date__gte=start, report_date__lte=end,
                                  status__in=statuses)
    if published_only:
        events = events.filter(classification="public")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for cell, count in events.values_list("h3_cell", "count_at_least"):
        sums = totals[binning.map_cell_of(cell)]
        sums[0] += 1
        sums[1] += count
    return {cell: (events, violations) for cell, (events, violations) in totals.items()}


def _random_ranges(count: int) -> list[tuple[date, date]]:
    pick = random.Random(17)
    ranges = [(FIRST_DAY - timedelta(days=7), FIRST_DAY + timedelta(days=DAYS + 7)),
              (date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 2, 1), date(2026, 3, 31)),
              (date(2026, 1, 5), date(2026, 2, 1)), (date(2026, 2, 14), date(2026, 2, 14))]
    for _ in range(count):
        start = FIRST_DAY + timedelta(days=pick.randint(-10, DAYS))
        ranges.append((start, start + timedelta(days=pick.randint(0, 120))))
    return ranges


@pytest.mark.django_db
def test_map_totals_are_identical_whichever_granularity_is_read(worked_scenario: Cast) -> None:
    cast = worked_scenario
    for start, end in _random_ranges(40):
        for user, published_only in ((cast.mona, False), (AnonymousUser(), True),
                                     (cast.nick, True)):
            expected = _expected_cells(start, end, published_only)
            for granularity in (*queries.GRANULARITIES, None):
                scope, cells = queries.map_cells(user, start=start, end=end,
                                                 granularity=granularity)
                assert scope.name == ("published" if published_only else "all")
                assert [c.cell for c in cells] == sorted(expected)
                assert {c.cell: (c.events, c.violations) for c in cells} == expected, \
                    (start, end, granularity)


@pytest.mark.django_db
def test_map_filters_by_box_and_category_alike_at_every_granularity(
        worked_scenario: Cast) -> None:
    start, end = date(2025, 12, 29), date(2026, 4, 9)
    _, everything = queries.map_cells(worked_scenario.mona, start=start, end=end)
    lons = sorted(c.lon for c in everything)
    lats = sorted(c.lat for c in everything)
    bbox = (lons[0], lats[0], lons[len(lons) // 2], lats[-1])
    answers = {granularity: queries.map_cells(worked_scenario.mona, start=start, end=end,
                                              bbox=bbox, categories=["burst", "shot"],
                                              granularity=granularity)[1]
               for granularity in queries.GRANULARITIES}
    assert answers["day"] and answers["day"] == answers["week"] == answers["month"]
    assert len(answers["day"]) < len(everything)


@pytest.mark.django_db
def test_weekly_area_trends_are_the_daily_points_summed_per_week(worked_scenario: Cast) -> None:
    cast = worked_scenario
    for start, end in _random_ranges(15):
        for user in (cast.mona, AnonymousUser()):
            _, daily = queries.trend_series(user, start=start, end=end, by_area=True)
            _, weekly = queries.trend_series(user, start=start, end=end, by_area=True,
                                             granularity=queries.WEEK)
            summed: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
            for p in daily:
                bucket = max(periods.week_of(p.day), start)
                sums = summed[(bucket, p.category, p.area)]
                sums[0] += p.events
                sums[1] += p.violations
            assert {(p.day, p.category, p.area): [p.events, p.violations] for p in weekly} == \
                dict(summed)
            for p in weekly:
                assert start <= p.day <= p.until <= end
                assert p.until - p.day <= timedelta(days=6)
                assert periods.week_of(p.day) == periods.week_of(p.until)


@pytest.mark.django_db
def test_trend_points_come_once_each_in_date_category_area_order(worked_scenario: Cast) -> None:
    cast = worked_scenario
    for start, end in _random_ranges(10):
        for user in (cast.mona, AnonymousUser()):
            for by_area in (False, True):
                for granularity in (queries.DAY, queries.WEEK):
                    _, points = queries.trend_series(user, start=start, end=end,
                                                     by_area=by_area, granularity=granularity)
                    keys = [(p.day, p.category, p.area or "") for p in points]
                    assert keys == sorted(set(keys))
                    assert all(p.events > 0 for p in points)
                    assert all((p.area is not None) == by_area for p in points)


# --- the API ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_callers_still_see_only_published_counts(worked_scenario: Cast) -> None:
    cast = worked_scenario
    year = {"start": "2026-01-01", "end": "2026-12-31"}
    published = Event.objects.filter(status=EventStatus.PUBLISHED, classification="public")
    counted = Event.objects.exclude(status=EventStatus.WITHDRAWN)
    for client, events in ((Client(), published), (cast.client(cast.nick), published),
                           (cast.client(cast.mona), counted)):
        answer = client.get(f"{API}/map", year).json()
        assert answer["granularity"] == "month"
        assert answer["scope"] == ("all" if events is counted else "published")
        features = answer["features"]
        assert sum(f["properties"]["events"] for f in features) == events.count()
        assert sum(f["properties"]["violations_at_least"] for f in features) == sum(
            events.values_list("count_at_least", flat=True))
        trend = client.get(f"{API}/trends", {**year, "by_area": "true"}).json()
        assert trend["granularity"] == "week"
        assert sum(p["events"] for p in trend["series"]) == events.count()
        assert all({"day", "last_day", "area"} <= set(p) for p in trend["series"])
    assert published.count() < counted.count()


@pytest.mark.django_db
def test_trends_keep_their_daily_shape_unless_weekly(worked_scenario: Cast) -> None:
    client = worked_scenario.client(worked_scenario.mona)
    year = {"start": "2026-01-01", "end": "2026-12-31"}
    daily = client.get(f"{API}/trends", year).json()
    assert daily["granularity"] == "day"
    assert daily["series"] and all(set(p) == {"day", "category", "events",
                                               "violations_at_least"} for p in daily["series"])
    by_area_daily = client.get(f"{API}/trends", {**year, "by_area": "true",
                                                 "granularity": "day"}).json()
    assert by_area_daily["granularity"] == "day"
    assert "last_day" not in by_area_daily["series"][0]
    short = client.get(f"{API}/trends", {"start": "2026-01-05", "end": "2026-01-18",
                                         "by_area": "true"}).json()
    assert short["granularity"] == "day"
    assert client.get(f"{API}/trends", {**year, "granularity": "month"}).status_code == 422


@pytest.mark.django_db
def test_cached_answers_never_cross_scopes(worked_scenario: Cast) -> None:
    """An entitled caller asks first; a visitor asking the same must still get the published
    share, not the cached answer of the other scope."""
    cast = worked_scenario
    year = {"start": "2026-01-01", "end": "2026-12-31"}
    for path, query in (("map", year), ("trends", {**year, "by_area": "true"})):
        entitled = cast.client(cast.mona).get(f"{API}/{path}", query).json()
        again = cast.client(cast.mona).get(f"{API}/{path}", query).json()
        visitor = Client().get(f"{API}/{path}", query).json()
        assert again == entitled
        assert (entitled["scope"], visitor["scope"]) == ("all", "published")
        assert visitor != entitled


@pytest.mark.django_db
def test_a_change_to_the_rollups_makes_cached_answers_stale(worked_scenario: Cast) -> None:
    cast = worked_scenario
    year = {"start": "2026-01-01", "end": "2026-12-31"}

    def published_on_map() -> int:
        features = Client().get(f"{API}/map", year).json()["features"]
        return sum(f["properties"]["events"] for f in features)

    def published_in_trends() -> int:
        return sum(p["events"] for p in Client().get(f"{API}/trends", year).json()["series"])

    before = published_on_map(), published_in_trends()
    generation = queries.rollup_generation()
    event = Event.objects.filter(status=EventStatus.PROVISIONAL).order_by("event_key").first()
    assert event is not None
    release(cast.mona, event)
    assert queries.rollup_generation() > generation
    assert (published_on_map(), published_in_trends()) == (before[0] + 1, before[1] + 1)


@pytest.mark.django_db
def test_a_cached_answer_is_not_served_for_other_data_at_the_same_generation(
        worked_scenario: Cast) -> None:
    """The generation's number can come back with other data (a database restored from a copy,
    a rolled-back transaction, another database sharing the cache): its token tells them apart."""
    cast = worked_scenario
    year = {"start": "2026-01-01", "end": "2026-12-31"}

    def published_in_trends() -> int:
        return sum(p["events"] for p in Client().get(f"{API}/trends", year).json()["series"])

    provisional = Event.objects.filter(status=EventStatus.PROVISIONAL).order_by("event_key")
    first, second = provisional[:2]
    release(cast.mona, first)
    number = queries.rollup_generation()
    once = published_in_trends()  # cached at this number
    release(cast.mona, second)
    RollupGeneration.objects.filter(pk=1).update(value=number)  # the number comes back
    assert queries.rollup_generation() == number
    assert published_in_trends() == once + 1


@pytest.mark.django_db
def test_migrating_draws_a_token_for_a_generation_that_has_none() -> None:
    migration = importlib.import_module(
        "hofburg.monitoring.migrations.0006_rollup_generation_token")
    RollupGeneration.objects.update_or_create(pk=1, defaults={"value": 7, "token": ""})
    migration.draw_tokens(django_apps, SimpleNamespace(connection=connection))
    generation = RollupGeneration.objects.get(pk=1)
    assert (generation.value, len(generation.token)) == (7, 32)


Tables = dict[str, dict[tuple[Any, ...], list[int]]]


def _summed_one_by_one(deltas: list[tuple[Any, int]]) -> Tables:
    """What each contribution adds to every rollup row, added up one contribution at a time."""
    tables: Tables = {
        name: {} for name in ("daily", "area_weeks", "cells", "cell_weeks", "cell_months")}
    for c, sign in deltas:
        week, month = periods.week_of(c.day), periods.month_of(c.day)
        for name, key in (("daily", (c.day, c.category, c.area, c.is_exercise, c.scope)),
                          ("area_weeks", (week, c.category, c.area, c.is_exercise, c.scope)),
                          ("cells", (c.cell, c.day, c.category, c.is_exercise, c.scope)),
                          ("cell_weeks", (c.cell, week, c.category, c.is_exercise, c.scope)),
                          ("cell_months", (c.cell, month, c.category, c.is_exercise,
                                           c.scope))):
            sums = tables[name].setdefault(key, [0, 0, 0, 0])
            sums[0] += sign
            sums[1] += sign * c.violations
            sums[2] += sign * c.published
            sums[3] += sign * c.violations * c.published
    return tables


EVENTS = st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["shelling", "burst", "flare"]),
                            st.sampled_from(["sector-1", "sector-2", "862d"]),
                            st.sampled_from(["86a", "86b", "86c", "86d"]), st.integers(0, 50),
                            st.booleans(), st.booleans(), st.sampled_from([1, -1]),
                            st.sampled_from(["public", "restricted", "confidential:3"])),
                  max_size=60)


# No deadline: on a busy machine one example can take longer than Hypothesis' default allows.
@settings(deadline=None)
@given(EVENTS, st.booleans(), st.sampled_from(["public", "restricted", "confidential:3"]))
def test_new_events_are_summed_as_their_contributions_are(
        events: list[tuple[Any, ...]], is_exercise: bool, scope: str) -> None:
    # The import's sums of new events, column by column, equal their contributions added up
    # (an import has one visibility scope for all its rows).
    days = [date(2026, 1, 26) + timedelta(days=offset) for offset, *_ in events]
    contributions = [(rollups.Contribution(day, category, area, cell, is_exercise, count,
                                             False, scope), 1)
                     for day, (_, category, area, cell, count, *_) in zip(days, events,
                                                                         strict=True)]
    fast = rollups.grouped_sums(rollups.CountedEvents(
        days, [e[1] for e in events], [e[2] for e in events], [e[3] for e in events],
        [is_exercise] * len(events), [e[4] for e in events], [scope] * len(events)))
    assert fast.tables == _summed_one_by_one(contributions)


@settings(deadline=None)
@given(EVENTS)
def test_signed_and_published_contributions_are_summed_as_one_by_one(
        events: list[tuple[Any, ...]]) -> None:
    # Withdrawals (-1), publications, exercise flags and visibility scopes mixed, as the
    # general path sends them.
    deltas = [(rollups.Contribution(date(2026, 1, 26) + timedelta(days=offset), category,
                                      area, cell, is_exercise, count, published, scope), sign)
              for offset, category, area, cell, count, is_exercise, published, sign, scope
              in events]
    assert rollups.rollup_sums(deltas).tables == _summed_one_by_one(deltas)


@pytest.mark.django_db
def test_a_cached_answer_is_tagged_and_a_caller_holding_it_gets_304(
        worked_scenario: Cast) -> None:
    """The tag names the share like the cache key: the same caller sending it back gets 304
    without a body; a caller of another share sending it gets that share's own answer; a change
    to the rollups changes the tag."""
    cast = worked_scenario
    year = {"start": "2026-01-01", "end": "2026-12-31"}
    for path in ("map", "trends"):
        visitor = Client().get(f"{API}/{path}", year)
        tag = visitor["ETag"]
        assert tag.startswith('"') and visitor["Cache-Control"] == "private, no-cache"
        held = Client().get(f"{API}/{path}", year, headers={"If-None-Match": tag})
        assert (held.status_code, held.content, held["ETag"]) == (304, b"", tag)
        weak = Client().get(f"{API}/{path}", year, headers={"If-None-Match": f"W/{tag}"})
        assert weak.status_code == 304
        other = cast.client(cast.mona).get(f"{API}/{path}", year,
                                           headers={"If-None-Match": tag})
        assert other.status_code == 200 and other["ETag"] != tag
        assert other.json()["scope"] == "all" and other.json() != visitor.json()
        elsewhere = Client().get(f"{API}/{path}", {**year, "start": "2026-02-01"},
                                 headers={"If-None-Match": tag})
        assert elsewhere.status_code == 200 and elsewhere["ETag"] != tag
    tag = Client().get(f"{API}/map", year)["ETag"]
    event = Event.objects.filter(status=EventStatus.PROVISIONAL).order_by("event_key").first()
    assert event is not None
    release(cast.mona, event)
    after = Client().get(f"{API}/map", year, headers={"If-None-Match": tag})
    assert after.status_code == 200 and after["ETag"] != tag


@pytest.mark.django_db
def test_a_caller_accepting_gzip_gets_the_same_answer_compressed_under_its_own_tag(
        worked_scenario: Cast) -> None:
    cast = worked_scenario
    year = {"start": "2026-01-01", "end": "2026-12-31", "by_area": "true"}
    reader = cast.client(cast.mona)
    plain = reader.get(f"{API}/trends", year)
    assert len(plain.content) >= queries.GZIP_FROM
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    zipped = reader.get(f"{API}/trends", year, headers=browser)
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] != plain["ETag"] and zipped["ETag"].endswith('-gzip"')
    again = reader.get(f"{API}/trends", year, headers=browser)  # from the cache
    assert (again.content, again["ETag"]) == (zipped.content, zipped["ETag"])
    held = reader.get(f"{API}/trends", year,
                      headers={**browser, "If-None-Match": zipped["ETag"]})
    assert (held.status_code, held["ETag"]) == (304, zipped["ETag"])
    for refused in ("gzip;q=0", "identity", "gzip;q=0, *", "br"):
        answer = reader.get(f"{API}/trends", year, headers={"Accept-Encoding": refused})
        assert not answer.has_header("Content-Encoding"), refused
        assert answer.content == plain.content
    assert reader.get(f"{API}/trends", year,
                      headers={"Accept-Encoding": "br;q=1, *;q=0.5"})["Content-Encoding"] == "gzip"
    # A short answer (two days without events) is not worth compressing.
    short = reader.get(f"{API}/trends", {**year, "start": "2026-12-30"}, headers=browser)
    assert len(short.content) < queries.GZIP_FROM and not short.has_header("Content-Encoding")
    # Another share's compressed answer is its own.
    visitor = Client().get(f"{API}/trends", year, headers=browser)
    assert visitor["ETag"] != zipped["ETag"]
    assert gzip.decompress(visitor.content) == Client().get(f"{API}/trends", year).content
    # A change to the rollups changes the compressed answer's tag too.
    event = Event.objects.filter(status=EventStatus.PROVISIONAL).order_by("event_key").first()
    assert event is not None
    release(cast.mona, event)
    after = reader.get(f"{API}/trends", year,
                       headers={**browser, "If-None-Match": zipped["ETag"]})
    assert after.status_code == 200 and after["ETag"] != zipped["ETag"]
    assert gzip.decompress(after.content) == reader.get(f"{API}/trends", year).content
