"""Exchanged data and the scorecard as open-data tables (CSV, XLSX, JSON via core.tables).

Callers pass records already narrowed by `core.access` (queries.get_exchange and
scorecard.build_scorecard do that); nothing here widens them. The `exercise` column says
which rows are generated demo data.
"""

from __future__ import annotations

from typing import IO

from hofburg.core.tables import WRITERS, Cell, Table, check_format
from hofburg.csbm.models import AnnualExchange
from hofburg.csbm.queries import seen_version
from hofburg.csbm.scorecard import ScorecardRow

UNIT_COLUMNS = ["state", "year", "version", "designation", "level", "service", "type",
                "subordinate_to", "combat_unit", "active", "latitude", "longitude", "personnel",
                "classification", "exercise"]
HOLDING_COLUMNS = ["state", "year", "version", "unit", "category", "type_and_version",
                   "quantity", "classification", "exercise"]
SCORECARD_COLUMNS = ["state", "state_name", "year", "exchange_status", "exchange_submitted_on",
                     "exchange_due_on", "declared_quota_mismatch", "calendar_status",
                     "calendar_submitted_on", "calendar_due_on", "notifiable_activities",
                     "late_notifications", "missing_notifications", "breaches",
                     "breach_rules", "late_or_missing_activities"]


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def exchange_units_table(exchange: AnnualExchange) -> Table:
    """The formations and units of one exchange (prefetch `units__parent`)."""
    rows: list[list[Cell]] = []
    for unit in exchange.units.all():
        rows.append([
            exchange.state_id, exchange.year, seen_version(exchange), unit.designation,
            unit.level,
            unit.service, unit.unit_type, unit.parent.designation if unit.parent else None,
            _yes_no(unit.is_combat_unit), _yes_no(unit.is_active),
            None if unit.latitude is None else str(unit.latitude),
            None if unit.longitude is None else str(unit.longitude), unit.personnel,
            exchange.classification, _yes_no(unit.is_exercise),
        ])
    return Table("units", UNIT_COLUMNS, rows)


def exchange_holdings_table(exchange: AnnualExchange) -> Table:
    """The holdings of one exchange by equipment category (prefetch `holdings__unit`)."""
    rows: list[list[Cell]] = [
        [exchange.state_id, exchange.year, seen_version(exchange),
         holding.unit.designation if holding.unit else None, holding.category,
         holding.type_name, holding.quantity, exchange.classification,
         _yes_no(holding.is_exercise)]
        for holding in exchange.holdings.all()
    ]
    return Table("holdings", HOLDING_COLUMNS, rows)


def scorecard_table(rows: list[ScorecardRow]) -> Table:
    return Table("scorecard", SCORECARD_COLUMNS, [
        [r.state, r.state_name, r.year, r.exchange_status, r.exchange_submitted_on,
         r.exchange_due_on, _yes_no(r.declared_quota_mismatch), r.calendar_status,
         r.calendar_submitted_on, r.calendar_due_on, r.notifiable_activities,
         r.late_notifications, r.missing_notifications, len(r.breaches),
         " ".join(sorted({b.rule for b in r.breaches})), " ".join(r.late_activity_references)]
        for r in rows
    ])


def write_table(table: Table, file_format: str, stream: IO[bytes]) -> None:
    """Write `table` as csv, xlsx or json; ExportError names the formats for any other."""
    check_format(file_format)
    WRITERS[file_format](table, stream)
