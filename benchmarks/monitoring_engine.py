"""Monitoring engine at mission scale: merge and locate 100,000 synthetic observations.

EXERCISE DATA: events and observers are generated in the fictional exercise area of
data/monitoring/exercise_lines.geojson (open North Atlantic). The workload is about a month of a
busy SMM-like mission: events scattered along a 250 km line, each seen or heard by one to four
of 60 observers within 12 km, with bearing noise, compass sectors and distance bands.

Run: .venv/bin/python benchmarks/monitoring_engine.py [observations]
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from hofburg.monitoring.engine.geodesy import GEOD, to_local
from hofburg.monitoring.engine.locate import Bearing, Fix, locate_many
from hofburg.monitoring.engine.merge import merge_observations
from hofburg.monitoring.engine.merge_rules import load_merge_rules
from hofburg.monitoring.engine.observations import COMPASS_16, Observation

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "data" / "monitoring" / "merge_rules.yaml"
START = datetime(2021, 6, 1, tzinfo=UTC)
DAYS = 30
OBSERVERS = 60
SEEN_BY = np.array([1, 2, 3, 4])
SEEN_BY_SHARE = np.array([0.45, 0.30, 0.18, 0.07])
CATEGORIES = ["explosion_undetermined", "airburst", "projectile_in_flight", "muzzle_flash",
              "illumination_flare", "burst", "shot"]
CATEGORY_SHARE = [0.45, 0.05, 0.12, 0.03, 0.02, 0.18, 0.15]


def generate(total: int, seed: int = 2021) -> tuple[list[Observation], list[int],
                                                    dict[int, tuple[float, float]]]:
    """Observations, the true event of each, and each true event's position."""
    rng = np.random.default_rng(seed)
    # Observers 2-8 km either side of a north-south line at 30 W, 47.2-49.4 N.
    obs_lat = rng.uniform(47.2, 49.4, OBSERVERS)
    obs_lon = -30.0 + rng.choice([-1, 1], OBSERVERS) * rng.uniform(2, 8, OBSERVERS) / 75.0
    kinds = rng.choice(["patrol", "observation_point", "camera"], OBSERVERS, p=[0.5, 0.3, 0.2])
    # Random draws in bulk: per event, then per observation.
    mean_gap = DAYS * 86400 / (total / SEEN_BY.dot(SEEN_BY_SHARE))
    times = np.cumsum(rng.exponential(mean_gap, total))
    event_lat = rng.uniform(47.25, 49.35, total)
    event_lon = -30.0 + rng.normal(0, 3, total) / 75.0
    seen_by = rng.choice(SEEN_BY, total, p=SEEN_BY_SHARE)
    category = rng.choice(CATEGORIES, total, p=CATEGORY_SHARE)
    room = total + int(SEEN_BY.max())  # the last event may run past the total
    jitter, noise, sector = rng.uniform(0, 40, room), rng.normal(0, 1, room), rng.random(room)
    heard = rng.random(room) < 0.5
    below, above = rng.uniform(0.5, 2, room), rng.uniform(0.5, 2, room)
    bursts = rng.integers(1, 30, room)
    observations: list[Observation] = []
    truth: list[int] = []
    positions: dict[int, tuple[float, float]] = {}
    for event in range(total):
        if len(observations) >= total:
            break
        lon, lat = float(event_lon[event]), float(event_lat[event])
        az, _, dist = GEOD.inv(obs_lon, obs_lat, np.full(OBSERVERS, lon), np.full(OBSERVERS, lat))
        near = np.flatnonzero(np.asarray(dist) < 12_000)
        if len(near) == 0:
            continue
        positions[event] = (lon, lat)
        kind_of_event = str(category[event])
        for k in rng.choice(near, min(len(near), int(seen_by[event])), replace=False):
            n = len(observations)
            kind = str(kinds[k])
            method = "recorded" if kind == "camera" else ("heard" if heard[n] else "saw")
            true_km = float(dist[k]) / 1000
            bearing = (float(az[k]) + noise[n] * (4 if method == "heard" else 1.5)) % 360
            low = max(0.0, round(true_km - below[n]))
            high = max(low + 1, round(true_km + above[n]))
            as_sector = sector[n] < 0.3
            observations.append(Observation(
                observation_id=f"obs-{n:06d}",
                observed_at=START + timedelta(seconds=float(times[event] + jitter[n])),
                observer_id=f"observer-{k:02d}",
                observer_kind=kind,  # type: ignore[arg-type]
                observer_lon=float(obs_lon[k]),
                observer_lat=float(obs_lat[k]),
                method=method,  # type: ignore[arg-type]
                category=kind_of_event,  # type: ignore[arg-type]
                count=int(bursts[n]) if kind_of_event in ("burst", "shot") else 1,
                bearing_deg=None if as_sector else round(bearing, 1),
                sector=COMPASS_16[round(bearing / 22.5) % 16] if as_sector else None,
                distance_km_min=float(low),
                distance_km_max=float(high),
            ))
            truth.append(event)
    return observations[:total], truth[:total], positions


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rules = load_merge_rules(RULES)

    started = time.perf_counter()
    observations, truth, positions = generate(total)
    generated = time.perf_counter() - started
    true_event = {o.observation_id: t for o, t in zip(observations, truth, strict=True)}
    groups: dict[int, list[Observation]] = {}
    for o, t in zip(observations, truth, strict=True):
        groups.setdefault(t, []).append(o)

    # Locate alone: every true event with two or more bearings, in one vectorised call.
    bearing_groups = [[Bearing(o.observer_lon, o.observer_lat, o.bearing_deg)
                       for o in members if o.bearing_deg is not None]
                      for members in groups.values()]
    bearing_groups = [group for group in bearing_groups if len(group) >= 2]
    started = time.perf_counter()
    fixes = locate_many(bearing_groups, rules.locate)
    located_alone = time.perf_counter() - started

    started = time.perf_counter()
    events = merge_observations(observations, rules)
    merged = time.perf_counter() - started

    pure = sum(len({true_event[i] for i in e.observation_ids}) == 1 for e in events)
    multi = [t for t, members in groups.items() if len(members) >= 2]
    recovered = {tuple(sorted(e.observation_ids)) for e in events}
    whole = sum(tuple(sorted(o.observation_id for o in groups[t])) in recovered for t in multi)
    errors = []
    for e in events:
        if isinstance(e.location, Fix) and len({true_event[i] for i in e.observation_ids}) == 1:
            lon, lat = positions[true_event[e.observation_ids[0]]]
            x, y, _ = to_local(lon, lat, e.location.lon, e.location.lat)
            errors.append(float(np.hypot(x, y)))
    methods = {m: sum(e.location_method == m for e in events)
               for m in ("fix", "common_area", "sector")}

    print(f"monitoring engine benchmark (EXERCISE data, {DAYS} days, {OBSERVERS} observers)")
    print(f"  observations            {len(observations):>10,}   generated in {generated:.1f} s")
    print(f"  true events             {len(groups):>10,}   ({len(multi):,} seen by 2 or more)")
    print(f"  locate_many             {len(bearing_groups):>10,} fixes in {located_alone:.2f} s"
          f"   ({sum(isinstance(f, Fix) for f in fixes):,} fixed)")
    print(f"  merge_observations      {len(events):>10,} events in {merged:.2f} s"
          f"   ({len(observations) / merged:,.0f} observations/s, locating included)")
    print(f"  located by              fix {methods['fix']:,}, common area "
          f"{methods['common_area']:,}, sector {methods['sector']:,}")
    print(f"  events of one true event {pure / len(events):9.1%}")
    print(f"  multi-observer events recovered whole {whole / max(len(multi), 1):.1%}")
    if errors:
        print(f"  fix error vs truth      median {np.median(errors):.0f} m, "
              f"90th percentile {np.percentile(errors, 90):.0f} m")
    print(f"  needs review            {sum(e.needs_review for e in events):>10,}")


if __name__ == "__main__":
    main()
