"""An exchange's formations and units as a collapsible tree (the engine's `hierarchy`).

The tree is rendered as `<details>`/`<summary>` in one loop over the engine's steps, so it
needs no script and the reader opens what they need; only the top level shows at first. The
lines' words are made here once per unit (counts in the reader's language and number format)
rather than by template tags per unit: a large exchange has thousands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hofburg.csbm.engine import hierarchy
from hofburg.csbm.models import AnnualExchange, EquipmentCategory, ExchangeUnit
from hofburg.csbm.queries import HeldQuantity


@dataclass(frozen=True)
class TreeLine:
    """One step of the tree: a formation opening its branch, a unit without one (leaf), or
    the end of a branch. `facts` are the line's words after the designation."""

    kind: str
    unit: ExchangeUnit
    number: int
    expanded: bool
    facts: str
    focused: bool = False


@dataclass(frozen=True)
class ExchangeTotals:
    """What the exchange reports, counted over all its formations and units."""

    formations: int
    units: int
    personnel: int
    holdings: int
    top_level: int


@dataclass(frozen=True)
class Hierarchy:
    lines: list[TreeLine]
    totals: ExchangeTotals
    focus: ExchangeUnit | None


class _Words:
    """The words of the tree's lines, made once per page in the reader's language: the
    labels of levels, services and equipment categories, and each number as formatted
    (a large exchange repeats the same few thousand numbers and labels)."""

    def __init__(self) -> None:
        self.levels = {value: str(label) for value, label in ExchangeUnit.Level.choices}
        self.services = {value: str(label) for value, label in ExchangeUnit.Service.choices}
        self.categories = [(value, str(label)) for value, label in EquipmentCategory.choices]
        self._numbers: dict[int, str] = {}

    def number(self, value: int) -> str:
        found = self._numbers.get(value)
        if found is None:
            found = self._numbers[value] = number_format(value, force_grouping=True)
        return found


def _own_holdings(holdings: Iterable[HeldQuantity]) -> dict[int, Counter[str]]:
    held: dict[int, Counter[str]] = {}
    for holding in holdings:
        if holding.unit_id is not None:
            held.setdefault(holding.unit_id, Counter())[holding.category] += holding.quantity
    return held


def _facts(unit: ExchangeUnit, node: hierarchy.Node, held: Counter[str], words: _Words) -> str:
    number = words.number
    parts = [words.levels.get(unit.level, unit.level), words.services.get(unit.service,
                                                                         unit.service)]
    if unit.unit_type:
        parts.append(unit.unit_type)
    if node.children:
        if node.formations:
            parts.append(ngettext("%(n)s formation below", "%(n)s formations below",
                                  node.formations) % {"n": number(node.formations)})
        parts.append(ngettext("%(n)s unit below", "%(n)s units below", node.units)
                     % {"n": number(node.units)})
        parts.append(_("%(n)s personnel in all") % {"n": number(node.personnel)})
        parts.append(ngettext("%(n)s item of equipment in all", "%(n)s items of equipment in all",
                              node.holdings) % {"n": number(node.holdings)})
    else:
        parts.append(_("%(n)s personnel") % {"n": number(unit.personnel)})
    parts.extend(f"{label} {number(held[category])}"
                 for category, label in words.categories if held[category])
    return " · ".join(parts)


def build_hierarchy(exchange: AnnualExchange, holdings: list[HeldQuantity], *,
                    expand_all: bool = False, focus: int | None = None) -> Hierarchy:
    """The exchange's tree (units prefetched, `holdings` from `queries.exchange_holdings`: no
    query per unit), collapsed below the top level unless `expand_all`; with `focus` (a
    unit's number in this exchange), the formations above that unit are open and its line is
    marked.

    A unit is numbered by its place in the exchange (1, 2, 3...), never by its database id:
    ids would count the units of versions the reader may not see (decision 0020)."""
    units = list(exchange.units.all())
    by_key = {unit.pk: unit for unit in units}
    numbers = {unit.pk: number for number, unit in enumerate(units, 1)}
    held = _own_holdings(holdings)
    plain = [hierarchy.Unit(key=unit.pk, parent=unit.parent_id,
                            is_formation=unit.level == ExchangeUnit.Level.FORMATION,
                            personnel=unit.personnel,
                            holdings=sum(held.get(unit.pk, Counter()).values()))
             for unit in units]
    roots = hierarchy.build_hierarchy(plain)
    focused = units[focus - 1] if focus is not None and 1 <= focus <= len(units) else None
    opened = hierarchy.ancestors(plain, focused.pk) if focused else set()
    words = _Words()
    lines = []
    for step in hierarchy.walk(roots, opened, expand_all=expand_all):
        unit = by_key[step.node.key]
        if step.kind is hierarchy.StepKind.CLOSE:
            lines.append(TreeLine(step.kind.value, unit, numbers[unit.pk], False, ""))
            continue
        lines.append(TreeLine(step.kind.value, unit, numbers[unit.pk], step.expanded,
                              _facts(unit, step.node, held.get(unit.pk, Counter()), words),
                              focused is not None and unit.pk == focused.pk))
    formations = sum(1 for unit in plain if unit.is_formation)
    totals = ExchangeTotals(formations=formations, units=len(plain) - formations,
                            personnel=sum(unit.personnel for unit in units),
                            holdings=sum(h.quantity for h in holdings),
                            top_level=len(roots))
    return Hierarchy(lines, totals, focused)
