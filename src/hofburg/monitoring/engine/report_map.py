"""The daily report's map: the period's violations by map cell and category, drawn as SVG over
the countries of the offline atlas, the mission's reporting areas and its line of contact.

The projection is equirectangular about the map's middle latitude (x = longitude × cos φ₀,
y = latitude), fitted to the mission's area: over a few hundred kilometres it distorts
distances by well under one per cent, which a daily report's map does not show, and it needs
no projection library. The frame is widened (or heightened) to a shape between landscape 2:1
and square, so a long, narrow mission area still gives a map that fits a page and a phone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hofburg.monitoring.engine.atlas import Box, Ring
from hofburg.monitoring.engine.drawing import (
    CATEGORY_COLOURS,
    INK,
    MUTED,
    colour_of,
    element,
    labelled_svg,
    number,
    text,
)

KM_PER_DEGREE = 111.32  # of latitude (and of longitude at the equator), near enough here
LAND, SEA, BORDER = "#d3d3cf", "#eef3f7", "#ffffff"  # as the desk's Leaflet maps draw them
AREA_OUTLINE = "#5b6673"
LINE_COLOUR = "#7a1c1c"
# Map units: a viewBox 400 wide is about a phone's width, so its words stay readable there.
WIDTH = 400.0
SMALLEST_RADIUS, RADIUS_PER_ROOT, LARGEST_RADIUS = 2.5, 1.5, 14.0


@dataclass(frozen=True)
class Frame:
    """A box of longitudes and latitudes drawn `width` × `height` map units."""

    west: float
    south: float
    east: float
    north: float
    width: float
    height: float

    @property
    def units_per_degree(self) -> float:
        return self.height / (self.north - self.south)

    @property
    def shrink(self) -> float:
        """cos φ₀: how much shorter a degree of longitude is than one of latitude here."""
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def units_per_km(self) -> float:
        return self.units_per_degree / KM_PER_DEGREE

    @property
    def box(self) -> Box:
        return self.west, self.south, self.east, self.north

    def x(self, lon: float) -> float:
        return (lon - self.west) * self.shrink * self.units_per_degree

    def y(self, lat: float) -> float:
        return (self.north - lat) * self.units_per_degree


def fitted_frame(box: Box, *, width: float = WIDTH, margin: float = 0.08,
                 tallest: float = 1.0, flattest: float = 0.5) -> Frame:
    """The frame showing `box` with a margin around it, its height between `flattest` and
    `tallest` times its width: the shorter side is lengthened about the middle."""
    west, south, east, north = box
    pad_lon = max((east - west) * margin, 0.05)
    pad_lat = max((north - south) * margin, 0.05)
    west, east, south, north = west - pad_lon, east + pad_lon, south - pad_lat, north + pad_lat
    shrink = math.cos(math.radians((south + north) / 2))
    across, up = (east - west) * shrink, north - south  # in degrees of latitude
    if up > across * tallest:
        grow = (up / tallest - across) / shrink / 2
        west, east = west - grow, east + grow
    elif up < across * flattest:
        grow = (across * flattest - up) / 2
        south, north = south - grow, north + grow
    south, north = max(south, -85.0), min(north, 85.0)
    across = (east - west) * math.cos(math.radians((south + north) / 2))
    height = width * (north - south) / across
    return Frame(west, south, east, north, width, height)


def covering(boxes: Sequence[Box]) -> Box:
    """The smallest box holding all of `boxes`."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass(frozen=True)
class MapPoint:
    """The violations of one category in one map cell, drawn at the cell's centre."""

    lon: float
    lat: float
    category: str
    violations: int


@dataclass(frozen=True)
class MapDrawing:
    """Everything the map shows, its words already in the reader's language."""

    frame: Frame
    title: str
    description: str
    points: Sequence[MapPoint]
    land: Sequence[Sequence[Ring]] = ()
    areas: Sequence[Ring] = ()
    lines: Sequence[Sequence[tuple[float, float]]] = ()
    scale_label: Callable[[int], str] = field(default=lambda km: f"{km} km")
    element_id: str = "report-map"


def radius(violations: int) -> float:
    """A circle's radius: its area grows with the violations, up to a largest size."""
    return min(SMALLEST_RADIUS + RADIUS_PER_ROOT * math.sqrt(max(violations, 0)),
               LARGEST_RADIUS)


