"""Which year the desk means by "current", "due" and "overdue", by the texts' calendar: the
exchange is valid as of 1 January and due by 15 December before it (10), the annual calendar
by 15 November (61)."""

from __future__ import annotations

from datetime import date

import pytest

from hofburg.csbm.engine import deadlines
from hofburg.csbm.engine.rulesets import Ruleset


@pytest.mark.parametrize(("day", "year"), [
    (date(2026, 6, 1), 2027), (date(2026, 12, 6), 2027), (date(2026, 12, 15), 2027),
    (date(2026, 12, 16), 2028), (date(2027, 1, 10), 2028)])
def test_the_exchange_due_next(vd2011: Ruleset, day: date, year: int) -> None:
    assert deadlines.exchange_year_due_next(day, vd2011) == year


@pytest.mark.parametrize(("day", "years"), [
    (date(2026, 11, 1), [2026]), (date(2026, 11, 15), [2026]),
    (date(2026, 11, 16), [2026, 2027]),  # the calendar of 2027 was due yesterday
    (date(2026, 12, 6), [2026, 2027]), (date(2026, 12, 16), [2026, 2027]),
    (date(2027, 1, 10), [2027])])
def test_the_years_whose_submissions_can_be_overdue(vd2011: Ruleset, day: date,
                                                   years: list[int]) -> None:
    assert deadlines.years_due(day, vd2011) == years


@pytest.mark.parametrize(("day", "with_data", "year"), [
    (date(2026, 12, 6), {2026, 2027}, 2027),  # next year's exchanges are arriving
    (date(2026, 12, 6), {2026}, 2026),
    (date(2026, 12, 6), set(), 2026),  # nothing visible: the year in force
    (date(2026, 12, 6), {2025, 2028}, 2025),  # 2028 is not due before 15 December 2027
    (date(2026, 12, 16), {2026, 2027}, 2027),
    (date(2027, 1, 10), {2026, 2027}, 2027),
])
def test_the_exchange_pages_open_on_the_newest_year_with_data(
        vd2011: Ruleset, day: date, with_data: set[int], year: int) -> None:
    assert deadlines.default_exchange_year(day, with_data, vd2011) == year
    assert deadlines.exchange_year_in_force(day) == day.year
