"""The daily report's map and chart, for the page and the PDF alike.

Both read the reader's own share of the rollups, the one the report's tables sum
(`queries.rollup_scope`, decision 0018): the map the period's map cells (`CellCount`, kept in
the same transaction as the `DailyCount` rows the tables read, so its counts are the tables'),
the chart the period's and the days before it by category (`DailyCount`). So nothing is drawn
that the tables do not count, and a figure is as classified as the report's marking says.
Cells, not single events: the map of a report that can go to the public shows no position more
precisely than the desk's public map does.

The drawing itself is the engine's (`engine.report_map`, `engine.report_chart`): this module
reads, translates and hands over plain data. The base map is the vendored world-atlas file,
read from the static files once per process: nothing is fetched when a report is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from django.contrib.staticfiles import finders
from django.db.models import Sum
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hofburg.core import dates, numbers
from hofburg.core.notes import explain
from hofburg.monitoring.engine import atlas, drawing
from hofburg.monitoring.engine.report_chart import BarChart, ChartDay, draw_chart
from hofburg.monitoring.engine.report_map import (
    AREA_OUTLINE,
    LINE_COLOUR,
    MapDrawing,
    MapPoint,
    covering,
    draw_map,
    fitted_frame,
)
from hofburg.monitoring.engine.withdrawal import (
    ReferenceLines,
    WithdrawalRules,
    load_reference_lines,
    load_withdrawal_rules,
)
from hofburg.monitoring.mission import monitoring_data, reporting_areas
from hofburg.monitoring.models import Category as CategoryChoice
from hofburg.monitoring.models import CellCount, DailyCount, PeriodRelease
from hofburg.monitoring.queries import Scope

ATLAS = "vendor/world-atlas-2.0.2/countries-50m.json"
LINES_FILE = "exercise_lines.geojson"
CONTACT_LINE = "line_of_contact"
CHART_DAYS = 7  # the report's own date and the six before it


@dataclass(frozen=True)
class LegendEntry:
    label: str
    swatch: SafeString
    count: str = ""  # written in the reader's language; empty for a reference layer


@dataclass(frozen=True)
class Figure:
    svg: SafeString
    title: str
    legend: list[LegendEntry]
    violations: int = 0  # what the figure draws for the report's own date


@dataclass(frozen=True)
class ReportFigures:
    map: Figure
    chart: Figure
    chart_start: date
    chart_end: date
    # Some date of the chart is not released to this reader: a mark stands for its bar.
    chart_unreleased: bool = False


def report_figures(scope: Scope, report_date: date, earliest: date | None) -> ReportFigures:
    """The map of `report_date`'s period and the chart of it beside the dates before it
    (from `earliest`, the first possible report date, on), in `scope`'s share."""
    start = report_date - timedelta(days=CHART_DAYS - 1)
    if earliest is not None and earliest <= report_date:
        start = max(start, earliest)
    chart, unreleased = _chart(scope, start, report_date)
    return ReportFigures(_map(scope, report_date), chart, start, report_date, unreleased)


def _safe(svg: str) -> SafeString:
    # Every word in the drawing was escaped where it was written (engine.drawing.text and
    # element): the markup is the engine's own.
    return mark_safe(svg)  # noqa: S308


def _labels() -> dict[str, str]:
    return {value: str(label) for value, label in CategoryChoice.choices}


# --- the map --------------------------------------------------------------------------------

def day_cells(scope: Scope, day: date) -> list[tuple[str, float, float, str, int]]:
    """(cell, lon, lat, category, violations) of the period, in the share `scope` sums; only
    cells and categories with violations."""
    rows = (scope.rows(CellCount.objects.filter(day=day))
            .values_list("cell", "lon", "lat", "category")
            .annotate(violations=Sum(scope.violations))
            .filter(violations__gt=0).order_by("cell", "category"))
    return [(cell, lon, lat, category, int(violations))
            for cell, lon, lat, category, violations in rows]


