"""The exercise scenario: realistic observations along the exercise line of contact.

EXERCISE DATA. Events happen near the fictional line of contact of
data/monitoring/exercise_lines.geojson (open North Atlantic); fixed observation points and
cameras on both sides of it, and patrols moving along it, hear, see or record them. Most events
are reported by one observer, many by two to four, so the merge has real work to do. Every
observer, id and note says EXERCISE, and nothing is attributed to a real party: observations
carry no side, and weapon classes are only the withdrawal rules' generic classes.

No Django here: the generator yields plain rows with the CSV import's columns, so the CLI, the
demo loader and the benchmark share it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

import numpy as np

from hofburg.monitoring.engine.geodesy import GEOD
from hofburg.monitoring.engine.observations import COMPASS_16

EXERCISE_NOTE = "EXERCISE DATA - generated, not a real observation"
SPEED_OF_SOUND_M_S = 343.0

_CATEGORIES = ("explosion_undetermined", "airburst", "explosion_weapon", "projectile_in_flight",
               "muzzle_flash", "illumination_flare", "burst", "shot")
_CATEGORY_SHARE = (0.34, 0.04, 0.10, 0.12, 0.03, 0.02, 0.20, 0.15)
_WEAPONS = ("mortar_up_to_120mm", "artillery_100mm_and_above", "artillery_below_100mm", "tank")
_SEEN_BY = np.array([1, 2, 3, 4])
_SEEN_BY_SHARE = np.array([0.45, 0.30, 0.18, 0.07])
_REACH_KM = 12.0


@dataclass(frozen=True)
class Observer:
    observer_id: str
    kind: str
    lon: float
    lat: float


def load_line(path: Path) -> np.ndarray:
    """The exercise line of contact's vertices as an (n, 2) array of lon, lat."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not data.get("exercise"):
        raise ValueError(f"{path}: not marked as exercise data; the scenario uses only those")
    for feature in data["features"]:
        if feature["properties"].get("line_id") == "line_of_contact":
            return np.asarray(feature["geometry"]["coordinates"], dtype=float)
    raise ValueError(f"{path}: no line_of_contact feature")


