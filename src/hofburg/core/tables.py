"""Open-data tables and their file formats: CSV, XLSX and JSON written to a binary stream.

A desk reads its records into a `Table` of plain values (after `core.access` has narrowed them);
the writers here only format it, so every export of every desk looks the same.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

Cell = str | int | bool | date | None


class ExportError(ValueError):
    """An unknown kind or format was asked for; the message says which ones exist."""


@dataclass(frozen=True)
class Table:
    kind: str
    columns: list[str]
    rows: list[list[Cell]]

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def write_csv(table: Table, stream: IO[bytes]) -> None:
    """UTF-8, comma-separated, one header row; dates as ISO 8601, empty cells for None."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if value is None else _text(value) for value in row])
    text.flush()
    text.detach()  # leave the caller's stream open


def _text(value: Cell) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A cell starting like a formula would run as one in a spreadsheet (CSV injection).
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def write_xlsx(table: Table, stream: IO[bytes]) -> None:
    """One worksheet named after the kind, a bold header row, dates as real dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.kind[:31])
    sheet.freeze_panes = "A2"
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append(row)
    workbook.save(stream)


def write_json(table: Table, stream: IO[bytes]) -> None:
    """A JSON array of objects keyed by the column names; dates as ISO 8601 strings."""
    records = table.records()
    text = json.dumps(records, ensure_ascii=False, indent=2, default=_json_default)
    stream.write(text.encode("utf-8"))


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


WRITERS: dict[str, Callable[[Table, IO[bytes]], None]] = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "json": write_json,
}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def check_format(file_format: str) -> None:
    if file_format not in WRITERS:
        raise ExportError(f"Unknown format {file_format!r}; choose one of: {', '.join(WRITERS)}.")
