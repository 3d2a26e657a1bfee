"""The elections desk's engine at the issue's scale (pure: no database, no Django).

- `tally` over 100,000 forms of a 60-question checklist (50 yes/no questions with na and
  not_observed, 9 four-point assessments, 1 select_multiple), about 3 % blanks;
- the stratified ratio PVT estimate over 3,000 reporting stations in 20 strata, 5 candidates,
  and its convergence series (the estimate at 40 points as the stations report);
- drawing a 3,000-station sample from a 60,000-station frame in 40 strata.

    python -m benchmarks.elections_engine [--forms 100000] [--stations 3000] [--runs 5]

Median and worst of the runs; figures go to benchmarks/README.md by hand.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from hofburg.elections.engine.convergence import DEFAULT_POINTS, convergence
from hofburg.elections.engine.pvt import Station, estimate
from hofburg.elections.engine.sample import draw
from hofburg.elections.engine.tally import Question, breakdown, tally

YES_NO = ("yes", "no", "na", "not_observed")
FOUR = ("very_good", "good", "bad", "very_bad", "not_observed")


def checklist() -> list[Question]:
    questions = [Question(f"q{i:02}", "select_one", YES_NO) for i in range(50)]
    questions += [Question(f"a{i}", "select_one", FOUR) for i in range(9)]
    questions.append(Question("observers", "select_multiple", ("citizen", "party", "na")))
    return questions


def forms(count: int, rng: random.Random) -> list[dict[str, str | None]]:
    rows = []
    for _ in range(count):
        row: dict[str, str | None] = {f"q{i:02}": rng.choice(YES_NO) if rng.random() > 0.03
                                      else None for i in range(50)}
        row.update({f"a{i}": rng.choice(FOUR) for i in range(9)})
        row["observers"] = rng.choice(("citizen", "party", "citizen party", "na"))
        row["_region"] = f"R{rng.randrange(12)}"
        rows.append(row)
    return rows


def timed(label: str, runs: int, work: Callable[[], object]) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    print(f"{label}: median {statistics.median(times):.3f} s, worst {max(times):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=100_000)
    parser.add_argument("--stations", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    rng = random.Random(17)
    questions = checklist()
    data = forms(options.forms, rng)
    timed(f"tally, {options.forms:,} forms x {len(questions)} questions", options.runs,
          lambda: tally(questions, data))
    timed(f"breakdown by region, {options.forms:,} forms", options.runs,
          lambda: breakdown(questions, data, "_region"))
    candidates = ["A", "B", "C", "D", "E"]
    stations = []
    for i in range(options.stations):
        valid = rng.randint(200, 900)
        shares = [rng.random() for _ in candidates]
        total = sum(shares)
        votes = {c: int(valid * s / total) for c, s in zip(candidates, shares, strict=True)}
        stations.append(Station(f"S{i}", f"H{i % 20}", valid, votes, registered=valid * 2))
    frame = {f"H{h}": options.stations * 10 for h in range(20)}
    timed(f"pvt, {options.stations:,} stations, {len(candidates)} candidates + turnout",
          options.runs, lambda: estimate(stations, frame, candidates))
    timed(f"pvt convergence, {options.stations:,} stations, {DEFAULT_POINTS} points",
          options.runs, lambda: convergence(stations, frame, candidates))
    big_frame = [(f"P{i:06}", f"H{i % 40}") for i in range(60_000)]
    timed("sample 3,000 of 60,000 stations in 40 strata", options.runs,
          lambda: draw(big_frame, 3_000, 20, 1))


if __name__ == "__main__":
    main()
