"""Named reporting areas: which of a mission's areas holds a position.

The SMM counted ceasefire violations per named region (Donetsk, Luhansk) per reporting period
(domain reference, 0 and 1.1). Which areas a mission reports by is its own choice, so the areas
are data: a GeoJSON FeatureCollection of Polygons or MultiPolygons, each with a short `code`
(what the rollups store) and a `name` (what readers see; the code when absent).

Areas must not overlap, but they need not cover everything: a position outside every area has
no area (None), and the caller decides what to count it under. Areas are closed (a point on a
boundary is inside), and a point on a border that two areas share belongs to the first of them
in the file's order, so every position has at most one area, the same one every time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

# The rollups' area column holds 32 characters.
CODE_MAX_LENGTH = 32
_AREA_TYPES = ("Polygon", "MultiPolygon")


class AreasError(ValueError):
    """The areas file cannot be used as given; `index` (the feature's position in the file,
    from 0, or None for the file as a whole) and `key` say where."""

    def __init__(self, index: int | None, key: str, message: str) -> None:
        where = f"feature {index}: {key}" if index is not None else key
        super().__init__(f"{where}: {message}")
        self.index = index
        self.key = key
        self.message = message


@dataclass(frozen=True)
class ReportingArea:
    code: str
    name: str
    geometry: BaseGeometry
    exercise: bool = False


@dataclass(frozen=True)
class ReportingAreas:
    """A mission's reporting areas, in the file's order (which settles shared borders)."""

    areas: tuple[ReportingArea, ...]
    exercise: bool = False
    _codes: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _names: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for area in self.areas:
            shapely.prepare(area.geometry)
        object.__setattr__(self, "_codes", tuple(a.code for a in self.areas))
        object.__setattr__(self, "_names", {a.code: a.name for a in self.areas})

    @property
    def names(self) -> Mapping[str, str]:
        """Each area's name by its code."""
        return self._names

    def name_of(self, code: str) -> str | None:
        """The name of the area with this code; None if no area has it."""
        return self._names.get(code)

    def codes_at(self, lon: ArrayLike, lat: ArrayLike) -> list[str | None]:
        """The code of the area holding each (lon, lat) point; None outside every area.

        Vectorised: one predicate call per area over the points no earlier area took. A point
        that is not a finite position is in no area.
        """
        x = np.asarray(lon, dtype=float).ravel()
        y = np.asarray(lat, dtype=float).ravel()
        if x.shape != y.shape:
            raise ValueError(f"{len(x)} longitudes but {len(y)} latitudes")
        which: NDArray[np.intp] = np.full(len(x), -1, dtype=np.intp)
        free = np.arange(len(x))
        for k, area in enumerate(self.areas):
            if not len(free):
                break
            inside = shapely.intersects_xy(area.geometry, x[free], y[free])
            which[free[inside]] = k
            free = free[~inside]
        codes = self._codes
        return [codes[k] if k >= 0 else None for k in which.tolist()]

    def code_at(self, lon: float, lat: float) -> str | None:
        """`codes_at` for one point (the same predicate, so the same answer)."""
        return self.codes_at([lon], [lat])[0]


def load_reporting_areas(path: str | Path) -> ReportingAreas:
    """Reporting areas from a GeoJSON file (see `reporting_areas_from_geojson`)."""
    with open(path, encoding="utf-8") as handle:
        return reporting_areas_from_geojson(json.load(handle))


def reporting_areas_from_geojson(data: Mapping[str, Any]) -> ReportingAreas:
    """Reporting areas from a FeatureCollection; AreasError names the first faulty feature.

    Each feature needs a `code` (unique, at most 32 characters) and a valid Polygon or
    MultiPolygon; `name` defaults to the code. No two areas may share any interior point
    (touching along a border is fine).
    """
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection" or \
            not isinstance(data.get("features"), list):
        raise AreasError(None, "features", "the file must be a GeoJSON FeatureCollection")
    exercise = bool(data.get("exercise", False))
    areas: list[ReportingArea] = []
    first_with: dict[str, int] = {}
    for index, feature in enumerate(data["features"]):
        props = (feature.get("properties") if isinstance(feature, Mapping) else None) or {}
        code = props.get("code")
        if not isinstance(code, str) or not code.strip():
            raise AreasError(index, "code", "is required (a short text)")
        if code != code.strip():
            raise AreasError(index, "code", f"{code!r} has spaces at its ends")
        if len(code) > CODE_MAX_LENGTH:
            raise AreasError(index, "code", f"{code!r} is longer than {CODE_MAX_LENGTH} "
                                            "characters")
        if code in first_with:
            raise AreasError(index, "code", f"{code!r} is the code of feature "
                                            f"{first_with[code]} already")
        first_with[code] = index
        name = props.get("name", code)
        if not isinstance(name, str) or not name.strip():
            raise AreasError(index, "name", "must be a text when given")
        areas.append(ReportingArea(code=code, name=name.strip(),
                                   geometry=_geometry(index, feature.get("geometry")),
                                   exercise=bool(props.get("exercise", exercise))))
    _refuse_overlaps(areas)
    return ReportingAreas(areas=tuple(areas), exercise=exercise)


def _geometry(index: int, geometry: Any) -> BaseGeometry:
    kind = geometry.get("type") if isinstance(geometry, Mapping) else None
    if kind not in _AREA_TYPES:
        raise AreasError(index, "geometry", f"must be a Polygon or MultiPolygon, not {kind}")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, IndexError, shapely.errors.GEOSException) as error:
        raise AreasError(index, "geometry", f"cannot be read: {error}") from None
    if polygon.is_empty:
        raise AreasError(index, "geometry", "is empty")
    if not polygon.is_valid:
        raise AreasError(index, "geometry",
                         f"is not valid: {shapely.is_valid_reason(polygon)}")
    return polygon


def _refuse_overlaps(areas: Sequence[ReportingArea]) -> None:
    """AreasError on the later of the first two areas whose interiors meet."""
    geometries = [a.geometry for a in areas]
    if len(geometries) < 2:
        return
    tree = shapely.STRtree(geometries)
    later, earlier = tree.query(geometries, predicate="intersects")
    pairs = sorted((int(j), int(i)) for j, i in zip(later, earlier, strict=True) if i < j)
    for j, i in pairs:
        if geometries[j].relate_pattern(geometries[i], "T********"):
            raise AreasError(j, "geometry", f"overlaps feature {i} ({areas[i].code}); "
                                            "areas may share borders, not ground")
