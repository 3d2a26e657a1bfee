"""H3 cells stored beside each located event, so maps and counts bin without a spatial index.

Three resolutions: the cell stored beside each event (about 0.7 km2), the map rollup's cell
(about 36 km2) and the reporting area of an event outside every named area (about 1,770 km2).
A mission reports by its named areas; an event beyond them is still counted, under this coarse
cell, rather than dropped from the period's figures or folded into a nearest area it is not in.
"""

from __future__ import annotations

import math
from functools import cache

import h3

EVENT_RESOLUTION = 8
MAP_RESOLUTION = 6
AREA_RESOLUTION = 4


class BinningError(ValueError):
    pass


def h3_cell(lon: float, lat: float, resolution: int) -> str:
    """The H3 cell (hex string) holding the point; note h3 takes latitude first."""
    if isinstance(resolution, bool) or not isinstance(resolution, int) or \
            not 0 <= resolution <= 15:
        raise BinningError("resolution: must be a whole number from 0 to 15")
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180
            and -90 <= lat <= 90):
        raise BinningError(f"({lon}, {lat}) is not a longitude and latitude")
    return str(h3.latlng_to_cell(lat, lon, resolution))


def h3_cells(points: list[tuple[float, float]], resolution: int) -> list[str]:
    """The cells of many (lon, lat) points."""
    return [h3_cell(lon, lat, resolution) for lon, lat in points]


def event_cell(lon: float, lat: float) -> str:
    """The cell stored beside an event located at (lon, lat) (a position the engine made)."""
    return str(h3.latlng_to_cell(lat, lon, EVENT_RESOLUTION))


def map_cell_of(cell: str) -> str:
    """The map rollup's cell holding an event's cell."""
    return str(h3.cell_to_parent(cell, MAP_RESOLUTION))


def area_of_cell(cell: str) -> str:
    """The coarse cell that is the reporting area of an event outside every named area."""
    return str(h3.cell_to_parent(cell, AREA_RESOLUTION))


@cache
def cell_centre(cell: str) -> tuple[float, float]:
    """(lon, lat) of a cell's centre."""
    lat, lon = h3.cell_to_latlng(cell)
    return float(lon), float(lat)
