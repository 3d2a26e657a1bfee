"""The estimator against hand-computed cases and against NDI Apollo's unstratified formula."""

import math

import pytest

from hofburg.elections.engine.pvt import Z95, Z99, Station, estimate, ratio_estimate


def apollo_variance(a: list[float], m: list[float], big_n: float = math.inf) -> float:
    """Apollo's `_variance` (apollo/result_analysis/results.py), in its expanded form:
    (1 - f) / (k * mbar^2) * [sum a^2 - 2p sum a m + p^2 sum m^2] / (k - 1), f = sum m / BIG_N."""
    k = len(a)
    p = sum(a) / sum(m)
    mbar = sum(m) / k
    f = sum(m) / big_n
    bracket = (sum(x * x for x in a) - 2 * p * sum(x * y for x, y in zip(a, m, strict=True))
               + p * p * sum(y * y for y in m))
    return (1 - f) / (k * mbar**2) * bracket / (k - 1)


def test_one_stratum_without_correction_is_apollos_formula() -> None:
    a, m = [10, 20, 30], [50, 50, 100]
    result = ratio_estimate(a, m, ["all"] * 3, {"all": 1000}, fpc=False)
    assert result.share == pytest.approx(0.3)
    assert result.variance == pytest.approx(0.001875)  # by hand: 25 * 9 / (3 * 200^2)
    assert result.variance == pytest.approx(apollo_variance(a, m))


def test_one_stratum_agrees_with_apollo_on_uneven_clusters() -> None:
    a = [120, 80, 45, 300, 10, 66, 150]
    m = [400, 310, 150, 900, 90, 200, 420]
    result = ratio_estimate(a, m, ["x"] * 7, {"x": 10**9}, fpc=False)
    assert result.share == pytest.approx(sum(a) / sum(m))
    assert result.variance == pytest.approx(apollo_variance(a, m), rel=1e-12)


def test_finite_population_correction_per_stratum() -> None:
    result = ratio_estimate([10, 20, 30], [50, 50, 100], ["all"] * 3, {"all": 6})
    assert result.variance == pytest.approx(0.001875 * 0.5)  # (1 - 3/6)
    whole = ratio_estimate([10, 20, 30], [50, 50, 100], ["all"] * 3, {"all": 3})
    assert whole.variance == 0.0  # every station counted: no sampling error


def test_two_strata_by_hand() -> None:
    # A: N=4, (10,40) (20,40); B: N=10, (30,60) (10,60). Weights 2 and 5.
    # p = (2*30 + 5*40) / (2*80 + 5*120) = 260/760; s2_A = 10^2/2 = 50, s2_B = 20^2/2 = 200;
    # v = [16 * (1 - 2/4) * 50/2 + 100 * (1 - 2/10) * 200/2] / 760^2 = 8200 / 577600.
    result = ratio_estimate([10, 20, 30, 10], [40, 40, 60, 60], ["A", "A", "B", "B"],
                            {"A": 4, "B": 10})
    assert result.share == pytest.approx(260 / 760)
    assert result.variance == pytest.approx(8200 / 577600)
    interval = result.as_dict()
    assert interval["moe95"] == pytest.approx(Z95 * math.sqrt(8200 / 577600))
    assert interval["moe99"] == pytest.approx(Z99 * math.sqrt(8200 / 577600))
    assert interval["ci95_low"] == pytest.approx(260 / 760 - interval["moe95"])


def _station(i: int, stratum: str, a: int, b: int, registered: int | None = 500,
             reported: bool = True) -> Station:
    return Station(f"S{i}", stratum, a + b, {"A": a, "B": b}, registered=registered,
                   rejected=5, blank=5, reported=reported)


def test_estimate_reports_shares_turnout_reporting_rate_and_small_strata() -> None:
    stations = [_station(1, "N", 100, 100), _station(2, "N", 150, 50),
                _station(3, "S", 60, 140), _station(4, "S", 0, 0, reported=False),
                _station(5, "E", 80, 20)]
    result = estimate(stations, {"N": 10, "S": 10, "E": 5, "W": 3}, ["A", "B"]).as_dict()
    assert result["sampled"] == 5 and result["reporting"] == 4
    assert result["reporting_rate"] == pytest.approx(0.8)
    assert result["strata_too_small"] == ["E", "S"]
    assert result["strata_missing"] == ["W"]
    assert result["strata"]["S"] == {"frame": 10, "sampled": 2, "reporting": 1}
    shares = result["candidates"]
    # weights N 5, S 10, E 5: A = (5*250 + 10*60 + 5*80) / (5*400 + 10*200 + 5*100)
    assert shares["A"]["share"] == pytest.approx(2250 / 4500)
    assert shares["A"]["share"] + shares["B"]["share"] == pytest.approx(1.0)
    # turnout = (valid + 10) / 500 per station, weighted likewise
    assert result["turnout"]["share"] == pytest.approx((5 * 420 + 10 * 210 + 5 * 110)
                                                       / (5 * 1000 + 10 * 500 + 5 * 500))


def test_no_turnout_without_registered_voters_and_unknown_strata_refused() -> None:
    stations = [_station(1, "N", 10, 10, registered=None), _station(2, "N", 5, 10, registered=None)]
    assert estimate(stations, {"N": 5}, ["A", "B"]).turnout is None
    with pytest.raises(ValueError, match="not in the frame: Q"):
        estimate([_station(1, "Q", 1, 1)], {"N": 5}, ["A", "B"])
    with pytest.raises(ValueError, match="2 reporting stations but 1"):
        estimate(stations, {"N": 1}, ["A", "B"])
