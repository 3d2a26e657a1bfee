"""H3 cells stored beside each located event, so maps and counts bin without a spatial index."""

from __future__ import annotations

import math

import h3


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
