"""How a PVT estimate converges as results arrive: the estimate and its 95 % interval after the
first k reporting stations, for k growing to all of them (the PVT's "convergence chart").

The estimator is `pvt.ratio_estimate` on the stations reported so far, in their order of
arrival; the last point is the estimate on every reporting station. Only a bounded number of
points is computed (`points`), evenly spread over the arrivals, so a chart of 3,000 stations
costs at most that many estimates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hofburg.elections.engine.pvt import Station, ratio_estimate

DEFAULT_POINTS = 40


def checkpoints(reporting: int, points: int = DEFAULT_POINTS) -> list[int]:
    """The numbers of reported stations at which to estimate: evenly spread, at least 2 (a
    variance needs two stations), always ending at `reporting`."""
    if reporting < 2 or points < 1:
        return []
    if reporting - 1 <= points:
        return list(range(2, reporting + 1))
    step = (reporting - 2) / points
    return sorted({2 + round(step * i) for i in range(1, points)} | {reporting})


def convergence(arrivals: Sequence[Station], frame: Mapping[str, int],
                candidates: Sequence[str], points: int = DEFAULT_POINTS
                ) -> list[dict[str, object]]:
    """Per checkpoint: `reporting` (stations so far) and per candidate `share`, `ci95_low`,
    `ci95_high`. `arrivals` are the sampled stations' results in order of arrival; those not
    reported (`reported` False) are skipped. A checkpoint whose stations have no valid votes
    yet is left out."""
    reported = [s for s in arrivals if s.reported]
    unknown = sorted({s.stratum for s in reported} - set(frame))
    if unknown:
        raise ValueError(f"Strata not in the frame: {', '.join(unknown)}.")
    series: list[dict[str, object]] = []
    for k in checkpoints(len(reported), points):
        first = reported[:k]
        strata = [s.stratum for s in first]
        valid = [s.valid for s in first]
        if sum(valid) <= 0:
            continue
        shares = {}
        for name in candidates:
            found = ratio_estimate([s.votes.get(name, 0) for s in first], valid, strata, frame)
            row = found.as_dict()
            shares[name] = {"share": row["share"], "ci95_low": row["ci95_low"],
                            "ci95_high": row["ci95_high"]}
        series.append({"reporting": k, "candidates": shares})
    return series
