from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from hofburg.monitoring.engine.areas import (
    AreasError,
    ReportingAreas,
    load_reporting_areas,
    reporting_areas_from_geojson,
)
from tests.monitoring.engine.synthetic import DATA

AREAS_FILE = DATA / "exercise_reporting_areas.geojson"


def _square(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north],
                                                [west, north], [west, south]]]}


def _collection(*features: tuple[Any, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": properties, "geometry": geometry}
        for properties, geometry in features]}


# West and East share the meridian 0; North sits on top of both.
WEST = ({"code": "W", "name": "West"}, _square(-1, 0, 0, 1))
EAST = ({"code": "E", "name": "East"}, _square(0, 0, 1, 1))
NORTH = ({"code": "N"}, _square(-1, 1, 1, 2))


@pytest.fixture(scope="module")
def exercise_areas() -> ReportingAreas:
    return load_reporting_areas(AREAS_FILE)


def test_the_exercise_areas_are_named_and_marked_as_exercise(
        exercise_areas: ReportingAreas) -> None:
    assert list(exercise_areas.names) == ["EX-SOUTH", "EX-CENTRE-SOUTH", "EX-CENTRE-NORTH",
                                          "EX-NORTH"]
    assert exercise_areas.name_of("EX-NORTH") == "Sector North (exercise)"
    assert exercise_areas.name_of("841e61bffffffff") is None
    assert exercise_areas.exercise
    assert all(a.exercise and "(exercise)" in a.name for a in exercise_areas.areas)


def test_the_exercise_areas_cover_the_line_of_contact(exercise_areas: ReportingAreas) -> None:
    data = json.loads((DATA / "exercise_lines.geojson").read_text(encoding="utf-8"))
    covered = shapely.union_all([a.geometry for a in exercise_areas.areas])
    for feature in data["features"]:
        assert covered.covers(shapely.geometry.shape(feature["geometry"]))


def test_a_position_gets_the_area_that_holds_it(exercise_areas: ReportingAreas) -> None:
    lon = [-29.95, -29.9, -30.2, -29.7, -29.9, -31.0, 10.0]
    lat = [47.3, 47.9, 48.5, 49.2, 49.7, 48.0, 50.0]
    assert exercise_areas.codes_at(lon, lat) == [
        "EX-SOUTH", "EX-CENTRE-SOUTH", "EX-CENTRE-NORTH", "EX-NORTH", None, None, None]
    assert exercise_areas.code_at(-29.95, 47.3) == "EX-SOUTH"
    assert exercise_areas.codes_at(np.array([]), np.array([])) == []


def test_a_point_not_on_the_globe_is_in_no_area(exercise_areas: ReportingAreas) -> None:
    assert exercise_areas.codes_at([np.nan, -29.9, np.inf], [48.0, np.nan, 48.0]) == \
        [None, None, None]


def test_a_point_on_a_shared_border_belongs_to_the_first_area_in_the_file() -> None:
    on_border = ([0.0, 0.0, 0.0, -0.5, 0.5], [0.5, 1.0, 0.0, 1.0, 1.0])
    areas = reporting_areas_from_geojson(_collection(WEST, EAST, NORTH))
    assert areas.codes_at(*on_border) == ["W", "W", "W", "W", "E"]
    turned = reporting_areas_from_geojson(_collection(NORTH, EAST, WEST))
    assert turned.codes_at(*on_border) == ["E", "N", "E", "N", "N"]
    assert [areas.code_at(x, y) for x, y in zip(*on_border, strict=True)] == \
        areas.codes_at(*on_border)


def test_the_outer_boundary_is_inside() -> None:
    areas = reporting_areas_from_geojson(_collection(WEST))
    assert areas.codes_at([-1.0, -0.5, -1.0000001], [0.5, 0.0, 0.5]) == ["W", "W", None]


def test_an_area_may_be_a_multipolygon_and_a_name_defaults_to_the_code() -> None:
    islands = {"type": "MultiPolygon", "coordinates": [
        _square(0, 0, 1, 1)["coordinates"], _square(3, 0, 4, 1)["coordinates"]]}
    areas = reporting_areas_from_geojson(_collection(({"code": "ISLANDS"}, islands)))
    assert areas.codes_at([0.5, 2.0, 3.5], [0.5, 0.5, 0.5]) == ["ISLANDS", None, "ISLANDS"]
    assert areas.names == {"ISLANDS": "ISLANDS"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-30.6, -29.3), st.floats(46.8, 49.6)), min_size=1,
                max_size=50))
def test_the_vectorised_lookup_agrees_with_one_point_at_a_time(
        points: list[tuple[float, float]]) -> None:
    areas = load_reporting_areas(AREAS_FILE)
    lon, lat = (np.array(column) for column in zip(*points, strict=True))
    codes = areas.codes_at(lon, lat)
    for (x, y), code in zip(points, codes, strict=True):
        assert code == areas.code_at(x, y)
        holders = [a.code for a in areas.areas if a.geometry.covers(Point(x, y))]
        assert code == (holders[0] if holders else None)


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(_collection(WEST, EAST, NORTH))
    change(data["features"])
    return data


@pytest.mark.parametrize(("change", "index", "key", "words"), [
    (lambda f: f[1]["properties"].pop("code"), 1, "code", "is required"),
    (lambda f: f[2]["properties"].update(code=""), 2, "code", "is required"),
    (lambda f: f[2]["properties"].update(code="W"), 2, "code", "feature 0 already"),
    (lambda f: f[0]["properties"].update(code="X" * 33), 0, "code", "longer than 32"),
    (lambda f: f[1]["properties"].update(code=" E"), 1, "code", "spaces"),
    (lambda f: f[0]["properties"].update(name=7), 0, "name", "text"),
    (lambda f: f[1].update(geometry={"type": "Point", "coordinates": [0, 0]}), 1, "geometry",
     "not Point"),
    (lambda f: f[1].update(geometry=None), 1, "geometry", "not None"),
    (lambda f: f[2].update(geometry={"type": "Polygon", "coordinates": [[[0, 0], [1]]]}), 2,
     "geometry", "cannot be read"),
    (lambda f: f[2].update(geometry={"type": "Polygon", "coordinates": [
        [[-1, 1], [1, 2], [1, 1], [-1, 2], [-1, 1]]]}), 2, "geometry", "Self-intersection"),
    (lambda f: f[2].update(geometry=_square(0.5, 0.5, 2, 2)), 2, "geometry",
     "overlaps feature 1 (E)"),
    (lambda f: f[2].update(geometry=_square(-0.9, 0.1, -0.1, 0.9)), 2, "geometry",
     "overlaps feature 0 (W)"),
])
def test_a_faulty_areas_file_is_refused_naming_the_feature_and_key(
        change: Any, index: int, key: str, words: str) -> None:
    with pytest.raises(AreasError) as caught:
        reporting_areas_from_geojson(_broken(change))
    assert (caught.value.index, caught.value.key) == (index, key)
    assert str(caught.value).startswith(f"feature {index}: {key}: ")
    assert words in str(caught.value)


def test_a_file_that_is_not_a_feature_collection_is_refused() -> None:
    for data in ({"type": "Feature"}, {"type": "FeatureCollection", "features": {}}, []):
        with pytest.raises(AreasError, match=r"^features: "):
            reporting_areas_from_geojson(data)  # type: ignore[arg-type]
