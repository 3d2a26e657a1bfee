"""The field-monitoring desk's map: the page, its reference layers (lines, zones, areas) and
the published figures as hexagons or events, each answer narrowed by `core.access`."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import h3
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hofburg.core import access, dates
from hofburg.core.notes import explain
from hofburg.monitoring import queries, report
from hofburg.monitoring.engine import binning
from hofburg.monitoring.engine.withdrawal import load_reference_lines, load_withdrawal_rules
from hofburg.monitoring.models import Category, Event, EventStatus

# --- map --------------------------------------------------------------------------------------

# Finer hexagons as the reader zooms in; past EVENTS_FROM_ZOOM the entitled see single events.
EVENTS_FROM_ZOOM = 11
MAX_EVENTS = 2000
MAX_OBSERVERS = 500


def _cell_resolution(zoom: int) -> int:
    if zoom <= 5:
        return 4
    if zoom <= 7:
        return 5
    return binning.MAP_RESOLUTION


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    days = sorted(report.report_dates(request.user))
    return render(request, "monitoring/map.html", {
        "categories": Category.choices,
        "category_values_json": json.dumps(list(Category.values)),
        "days": [day.isoformat() for day in days],
        "day_labels": [dates.day(day) for day in days],
        "category_labels": {value: str(label) for value, label in Category.choices},
        # The reference lines, zones and areas are always EXERCISE geometry.
        "shows_exercise_data": True,
    })


@require_safe
def map_layers(request: HttpRequest) -> JsonResponse:
    """The reference lines, withdrawal zones and disengagement areas as GeoJSON (public)."""
    return JsonResponse(_reference_layers(str(settings.REFERENCE_DATA_DIR), get_language()),
                        json_dumps_params={"ensure_ascii": False})


@cache
def _reference_layers(data_dir: str, language: str | None) -> dict[str, Any]:
    """The layers in `language`: the zones' labels are translated when built, so each
    language has its own copy (one cache entry for all put the first reader's language on
    every map)."""
    directory = Path(data_dir) / "monitoring"
    with open(directory / "exercise_lines.geojson", encoding="utf-8") as handle:
        lines = json.load(handle)
    with open(directory / "exercise_disengagement_areas.geojson", encoding="utf-8") as handle:
        areas = json.load(handle)
    zones = _withdrawal_zones(directory)
    lons = [lon for f in lines["features"] for lon, _lat in f["geometry"]["coordinates"]]
    lats = [lat for f in lines["features"] for _lon, lat in f["geometry"]["coordinates"]]
    return {"lines": lines, "areas": areas, "zones": zones,
            "bounds": [[min(lats) - 0.3, min(lons) - 1.2], [max(lats) + 0.3, max(lons) + 1.2]]}


def _withdrawal_zones(directory: Path) -> dict[str, Any]:
    """Each side's zone per withdrawal distance: the band that deep on its own side of its
    reference line (EXERCISE geometry), labelled with the weapon classes it applies to."""
    rules = load_withdrawal_rules(directory / "withdrawal_rules.yaml")
    lines = load_reference_lines(directory / "exercise_lines.geojson")
    grouped: dict[tuple[str, str, float], list[str]] = {}
    for rule in rules.rules:
        for side, distance in rule.distance_km.items():
            key = (side, rule.reference_line[side], distance)
            grouped.setdefault(key, []).append(
                f"{explain(rule.description)} ({explain(rule.labels)})")
    features = []
    for (side, line_id, distance), weapons in sorted(grouped.items(), key=lambda kv: -kv[0][2]):
        ring = lines.line(line_id).zone_ring(side, distance)
        label = _("EXERCISE: %(distance)g km zone of %(side)s from %(line)s — %(weapons)s") % {
            "distance": distance, "side": explain(rules.sides.get(side, side)),
            "line": explain(rules.line_labels.get(line_id, line_id)),
            "weapons": "; ".join(weapons)}
        features.append({
            "type": "Feature",
            "properties": {"side": side, "reference_line": line_id, "distance_km": distance,
                           "label": label, "exercise": True},
            "geometry": {"type": "Polygon", "coordinates": [[
                [round(lon, 5), round(lat, 5)] for lon, lat in ring]]},
        })
    return {"type": "FeatureCollection", "exercise": True, "features": features}


@require_safe
def map_data(request: HttpRequest) -> JsonResponse:
    """The figures in view: hexagons when zoomed out (everyone, published share for visitors);
    single events and observer positions when zoomed in (entitled readers only)."""
    try:
        zoom = int(request.GET.get("zoom", "7"))
        bbox_values = [float(v) for v in request.GET.get("bbox", "").split(",") if v]
        bbox = (bbox_values[0], bbox_values[1], bbox_values[2], bbox_values[3]) \
            if len(bbox_values) == 4 else None
        day = date.fromisoformat(request.GET["day"]) if request.GET.get("day") else None
    except ValueError:
        return JsonResponse({"message": _("zoom, bbox or day is not valid")}, status=400)
    category = request.GET.get("category") or None
    categories = [category] if category in Category.values else []
    dates = report.report_dates(request.user)
    if not dates:
        return JsonResponse({"mode": "cells", "cells": [], "events": [], "observers": [],
                             "max_violations": 0, "summary": _("Nothing is published yet.")})
    start, end = (day, day) if day else (min(dates), max(dates))
    entitled = access.is_entitled(request.user)
    cells: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    observers: list[dict[str, Any]] = []
    if entitled and zoom >= EVENTS_FROM_ZOOM:
        mode = "events"
        rows = queries.events_for(request.user, category=category, start=start, end=end)
        if bbox:
            rows = rows.filter(lon__gte=bbox[0], lat__gte=bbox[1], lon__lte=bbox[2],
                               lat__lte=bbox[3])
        rows = rows.exclude(status=EventStatus.WITHDRAWN)
        events = [_event_point(event) for event in rows[:MAX_EVENTS]]
        seen = queries.observations_for(request.user, start=start, end=end)
        if bbox:
            seen = seen.filter(observer_lon__gte=bbox[0], observer_lat__gte=bbox[1],
                               observer_lon__lte=bbox[2], observer_lat__lte=bbox[3])
        observers = [{"lat": r["observer_lat"], "lon": r["observer_lon"],
                      "label": r["observer_id"]}
                     for r in seen.order_by().values("observer_id", "observer_lon",
                                                     "observer_lat").distinct()[:MAX_OBSERVERS]]
        summary = _("%(events)d events in view.") % {"events": len(events)}
    else:
        mode = "cells"
        _scope, aggregates = queries.map_cells(request.user, start=start, end=end,
                                               bbox=_padded(bbox), categories=categories)
        cells = _hexagons(aggregates, _cell_resolution(zoom))
        total = sum(c["violations"] for c in cells)
        summary = (_("%(violations)d published violations in view.") if not entitled
                   else _("%(violations)d violations in view (all statuses).")) % {
            "violations": total}
    return JsonResponse({
        "mode": mode, "cells": cells, "events": events, "observers": observers,
        "max_violations": max((c["violations"] for c in cells), default=0),
        "summary": summary,
    }, json_dumps_params={"ensure_ascii": False})


def _padded(bbox: tuple[float, float, float, float] | None
            ) -> tuple[float, float, float, float] | None:
    """The box grown by a margin, so hexagons cut by the edge of the view are still drawn."""
    if bbox is None:
        return None
    dx, dy = (bbox[2] - bbox[0]) * 0.1, (bbox[3] - bbox[1]) * 0.1
    return bbox[0] - dx, bbox[1] - dy, bbox[2] + dx, bbox[3] + dy


def _hexagons(aggregates: list[queries.CellAggregate], resolution: int
              ) -> list[dict[str, Any]]:
    merged: dict[str, list[int]] = {}
    for aggregate in aggregates:
        cell = aggregate.cell
        if h3.get_resolution(cell) > resolution:
            cell = h3.cell_to_parent(cell, resolution)
        counts = merged.setdefault(cell, [0, 0])
        counts[0] += aggregate.events
        counts[1] += aggregate.violations
    return [{"cell": cell, "events": events, "violations": violations,
             "boundary": [[round(lat, 5), round(lon, 5)] for lat, lon in
                          h3.cell_to_boundary(cell)],
             "label": _("%(violations)d violations in %(events)d events") % {
                 "violations": violations, "events": events}}
            for cell, (events, violations) in sorted(merged.items())]


def _event_point(event: Event) -> dict[str, Any]:
    ellipse = None
    if event.ellipse_semi_major_m and event.ellipse_semi_minor_m is not None:
        ellipse = {"semi_major_m": event.ellipse_semi_major_m,
                   "semi_minor_m": event.ellipse_semi_minor_m,
                   "orientation_deg": event.ellipse_orientation_deg or 0.0}
    return {"key": event.event_key, "lat": event.lat, "lon": event.lon,
            "category": event.category, "count": event.count_at_least, "status": event.status,
            "label": f"{event.get_category_display()} × {event.count_at_least} "
                     f"({event.get_status_display()})",
            "url": reverse("monitoring:event", args=[event.pk]), "ellipse": ellipse}
