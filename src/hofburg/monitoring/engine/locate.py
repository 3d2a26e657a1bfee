"""Locating an event: a least-squares fix from two or more bearings, or one observer's wedge.

The fix minimises the weighted squared angular misclosures of the bearings, which near the
solution is the weighted least-squares intersection of the bearing lines with weights
1 / (range * sigma)^2 (Lenth 1981, "On Finding the Source of a Signal"; domain reference, 4.2).
It is solved in a local metric frame centred on the current estimate and re-centred until it
moves less than a millimetre, so the bearings' convergence of meridians costs nothing. The
covariance uses the a-priori bearing sigma, so every added bearing shrinks the ellipse; the
residuals are reported beside it for the analyst to judge.

A single observer gives no fix: its event is somewhere in the wedge of its sector and distance
band, reported as that area and its centroid.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import MISSING, dataclass, fields
from typing import Any, TypeVar

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from hofburg.monitoring.engine.geodesy import (
    GEOD,
    FloatArray,
    destination,
    to_local,
    to_lonlat,
    wedge_ring,
)
from hofburg.monitoring.engine.observations import Direction


class LocateError(ValueError):
    """The bearings given cannot fix a point."""


class TooFewBearings(LocateError):
    pass


class NearParallelBearings(LocateError):
    """The bearing lines cross at too shallow an angle for their intersection to mean much."""


class BearingsDiverge(LocateError):
    """The lines' intersection lies behind an observer: the rays themselves never meet."""


@dataclass(frozen=True)
class Bearing:
    """A true bearing in degrees taken at (lon, lat); sigma_deg overrides the default sigma."""

    lon: float
    lat: float
    azimuth_deg: float
    sigma_deg: float | None = None
    label: str = ""

    def __post_init__(self) -> None:
        checks = (("lon", self.lon, -180.0, 180.0), ("lat", self.lat, -90.0, 90.0),
                  ("azimuth_deg", self.azimuth_deg, 0.0, 360.0))
        for name, value, low, high in checks:
            if not _finite(value) or not low <= value <= high:
                raise LocateError(f"{self.label or 'bearing'}: {name} must be in "
                                  f"[{low:g}, {high:g}], not {value!r}")
        if self.sigma_deg is not None and (not _finite(self.sigma_deg) or self.sigma_deg <= 0):
            raise LocateError(f"{self.label or 'bearing'}: sigma_deg must be a positive number")


@dataclass(frozen=True)
class LocateParameters:
    """Mission parameters for fixes (data/monitoring/merge_rules.yaml, section `locate`)."""

    bearing_sigma_deg: float
    min_crossing_angle_deg: float
    ellipse_confidence: float

    def __post_init__(self) -> None:
        if not self.bearing_sigma_deg > 0:
            raise LocateError("bearing_sigma_deg must be positive")
        if not 0 < self.min_crossing_angle_deg < 90:
            raise LocateError("min_crossing_angle_deg must be between 0 and 90")
        if not 0 < self.ellipse_confidence < 1:
            raise LocateError("ellipse_confidence must be between 0 and 1")


@dataclass(frozen=True)
class ErrorEllipse:
    """Axes in metres; orientation of the major axis in degrees clockwise from true north."""

    semi_major_m: float
    semi_minor_m: float
    orientation_deg: float
    confidence: float


