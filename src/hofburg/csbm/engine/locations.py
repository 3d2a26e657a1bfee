"""Peacetime locations of formations and units (10.2.3; numbering unconfirmed) grouped for a map.

A large exchange places thousands of units; drawn one by one they hide each other and give a
keyboard user thousands of stops. `group_by_cell` groups the units whose locations fall in
the same cell of a latitude/longitude grid into one place, at the mean of their positions.
Units without a location are not placed: the caller counts them.

Pure: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Half a degree: about 55 km north to south, so a garrison town's units share a place and
# neighbouring towns do not.
DEFAULT_CELL_DEGREES = 0.5


@dataclass(frozen=True)
class Located:
    key: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Place:
    """Units in one cell of the grid, at the mean of their positions."""

    latitude: float
    longitude: float
    keys: tuple[int, ...]


def group_by_cell(points: Iterable[Located], cell_degrees: float = DEFAULT_CELL_DEGREES
                  ) -> list[Place]:
    """The places of `points`, most units first (then south to north, west to east); the
    keys in each place keep the order of `points`."""
    if cell_degrees <= 0:
        raise ValueError("cell_degrees must be positive")
    cells: dict[tuple[int, int], list[Located]] = {}
    for point in points:
        cell = (math.floor(point.latitude / cell_degrees),
                math.floor(point.longitude / cell_degrees))
        cells.setdefault(cell, []).append(point)
    places = [Place(latitude=round(sum(p.latitude for p in members) / len(members), 6),
                    longitude=round(sum(p.longitude for p in members) / len(members), 6),
                    keys=tuple(p.key for p in members))
              for members in cells.values()]
    return sorted(places, key=lambda p: (-len(p.keys), p.latitude, p.longitude))
