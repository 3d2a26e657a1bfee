"""The convergence series: estimates on the first k reporting stations, ending at the full
estimate."""

from __future__ import annotations

import pytest

from hofburg.elections.engine.convergence import checkpoints, convergence
from hofburg.elections.engine.files import ValidReport
from hofburg.elections.engine.pvt import Station, estimate

FRAME = {"North": 10, "South": 20}


def _station(i: int, stratum: str, a: int, b: int, reported: bool = True) -> Station:
    return Station(f"P{i:03d}", stratum, a + b, {"A": a, "B": b}, registered=1000,
                   reported=reported)


ARRIVALS = [_station(1, "North", 60, 40), _station(2, "South", 30, 70),
            _station(3, "North", 55, 45, reported=False), _station(4, "South", 45, 55),
            _station(5, "North", 50, 50), _station(6, "South", 40, 60)]


def test_checkpoints_are_spread_and_end_at_all_stations() -> None:
    assert checkpoints(1) == []
    assert checkpoints(5) == [2, 3, 4, 5]
    spread = checkpoints(3000, points=40)
    assert spread[0] >= 2 and spread[-1] == 3000 and len(spread) == 40
    assert spread == sorted(set(spread))


def test_the_last_point_is_the_estimate_on_every_reporting_station() -> None:
    series = convergence(ARRIVALS, FRAME, ["A", "B"])
    assert [p["reporting"] for p in series] == [2, 3, 4, 5]
    full = estimate(ARRIVALS, FRAME, ["A", "B"]).as_dict()["candidates"]
    last = series[-1]["candidates"]
    for name in ("A", "B"):
        assert last[name]["share"] == pytest.approx(full[name]["share"])  # type: ignore[index]
        assert last[name]["ci95_low"] == pytest.approx(full[name]["ci95_low"])  # type: ignore[index]


def test_the_first_point_is_computed_by_hand() -> None:
    # Two stations, one per stratum: weights 10/1 and 20/1; A = (10*60 + 20*30) / (10*100 +
    # 20*100) = 1200 / 3000 = 0.4. Each stratum has one station, so no variance term.
    first = convergence(ARRIVALS, FRAME, ["A"])[0]
    assert first["reporting"] == 2
    share = first["candidates"]["A"]  # type: ignore[index]
    assert share["share"] == pytest.approx(0.4)
    assert share["ci95_low"] == share["ci95_high"] == pytest.approx(0.4)


def test_the_valid_report_rule() -> None:
    rule = ValidReport(min_valid=50, require_registered=True)
    assert rule.accepts(100, 90, 1000)
    assert not rule.accepts(40, 40, 1000)
    assert not rule.accepts(100, 0, 1000)
    assert not rule.accepts(100, 90, None)
    assert ValidReport().accepts(1, 1, None)


def test_a_stratum_not_in_the_frame_is_refused() -> None:
    with pytest.raises(ValueError, match="East"):
        convergence([_station(1, "East", 1, 1), _station(2, "East", 1, 1)], FRAME, ["A"])