@dataclass(frozen=True)
class Fix:
    """A located point with its error ellipse and the evidence of how well the bearings agree.

    `crossing_angle_deg` is the crossing angle of two lines with the same geometric strength
    (for two bearings, the angle between them). `residuals_deg` are the bearings minus the
    azimuths from each observer to the fix; `ranges_m` the distances from each observer.
    """

    lon: float
    lat: float
    error_ellipse: ErrorEllipse
    crossing_angle_deg: float
    residuals_deg: tuple[float, ...]
    ranges_m: tuple[float, ...]

    @property
    def bearing_count(self) -> int:
        return len(self.residuals_deg)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: lon, lat, error_ellipse_m and the evidence."""
        return {
            "lon": round(self.lon, 7),
            "lat": round(self.lat, 7),
            "error_ellipse_m": {
                "semi_major": round(self.error_ellipse.semi_major_m, 1),
                "semi_minor": round(self.error_ellipse.semi_minor_m, 1),
                "orientation_deg": round(self.error_ellipse.orientation_deg, 1),
                "confidence": self.error_ellipse.confidence,
            },
            "crossing_angle_deg": round(self.crossing_angle_deg, 2),
            "bearings": self.bearing_count,
            "residuals_deg": [round(r, 3) for r in self.residuals_deg],
            "ranges_m": [round(r, 1) for r in self.ranges_m],
        }


def locate(bearings: Sequence[Bearing], parameters: LocateParameters) -> Fix:
    """The least-squares fix of two or more bearings, or LocateError saying why there is none."""
    result = locate_many([bearings], parameters)[0]
    if isinstance(result, LocateError):
        raise result
    return result


def locate_many(groups: Sequence[Sequence[Bearing]], parameters: LocateParameters
                ) -> list[Fix | LocateError]:
    """Fixes for many events at once (vectorised); a LocateError in place of each failure."""
    sizes = [len(group) for group in groups]
    flat = [bearing for group in groups for bearing in group]
    index = np.repeat(np.arange(len(groups)), sizes)
    sigma = np.array([b.sigma_deg if b.sigma_deg is not None else parameters.bearing_sigma_deg
                      for b in flat], dtype=np.float64)
    return solve_fixes(BearingArrays(
        group=index,
        lon=np.array([b.lon for b in flat], dtype=np.float64),
        lat=np.array([b.lat for b in flat], dtype=np.float64),
        azimuth_deg=np.array([b.azimuth_deg for b in flat], dtype=np.float64),
        sigma_deg=sigma,
        n_groups=len(groups),
        labels=[b.label for b in flat],
    ), parameters)


_OK, _TOO_FEW, _PARALLEL, _BEHIND = 0, 1, 2, 3


@dataclass(frozen=True)
class BearingArrays:
    """The bearings of many groups as arrays, one entry per bearing: bearing i belongs to
    group[i] (0 to n_groups - 1); labels name the bearings in error messages."""

    group: NDArray[np.intp]
    lon: FloatArray
    lat: FloatArray
    azimuth_deg: FloatArray
    sigma_deg: FloatArray
    n_groups: int
    labels: Sequence[str] | None = None


@dataclass(frozen=True)
class _Solved:
    """Per group: status code, fix, covariance and crossing angle; per bearing: residual,
    range, and how far ahead of its observer the fix lies along the ray."""

    status: NDArray[Any]
    centre_lon: FloatArray
    centre_lat: FloatArray
    cov: FloatArray
    crossing: FloatArray
    residual: FloatArray
    ranges: FloatArray
    ahead: FloatArray


def solve_fixes(bearings: BearingArrays, parameters: LocateParameters,
                max_iterations: int = 10, tolerance_m: float = 1e-3
                ) -> list[Fix | LocateError]:
    """The fix of each group of bearings. Arrays in, one pass.

    The first pass, centred on the observers, weighs every line alike because the ranges are
    not known yet; later passes are centred on the estimate and weigh by 1 / (range * sigma)^2.
    A group leaves the passes once a later pass moves its estimate by less than `tolerance_m`
    (or not at all): each group stops by its own test, so a group's fix is the same whether it
    is solved alone or with others.
    """
    group, lon, lat = bearings.group, bearings.lon, bearings.lat
    azimuth_deg, sigma_deg, n_groups = bearings.azimuth_deg, bearings.sigma_deg, bearings.n_groups
    counts = np.bincount(group, minlength=n_groups).astype(np.float64)
    status = np.where(counts < 2, _TOO_FEW, _OK)
    safe = np.maximum(counts, 1.0)
    centre_lon = np.bincount(group, lon, n_groups) / safe
    centre_lat = np.bincount(group, lat, n_groups) / safe
    sigma_rad = np.radians(sigma_deg)
    crossing = np.zeros(n_groups)
    cov = np.zeros((n_groups, 2, 2))
    move = np.zeros(n_groups)
    active = np.arange(n_groups)  # the groups still moving, and their bearings
    rows = np.arange(len(group))
    for iteration in range(max_iterations):
        g = group[rows]
        x, y, gamma = to_local(centre_lon[g], centre_lat[g], lon[rows], lat[rows])
        if iteration > 0:
            weights = 1.0 / (np.maximum(np.hypot(x, y), 1.0) * sigma_rad[rows]) ** 2
        else:
            weights = np.ones(len(rows))
        alpha = np.radians(azimuth_deg[rows] + gamma)
        nx, ny = np.cos(alpha), -np.sin(alpha)  # unit normal of the line through (x, y)
        c = nx * x + ny * y
        a_xx, a_xy, a_yy, b_x, b_y = (
            np.bincount(g, weights * term, n_groups).astype(np.float64)[active]
            for term in (nx * nx, nx * ny, ny * ny, nx * c, ny * c))
        if iteration == 0:
            crossing = _crossing_angle_deg(a_xx, a_xy, a_yy)
            status = np.where((status == _OK) & (crossing < parameters.min_crossing_angle_deg),
                              _PARALLEL, status)
        ok = status[active] == _OK
        det = np.where(ok, a_xx * a_yy - a_xy**2, 1.0)
        px = np.where(ok, (a_yy * b_x - a_xy * b_y) / det, 0.0)
        py = np.where(ok, (a_xx * b_y - a_xy * b_x) / det, 0.0)
        step = np.stack([np.stack([a_yy, -a_xy], -1), np.stack([-a_xy, a_xx], -1)], -2)
        cov[active] = step / det[:, None, None]
        moved_lon, moved_lat = to_lonlat(centre_lon[active], centre_lat[active], px, py)
        still = (moved_lon == centre_lon[active]) & (moved_lat == centre_lat[active])
        centre_lon[active], centre_lat[active] = moved_lon, moved_lat
        move[active] = np.hypot(px, py)
        if iteration > 0:
            settled = still | (move[active] < tolerance_m)
            if settled.any():
                active = active[~settled]
                rows = rows[np.isin(group[rows], active)]
        if len(active) == 0:
            break
    # Final geometry about the fix: ranges, residuals, and whether each ray points at it.
    x, y, gamma = to_local(centre_lon[group], centre_lat[group], lon, lat)
    alpha = np.radians(azimuth_deg + gamma)
    ahead = -x * np.sin(alpha) - y * np.cos(alpha)
    behind = np.bincount(group, (ahead <= 0).astype(np.float64), n_groups) > 0
    status = np.where((status == _OK) & behind, _BEHIND, status)
    true_azimuth_to_fix = np.degrees(np.arctan2(-x, -y)) - gamma
    residual = (azimuth_deg - true_azimuth_to_fix + 180.0) % 360.0 - 180.0
    solved = _Solved(status=status, centre_lon=centre_lon, centre_lat=centre_lat, cov=cov,
                     crossing=crossing, residual=residual, ranges=np.hypot(x, y), ahead=ahead)
    return _results(bearings, solved, parameters)


def _results(bearings: BearingArrays, solved: _Solved, parameters: LocateParameters
             ) -> list[Fix | LocateError]:
    group, n_groups, labels = bearings.group, bearings.n_groups, bearings.labels
    status, cov, ahead = solved.status, solved.cov, solved.ahead
    scale = math.sqrt(-2.0 * math.log(1.0 - parameters.ellipse_confidence))
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(n_groups + 1)).tolist()
    residuals, reaches = solved.residual[order].tolist(), solved.ranges[order].tolist()
    confidence = parameters.ellipse_confidence
    results: list[Fix | LocateError] = []
    for g, (code, fix_lon, fix_lat, c_xx, c_xy, c_yy, angle) in enumerate(zip(
            status.tolist(), solved.centre_lon.tolist(), solved.centre_lat.tolist(),
            cov[:, 0, 0].tolist(), cov[:, 0, 1].tolist(), cov[:, 1, 1].tolist(),
            solved.crossing.tolist(), strict=True)):
        low, high = starts[g], starts[g + 1]
        if code == _OK:
            results.append(_make_fix(
                lon=fix_lon,
                lat=fix_lat,
                error_ellipse=_ellipse_of(c_xx, c_xy, c_yy, scale, confidence),
                crossing_angle_deg=angle,
                residuals_deg=tuple(residuals[low:high]),
                ranges_m=tuple(reaches[low:high]),
            ))
        elif code == _TOO_FEW:
            results.append(TooFewBearings(
                f"a fix needs at least 2 bearings, {high - low} given"))
        elif code == _PARALLEL:
            results.append(NearParallelBearings(
                f"the bearings cross at {angle:.1f} degrees, under the minimum of "
                f"{parameters.min_crossing_angle_deg:g}: they are too nearly parallel to fix a "
                f"point"))
        else:
            members = order[low:high]
            culprit = int(members[np.argmin(ahead[members])])
            name = labels[culprit] if labels and labels[culprit] else f"bearing {culprit + 1}"
            results.append(BearingsDiverge(
                f"the bearing lines meet behind {name}: the bearings do not converge"))
    return results


def _crossing_angle_deg(a_xx: FloatArray, a_xy: FloatArray, a_yy: FloatArray) -> FloatArray:
    # For two lines crossing at theta the eigenvalues of sum(n n^T) are 1 +- cos(theta), so
    # theta = 2 atan(sqrt(small / large)); the same formula rates any number of lines.
    trace = a_xx + a_yy
    root = np.sqrt((a_xx - a_yy) ** 2 + 4 * a_xy**2)
    large, small = (trace + root) / 2, np.maximum((trace - root) / 2, 0.0)
    ratio = np.divide(small, large, out=np.zeros_like(large), where=large > 0)
    angle: FloatArray = np.degrees(2 * np.arctan(np.sqrt(ratio)))
    return angle


def _ellipse_of(c_xx: float, c_xy: float, c_yy: float, scale: float, confidence: float
                ) -> ErrorEllipse:
    root = math.hypot(c_xx - c_yy, 2 * c_xy)
    major = max((c_xx + c_yy + root) / 2, 0.0)
    minor = max((c_xx + c_yy - root) / 2, 0.0)
    # Angle of the major axis from east (counter-clockwise), turned into an azimuth.
    theta = 0.5 * math.degrees(math.atan2(2 * c_xy, c_xx - c_yy))
    return _make_ellipse(
        semi_major_m=scale * math.sqrt(major),
        semi_minor_m=scale * math.sqrt(minor),
        orientation_deg=(90.0 - theta) % 180.0,
        confidence=confidence,
    )


@dataclass(frozen=True)
class SectorArea:
    """Where one observer's event can be: the wedge of a direction and a distance band.

    The area is exact for the wedge on the observer's local frame; the centroid is the
    wedge's centroid, placed on the ground along the centre bearing.
    """

    observer_lon: float
    observer_lat: float
    direction: Direction
    inner_km: float
    outer_km: float
    centroid_lon: float
    centroid_lat: float
    area_km2: float

    def polygon(self, arc_step_deg: float = 1.0) -> shapely.Polygon:
        """The wedge as a lon/lat polygon, its arcs drawn every `arc_step_deg` or closer."""
        points = max(2, math.ceil(2 * self.direction.half_width_deg / arc_step_deg) + 1)
        xs, ys = wedge_ring(self.direction.centre_deg, self.direction.half_width_deg,
                            self.inner_km * 1000, self.outer_km * 1000, points)
        lon, lat = to_lonlat(self.observer_lon, self.observer_lat, xs[0], ys[0])
        return shapely.Polygon(np.column_stack([lon, lat]))


def sector_area(lon: float, lat: float, direction: Direction, inner_km: float,
                outer_km: float) -> SectorArea:
    """The wedge seen from (lon, lat): `direction` (half-width above 0) from inner to outer km."""
    half = direction.half_width_deg
    if not 0 < half <= 180:
        raise LocateError("a sector area needs a half-width above 0 and at most 180 degrees")
    if not 0 <= inner_km < outer_km:
        raise LocateError("a sector area needs 0 <= inner_km < outer_km")
    h = math.radians(half)
    a, b = inner_km * 1000, outer_km * 1000
    # Centroid of an annular sector: (2 sin h / 3h) (b^3 - a^3) / (b^2 - a^2) from the apex.
    reach = (2 * math.sin(h) / (3 * h)) * (b**3 - a**3) / (b**2 - a**2)
    centroid_lon, centroid_lat = destination(lon, lat, direction.centre_deg, reach)
    return SectorArea(
        observer_lon=lon, observer_lat=lat, direction=direction, inner_km=inner_km,
        outer_km=outer_km, centroid_lon=centroid_lon, centroid_lat=centroid_lat,
        area_km2=h * (b**2 - a**2) / 1e6,
    )


def sector_areas(lon: ArrayLike, lat: ArrayLike, centre_deg: ArrayLike,
                 half_width_deg: ArrayLike, inner_km: ArrayLike, outer_km: ArrayLike
                 ) -> list[SectorArea]:
    """`sector_area` of many wedges at once: the same areas, one geodesic call for all."""
    lon_, lat_, centre, half, low, high = (np.asarray(v, dtype=np.float64).ravel() for v in (
        lon, lat, centre_deg, half_width_deg, inner_km, outer_km))
    if len(half) == 0:
        return []
    bad_half = ~((half > 0) & (half <= 180))
    bad_band = ~((low >= 0) & (low < high))
    if bad_half.any() or bad_band.any():
        k = int(np.argmax(bad_half | bad_band))
        sector_area(float(lon_[k]), float(lat_[k]), Direction(float(centre[k]), float(half[k])),
                    float(low[k]), float(high[k]))  # raises the same LocateError
    h = np.radians(half)
    a, b = low * 1000, high * 1000
    reach = (2 * np.sin(h) / (3 * h)) * (b**3 - a**3) / (b**2 - a**2)
    centroid_lon, centroid_lat, _ = GEOD.fwd(lon_, lat_, centre, reach)
    area = h * (b**2 - a**2) / 1e6
    return [_make_sector_area(observer_lon=x, observer_lat=y,
                              direction=_make_direction(centre_deg=c, half_width_deg=w),
                              inner_km=p, outer_km=q, centroid_lon=u, centroid_lat=v,
                              area_km2=s)
            for x, y, c, w, p, q, u, v, s in zip(
                lon_.tolist(), lat_.tolist(), centre.tolist(), half.tolist(), low.tolist(),
                high.tolist(), np.asarray(centroid_lon).tolist(),
                np.asarray(centroid_lat).tolist(), area.tolist(), strict=True)]


_T = TypeVar("_T")


def assembler(cls: type[_T]) -> Callable[..., _T]:
    """A quick constructor for a frozen dataclass whose __init__ only sets its fields.

    Called with every field by keyword, it puts the values straight into the new instance's
    __dict__, as the generated __init__ would one object.__setattr__ at a time, at a third of
    the cost: it matters where tens of thousands of results are built in one call.
    """
    assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
    assert all(f.default is MISSING and f.default_factory is MISSING
               for f in fields(cls))  # type: ignore[arg-type]
    new = object.__new__

    def assemble(**values: Any) -> _T:
        instance: _T = new(cls)
        instance.__dict__.update(values)
        return instance

    return assemble


_make_fix = assembler(Fix)
_make_ellipse = assembler(ErrorEllipse)
_make_sector_area = assembler(SectorArea)
_make_direction = assembler(Direction)


def _finite(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))

