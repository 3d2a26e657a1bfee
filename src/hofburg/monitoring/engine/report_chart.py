"""The daily report's chart: violations per report date, stacked by category, the report's own
date beside the days before it, drawn as SVG.

Each bar carries its total above it and the report's date is outlined, so the comparison reads
without the legend; a date whose figures the reader may not read yet (the public, before its
period is released: decision 0035) shows a mark instead of a bar, never a bar of 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from hofburg.monitoring.engine.drawing import (
    INK,
    MUTED,
    colour_of,
    element,
    labelled_svg,
    nice_step,
    text,
)

WIDTH, HEIGHT = 360.0, 240.0  # about a phone's width: the words keep their size there
LEFT, RIGHT, TOP, BOTTOM = 54.0, 8.0, 14.0, 52.0
GRID = "#d7dde4"


@dataclass(frozen=True)
class ChartDay:
    """One report date: its axis label, its violations by category, or None when the reader
    may not read them yet; `highlighted` for the report's own date."""

    label: str
    values: Mapping[str, int] | None
    highlighted: bool = False
    tooltip: str = ""

    @property
    def total(self) -> int:
        return sum(self.values.values()) if self.values else 0


@dataclass(frozen=True)
class BarChart:
    """Everything the chart shows, its words already in the reader's language; `number`
    writes a count as the reader's language does."""

    title: str
    description: str
    y_label: str
    x_label: str
    days: Sequence[ChartDay]
    categories: Sequence[str]  # the stacking order, bottom first
    number: Callable[[int], str] = str
    missing_mark: str = "—"
    element_id: str = "report-chart"


@dataclass(frozen=True)
class _Plot:
    left: float
    top: float
    width: float
    height: float
    top_value: int

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def y(self, value: float) -> float:
        return self.bottom - self.height * value / self.top_value


def ticks(largest: int) -> list[int]:
    """The values marked on the axis: from 0 in round steps to at least `largest`."""
    step = nice_step(largest)
    top = max(step, step * math.ceil(largest / step))
    return list(range(0, top + 1, step))


def draw_chart(chart: BarChart) -> str:
    """The chart as one `<svg>` element."""
    marks = ticks(max((day.total for day in chart.days), default=0))
    plot = _Plot(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM, marks[-1])
    body = (_axis(plot, marks, chart)
            + "".join(_bar(plot, chart, n, day) for n, day in enumerate(chart.days)))
    return labelled_svg(chart.element_id, WIDTH, HEIGHT, chart.title, chart.description, body)


def _axis(plot: _Plot, marks: Sequence[int], chart: BarChart) -> str:
    parts = []
    for value in marks:
        y = plot.y(value)
        parts.append(element("line", {"x1": plot.left, "x2": plot.left + plot.width,
                                      "y1": y, "y2": y, "stroke": GRID if value else INK,
                                      "stroke-width": 1}))
        parts.append(element("text", {"x": plot.left - 5, "y": y + 4, "font-size": 11,
                                      "text-anchor": "end", "fill": INK},
                             text(chart.number(value))))
    middle = plot.top + plot.height / 2
    parts.append(element("text", {"x": 13, "y": middle, "font-size": 11, "fill": INK,
                                  "text-anchor": "middle",
                                  "transform": f"rotate(-90 13 {middle:.1f})"},
                         text(chart.y_label)))
    parts.append(element("text", {"x": plot.left + plot.width / 2, "y": HEIGHT - 6,
                                  "font-size": 11, "fill": INK, "text-anchor": "middle"},
                         text(chart.x_label)))
    return element("g", {"class": "axes"}, "".join(parts))


def _day_label(x: float, y: float, day: ChartDay) -> str:
    """A date under its bar, on two lines where it has two words ("6" over "Mar", "28" over
    "февр."): a week of dates fits a phone's width in every language."""
    first, _space, rest = day.label.partition(" ")
    lines = element("tspan", {"x": x, "y": y}, text(first))
    if rest:
        lines += element("tspan", {"x": x, "y": y + 12}, text(rest))
    return element("text", {"font-size": 11, "fill": INK, "text-anchor": "middle",
                            "font-weight": "bold" if day.highlighted else "normal"}, lines)


def _bar(plot: _Plot, chart: BarChart, index: int, day: ChartDay) -> str:
    slot = plot.width / max(len(chart.days), 1)
    centre = plot.left + slot * (index + 0.5)
    bar_width = slot * 0.62
    label = _day_label(centre, plot.bottom + 15, day)
    if day.values is None:
        mark = element("text", {"x": centre, "y": plot.bottom - 5, "font-size": 12,
                                "fill": MUTED, "text-anchor": "middle"},
                       text(chart.missing_mark))
        return element("g", {"class": "day not-released"}, mark + label)
    pieces, stacked = [], 0
    for category in chart.categories:
        value = day.values.get(category, 0)
        if value <= 0:
            continue
        top, bottom = plot.y(stacked + value), plot.y(stacked)
        pieces.append(element("rect", {"x": centre - bar_width / 2, "y": top,
                                       "width": bar_width, "height": bottom - top,
                                       "fill": colour_of(category)}))
        stacked += value
    if day.highlighted and stacked:
        pieces.append(element("rect", {"x": centre - bar_width / 2 - 1.5,
                                       "y": plot.y(stacked) - 1.5,
                                       "width": bar_width + 3,
                                       "height": plot.bottom - plot.y(stacked) + 1.5,
                                       "fill": "none", "stroke": INK, "stroke-width": 1.5}))
    total = element("text", {"x": centre, "y": plot.y(stacked) - 4, "font-size": 10,
                             "fill": INK, "text-anchor": "middle",
                             "font-weight": "bold" if day.highlighted else "normal"},
                    text(chart.number(stacked)))
    tooltip = element("title", {}, text(day.tooltip)) if day.tooltip else ""
    bars = element("g", {"stroke": "#ffffff", "stroke-width": 0.5}, "".join(pieces)) \
        if pieces else ""
    return element("g", {"class": "day"}, tooltip + bars + total + label)
