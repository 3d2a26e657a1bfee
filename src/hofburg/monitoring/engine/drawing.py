"""What the daily report's figures share: SVG written as text, every word escaped, and one
colour per category of violation.

The figures are drawn on the server (`report_map`, `report_chart`), so that the page and the
PDF show the same drawing without a script: the page's Content-Security-Policy allows no
inline script, and WeasyPrint runs none. Drawings use presentation attributes (`fill`,
`stroke`), never `style`, which the same policy refuses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape

from hofburg.monitoring.engine.observations import Category

# The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008): eight colours told
# apart with every common form of colour blindness. Explosions take the warm ones.
CATEGORY_COLOURS: Mapping[str, str] = {
    Category.EXPLOSION_UNDETERMINED.value: "#D55E00",
    Category.AIRBURST.value: "#E69F00",
    Category.EXPLOSION_WEAPON.value: "#CC79A7",
    Category.PROJECTILE_IN_FLIGHT.value: "#0072B2",
    Category.MUZZLE_FLASH.value: "#F0E442",
    Category.ILLUMINATION_FLARE.value: "#56B4E9",
    Category.BURST.value: "#009E73",
    Category.SHOT.value: "#000000",
}
INK = "#1d2733"  # text and outlines: the pages' own text colour
MUTED = "#5b6673"
FONT = "DejaVu Sans, Noto Sans, Arial, sans-serif"


def colour_of(category: str) -> str:
    return CATEGORY_COLOURS.get(category, MUTED)


def number(value: float) -> str:
    """A coordinate as written in the drawing: a tenth of a unit, no trailing zeros."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def element(name: str, attributes: Mapping[str, str | float], content: str = "") -> str:
    """One SVG element; attribute values and nothing else are escaped here, so `content` must
    be markup this module made (`text` escapes words)."""
    written = "".join(f' {key}="{escape(_value(value))}"' for key, value in attributes.items())
    return f"<{name}{written}>{content}</{name}>" if content else f"<{name}{written}/>"


def _value(value: str | float) -> str:
    return number(value) if isinstance(value, float) else str(value)


def text(words: str) -> str:
    """Words as the content of an SVG element: `<`, `&` and quotes escaped."""
    return escape(words)


def labelled_svg(element_id: str, width: float, height: float, title: str, description: str,
                 body: str) -> str:
    """The root of a figure: scaled by its viewBox to the width it is given, named by its
    title and described by its description for assistive technology (`role="img"`, so its
    parts are not read one by one; the report's tables hold the figures as text)."""
    return element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {number(width)} {number(height)}",
        "width": width, "height": height, "role": "img", "class": "report-drawing",
        "aria-labelledby": f"{element_id}-title {element_id}-desc", "id": element_id,
        "font-family": FONT, "preserveAspectRatio": "xMidYMid meet"},
        element("title", {"id": f"{element_id}-title"}, text(title))
        + element("desc", {"id": f"{element_id}-desc"}, text(description)) + body)


def swatch(colour: str, shape: str = "circle") -> str:
    """The small sign a legend entry shows beside its words: a dot, a line or an outlined
    area; hidden from assistive technology (the words say it)."""
    if shape == "line":
        mark = element("line", {"x1": 1.0, "y1": 7.0, "x2": 17.0, "y2": 7.0, "stroke": colour,
                                "stroke-width": 2.0, "stroke-dasharray": "4 2"})
    elif shape == "area":
        mark = element("rect", {"x": 1.0, "y": 2.0, "width": 16.0, "height": 10.0,
                                "fill": "none", "stroke": colour, "stroke-width": 1.2})
    else:
        mark = element("circle", {"cx": 9.0, "cy": 7.0, "r": 5.5, "fill": colour,
                                  "stroke": INK, "stroke-width": 0.6})
    return element("svg", {"xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 18 14",
                           "width": 18, "height": 14, "aria-hidden": "true",
                           "focusable": "false", "class": "swatch"}, mark)


def nice_step(largest: float, steps: int = 4) -> int:
    """A step of 1, 2 or 5 times a power of ten giving about `steps` ticks up to `largest`."""
    if largest <= steps:
        return 1
    raw = largest / steps
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))
