"""Open-data files of the registry: CSV, XLSX and JSON, written to a binary stream.

Each kind (States, Partners, Chairmanships, field operations, conflicts) is first read into a
`Table` of plain values; the writers only format it. The web pages' download links and the
`export_registry` command both call `write_export`, so a file is the same whichever way it was
asked for. Every table ends with the `source`, `confidence` and `note` of its rows: an
unconfirmed or disputed fact keeps its label outside Hofburg too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from django.conf import settings

from hofburg.core.tables import CONTENT_TYPES as CONTENT_TYPES  # re-exported for the views
from hofburg.core.tables import WRITERS as WRITERS  # re-exported for the command
from hofburg.core.tables import Cell, Table, check_format
from hofburg.core.tables import ExportError as ExportError  # re-exported for the views
from hofburg.registry.models import (
    Chairmanship,
    FieldOperation,
    FormatParticipant,
    NegotiationFormat,
    ParticipatingState,
    Partner,
)


def _name_columns(prefix: str = "name") -> list[str]:
    return [f"{prefix}_{code}" for code in settings.OFFICIAL_LANGUAGE_CODES]


def _names(names: dict[str, str]) -> list[Cell]:
    return [names.get(code, "") for code in settings.OFFICIAL_LANGUAGE_CODES]


SOURCED_COLUMNS = ["source", "confidence", "note"]


def _sourced(row: Any) -> list[Cell]:
    return [row.source, row.confidence, row.note]


def states_table() -> Table:
    columns = ["iso2", "iso3", "numeric", *_name_columns(), "joined", "chairmanship_years",
               *SOURCED_COLUMNS]
    rows: list[list[Cell]] = []
    for state in ParticipatingState.objects.prefetch_related("chairmanships").order_by("iso2"):
        years = " ".join(str(c.year) for c in state.chairmanships.all())
        rows.append([state.iso2, state.iso3, state.numeric, *_names(state.names), state.joined,
                     years, *_sourced(state)])
    return Table("states", columns, rows)


def partners_table() -> Table:
    columns = ["iso2", "iso3", "numeric", *_name_columns(), "group", "since", *SOURCED_COLUMNS]
    rows: list[list[Cell]] = [
        [p.iso2, p.iso3, p.numeric, *_names(p.names), p.group, p.since, *_sourced(p)]
        for p in Partner.objects.order_by("group", "iso2")
    ]
    return Table("partners", columns, rows)


def chairmanships_table() -> Table:
    columns = ["year", "state_iso2", "chair_en", "historical_name", "start_date", "end_date",
               *SOURCED_COLUMNS]
    rows: list[list[Cell]] = []
    for chair in Chairmanship.objects.select_related("state").order_by("year"):
        english = chair.state.names.get("en", "") if chair.state else chair.historical_name
        rows.append([chair.year, chair.state.iso2 if chair.state else None, english,
                     chair.historical_name, chair.start_date, chair.end_date, *_sourced(chair)])
    return Table("chairmanships", columns, rows)


def field_operations_table() -> Table:
    columns = ["code", *_name_columns(), "region", "host_iso2", "host", "seat", "basis",
               "established", "closed", "closure", "status", *SOURCED_COLUMNS]
    rows: list[list[Cell]] = []
    for operation in FieldOperation.objects.select_related("host_state").order_by("region", "code"):
        host = operation.host_state
        rows.append([
            operation.code, *_names(operation.names), operation.region,
            host.iso2 if host else None,
            host.names.get("en", "") if host else operation.host_label,
            operation.seat, operation.basis, operation.established, operation.closed,
            operation.closed_label, "current" if operation.is_current else "closed",
            *_sourced(operation),
        ])
    return Table("field-operations", columns, rows)


def conflicts_table() -> Table:
    """One row per participant of each negotiation format (a format with none still has a row)."""
    columns = ["conflict_code", "conflict_en", "conflict_source", "conflict_confidence",
               "format_code", "format_en", "started", "ended", "status", "osce_body",
               "participant", "participant_iso2", "role", *SOURCED_COLUMNS]
    rows: list[list[Cell]] = []
    formats = NegotiationFormat.objects.select_related("conflict").prefetch_related(
        "participants__state").order_by("conflict__code", "code")
    for fmt in formats:
        conflict = fmt.conflict
        head: list[Cell] = [conflict.code, conflict.names.get("en", ""), conflict.source,
                            conflict.confidence, fmt.code, fmt.names.get("en", ""), fmt.started,
                            fmt.ended, fmt.status, fmt.is_osce_body]
        participants: list[FormatParticipant | None] = [*fmt.participants.all()] or [None]
        for participant in participants:
            if participant is None:
                who: list[Cell] = [None, None, None]
            elif participant.state:
                who = [participant.state.names.get("en", ""), participant.state.iso2,
                       participant.role]
            else:
                who = [participant.name, None, participant.role]
            rows.append([*head, *who, *_sourced(fmt)])
    return Table("conflicts", columns, rows)


TABLES: dict[str, Callable[[], Table]] = {
    "states": states_table,
    "partners": partners_table,
    "chairmanships": chairmanships_table,
    "field-operations": field_operations_table,
    "conflicts": conflicts_table,
}


def check_export(kind: str, file_format: str) -> None:
    """Raise ExportError, naming what exists, unless `kind` and `file_format` are both known."""
    if kind not in TABLES:
        raise ExportError(f"Unknown kind {kind!r}; choose one of: {', '.join(TABLES)}.")
    check_format(file_format)


def write_export(kind: str, file_format: str, stream: IO[bytes]) -> None:
    """Write the `kind` table in `file_format` to `stream`; ExportError names what exists."""
    check_export(kind, file_format)
    WRITERS[file_format](TABLES[kind](), stream)


def export_filename(kind: str, file_format: str) -> str:
    return f"hofburg-{kind}.{file_format}"
