"""The daily report's drawings in the pure engine: the atlas decoded and cut, the frame fitted
to the mission's area, the map and the chart as SVG with their words escaped."""

from __future__ import annotations

import math
import re

import pytest
import shapely
from lxml import etree

from hofburg.monitoring.engine import atlas
from hofburg.monitoring.engine.drawing import CATEGORY_COLOURS, nice_step, swatch
from hofburg.monitoring.engine.report_chart import BarChart, ChartDay, draw_chart, ticks
from hofburg.monitoring.engine.report_map import (
    MapDrawing,
    MapPoint,
    covering,
    draw_map,
    fitted_frame,
    radius,
    scale_length_km,
)
from tests.monitoring.engine.synthetic import DATA

SVG = "{http://www.w3.org/2000/svg}"
ATLAS = DATA.parents[1] / "static" / "vendor" / "world-atlas-2.0.2" / "countries-50m.json"
HOSTILE = '<script>alert("x")</script> & "quotes"'


def _parsed(svg: str) -> etree._Element:
    """The drawing as XML: it must be well-formed, whatever the words in it."""
    return etree.fromstring(svg.encode())


# --- the atlas --------------------------------------------------------------------------------

def _square_topology() -> dict[str, object]:
    """Two countries sharing one edge, quantised and delta-encoded as world-atlas is: arc 0
    is the shared edge, walked backwards by the second country (~0 = -1)."""
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10.0, 40.0]},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "001", "arcs": [[0, 1]]},
            {"type": "MultiPolygon", "id": "002", "arcs": [[[2, -1]]]},
        ]}},
        # arc 0: (12, 40) -> (12, 42); arc 1: (12, 42) -> (10, 42) -> (10, 40) -> (12, 40)
        "arcs": [[[4, 0], [0, 4]], [[4, 4], [-4, 0], [0, -4], [4, 0]],
                 # arc 2: (12, 42) -> (14, 42) -> (14, 40) -> (12, 40)
                 [[4, 4], [4, 0], [0, -4], [-4, 0]]],
    }


def test_a_topology_is_decoded_into_countries_sharing_their_edges() -> None:
    west, east = atlas.countries_from_topology(_square_topology())
    assert (west.country_id, east.country_id) == ("001", "002")
    assert west.geometry.bounds == (10.0, 40.0, 12.0, 42.0)
    assert east.geometry.bounds == (12.0, 40.0, 14.0, 42.0)
    assert west.geometry.area == pytest.approx(4.0) and east.geometry.area == pytest.approx(4.0)
    assert west.geometry.intersection(east.geometry).length == pytest.approx(2.0)


def test_only_the_land_inside_the_box_is_kept() -> None:
    countries = atlas.countries_from_topology(_square_topology())
    [rings] = atlas.land_in(countries, (13.0, 41.0, 20.0, 50.0))
    [ring] = rings
    assert {(round(x, 6), round(y, 6)) for x, y in ring} == {
        (13.0, 41.0), (14.0, 41.0), (14.0, 42.0), (13.0, 42.0)}
    assert atlas.land_in(countries, (30.0, 0.0, 40.0, 10.0)) == []


def test_something_that_is_not_a_topology_is_refused() -> None:
    with pytest.raises(atlas.AtlasError, match="Topology"):
        atlas.countries_from_topology({"type": "FeatureCollection", "features": []})
    with pytest.raises(atlas.AtlasError, match="missing"):
        atlas.countries_from_topology({"type": "Topology", "arcs": []})


def test_the_vendored_atlas_has_the_land_of_vienna() -> None:
    countries = atlas.load_countries(ATLAS)
    austria = next(c for c in countries if c.country_id == "040")
    assert austria.geometry.contains(shapely.Point(16.37, 48.21))
    assert atlas.land_in(countries, (16.0, 48.0, 16.6, 48.4))
    assert atlas.land_in(countries, (-31.0, 46.0, -29.0, 50.0)) == []  # the open Atlantic


# --- the map ----------------------------------------------------------------------------------

