from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hofburg.monitoring.engine.periods import (
    CountedRecord,
    PeriodError,
    ReportingCalendar,
    counts_per_period,
    daily_periods,
    join_periods,
    period_for_report_date,
    reporting_period,
)

KYIV = ZoneInfo("Europe/Kyiv")
SMM = ReportingCalendar(time_zone="Europe/Kyiv", cutoff=time(19, 30))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=KYIV)  # type: ignore[misc]


def test_a_moment_before_1930_belongs_to_that_evening_s_report() -> None:
    period = reporting_period(local(2020, 6, 16, 19, 29, 59), SMM)
    assert period.report_date == date(2020, 6, 16)
    assert period.start == local(2020, 6, 15, 19, 30)
    assert period.end == local(2020, 6, 16, 19, 30)
    assert period.label() == "19:30 15 June 2020 - 19:30 16 June 2020 (EEST)"


def test_1930_itself_opens_the_next_period() -> None:
    assert reporting_period(local(2020, 6, 16, 19, 30), SMM).report_date == date(2020, 6, 17)
    assert local(2020, 6, 16, 19, 30) not in period_for_report_date(date(2020, 6, 16), SMM)
    assert local(2020, 6, 16, 19, 30) in period_for_report_date(date(2020, 6, 17), SMM)


def test_the_cutoff_is_local_so_its_utc_time_moves_with_summer_time() -> None:
    # 17:00 UTC is 20:00 in summer (next report) but 19:00 in winter (this report).
    summer = reporting_period(datetime(2021, 7, 1, 17, 0, tzinfo=UTC), SMM)
    winter = reporting_period(datetime(2021, 1, 15, 17, 0, tzinfo=UTC), SMM)
    assert summer.report_date == date(2021, 7, 2)
    assert winter.report_date == date(2021, 1, 15)
    assert summer.end.astimezone(UTC).time() == time(16, 30)
    assert winter.end.astimezone(UTC).time() == time(17, 30)


def test_the_period_with_the_spring_change_lasts_23_hours() -> None:
    # Clocks went from 03:00 EET to 04:00 EEST on Sunday 28 March 2021.
    period = reporting_period(local(2021, 3, 28, 2, 30), SMM)
    assert period.report_date == date(2021, 3, 28)
    assert period.duration == timedelta(hours=23)
    assert period_for_report_date(date(2021, 3, 27), SMM).duration == timedelta(hours=24)
    assert period_for_report_date(date(2021, 3, 29), SMM).duration == timedelta(hours=24)


def test_the_period_with_the_autumn_change_lasts_25_hours() -> None:
    # Clocks went from 04:00 EEST back to 03:00 EET on Sunday 31 October 2021; 03:30 happened
    # twice and both belong to the same report.
    first = datetime(2021, 10, 31, 3, 30, tzinfo=KYIV, fold=0)
    second = datetime(2021, 10, 31, 3, 30, tzinfo=KYIV, fold=1)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    period = reporting_period(second, SMM)
    assert reporting_period(first, SMM) == period
    assert period.duration == timedelta(hours=25)
    assert first in period and second in period


def test_a_cutoff_in_the_spring_gap_moves_to_the_end_of_the_gap() -> None:
    night_shift = ReportingCalendar(time_zone="Europe/Kyiv", cutoff=time(3, 30))
    cutoff = night_shift.cutoff_on(date(2021, 3, 28))
    assert cutoff.astimezone(UTC) == datetime(2021, 3, 28, 1, 0, tzinfo=UTC)  # 04:00 EEST
    autumn = night_shift.cutoff_on(date(2021, 10, 31))
    assert autumn.astimezone(UTC) == datetime(2021, 10, 31, 0, 30, tzinfo=UTC)  # first 03:30
    # 03:30 EET on the 27th (01:30 UTC) to 04:00 EEST on the 28th (01:00 UTC).
    assert period_for_report_date(date(2021, 3, 28), night_shift).duration == timedelta(
        hours=23, minutes=30)


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=datetime(2014, 3, 21), max_value=datetime(2022, 3, 31),
                    timezones=st.just(UTC)))
def test_every_moment_lies_in_its_period_which_starts_and_ends_at_1930_local(
        moment: datetime) -> None:
    period = reporting_period(moment, SMM)
    assert moment in period
    for edge in (period.start, period.end):
        assert edge.astimezone(KYIV).time() == time(19, 30)
    assert period.duration in {timedelta(hours=23), timedelta(hours=24), timedelta(hours=25)}
    assert reporting_period(period.end, SMM).start == period.end


def test_counts_per_area_with_the_change_against_the_previous_period() -> None:
    periods = daily_periods(date(2021, 8, 29), date(2021, 8, 31), SMM)
    records = [
        CountedRecord(local(2021, 8, 29, 10, 0), "Donetsk", 11),
        CountedRecord(local(2021, 8, 29, 20, 0), "Donetsk", 100),   # report of 30 August
        CountedRecord(local(2021, 8, 30, 19, 29), "Donetsk", 12),
        CountedRecord(local(2021, 8, 30, 3, 0), "Luhansk", 298),
        CountedRecord(local(2021, 8, 30, 19, 30), "Luhansk", 5),    # report of 31 August
        CountedRecord(local(2021, 9, 5, 12, 0), "Luhansk", 1),      # after the last period
        CountedRecord(local(2021, 8, 30, 12, 0), "Kherson", 1),     # not an area asked for
    ]
    table = counts_per_period(records, periods, areas=["Donetsk", "Luhansk"])
    donetsk = [(r.period.report_date.day, r.count, r.previous, r.change)
               for r in table.for_area("Donetsk")]
    luhansk = [(r.period.report_date.day, r.count, r.previous, r.change)
               for r in table.for_area("Luhansk")]
    assert donetsk == [(29, 11, None, None), (30, 112, 11, 101), (31, 0, 112, -112)]
    assert luhansk == [(29, 0, None, None), (30, 298, 0, 298), (31, 5, 298, -293)]
    assert table.outside == 2


def test_a_weekend_report_joins_consecutive_periods() -> None:
    weekend = join_periods(daily_periods(date(2022, 1, 16), date(2022, 1, 17), SMM))
    assert weekend.start == local(2022, 1, 15, 19, 30)
    assert weekend.end == local(2022, 1, 17, 19, 30)
    assert weekend.report_date == date(2022, 1, 17)
    monday = period_for_report_date(date(2022, 1, 18), SMM)
    table = counts_per_period([CountedRecord(local(2022, 1, 16, 9, 0), "Donetsk", 40),
                               CountedRecord(local(2022, 1, 18, 9, 0), "Donetsk", 7)],
                              [weekend, monday])
    assert [(r.count, r.change) for r in table.rows] == [(40, None), (7, -33)]


def test_periods_must_be_consecutive_and_moments_aware() -> None:
    gap = [period_for_report_date(date(2021, 8, 1), SMM),
           period_for_report_date(date(2021, 8, 3), SMM)]
    with pytest.raises(PeriodError, match="not consecutive"):
        join_periods(gap)
    with pytest.raises(PeriodError, match="not consecutive"):
        counts_per_period([], gap)
    with pytest.raises(PeriodError, match="aware"):
        reporting_period(datetime(2021, 8, 1, 12, 0), SMM)
    with pytest.raises(PeriodError, match="time_zone"):
        ReportingCalendar(time_zone="Europe/Kiyv", cutoff=time(19, 30))
    with pytest.raises(PeriodError):
        daily_periods(date(2021, 8, 3), date(2021, 8, 1), SMM)
