"""Drawing a stratified PVT sample from a polling-station frame (election-observation.md §3.1):
proportional allocation to the stations in each stratum, with a minimum per stratum, drawn
with a seeded generator so that the same frame, size and seed give the same sample whatever
the order of the frame's rows."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence


def allocate(sizes: Mapping[str, int], total: int, minimum: int = 0) -> dict[str, int]:
    """Stations to draw per stratum: proportional to `sizes`, at least `minimum` (or the whole
    stratum if smaller), never more than the stratum, summing to `total`."""
    population = sum(sizes.values())
    if total < 1:
        raise ValueError("The sample size must be at least 1.")
    if total > population:
        raise ValueError(f"The sample size {total} exceeds the {population} stations in the frame.")
    floors = {h: min(minimum, n) for h, n in sizes.items()}
    if sum(floors.values()) > total:
        raise ValueError(f"A minimum of {minimum} in each of {len(sizes)} strata needs "
                         f"{sum(floors.values())} stations, more than the sample size {total}.")
    fixed: dict[str, int] = {}
    while True:
        free = [h for h in sizes if h not in fixed]
        remaining = total - sum(fixed.values())
        weight = sum(sizes[h] for h in free)
        quotas = {h: remaining * sizes[h] / weight for h in free} if weight else {}
        changed = False
        for h, quota in quotas.items():
            if quota < floors[h]:
                fixed[h] = floors[h]
                changed = True
            elif quota > sizes[h]:
                fixed[h] = sizes[h]
                changed = True
        if not changed:
            break
    result = dict(fixed)
    base = {h: math.floor(q) for h, q in quotas.items()}
    result.update(base)
    short = total - sum(result.values())
    by_remainder = sorted(quotas, key=lambda h: (-(quotas[h] - base[h]), h))
    for h in by_remainder[:short]:
        result[h] += 1
    return {h: result[h] for h in sizes}


def draw(stations: Sequence[tuple[str, str]], total: int, minimum: int = 0,
         seed: int = 0) -> list[tuple[str, str]]:
    """A stratified sample of `(station_id, stratum)` pairs, sorted by stratum then id."""
    members: dict[str, list[str]] = {}
    for station_id, stratum in stations:
        members.setdefault(stratum, []).append(station_id)
    sizes = {h: len(ids) for h, ids in sorted(members.items())}
    allocation = allocate(sizes, total, minimum)
    rng = random.Random(seed)  # noqa: S311 -- a reproducible draw is the point, not secrecy
    chosen: list[tuple[str, str]] = []
    for stratum in sorted(members):
        picked = rng.sample(sorted(members[stratum]), allocation[stratum])
        chosen.extend((station_id, stratum) for station_id in sorted(picked))
    return chosen
