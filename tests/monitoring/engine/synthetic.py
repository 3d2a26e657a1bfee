"""Synthetic observers and events in the fictional exercise area (open North Atlantic)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hofburg.monitoring.engine.geodesy import azimuth_deg, destination, distance_m
from hofburg.monitoring.engine.observations import Observation

DATA = Path(__file__).resolve().parents[3] / "data" / "monitoring"
TARGET = (-30.0, 48.0)
T0 = datetime(2021, 6, 1, 9, 0, tzinfo=UTC)


def around(target: tuple[float, float], azimuth: float, km: float) -> tuple[float, float]:
    """An observer `km` from the target, in the direction `azimuth` seen from the target."""
    return destination(target[0], target[1], azimuth, km * 1000)


# What an observation is unless a test says otherwise (any further Observation field too).
DEFAULTS: dict[str, Any] = {"category": "explosion_undetermined", "method": "heard",
                            "observer_kind": "patrol", "count": 1}


def seen(observation_id: str, observer_id: str, observer: tuple[float, float],
         target: tuple[float, float] = TARGET, *, seconds: float = 0,
         bearing_error: float = 0.0, band_km: float = 1.0, **fields: Any) -> Observation:
    """An observation of the target from `observer`, with its true bearing (plus an error)
    and a distance band of +-band_km about the true distance; `fields` (category, method,
    observer_kind, count, sector, weapon_class) override DEFAULTS. With a sector the
    observation carries no bearing."""
    km = distance_m(*observer, *target) / 1000
    bearing = (azimuth_deg(*observer, *target) + bearing_error) % 360
    return Observation(
        observation_id=observation_id,
        observed_at=T0 + timedelta(seconds=seconds),
        observer_id=observer_id,
        observer_lon=observer[0],
        observer_lat=observer[1],
        bearing_deg=None if fields.get("sector") else bearing,
        distance_km_min=max(0.0, km - band_km),
        distance_km_max=km + band_km,
        **{**DEFAULTS, **fields},
    )