def draw_map(drawing: MapDrawing) -> str:
    """The map as one `<svg>` element."""
    frame = drawing.frame
    body = (element("rect", {"x": 0, "y": 0, "width": frame.width, "height": frame.height,
                             "fill": SEA})
            + "".join(_country(frame, rings) for rings in drawing.land)
            + "".join(_outline(frame, ring) for ring in drawing.areas)
            + _circles(frame, drawing.points)
            + "".join(_line(frame, line) for line in drawing.lines)
            + _scale_bar(frame, drawing.scale_label)
            + element("rect", {"x": 0.5, "y": 0.5, "width": frame.width - 1,
                               "height": frame.height - 1, "fill": "none", "stroke": MUTED,
                               "stroke-width": 1}))
    return labelled_svg(drawing.element_id, frame.width, frame.height, drawing.title,
                        drawing.description, body)


def _path(frame: Frame, points: Sequence[tuple[float, float]], closed: bool) -> str:
    steps = " ".join(f"{number(frame.x(lon))} {number(frame.y(lat))}" for lon, lat in points)
    return f"M{steps}{'Z' if closed else ''}"


def _country(frame: Frame, rings: Sequence[Ring]) -> str:
    return element("path", {"d": "".join(_path(frame, ring, True) for ring in rings),
                            "fill": LAND, "fill-rule": "evenodd", "stroke": BORDER,
                            "stroke-width": 0.8})


def _outline(frame: Frame, ring: Ring) -> str:
    return element("path", {"d": _path(frame, ring, True), "fill": "none",
                            "stroke": AREA_OUTLINE, "stroke-width": 0.8})


def _line(frame: Frame, line: Sequence[tuple[float, float]]) -> str:
    """A reference line over the circles, dashed on a pale edge so it shows across them."""
    path = _path(frame, line, False)
    return (element("path", {"d": path, "fill": "none", "stroke": BORDER, "stroke-width": 3.2,
                             "stroke-opacity": "0.8"})
            + element("path", {"d": path, "fill": "none", "stroke": LINE_COLOUR,
                               "stroke-width": 1.4, "stroke-dasharray": "6 3"}))


def _circles(frame: Frame, points: Sequence[MapPoint]) -> str:
    """One circle per cell and category, the largest first so that none hides a smaller one;
    where a cell holds several categories each sits a little off the centre, in its own
    direction, so that all of them show. No tooltip per circle: the legend and the tables give
    the counts as text, and each extra element costs the PDF's drawing time."""
    shared: dict[tuple[float, float], int] = {}
    for point in points:
        shared[point.lon, point.lat] = shared.get((point.lon, point.lat), 0) + 1
    circles = []
    for point in sorted(points, key=lambda p: (-p.violations, p.category, p.lon, p.lat)):
        x, y = frame.x(point.lon), frame.y(point.lat)
        if shared[point.lon, point.lat] > 1:
            angle = _direction(point.category)
            x, y = x + 2.5 * math.cos(angle), y + 2.5 * math.sin(angle)
        circles.append(element("circle", {"cx": x, "cy": y, "r": radius(point.violations),
                                          "fill": colour_of(point.category)}))
    # What all circles share is said once, on their group (SVG inherits it): a shorter
    # drawing is quicker to parse for the browser and for WeasyPrint alike.
    return element("g", {"class": "violations", "fill-opacity": "0.85", "stroke": INK,
                         "stroke-width": 0.6}, "".join(circles)) if circles else ""


def _direction(category: str) -> float:
    """The direction (radians) in which a category's circle sits off a shared centre: one of
    eight, by the category's place in the palette."""
    order = list(CATEGORY_COLOURS)
    return math.radians(45 * (order.index(category) if category in order else 0))


def scale_length_km(frame: Frame) -> int:
    """A round length (1, 2 or 5 times a power of ten km) near a quarter of the map's width."""
    quarter = frame.width / 4 / frame.units_per_km
    power = 10 ** math.floor(math.log10(max(quarter, 1.0)))
    return int(max(m * power for m in (1, 2, 5) if m * power <= max(quarter, 1.0)))


def _scale_bar(frame: Frame, label: Callable[[int], str]) -> str:
    km = scale_length_km(frame)
    length = km * frame.units_per_km
    left, base = 12.0, frame.height - 12
    bar = element("path", {"d": f"M{number(left)} {number(base - 5)}V{number(base)}"
                                f"H{number(left + length)}V{number(base - 5)}",
                           "fill": "none", "stroke": INK, "stroke-width": 1.5})
    words = element("text", {"x": left, "y": base - 8, "font-size": 12, "fill": INK},
                    text(label(km)))
    return element("g", {"class": "scale"}, bar + words)
