from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from hofburg.projects.engine.logframe import (
    Indicator,
    LogframeError,
    Period,
    check_parent,
    check_periods,
    latest_progress,
    on_track,
    progress,
)


def test_progress_runs_from_baseline_to_target_in_either_direction() -> None:
    trained = Indicator(baseline=D(10))
    assert progress(trained, D(110), D(60)) == D("0.5")
    assert progress(trained, D(110), D(130)) == D("1.2")
    incidents = Indicator(baseline=D(40), ascending=False)
    assert progress(incidents, D(20), D(30)) == D("0.5")
    assert progress(incidents, D(20), D(50)) == D("-0.5")
    assert progress(trained, D(10), D(12)) is None  # target equals baseline


def test_latest_progress_takes_the_last_measured_period() -> None:
    periods = [Period(date(2025, 1, 1), date(2025, 6, 30), D(50), D(30)),
               Period(date(2025, 7, 1), date(2025, 12, 31), D(110), D(85)),
               Period(date(2026, 1, 1), date(2026, 6, 30), D(150), None)]
    assert latest_progress(Indicator(D(10)), periods) == D("0.75")
    assert latest_progress(Indicator(D(10)), periods[2:]) is None
    assert on_track(Indicator(D(10)), periods[1]) is False
    assert on_track(Indicator(D(40), ascending=False), Period(
        date(2025, 1, 1), date(2025, 2, 1), D(20), D(19))) is True


def test_periods_that_overlap_or_run_backwards_are_refused() -> None:
    with pytest.raises(LogframeError, match="ends before it starts"):
        Period(date(2025, 2, 1), date(2025, 1, 1))
    with pytest.raises(LogframeError, match="overlap"):
        check_periods([Period(date(2025, 1, 1), date(2025, 6, 30)),
                       Period(date(2025, 6, 30), date(2025, 12, 31))])


def test_the_logframe_levels_nest_in_order() -> None:
    check_parent("impact", None)
    check_parent("output", "outcome")
    with pytest.raises(LogframeError, match="An output belongs under an outcome"):
        check_parent("output", "impact")
    with pytest.raises(LogframeError, match="at the top"):
        check_parent("impact", "outcome")
