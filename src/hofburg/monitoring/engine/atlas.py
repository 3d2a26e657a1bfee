"""The offline base map: the world-atlas countries (a TopoJSON file) as polygons, cut to a box.

world-atlas (Natural Earth's boundaries at 1:50 million, vendored under static/vendor/) stores
each country as rings of shared arcs, quantised and delta-encoded (the TopoJSON format,
github.com/topojson/topojson-specification). The browser maps decode it with
topojson-client; the daily report draws its map on the server, so the same file is decoded
here. Only what a report's map shows is kept: the parts of countries inside the map's box.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from hofburg.monitoring.engine.columns import FloatArray

Ring = list[tuple[float, float]]  # (lon, lat) points, closed
Box = tuple[float, float, float, float]  # west, south, east, north


class AtlasError(ValueError):
    """The file is not a TopoJSON topology with a `countries` object."""


@dataclass(frozen=True)
class Country:
    """A country of the atlas: its ISO 3166 numeric id (as the atlas gives it) and shape."""

    country_id: str
    geometry: BaseGeometry


def load_countries(path: str | Path) -> tuple[Country, ...]:
    """The countries of a world-atlas file (see `countries_from_topology`)."""
    with open(path, encoding="utf-8") as handle:
        return countries_from_topology(json.load(handle))


def countries_from_topology(topology: Mapping[str, Any]) -> tuple[Country, ...]:
    """Each country of the topology's `countries` object as a (multi)polygon in lon/lat."""
    try:
        if topology["type"] != "Topology":
            raise AtlasError("not a TopoJSON Topology")
        arcs = _decoded_arcs(topology["arcs"], topology.get("transform"))
        geometries = topology["objects"]["countries"]["geometries"]
    except (KeyError, TypeError) as missing:
        raise AtlasError(f"not a world-atlas topology: {missing} is missing") from None
    countries = []
    for geometry in geometries:
        polygons = _polygons(geometry, arcs)
        if polygons:
            shape = shapely.make_valid(shapely.MultiPolygon(polygons))
            countries.append(Country(str(geometry.get("id", "")), shape))
    return tuple(countries)


def _decoded_arcs(encoded: Sequence[Sequence[Sequence[float]]],
                  transform: Mapping[str, Sequence[float]] | None) -> list[FloatArray]:
    """Every arc as an (n, 2) array of lon/lat: quantised arcs are delta-encoded positions
    scaled and translated by the topology's transform."""
    arcs = []
    for arc in encoded:
        points = np.asarray(arc, dtype=float)[:, :2]
        if transform is not None:
            points = np.cumsum(points, axis=0) * np.asarray(transform["scale"]) \
                + np.asarray(transform["translate"])
        arcs.append(points)
    return arcs


def _ring(indexes: Sequence[int], arcs: Sequence[FloatArray]) -> FloatArray:
    """A ring joined from arcs; a negative index ~i is arc i walked backwards. Consecutive
    arcs share their joining point, which is kept once."""
    parts = []
    for number, index in enumerate(indexes):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if number == 0 else arc[1:])
    return np.concatenate(parts)


def _polygons(geometry: Mapping[str, Any], arcs: Sequence[FloatArray]) -> list[shapely.Polygon]:
    kind = geometry.get("type")
    if kind == "Polygon":
        nested = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        nested = geometry["arcs"]
    else:
        return []
    polygons = []
    for rings in nested:
        outer, *holes = [_ring(ring, arcs) for ring in rings]
        if len(outer) >= 4:
            polygons.append(shapely.Polygon(outer, [hole for hole in holes if len(hole) >= 4]))
    return polygons


def land_in(countries: Sequence[Country], box: Box) -> list[list[Ring]]:
    """The parts of the countries inside `box`, each country as a list of closed rings (outer
    rings and holes alike: a path filled by the even-odd rule draws them right)."""
    west, south, east, north = box
    frame = shapely.box(west, south, east, north)
    shapes = []
    for country in countries:
        if not country.geometry.intersects(frame):
            continue
        cut = shapely.clip_by_rect(country.geometry, west, south, east, north)
        rings = _rings_of(cut)
        if rings:
            shapes.append(rings)
    return shapes


def _rings_of(geometry: BaseGeometry) -> list[Ring]:
    """The outer rings and holes of the polygons in `geometry` (a cut may leave lines and
    points on the box's edge too: they draw nothing)."""
    rings: list[Ring] = []
    for part in _polygons_in(geometry):
        for ring in (part.exterior, *part.interiors):
            rings.append([(float(x), float(y)) for x, y in ring.coords])
    return rings


def _polygons_in(geometry: BaseGeometry) -> list[shapely.Polygon]:
    found: list[shapely.Polygon] = []
    for part in shapely.get_parts(geometry):
        if isinstance(part, shapely.Polygon):
            found += [] if part.is_empty else [part]
        elif isinstance(part, shapely.MultiPolygon | shapely.GeometryCollection):
            found += _polygons_in(part)
    return found