def _map(scope: Scope, day: date) -> Figure:
    labels = _labels()
    cells = day_cells(scope, day)
    points = [MapPoint(lon, lat, category, violations)
              for _cell, lon, lat, category, violations in cells]
    boxes = [_mission_box(), *((p.lon, p.lat, p.lon, p.lat) for p in points)]
    frame = fitted_frame(covering(boxes))
    title = _("Map of ceasefire violations, %(day)s") % {"day": dates.day(day)}
    svg = draw_map(MapDrawing(
        frame=frame, title=title,
        description=_("Each circle stands for the ceasefire violations of one category in "
                      "one map cell of about 36 km², drawn at the cell's centre; its area "
                      "grows with their number. The same figures are in the tables of this "
                      "report."),
        points=points, land=_land(frame.box), areas=_area_rings(), lines=_contact_line(),
        scale_label=lambda km: _("%(km)s km") % {"km": numbers.whole(km)}))
    return Figure(_safe(svg), title, _map_legend(points, labels),
                  sum(p.violations for p in points))


def _map_legend(points: Sequence[MapPoint], labels: dict[str, str]) -> list[LegendEntry]:
    totals: dict[str, int] = {}
    for point in points:
        totals[point.category] = totals.get(point.category, 0) + point.violations
    entries = [LegendEntry(label, _safe(drawing.swatch(drawing.colour_of(value))),
                           numbers.whole(totals[value]))
               for value, label in labels.items() if value in totals]
    entries.append(LegendEntry(_("Total"), _safe(""), numbers.whole(sum(totals.values()))))
    areas = reporting_areas()
    if areas.areas:
        entries.append(LegendEntry(_exercise(_("Reporting areas"), areas.exercise),
                                   _safe(drawing.swatch(AREA_OUTLINE, "area"))))
    line = _contact_line_label()
    if line is not None:
        entries.append(LegendEntry(line, _safe(drawing.swatch(LINE_COLOUR, "line"))))
    return entries


def _exercise(label: str, exercise: bool) -> str:
    return _("%(layer)s (EXERCISE)") % {"layer": label} if exercise else label


@cache
def _mission_box() -> atlas.Box:
    """The mission's area: its reporting areas and its line of contact."""
    boxes: list[atlas.Box] = []
    for area in reporting_areas().areas:
        west, south, east, north = area.geometry.bounds
        boxes.append((float(west), float(south), float(east), float(north)))
    for line in _contact_line():
        lons, lats = [lon for lon, _lat in line], [lat for _lon, lat in line]
        boxes.append((min(lons), min(lats), max(lons), max(lats)))
    return covering(boxes) if boxes else (-1.0, -1.0, 1.0, 1.0)


@cache
def _area_rings() -> tuple[atlas.Ring, ...]:
    rings: list[atlas.Ring] = []
    for area in reporting_areas().areas:
        for part in getattr(area.geometry, "geoms", [area.geometry]):
            rings.append([(float(x), float(y)) for x, y in part.exterior.coords])
    return tuple(rings)


@cache
def _reference_lines() -> ReferenceLines | None:
    path = monitoring_data() / LINES_FILE
    return load_reference_lines(path) if path.is_file() else None


def _contact_line() -> tuple[tuple[tuple[float, float], ...], ...]:
    lines = _reference_lines()
    if lines is None or CONTACT_LINE not in lines.lines:
        return ()
    return (lines.lines[CONTACT_LINE].coordinates,)


def _contact_line_label() -> str | None:
    """The line of contact's name in the reader's language (from the withdrawal rules, as the
    desk's map names it), marked where its geometry is an exercise's."""
    lines = _reference_lines()
    if lines is None or CONTACT_LINE not in lines.lines:
        return None
    names = _withdrawal_rules().line_labels.get(CONTACT_LINE)
    label = explain(names) if names is not None else lines.lines[CONTACT_LINE].label
    return _exercise(label[:1].upper() + label[1:], lines.lines[CONTACT_LINE].exercise)


@cache
def _withdrawal_rules() -> WithdrawalRules:
    return load_withdrawal_rules(monitoring_data() / "withdrawal_rules.yaml")


@cache
def _countries() -> tuple[atlas.Country, ...]:
    """The atlas's countries, decoded once per process (about 0.3 s); none when the static
    files do not hold the atlas (the map is then drawn without land)."""
    found = finders.find(ATLAS)
    path = found[0] if isinstance(found, list) else found
    return atlas.load_countries(path) if path else ()


