from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from hofburg.monitoring.engine.observations import (
    Category,
    Method,
    Observation,
    ObservationError,
    ObserverKind,
    observation_from_mapping,
    sector_direction,
)
from tests.monitoring.engine.synthetic import T0


def row(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "observation_id": "obs-1", "observed_at": "2021-06-01T21:40:00+03:00",
        "observer_id": "patrol-7", "observer_kind": "patrol", "observer_lon": "-30.05",
        "observer_lat": "47.97", "method": "heard", "category": "burst", "count": "200",
        "bearing_deg": "", "sector": "SE", "distance_km_min": "3", "distance_km_max": "5",
        "weapon_class": "", "notes": "about 200 shots and bursts",
    }
    base.update(changes)
    return base


def test_it_reads_a_row_as_entered() -> None:
    observation = observation_from_mapping(row())
    assert observation.observer_kind is ObserverKind.PATROL
    assert observation.method is Method.HEARD
    assert observation.category is Category.BURST
    assert observation.count == 200
    assert observation.bearing_deg is None
    assert observation.weapon_class is None
    assert observation.observed_at.utcoffset() is not None
    assert observation.direction.centre_deg == 135.0
    assert observation.direction.half_width_deg == 11.25


@pytest.mark.parametrize(("changes", "field"), [
    ({"observed_at": "2021-06-01T21:40:00"}, "observed_at"),
    ({"observed_at": "yesterday"}, "observed_at"),
    ({"observer_kind": "satellite"}, "observer_kind"),
    ({"method": "smelt"}, "method"),
    ({"category": "artillery"}, "category"),
    ({"observer_lon": "181"}, "observer_lon"),
    ({"observer_lat": "-90.5"}, "observer_lat"),
    ({"count": "0"}, "count"),
    ({"count": "many"}, "count"),
    ({"sector": "", "bearing_deg": ""}, "bearing_deg"),
    ({"bearing_deg": "45"}, "bearing_deg"),
    ({"sector": "", "bearing_deg": "360.5"}, "bearing_deg"),
    ({"sector": "NORTH"}, "sector"),
    ({"sector": "N-S"}, "sector"),
    ({"distance_km_max": ""}, "distance_km_max"),
    ({"distance_km_min": ""}, "distance_km_min"),
    ({"distance_km_min": "6"}, "distance_km_min"),
    ({"distance_km_min": "-1"}, "distance_km_min"),
    ({"distance_km_min": "0", "distance_km_max": "0"}, "distance_km_max"),
    ({"observer_id": " "}, "observer_id"),
    ({"observer_lat": ""}, "observer_lat"),
    ({"colour": "red"}, "colour"),
])
def test_it_names_the_field_at_fault(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ObservationError) as caught:
        observation_from_mapping(row(**changes))
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_an_eight_point_sector_is_twice_as_wide() -> None:
    observation = observation_from_mapping(row(sector="NE", compass_points="8"))
    assert observation.direction.half_width_deg == 22.5
    with pytest.raises(ObservationError, match="8-point"):
        observation_from_mapping(row(sector="NNE", compass_points="8"))


@pytest.mark.parametrize(("sector", "points", "centre", "half"), [
    ("N", 16, 0.0, 11.25),
    ("nne", 16, 22.5, 11.25),
    ("NNW", 16, 337.5, 11.25),
    ("ENE-ESE", 16, 90.0, 33.75),   # the camera's "east-north-east, east and east-south-east"
    ("NNW-NNE", 16, 0.0, 33.75),    # across north
    ("W-N", 8, 315.0, 67.5),
])
def test_a_sector_is_the_directions_nearest_its_points(sector: str, points: int, centre: float,
                                                       half: float) -> None:
    direction = sector_direction(sector, points)
    assert direction.centre_deg == pytest.approx(centre)
    assert direction.half_width_deg == pytest.approx(half)


def test_a_direct_observation_accepts_enum_values_and_stays_frozen() -> None:
    observation = Observation(
        observation_id="cam-1", observed_at=T0, observer_id="camera-dfs",
        observer_kind=ObserverKind.CAMERA, observer_lon=-30.0, observer_lat=48.0,
        method=Method.RECORDED, category=Category.PROJECTILE_IN_FLIGHT, count=80,
        sector="ENE-ESE", distance_km_min=1, distance_km_max=4)
    assert observation.has_distance_band and not observation.has_bearing
    with pytest.raises(AttributeError):
        observation.count = 1  # type: ignore[misc]
    with pytest.raises(ObservationError, match="observed_at"):
        replace(observation, observed_at=datetime(2021, 6, 1, 12, 0))
    with pytest.raises(ObservationError, match="count"):
        replace(observation, count=True)


def test_a_direction_without_distance_is_allowed() -> None:
    observation = observation_from_mapping(row(distance_km_min="", distance_km_max=""))
    assert not observation.has_distance_band


def test_a_bearing_of_360_is_north() -> None:
    assert observation_from_mapping(row(sector="", bearing_deg="360")).bearing_deg == 0.0


@pytest.mark.parametrize(("changes", "field"), [
    pytest.param({"count": str(2**31)}, "count", id="count-beyond-the-column"),
    pytest.param({"distance_km_min": "1", "distance_km_max": "1e308"}, "distance_km_max",
                 id="distance-beyond-the-earth"),
])
def test_counts_and_distances_have_an_upper_bound(changes: dict[str, str], field: str) -> None:
    with pytest.raises(ObservationError) as caught:
        observation_from_mapping(row(**changes))
    assert caught.value.field == field
    assert observation_from_mapping(row(count=str(2**31 - 1), distance_km_max="20000")).count \
        == 2**31 - 1
