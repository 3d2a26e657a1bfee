"""The map of an exchange's formations and units at their peacetime locations.

Units are grouped by place (the engine's `locations.group_by_cell`); each place is one marker
on the offline base map, reachable by keyboard, named by its count and position, with a popup
listing its units. Units without a location are counted, not drawn. The same places are
listed under the map for a reader without a script.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from hofburg.csbm import queries
from hofburg.csbm.engine import locations
from hofburg.csbm.models import AnnualExchange, ExchangeUnit


@dataclass(frozen=True)
class MapPlace:
    """A marker: where, its accessible name, and its units (designation, what, link)."""

    latitude: float
    longitude: float
    label: str
    units: list[dict[str, str]]


def _position(latitude: float, longitude: float) -> str:
    # Rounded here: number_format cuts the decimals it does not show.
    return _("%(lat)s° %(ns)s, %(lon)s° %(ew)s") % {
        "lat": number_format(round(abs(latitude), 2), 2),
        "ns": _("N") if latitude >= 0 else _("S"),
        "lon": number_format(round(abs(longitude), 2), 2),
        "ew": _("E") if longitude >= 0 else _("W")}


def _unit_entry(unit: ExchangeUnit, number: int, parent: ExchangeUnit | None,
                tree_url: str) -> dict[str, str]:
    """A unit in a place's list, leading to its line in the tree (by its number in the
    exchange, as the tree numbers it: never a database id)."""
    what = [str(unit.get_level_display()), str(unit.get_service_display())]
    if parent is not None:
        what.append(_("under %(formation)s") % {"formation": parent.designation})
    return {"designation": unit.designation, "what": " · ".join(what),
            "href": f"{tree_url}unit={number}#unit-{number}"}


def unit_places(exchange: AnnualExchange, tree_url: str) -> tuple[list[MapPlace], int]:
    """The exchange's places with their units, and how many units have no location
    (units prefetched: no query per unit)."""
    units = list(exchange.units.all())
    by_key = {unit.pk: unit for unit in units}
    numbers = {unit.pk: number for number, unit in enumerate(units, 1)}
    located = [locations.Located(unit.pk, unit.latitude, unit.longitude) for unit in units
               if unit.latitude is not None and unit.longitude is not None]
    places = []
    for place in locations.group_by_cell(located):
        count = len(place.keys)
        label = ngettext("%(n)s formation or unit near %(position)s",
                         "%(n)s formations and units near %(position)s", count) % {
            "n": number_format(count, force_grouping=True),
            "position": _position(place.latitude, place.longitude)}
        members = [by_key[key] for key in place.keys]
        places.append(MapPlace(place.latitude, place.longitude, label, [
            _unit_entry(unit, numbers[unit.pk],
                        by_key.get(unit.parent_id) if unit.parent_id else None, tree_url)
            for unit in members]))
    return places, len(units) - len(located)


@require_safe
def exchange_map(request: HttpRequest, iso2: str, year: int) -> HttpResponse:
    """Where a State's exchange places its formations and units (the current version or
    ?version=N as the user numbers them); 404 if hidden."""
    version = request.GET.get("version", "")
    exchange = queries.get_exchange(request.user, iso2, year,
                                    int(version) if version.isdigit() else None,
                                    holdings=False)
    version_param = f"version={queries.seen_version(exchange)}&" if version else ""
    page = reverse("csbm:exchange", args=[exchange.state_id, exchange.year])
    tree_url = f"{page}?{version_param}"
    places, without = unit_places(exchange, tree_url)
    points: list[dict[str, Any]] = [
        {"lat": p.latitude, "lon": p.longitude, "label": p.label, "count": len(p.units),
         "units": p.units} for p in places]
    return render(request, "csbm/exchange_map.html", {
        "exchange": exchange,
        "places": places,
        "points": points,
        "plotted": sum(len(p.units) for p in places),
        "without_location": without,
        "exchange_url": tree_url.rstrip("?&"),
        "shows_exercise_data": exchange.is_exercise,
    })