@lru_cache(maxsize=16)
def _land(box: atlas.Box) -> tuple[tuple[atlas.Ring, ...], ...]:
    """The land inside the map's box: the same box every day unless an event lies beyond the
    mission's area, so kept for a few boxes."""
    return tuple(tuple(rings) for rings in atlas.land_in(_countries(), box))


# --- the chart ------------------------------------------------------------------------------

def daily_by_category(scope: Scope, first: date, last: date) -> dict[date, dict[str, int]]:
    """Violations per report date and category, `first`..`last`, in the share `scope` sums."""
    rows = (scope.rows(DailyCount.objects.filter(day__gte=first, day__lte=last))
            .values_list("day", "category").annotate(violations=Sum(scope.violations))
            .order_by())
    found: dict[date, dict[str, int]] = {}
    for day, category, violations in rows:
        if violations:
            found.setdefault(day, {})[category] = int(violations)
    return found


def _chart(scope: Scope, start: date, end: date) -> tuple[Figure, bool]:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    counts = daily_by_category(scope, start, end)
    readable = set(days)
    if scope.published_only:  # the public reads released periods only (decision 0035)
        readable = set(PeriodRelease.objects.filter(report_date__in=days)
                       .values_list("report_date", flat=True))
    labels = _labels()
    chart_days = [ChartDay(dates.day_and_month(day),
                           counts.get(day, {}) if day in readable else None,
                           highlighted=day == end, tooltip=_day_text(day, counts, readable))
                  for day in days]
    shown = [c for c in labels if any(c in counts.get(d, {}) for d in readable)]
    title = _("Violations per report date by category, %(start)s – %(end)s") % {
        "start": dates.day(start), "end": dates.day(end)}
    svg = draw_chart(BarChart(
        title=title,
        description=_("Stacked bars, one per report date, the report's own date outlined. "
                      "Totals: %(totals)s.") % {
            "totals": "; ".join(_day_text(day, counts, readable) for day in days)},
        y_label=_("Violations (at least)"), x_label=_("Report date"), days=chart_days,
        categories=list(labels), number=numbers.whole))
    legend = [LegendEntry(labels[c], _safe(drawing.swatch(drawing.colour_of(c))))
              for c in shown]
    figure = Figure(_safe(svg), title, legend, sum(counts.get(end, {}).values()))
    return figure, len(readable) < len(days)


def _day_text(day: date, counts: dict[date, dict[str, int]], readable: set[date]) -> str:
    total = (numbers.whole(sum(counts.get(day, {}).values())) if day in readable
             else _("not yet released"))
    return _("%(label)s: %(count)s") % {"label": dates.day(day), "count": total}


# --- the PDF --------------------------------------------------------------------------------

DRAWING_SCHEME = "hofburg-drawing"


def as_images(html: str, figures: ReportFigures | None) -> tuple[str, dict[str, bytes]]:
    """The print HTML with the map and the chart as images of the same SVG, and each SVG by
    its image's address. WeasyPrint draws an SVG image in about two thirds of the time the
    same SVG takes inline, which it styles element by element as HTML before parsing it again
    as SVG (measured: decision 0073). The HTML keeps them inline (the page, the command's
    HTML file); only the copy handed to WeasyPrint changes."""
    if figures is None:
        return html, {}
    drawings: dict[str, bytes] = {}
    for name, figure in (("map", figures.map), ("chart", figures.chart)):
        address = f"{DRAWING_SCHEME}:{name}"
        image = format_html('<img class="report-drawing" src="{}" alt="{}">', address,
                            figure.title)
        html = html.replace(figure.svg, image, 1)
        drawings[address] = figure.svg.encode()
    return html, drawings


def drawing_fetcher(drawings: Mapping[str, bytes]) -> Any:
    """A WeasyPrint URL fetcher serving the report's own drawings and refusing every other
    address: nothing is fetched while a report is made. (Imported when called: WeasyPrint
    loads pango, which the pages never need.)"""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class DrawingFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in drawings:
                raise ValueError(f"a daily report fetches nothing: {url}")
            return URLFetcherResponse(url, drawings[url], {"Content-Type": "image/svg+xml"})

    return DrawingFetcher()
