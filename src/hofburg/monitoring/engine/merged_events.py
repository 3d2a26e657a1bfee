"""Merged events: what the merge gives for each event, and where it is located.

An event is located by the least-squares fix of its members' bearings (`locate.Fix`), else by
the area its members' wedges share (`CandidateRegion`), or, seen by one observer, by that
observer's wedge (`locate.SectorArea`). Its explanation is a tuple of notes (see `Note` and
`explanations.explain`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import numpy as np
import shapely

from hofburg.monitoring.engine.geodesy import to_lonlat
from hofburg.monitoring.engine.locate import Fix, SectorArea
from hofburg.monitoring.engine.observations import Category


@dataclass(frozen=True)
class CandidateRegion:
    """The area common to the wedges of an event's members, its centroid and size.

    The area is drawn in the local frame about the first member's observer (x east and y north
    in metres); `polygon` puts it on the ground when asked for, which storing an event never
    does.
    """

    local: shapely.Geometry  # a Polygon, or a MultiPolygon where annular wedges meet twice
    anchor_lon: float
    anchor_lat: float
    centroid_lon: float
    centroid_lat: float
    area_km2: float

    @cached_property
    def polygon(self) -> shapely.Geometry:
        """The area in lon/lat, each vertex placed from the local frame."""
        x, y = shapely.get_coordinates(self.local).T
        lon, lat = to_lonlat(self.anchor_lon, self.anchor_lat, x, y)
        return shapely.set_coordinates(shapely.transform(self.local, lambda c: c),
                                       np.column_stack([lon, lat]))


Location = Fix | CandidateRegion | SectorArea

# A note of an explanation. The frequent ones (an observation opening or joining an event, one
# kept apart, how the event was located) are a tuple (kind, *values) of plain values, kept as a
# JSON array and written out as a sentence by `explain`; the rare ones are sentences already.
Note = str | tuple[Any, ...]


@dataclass(frozen=True)
class Event:
    """One event as merged from one or more observations, with the reasons for the merge."""

    event_key: str
    observation_ids: tuple[str, ...]
    observer_ids: tuple[str, ...]
    category: Category
    weapon_class: str | None
    count_at_least: int
    first_observed_at: datetime
    last_observed_at: datetime
    location: Location
    explanation: tuple[Note, ...]  # see explanations.explain
    needs_review: bool

    @property
    def number_of_sources(self) -> int:
        return len(self.observer_ids)

    @property
    def location_method(self) -> str:
        return located_at(self.location)[2]

    @property
    def position(self) -> tuple[float, float]:
        lon, lat, _method = located_at(self.location)
        return lon, lat


def located_at(location: Location) -> tuple[float, float, str]:
    """(lon, lat, method) of a location: the fix, or the centroid of the area; the method
    "fix" (bearings' least squares), "common_area" (wedges) or "sector" (one observer)."""
    if isinstance(location, Fix):
        return location.lon, location.lat, "fix"
    return (location.centroid_lon, location.centroid_lat,
            "common_area" if isinstance(location, CandidateRegion) else "sector")