def _along(line: np.ndarray, fraction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points at fractions of the line's length (by vertex distance, which is plenty here)."""
    steps = np.hypot(*np.diff(line, axis=0).T)
    cumulative = np.concatenate([[0.0], np.cumsum(steps)]) / steps.sum()
    return (np.interp(fraction, cumulative, line[:, 0]),
            np.interp(fraction, cumulative, line[:, 1]))


def observers_along(line: np.ndarray, rng: np.random.Generator, count: int = 48
                    ) -> list[Observer]:
    """Observation points, cameras, patrols and a drone, 2-9 km either side of the line."""
    kinds = rng.choice(["observation_point", "camera", "patrol", "drone"], count,
                       p=[0.4, 0.2, 0.35, 0.05])
    lon, lat = _along(line, np.sort(rng.uniform(0.03, 0.97, count)))
    offset_km = rng.choice([-1, 1], count) * rng.uniform(2, 9, count)
    lon = lon + offset_km / (111.32 * np.cos(np.radians(lat)))
    prefix = {"observation_point": "OP", "camera": "CAM", "patrol": "PATROL", "drone": "UAV"}
    return [Observer(f"EX-{prefix[str(k)]}-{n + 1:02d}", str(k), float(x), float(y))
            for n, (k, x, y) in enumerate(zip(kinds, lon, lat, strict=True))]


def generate(*, days: int = 90, seed: int = 1, line_path: Path, start: date | None = None,
             observations: int | None = None, zone: tzinfo = UTC,
             id_prefix: str | None = None) -> Iterator[dict[str, str]]:
    """Rows for the CSV import: `days` of exercise observations, in time order.

    By default about 280 observations a day (an SMM-like busy sector); `observations` sets the
    total instead. The same seed gives the same rows.
    """
    rng = np.random.default_rng(seed)
    line = load_line(line_path)
    observers = observers_along(line, rng)
    o_lon = np.array([o.lon for o in observers])
    o_lat = np.array([o.lat for o in observers])
    first_day = start or date(2026, 1, 1)
    begin = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    total = observations or days * 280
    events = max(1, int(total / float(_SEEN_BY @ _SEEN_BY_SHARE)))
    prefix = id_prefix or f"EX{seed}"
    produced = 0
    batch = 20_000
    clock = 0.0
    mean_gap = days * 86400 / events
    number = 0
    while produced < total:
        n = batch
        clock_steps = rng.exponential(mean_gap, n)
        times = clock + np.cumsum(clock_steps)
        clock = float(times[-1])
        e_lon, e_lat = _along(line, rng.uniform(0.02, 0.98, n))
        e_lon = e_lon + rng.normal(0, 2.5, n) / (111.32 * np.cos(np.radians(e_lat)))
        category = rng.choice(len(_CATEGORIES), n, p=_CATEGORY_SHARE)
        weapon = rng.choice(len(_WEAPONS), n)
        count = np.where(np.isin(category, (6, 7)), rng.integers(1, 40, n), rng.integers(1, 4, n))
        seen_by = rng.choice(_SEEN_BY, n, p=_SEEN_BY_SHARE)
        for k in range(n):
            if produced >= total:
                return
            dx = (o_lon - e_lon[k]) * 111.32 * np.cos(np.radians(e_lat[k]))
            dy = (o_lat - e_lat[k]) * 110.57
            reach = np.hypot(dx, dy)
            near = np.flatnonzero(reach < _REACH_KM)
            if len(near) == 0:
                near = np.array([int(np.argmin(reach))])
            chosen = near[np.argsort(reach[near])[:int(seen_by[k])]]
            azimuth, _back, distance = GEOD.inv(o_lon[chosen], o_lat[chosen],
                                                np.full(len(chosen), e_lon[k]),
                                                np.full(len(chosen), e_lat[k]))
            event = _Event(time=float(times[k]), category=int(category[k]),
                           weapon=int(weapon[k]), count=int(count[k]))
            for position, index in enumerate(chosen):
                if produced >= total:
                    return
                observer = observers[int(index)]
                rows = _observation(rng, observer, float(azimuth[position]) % 360,
                                    float(distance[position]), event, begin, zone)
                number += 1
                rows["observation_id"] = f"{prefix}-{number:08d}"
                produced += 1
                yield rows


@dataclass(frozen=True)
class _Event:
    """What happened: seconds after the start, and indexes into the categories and weapons."""

    time: float
    category: int
    weapon: int
    count: int


def _observation(rng: np.random.Generator, observer: Observer, azimuth: float, distance: float,
                 event: _Event, begin: datetime, zone: tzinfo) -> dict[str, str]:
    method = {"camera": "recorded", "drone": "saw"}.get(
        observer.kind, "heard" if rng.random() < 0.6 else "saw")
    delay = distance / SPEED_OF_SOUND_M_S if method == "heard" else 0.0
    moment = begin + timedelta(seconds=event.time + delay + float(rng.uniform(-15, 15)))
    sigma = {"heard": 4.0, "saw": 2.0, "recorded": 1.0}[method]
    bearing = (azimuth + float(rng.normal(0, sigma))) % 360
    use_sector = method == "heard" and rng.random() < 0.5
    km = distance / 1000
    low = max(0.0, round(km * float(rng.uniform(0.6, 0.95)), 1))
    high = max(low + 0.5, round(km * float(rng.uniform(1.05, 1.4)), 1))
    name = _CATEGORIES[event.category]
    armed = name == "explosion_weapon" and rng.random() < 0.8
    weapon_class = _WEAPONS[event.weapon] if armed else ""
    return {
        "observed_at": moment.astimezone(zone).isoformat(timespec="seconds"),
        "observer_id": observer.observer_id,
        "observer_kind": observer.kind,
        "observer_lon": f"{observer.lon:.6f}",
        "observer_lat": f"{observer.lat:.6f}",
        "method": method,
        "category": name,
        "weapon_class": weapon_class,
        "count": str(event.count),
        "bearing_deg": "" if use_sector else f"{bearing:.1f}",
        "sector": COMPASS_16[round(bearing / 22.5) % 16] if use_sector else "",
        "distance_km_min": f"{low:g}",
        "distance_km_max": f"{high:g}",
        "notes": EXERCISE_NOTE,
    }


def write_csv(path: Path, rows: Iterator[dict[str, str]], columns: tuple[str, ...]) -> int:
    """Write generated rows as a CSV file with the import's header; the number of rows."""
    from hofburg.core.tables import csv_dict_writer

    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_dict_writer(handle, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
