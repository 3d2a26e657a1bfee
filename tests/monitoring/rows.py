"""Observation rows for the desk's tests: two observers who hear the same explosion, and one
patrol that hears bursts elsewhere. EXERCISE positions (open North Atlantic)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from hofburg.core.models import Classification, User
from hofburg.monitoring.importing.header import CSV_COLUMNS
from hofburg.monitoring.intake import release as period_release
from hofburg.monitoring.intake import workflow
from hofburg.monitoring.models import Event, EventStatus, ObservationStatus


def row(observation_id: str, **changes: Any) -> dict[str, Any]:
    """A valid observation row; `changes` override fields."""
    base: dict[str, Any] = {
        "observation_id": observation_id, "observed_at": "2026-01-05T20:00:00+02:00",
        "observer_id": "EX-OP-1", "observer_kind": "observation_point",
        "observer_lon": -29.95, "observer_lat": 48.0, "method": "saw",
        "category": "explosion_undetermined", "weapon_class": "", "count": 1,
        "bearing_deg": 45, "sector": "", "distance_km_min": 3, "distance_km_max": 7,
        "notes": "EXERCISE"}
    base.update(changes)
    return base


def same_explosion() -> list[dict[str, Any]]:
    """Two observers 5 km apart see one explosion between them; a third hears bursts."""
    return [
        row("OBS-1"),
        row("OBS-2", observer_id="EX-OP-2", observer_lon=-29.85, bearing_deg=315,
            observed_at="2026-01-05T20:00:20+02:00"),
        row("OBS-3", observer_id="EX-PATROL-1", observer_kind="patrol", observer_lon=-30.4,
            observer_lat=47.4, method="heard", category="burst", count=12, bearing_deg="",
            sector="NE", distance_km_min=1, distance_km_max=3,
            observed_at="2026-01-06T01:00:00+02:00"),
    ]


def write_csv(path: Path, rows: list[dict[str, Any]], columns: Any = CSV_COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path



def release(user: User, event: Event, reason: str = "EXERCISE data, cleared for the report"
            ) -> Event:
    """Publish an event as the mission does: its observations and itself verified,
    declassified to public (with the reason, decision 0018) unless it is public already, then
    published: by releasing its period (decision 0035), or into its period released already."""
    event.refresh_from_db()
    for observation in event.observations.filter(status=ObservationStatus.SUBMITTED):
        workflow.verify_observation(user, observation)
    if event.status == EventStatus.PROVISIONAL:
        event = workflow.verify_event(user, event)
    if event.classification != Classification.PUBLIC:
        event = workflow.declassify_event(user, event, reason)
    if not period_release.is_released(event.report_date):
        period_release.release_period(user, event.report_date)
        event.refresh_from_db()
        return event
    return workflow.publish_event(user, event)
