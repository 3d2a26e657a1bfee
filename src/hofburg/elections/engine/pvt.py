"""PVT estimates: the stratified combined ratio estimator with linearized (Taylor) variance and
a finite-population correction per stratum (election-observation.md §3.2).

For stratum h with N_h stations in the frame and n_h reporting stations, each station i a
cluster with a_hi votes for the candidate and m_hi valid votes:

    p = sum_h (N_h/n_h) sum_i a_hi / sum_h (N_h/n_h) sum_i m_hi
    v(p) = (1/M^2) sum_h N_h^2 (1 - n_h/N_h) s2_h / n_h,   M = sum_h (N_h/n_h) sum_i m_hi

where s2_h is the sample variance (n_h - 1) of the residuals e_hi = a_hi - p m_hi. With one
stratum and no correction this is NDI Apollo's cluster ratio variance. A stratum with fewer
than two reporting stations adds to the estimate but has no variance of its own: it is named in
`strata_too_small`, never dropped silently; a stratum with none cannot be estimated and is named
in `strata_missing`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

Z95 = NormalDist().inv_cdf(0.975)
Z99 = NormalDist().inv_cdf(0.995)


@dataclass(frozen=True)
class Station:
    """One sampled station's result. `registered` is None where not known; `reported` is False
    for a sampled station whose result has not arrived (or fails the valid-report rule)."""

    station_id: str
    stratum: str
    valid: int
    votes: Mapping[str, int]
    registered: int | None = None
    rejected: int = 0
    blank: int = 0
    reported: bool = True


@dataclass(frozen=True)
class Estimate:
    share: float
    variance: float

    @property
    def se(self) -> float:
        return float(np.sqrt(max(self.variance, 0.0)))

    def as_dict(self) -> dict[str, float]:
        moe95, moe99 = Z95 * self.se, Z99 * self.se
        return {"share": self.share, "se": self.se, "moe95": moe95,
                "ci95_low": self.share - moe95, "ci95_high": self.share + moe95,
                "moe99": moe99, "ci99_low": self.share - moe99, "ci99_high": self.share + moe99}


@dataclass
class PvtResult:
    candidates: dict[str, Estimate]
    turnout: Estimate | None
    sampled: int
    reporting: int
    stations_per_stratum: dict[str, dict[str, int]]
    strata_too_small: list[str] = field(default_factory=list)
    strata_missing: list[str] = field(default_factory=list)

    @property
    def reporting_rate(self) -> float:
        return 0.0 if self.sampled == 0 else self.reporting / self.sampled

    def as_dict(self) -> dict[str, object]:
        return {
            "candidates": {name: est.as_dict() for name, est in self.candidates.items()},
            "turnout": None if self.turnout is None else self.turnout.as_dict(),
            "sampled": self.sampled,
            "reporting": self.reporting,
            "reporting_rate": self.reporting_rate,
            "strata": self.stations_per_stratum,
            "strata_too_small": self.strata_too_small,
            "strata_missing": self.strata_missing,
        }


def ratio_estimate(a: Sequence[float], m: Sequence[float], strata: Sequence[str],
                   frame: Mapping[str, int], *, fpc: bool = True) -> Estimate:
    """The combined ratio estimate of sum(a)/sum(m) with its linearized variance.

    `frame` gives N_h, the stations in each stratum; every stratum in `strata` must be in it.
    With `fpc` False the (1 - n_h/N_h) factor is left out."""
    a_arr = np.asarray(a, dtype=float)
    m_arr = np.asarray(m, dtype=float)
    labels = np.asarray(strata)
    names = sorted(set(strata))
    weights = np.empty(len(a_arr))
    for name in names:
        in_h = labels == name
        weights[in_h] = frame[name] / int(in_h.sum())
    big_m = float((weights * m_arr).sum())
    if big_m <= 0:
        raise ValueError("The reporting stations have no valid votes: nothing to estimate.")
    share = float((weights * a_arr).sum()) / big_m
    residuals = a_arr - share * m_arr
    total = 0.0
    for name in names:
        e_h = residuals[labels == name]
        n_h = len(e_h)
        if n_h < 2:
            continue
        big_n = frame[name]
        correction = (1.0 - n_h / big_n) if fpc else 1.0
        total += big_n**2 * correction * float(e_h.var(ddof=1)) / n_h
    return Estimate(share, total / big_m**2)


def estimate(stations: Sequence[Station], frame: Mapping[str, int], candidates: Sequence[str]
             ) -> PvtResult:
    """Every candidate's share of valid votes, turnout where registered voters are known, the
    reporting rate and the stations used per stratum."""
    unknown = sorted({s.stratum for s in stations} - set(frame))
    if unknown:
        raise ValueError(f"Strata not in the frame: {', '.join(unknown)}.")
    for name, size in frame.items():
        used = sum(1 for s in stations if s.stratum == name and s.reported)
        if used > size:
            raise ValueError(f"Stratum {name}: {used} reporting stations but {size} in the frame.")
    reported = [s for s in stations if s.reported]
    per_stratum: dict[str, dict[str, int]] = {}
    for name in sorted(frame):
        per_stratum[name] = {
            "frame": frame[name],
            "sampled": sum(1 for s in stations if s.stratum == name),
            "reporting": sum(1 for s in reported if s.stratum == name),
        }
    too_small = [n for n, row in per_stratum.items() if row["reporting"] == 1]
    missing = [n for n, row in per_stratum.items() if row["reporting"] == 0]
    strata = [s.stratum for s in reported]
    valid = [s.valid for s in reported]
    shares = {c: ratio_estimate([s.votes.get(c, 0) for s in reported], valid, strata, frame)
              for c in candidates} if reported else {}
    turnout = None
    with_registered = [s for s in reported if s.registered]
    if reported and len(with_registered) == len(reported):
        turnout = ratio_estimate([s.valid + s.rejected + s.blank for s in reported],
                                 [s.registered or 0 for s in reported], strata, frame)
    return PvtResult(shares, turnout, len(stations), len(reported), per_stratum, too_small,
                     missing)