def test_the_frame_keeps_the_box_and_is_at_most_square_and_at_least_half_as_high() -> None:
    narrow = (-30.4, 46.9, -29.5, 49.5)  # the exercise sectors: tall and thin
    frame = fitted_frame(narrow)
    assert frame.west < -30.4 and frame.east > -29.5
    assert frame.south < 46.9 and frame.north > 49.5
    assert frame.height == pytest.approx(frame.width)
    wide = fitted_frame((20.0, 47.0, 40.0, 48.0))
    assert wide.height == pytest.approx(wide.width / 2)
    # Equirectangular about the middle latitude: a degree of longitude is cos φ₀ shorter.
    middle = (frame.south + frame.north) / 2
    assert frame.x(-29.0) - frame.x(-30.0) == pytest.approx(
        (frame.y(47.0) - frame.y(48.0)) * math.cos(math.radians(middle)))


def test_covering_holds_every_box() -> None:
    assert covering([(0.0, 0.0, 1.0, 1.0), (-2.0, 0.5, 0.5, 3.0)]) == (-2.0, 0.0, 1.0, 3.0)


def test_a_circle_grows_with_its_violations_up_to_a_largest_size() -> None:
    assert radius(1) < radius(4) < radius(40) <= radius(10_000) == radius(1_000_000)


def test_the_scale_bar_is_a_round_length_near_a_quarter_of_the_width() -> None:
    frame = fitted_frame((-30.4, 46.9, -29.5, 49.5))
    km = scale_length_km(frame)
    assert str(km)[0] in "125" and set(str(km)[1:]) <= {"0"}
    assert frame.width / 8 <= km * frame.units_per_km <= frame.width / 4


def _map(points: list[MapPoint], **words: str) -> str:
    frame = fitted_frame((-30.4, 46.9, -29.5, 49.5))
    return draw_map(MapDrawing(frame=frame, title=words.get("title", "Map"),
                               description=words.get("description", "Circles"),
                               points=points,
                               land=[[[(-30.0, 47.0), (-29.9, 47.0), (-29.9, 47.1),
                                       (-30.0, 47.0)]]],
                               areas=[[(-30.4, 46.9), (-29.6, 46.9), (-29.6, 47.6),
                                       (-30.4, 46.9)]],
                               lines=[((-30.0, 47.0), (-29.9, 48.2))],
                               scale_label=lambda km: f"{km} km"))


