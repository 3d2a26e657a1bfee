"""Synthetic observers and events in the fictional exercise area (open North Atlantic)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hofburg.monitoring.engine.geodesy import azimuth_deg, destination, distance_m
from hofburg.monitoring.engine.observations import Observation

DATA = Path(__file__).resolve().parents[3] / "data" / "monitoring"
TARGET = (-30.0, 48.0)
T0 = datetime(2021, 6, 1, 9, 0, tzinfo=UTC)


def around(target: tuple[float, float], azimuth: float, km: float) -> tuple[float, float]:
    """An observer `km` from the target, in the direction `azimuth` seen from the target."""
    return destination(target[0], target[1], azimuth, km * 1000)


def seen(observation_id: str, observer_id: str, observer: tuple[float, float],
         target: tuple[float, float] = TARGET, *, seconds: float = 0,
         category: str = "explosion_undetermined", method: str = "heard",
         observer_kind: str = "patrol", bearing_error: float = 0.0, band_km: float = 1.0,
         sector: str | None = None, count: int = 1, weapon_class: str | None = None
         ) -> Observation:
    """An observation of the target from `observer`, with its true bearing (plus an error)
    and a distance band of +-band_km about the true distance."""
    km = distance_m(*observer, *target) / 1000
    bearing = (azimuth_deg(*observer, *target) + bearing_error) % 360
    return Observation(
        observation_id=observation_id,
        observed_at=T0 + timedelta(seconds=seconds),
        observer_id=observer_id,
        observer_kind=observer_kind,  # type: ignore[arg-type]
        observer_lon=observer[0],
        observer_lat=observer[1],
        method=method,  # type: ignore[arg-type]
        category=category,  # type: ignore[arg-type]
        count=count,
        bearing_deg=None if sector else bearing,
        sector=sector,
        distance_km_min=max(0.0, km - band_km),
        distance_km_max=km + band_km,
        weapon_class=weapon_class,
    )
