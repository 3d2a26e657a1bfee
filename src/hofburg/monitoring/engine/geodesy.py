"""Geodesic helpers: distances, destinations and local metric frames on the WGS84 ellipsoid.

A local frame is the azimuthal equidistant projection about a centre, computed from geodesics
(x = s sin a, y = s cos a for the geodesic distance s and azimuth a from the centre): distances
and azimuths from the centre are exact, and within tens of kilometres of it the frame is metric
to better than a millimetre per kilometre. Bearings taken elsewhere are turned into the frame's
grid by the local rotation `gamma` (grid azimuth = true azimuth + gamma), the convergence of
meridians that would otherwise bias a fix by metres at 10 km.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
_SMALL = 16

FloatArray = NDArray[np.float64]


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres."""
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def distances_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
                ) -> FloatArray:
    """Geodesic distances in metres between many pairs of points (arrays broadcast)."""
    lon1_, lat1_, lon2_, lat2_ = _broadcast(lon1, lat1, lon2, lat2)
    return _inv(lon1_, lat1_, lon2_, lat2_)[2]


def azimuth_deg(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """True azimuth at the first point towards the second, in [0, 360)."""
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[0]) % 360.0


def destination(lon: float, lat: float, azimuth: float, distance: float) -> tuple[float, float]:
    """The point `distance` metres from (lon, lat) along the geodesic leaving at `azimuth`."""
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, distance)
    return float(lon2), float(lat2)


def to_local(lon0: ArrayLike, lat0: ArrayLike, lon: ArrayLike, lat: ArrayLike
             ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Points in the local frame about (lon0, lat0): x east and y north in metres, and gamma.

    Arrays broadcast, so each point may have its own centre. gamma (degrees) is the grid
    azimuth minus the true azimuth at the point: add it to a bearing taken there.
    """
    lon0_, lat0_, lon_, lat_ = _broadcast(lon0, lat0, lon, lat)
    az_out, az_back, s = _inv(lon0_, lat0_, lon_, lat_)
    a = np.radians(az_out)
    x, y = s * np.sin(a), s * np.cos(a)
    # Leaving the centre along azimuth a is, at the point, heading az_back + 180 (true) and
    # a (grid, because geodesics through the centre are the frame's straight radial lines).
    gamma = _wrap180(az_out - (az_back + 180.0))
    gamma = np.where(s < 1e-6, 0.0, gamma)
    return x, y, gamma


def to_lonlat(lon0: ArrayLike, lat0: ArrayLike, x: ArrayLike, y: ArrayLike
              ) -> tuple[FloatArray, FloatArray]:
    """Longitude and latitude of local-frame points about (lon0, lat0)."""
    lon0_, lat0_, x_, y_ = _broadcast(lon0, lat0, x, y)
    az = np.degrees(np.arctan2(x_, y_))
    s = np.hypot(x_, y_)
    lon, lat, _ = GEOD.fwd(lon0_.ravel(), lat0_.ravel(), az.ravel(), s.ravel())
    return (np.asarray(lon, dtype=np.float64).reshape(x_.shape),
            np.asarray(lat, dtype=np.float64).reshape(x_.shape))


def wedge_ring(centre_deg: ArrayLike, half_width_deg: ArrayLike, inner_m: ArrayLike,
               outer_m: ArrayLike, arc_points: int) -> tuple[FloatArray, FloatArray]:
    """Rings (x, y) of annular sectors about the origin, one row per wedge, in metres.

    The outer arc runs clockwise from centre - half_width to centre + half_width with
    `arc_points` vertices, the inner arc back (collapsing to the apex when inner_m is 0). Azimuths
    are grid azimuths of the frame the caller will place the ring in.
    """
    centre = np.atleast_1d(np.asarray(centre_deg, dtype=np.float64))
    half = np.atleast_1d(np.asarray(half_width_deg, dtype=np.float64))
    inner = np.atleast_1d(np.asarray(inner_m, dtype=np.float64))
    outer = np.atleast_1d(np.asarray(outer_m, dtype=np.float64))
    steps = np.linspace(-1.0, 1.0, arc_points)
    az = np.radians(centre[:, None] + half[:, None] * steps[None, :])
    sin, cos = np.sin(az), np.cos(az)
    rows = np.broadcast_shapes(az.shape, inner[:, None].shape, outer[:, None].shape)[0]
    xs = np.empty((rows, 2 * arc_points))
    ys = np.empty((rows, 2 * arc_points))
    np.multiply(outer[:, None], sin, out=xs[:, :arc_points])
    np.multiply(outer[:, None], cos, out=ys[:, :arc_points])
    np.multiply(inner[:, None], sin[:, ::-1], out=xs[:, arc_points:])
    np.multiply(inner[:, None], cos[:, ::-1], out=ys[:, arc_points:])
    return xs, ys


def _broadcast(*values: ArrayLike) -> list[FloatArray]:
    arrays = [np.asarray(v, dtype=np.float64) for v in values]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    return [a if a.shape == shape else np.broadcast_to(a, shape) for a in arrays]


def _inv(lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
         ) -> tuple[FloatArray, FloatArray, FloatArray]:
    shape = lon1.shape
    if lon1.size <= _SMALL:
        # pyproj's array path costs tens of microseconds in buffer copies; a handful of scalar
        # calls is several times faster, and merging asks for many small frames.
        rows = [GEOD.inv(a, b, c, d) for a, b, c, d in zip(
            lon1.ravel().tolist(), lat1.ravel().tolist(), lon2.ravel().tolist(),
            lat2.ravel().tolist(), strict=True)]
        out: Any = zip(*rows, strict=True) if rows else ([], [], [])
    else:
        out = GEOD.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())
    return tuple(np.asarray(v, dtype=np.float64).reshape(shape) for v in out)  # type: ignore[return-value]


def _wrap180(angle: FloatArray) -> FloatArray:
    return (angle + 180.0) % 360.0 - 180.0