def test_the_map_draws_one_circle_per_cell_and_category_named_for_assistive_technology() -> None:
    points = [MapPoint(-29.9, 48.2, "burst", 12),
              MapPoint(-29.9, 48.2, "shot", 3),
              MapPoint(-30.1, 47.5, "explosion_undetermined", 1)]
    root = _parsed(_map(points, title="Map of ceasefire violations, 10 March 2026"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "report-map-title report-map-desc"
    assert root.find(f"{SVG}title").text == "Map of ceasefire violations, 10 March 2026"
    assert root.find(f"{SVG}title").get("id") == "report-map-title"
    assert root.find(f"{SVG}desc").get("id") == "report-map-desc"
    circles = root.findall(f".//{SVG}circle")
    assert [c.get("fill") for c in circles] == [CATEGORY_COLOURS["burst"],
                                                CATEGORY_COLOURS["shot"],
                                                CATEGORY_COLOURS["explosion_undetermined"]]
    # The two categories of one cell sit apart, so that both show.
    burst, shot = circles[0], circles[1]
    assert (burst.get("cx"), burst.get("cy")) != (shot.get("cx"), shot.get("cy"))
    assert "viewBox" in root.attrib and root.get("width") == "400"


def test_the_map_escapes_every_word() -> None:
    svg = _map([MapPoint(-29.9, 48.2, "burst", 1)], title=HOSTILE, description=HOSTILE)
    assert "<script>" not in svg
    root = _parsed(svg)
    assert root.find(f"{SVG}title").text == HOSTILE
    assert root.find(f"{SVG}desc").text == HOSTILE
    # No style attribute (the pages' Content-Security-Policy refuses inline styles).
    assert " style=" not in svg and " style=" not in draw_chart(_week())


def test_a_map_without_violations_still_shows_the_mission_s_area() -> None:
    root = _parsed(_map([]))
    assert root.findall(f".//{SVG}circle") == []
    assert len(root.findall(f".//{SVG}path")) >= 3  # land, an area, the line


# --- the chart --------------------------------------------------------------------------------

def _week(**overrides: object) -> BarChart:
    days = [ChartDay(f"{n} Mar", {"burst": 10 * n, "shot": n}, highlighted=n == 7,
                     tooltip=f"{n} March: {11 * n}") for n in range(1, 7)]
    days.insert(2, ChartDay("3 Mar", None))  # not released to this reader
    values: dict[str, object] = {
        "title": "Violations per report date", "description": "Totals", "y_label": "Violations",
        "x_label": "Report date", "days": days[:7], "categories": ["burst", "shot"],
        "number": lambda n: f"{n:,}".replace(",", "\u00a0")}
    values.update(overrides)
    return BarChart(**values)  # type: ignore[arg-type]


def test_ticks_are_round_and_reach_the_largest_bar() -> None:
    assert ticks(0) == [0, 1]
    assert ticks(3) == [0, 1, 2, 3]
    assert ticks(1365) == [0, 500, 1000, 1500]
    assert nice_step(1365) == 500 and nice_step(97) == 50


def test_the_chart_stacks_categories_outlines_its_day_and_marks_what_is_not_released() -> None:
    root = _parsed(draw_chart(_week()))
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == (
        "Violations per report date")
    groups = root.findall(f"{SVG}g[@class='day']")
    unreleased = root.findall(f"{SVG}g[@class='day not-released']")
    assert len(groups) == 6 and len(unreleased) == 1
    assert "—" in "".join(unreleased[0].itertext())
    assert unreleased[0].findall(f"{SVG}rect") == []  # a mark, never a bar of 0
    # Two categories stacked, in their colours.
    fills = [r.get("fill") for r in groups[0].findall(f".//{SVG}rect")]
    assert fills == [CATEGORY_COLOURS["burst"], CATEGORY_COLOURS["shot"]]
    # The tick labels are written by the number function given (the reader's language).
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Violations" in texts and "Report date" in texts
    assert "66" in texts  # the largest total, above its bar


def test_the_report_s_own_date_is_outlined_and_in_bold() -> None:
    days = [ChartDay("9 Mar", {"burst": 5}), ChartDay("10 Mar", {"burst": 1200},
                                                      highlighted=True)]
    root = _parsed(draw_chart(_week(days=days)))
    outlined = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none"]
    assert len(outlined) == 1
    bold = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")
            if t.get("font-weight") == "bold"]
    assert bold == ["1\u00a0200", "10Mar"]
    assert "1\u00a0500" not in bold and any(
        "".join(t.itertext()) == "1\u00a0500" for t in root.iter(f"{SVG}text"))


def test_a_date_s_two_words_stand_on_two_lines() -> None:
    root = _parsed(draw_chart(_week(days=[ChartDay("28 февр.", {"burst": 1})])))
    spans = [t.text for t in root.iter(f"{SVG}tspan")]
    assert spans == ["28", "февр."]


def test_the_chart_escapes_every_word() -> None:
    svg = draw_chart(_week(title=HOSTILE, y_label=HOSTILE,
                           days=[ChartDay(HOSTILE, {"burst": 1}, tooltip=HOSTILE)]))
    assert "<script>" not in svg
    assert _parsed(svg).find(f"{SVG}title").text == HOSTILE


def test_a_swatch_is_hidden_from_assistive_technology() -> None:
    for shape in ("circle", "line", "area"):
        root = _parsed(swatch("#000000", shape))
        assert root.get("aria-hidden") == "true"
    assert re.search(r'fill="#D55E00"', swatch(CATEGORY_COLOURS["explosion_undetermined"]))
