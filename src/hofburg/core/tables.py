"""Open-data tables and their file formats: CSV, XLSX and JSON written to a binary stream.

A desk reads its records into a `Table` of plain values (after `core.access` has narrowed them);
the writers here only format it, so every export of every desk looks the same.

This is also the one place that writes CSV and XLSX at all (a test keeps it so): every text
cell goes through `guard_cell`, so a value a spreadsheet would run as a formula (CSV or
formula injection) is written as text with a leading apostrophe, as OWASP advises. Numbers,
dates and booleans are written as they are. Streaming writers use `csv_line`, `csv_writer` or
`csv_dict_writer`; workbooks are written by `write_xlsx`, whose text cells are always strings.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

Cell = str | int | bool | date | None

# A text cell starting with one of these is a formula to a spreadsheet (= + - @), or becomes
# one once the spreadsheet strips the leading tab or carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain negative decimal ("-29.95") is read as that number, never as a formula: it is left
# as it is (as defusedcsv does), so coordinates written as text still read back as numbers.
_NEGATIVE_NUMBER = re.compile(r"-\d+(\.\d+)?")


def guard_cell(value: Any) -> Any:
    """`value` with a leading apostrophe if it is text a spreadsheet would run as a formula.

    Numbers (int, float, Decimal), dates and booleans are returned as they are, and so is text
    that is a plain negative decimal. Reading a file back (csbm.uploads) takes the apostrophe
    off again.
    """
    if (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not _NEGATIVE_NUMBER.fullmatch(value)):
        return "'" + value
    return value


class _GuardedWriter:
    """csv.writer whose rows go through `guard_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([guard_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _GuardedDictWriter:
    """csv.DictWriter whose values go through `guard_cell`."""

    def __init__(self, stream: IO[str], fieldnames: Sequence[str], **options: Any) -> None:
        self._writer = csv.DictWriter(stream, fieldnames=fieldnames, **options)

    def writeheader(self) -> Any:
        return self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._writer.writerow({key: guard_cell(value) for key, value in row.items()})


def csv_writer(stream: IO[str], **options: Any) -> _GuardedWriter:
    """A csv.writer (same options) that guards every text cell."""
    return _GuardedWriter(stream, **options)


def csv_dict_writer(stream: IO[str], fieldnames: Sequence[str],
                    **options: Any) -> _GuardedDictWriter:
    """A csv.DictWriter (same options) that guards every text cell."""
    return _GuardedDictWriter(stream, fieldnames, **options)


def csv_line(values: Sequence[Any]) -> str:
    """One guarded CSV line ending in a newline, for exports streamed line by line."""
    buffer = io.StringIO()
    _GuardedWriter(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


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
    writer = csv_writer(text)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if value is None else _text(value) for value in row])
    text.flush()
    text.detach()  # leave the caller's stream open


def _text(value: Cell) -> Cell:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_xlsx(table: Table, stream: IO[bytes]) -> None:
    """One worksheet named after the kind, a bold header row, dates as real dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.kind[:31])
    sheet.freeze_panes = "A2"
    header = []
    for column in table.columns:
        cell = _xlsx_cell(sheet, column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(stream)


def _xlsx_cell(sheet: Any, value: Cell) -> WriteOnlyCell:
    """A cell whose text is a string (data type `s`) whatever it starts with: openpyxl would
    otherwise store text starting with `=` as a formula."""
    cell = WriteOnlyCell(sheet, value=guard_cell(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


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
