"""What changed between two versions of a State's exchange, as a page (the engine's
`exchange_diff`).

Versions are chosen by the numbers the reader sees (1, 2, 3..., decision 0020) in a form that
works without a script and that htmx submits in place. Each unit is compared field by field,
its holdings by category and type; the exchange's own fields (declared quota, nil report,
holdings outside any unit) are compared apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from hofburg.csbm import queries
from hofburg.csbm.engine.exchange_diff import (
    ExchangeDiff,
    FieldChange,
    UnitRecord,
    diff_fields,
    diff_units,
)
from hofburg.csbm.forms import ExchangeVersionsForm
from hofburg.csbm.models import AnnualExchange, EquipmentCategory, ExchangeUnit

# The fields compared, in the order the page lists their changes (a unit's holdings follow
# its fields), named as the models name them.
LABELS = {
    "level": gettext_lazy("level"),
    "service": gettext_lazy("service"),
    "subordinate_to": gettext_lazy("subordinate to"),
    "unit_type": gettext_lazy("type"),
    "is_combat_unit": gettext_lazy("combat unit"),
    "is_active": gettext_lazy("active"),
    "latitude": gettext_lazy("latitude"),
    "longitude": gettext_lazy("longitude"),
    "personnel": gettext_lazy("peacetime authorized personnel"),
    "is_nil": gettext_lazy("no military forces to report"),
    "declared_evaluation_quota": gettext_lazy("declared evaluation quota"),
    "units_reported": gettext_lazy("units reported"),
}
HOLDING = "holding"


@dataclass(frozen=True)
class FieldLine:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class UnitLine:
    designation: str
    lines: list[FieldLine]


@dataclass(frozen=True)
class ChangesView:
    """The diff in the reader's words."""

    older: AnnualExchange
    newer: AnnualExchange
    added: list[UnitLine]
    removed: list[UnitLine]
    changed: list[UnitLine]
    unchanged: int
    exchange: list[FieldLine]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.exchange)


def _holdings_by_unit(exchange: AnnualExchange) -> dict[int | None, dict[str, int]]:
    held: dict[int | None, dict[str, int]] = {}
    for holding in queries.exchange_holdings(exchange):
        key = f"{HOLDING}:{holding.category}:{holding.type_name}"
        held.setdefault(holding.unit_id, {})[key] = holding.quantity
    return held


def unit_records(exchange: AnnualExchange,
                 held: dict[int | None, dict[str, int]]) -> list[UnitRecord]:
    """Each formation and unit of `exchange` (units prefetched) with the fields a diff
    compares, its holdings (`held`, by unit) included."""
    units = list(exchange.units.all())
    by_key = {unit.pk: unit for unit in units}
    records = []
    for unit in units:
        parent = by_key.get(unit.parent_id) if unit.parent_id else None
        fields: dict[str, object] = {
            "level": unit.level, "service": unit.service,
            "subordinate_to": parent.designation if parent else None,
            "unit_type": unit.unit_type, "is_combat_unit": unit.is_combat_unit,
            "is_active": unit.is_active, "latitude": unit.latitude,
            "longitude": unit.longitude, "personnel": unit.personnel}
        fields.update(sorted(held.get(unit.pk, {}).items()))
        records.append(UnitRecord(unit.designation, fields))
    return records


def _exchange_fields(exchange: AnnualExchange,
                     held: dict[int | None, dict[str, int]]) -> dict[str, object]:
    fields: dict[str, object] = {
        "is_nil": exchange.is_nil,
        "declared_evaluation_quota": exchange.declared_evaluation_quota,
        "units_reported": exchange.units_reported}
    fields.update(sorted(held.get(None, {}).items()))
    return fields


def _label(field: str) -> str:
    if field.startswith(HOLDING + ":"):
        _prefix, category, type_name = field.split(":", 2)
        label = str(dict(EquipmentCategory.choices).get(category, category))
        return _("holdings: %(category)s, %(type)s") % {"category": label, "type": type_name} \
            if type_name else _("holdings: %(category)s") % {"category": label}
    return str(LABELS.get(field, field))


def _value(field: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "level":
        return str(ExchangeUnit.Level(str(value)).label)
    if field == "service":
        return str(ExchangeUnit.Service(str(value)).label)
    if isinstance(value, int | float):
        return number_format(value, force_grouping=isinstance(value, int))
    return str(value)


def _lines(changes: tuple[FieldChange, ...]) -> list[FieldLine]:
    return [FieldLine(_label(c.field), _value(c.field, c.old), _value(c.field, c.new))
            for c in changes]


def _described(record: UnitRecord) -> UnitLine:
    """An added or removed unit with what it was: its fields as they stand, holdings included."""
    return UnitLine(record.designation, [
        FieldLine(_label(name), "", _value(name, value)) for name, value in record.fields.items()
        if value not in (None, "") and not (name.startswith(HOLDING) and value == 0)])


def changes_between(older: AnnualExchange, newer: AnnualExchange) -> ChangesView:
    """What changed from `older` to `newer` (both with their units prefetched)."""
    held_before, held_after = _holdings_by_unit(older), _holdings_by_unit(newer)
    diff: ExchangeDiff = diff_units(unit_records(older, held_before),
                                    unit_records(newer, held_after))
    return ChangesView(
        older=older, newer=newer,
        added=[_described(record) for record in diff.added],
        removed=[_described(record) for record in diff.removed],
        changed=[UnitLine(change.designation, _lines(change.changes)) for change in diff.changed],
        unchanged=diff.unchanged,
        exchange=_lines(diff_fields(_exchange_fields(older, held_before),
                                    _exchange_fields(newer, held_after))))


@require_safe
def exchange_diff(request: HttpRequest, iso2: str, year: int) -> HttpResponse:
    """The changes between two versions of a State's exchange that the user may see, chosen
    with ?older=N&newer=M (by default the newest and the one before); 404 if hidden."""
    current = queries.get_exchange(request.user, iso2, year, units=False, holdings=False)
    versions = sorted(queries.seen_version(version) for version in
                      queries.visible_exchanges(request.user, current_only=False)
                      .filter(state__iso2=current.state_id, year=current.year))
    asked = "older" in request.GET or "newer" in request.GET
    form = ExchangeVersionsForm(versions, request.GET if asked else None)
    changes = None
    if len(versions) >= 2 and (form.is_valid() if asked else True):
        chosen: Mapping[str, Any] = form.cleaned_data if asked else form.initial
        changes = changes_between(
            queries.get_exchange(request.user, iso2, year, int(chosen["older"]),
                                 holdings=False),
            queries.get_exchange(request.user, iso2, year, int(chosen["newer"]),
                                 holdings=False))
    return render(request, "csbm/exchange_diff.html", {
        "exchange": current,
        "versions": versions,
        "form": form,
        "changes": changes,
        "shows_exercise_data": current.is_exercise,
    })
