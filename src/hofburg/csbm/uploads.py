"""Reading an annual exchange uploaded as files: one XLSX workbook or two CSV files.

The format is the one the desk exports (docs/csbm.md), so an exported exchange can be
corrected in a spreadsheet and uploaded again as the next version:

- units: `designation`, `level` (formation or unit) required; `service`, `type`,
  `subordinate_to`, `combat_unit`, `active`, `latitude`, `longitude`, `personnel` optional;
- holdings: `category`, `quantity` required; `unit`, `type_and_version` optional.

The export's other columns (`state`, `year`, `version`, `classification`, `exercise`) may stay
in the file: `state` and `year`, when filled in, must be the exchange's own; the rest are read
by nobody. Rows are numbered as a spreadsheet numbers them (the header is row 1). Reading
collects every row error it finds; nothing is stored unless the whole upload is valid.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from hofburg.core.bounds import MAX_COUNT, NUL
from hofburg.core.notes import explain
from hofburg.csbm.models import EquipmentCategory, ExchangeUnit
from hofburg.csbm.services import HoldingIn, UnitIn

MAX_FILE_BYTES = 5 * 1024 * 1024
# A workbook is a zip file: the limit on what it unpacks to stops a small "zip bomb".
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ERRORS = 50  # beyond this, the file needs more than a list of corrections

UNITS = "units"
HOLDINGS = "holdings"
UNIT_REQUIRED = ("designation", "level")
UNIT_OPTIONAL = ("service", "type", "subordinate_to", "combat_unit", "active", "latitude",
                 "longitude", "personnel")
HOLDING_REQUIRED = ("category", "quantity")
HOLDING_OPTIONAL = ("unit", "type_and_version")
CHECKED_COLUMNS = ("state", "year")  # compared with the exchange when filled in
IGNORED_COLUMNS = ("version", "classification", "exercise")

_TRUE = {"yes", "true", "1", "y", "x"}
_FALSE = {"no", "false", "0", "n"}
# The export guards text cells that a spreadsheet would run as a formula with a leading
# apostrophe (core.tables); reading takes it off again, so "'=A1" is the text "=A1".
_GUARDED = ("=", "+", "-", "@", "\t", "\r")

@dataclass(frozen=True)
class RowError:
    """One finding: the sheet (units or holdings), its row number (None for the whole
    sheet), the column and what is wrong."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return _("%(sheet)s: %(message)s") % {"sheet": self.sheet, "message": self.message}
        return _("%(sheet)s, row %(row)s, %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column,
            "message": self.message}


class UploadError(ValueError):
    """The upload cannot be stored; `errors` lists every finding (at most MAX_ERRORS)."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@dataclass(frozen=True)
class ExchangeRows:
    """An exchange's formations, units and holdings as read, with where each row came from
    (`unit_rows[i]` is the row number of `units[i]`), to point a service's refusal at a row."""

    units: list[UnitIn]
    holdings: list[HoldingIn]
    unit_rows: list[int]
    holding_rows: list[int]

    def row_of(self, field: str) -> tuple[str, int | None, str]:
        """(sheet, row, column) for a service's field name such as `units[3].parent`."""
        for sheet, rows in ((UNITS, self.unit_rows), (HOLDINGS, self.holding_rows)):
            prefix = f"{sheet}["
            if field.startswith(prefix) and "]" in field:
                index_text, _sep, rest = field[len(prefix):].partition("]")
                column = _COLUMN_OF_FIELD.get(rest.lstrip("."), rest.lstrip("."))
                if index_text.isdigit() and int(index_text) < len(rows):
                    return sheet, rows[int(index_text)], column
        return "", None, field


# The longest text each column's database field holds.
_LONGEST = {"designation": 200, "subordinate_to": 200, "unit": 200, "type": 60,
            "type_and_version": 120}

# The services' names for what the file calls otherwise.
_COLUMN_OF_FIELD = {"parent": "subordinate_to", "unit_type": "type", "type_name":
                    "type_and_version", "unit": "unit", "is_combat_unit": "combat_unit",
                    "is_active": "active"}


# -- reading files into rows ------------------------------------------------------------------


Row = dict[str, str]


def _check_size(upload: IO[bytes], name: str) -> bytes:
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise UploadError([RowError(name, None, "", _("The file is larger than %(size)s MB.")
                                    % {"size": MAX_FILE_BYTES // (1024 * 1024)})])
    return data


def csv_rows(upload: IO[bytes], sheet: str) -> list[tuple[int, Row]]:
    """The rows of a UTF-8 CSV file (comma or semicolon separated, with a header row), each
    with its row number and its cells keyed by the lower-cased column name."""
    data = _check_size(upload, sheet)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError([RowError(sheet, None, "", _(
            "The file is not UTF-8 text (save it as “CSV UTF-8”)."))]) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _keyed(sheet, ([str(cell) for cell in row] for row in reader))


def workbook_rows(upload: IO[bytes]) -> dict[str, list[tuple[int, Row]]]:
    """The `units` and `holdings` sheets of an XLSX workbook, read as csv_rows reads a file.
    A workbook without a holdings sheet reports no holdings."""
    data = _check_size(upload, _("workbook"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UploadError([RowError(_("workbook"), None, "",
                                    _("The file is not an XLSX workbook."))]) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise UploadError([RowError(_("workbook"), None, "",
                                    _("The workbook unpacks to more than %(size)s MB.")
                                    % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)})])
    from openpyxl import load_workbook  # only uploads need the reader

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise UploadError([RowError(_("workbook"), None, "",
                                    _("The workbook cannot be read."))]) from exc
    sheets = {name.strip().lower(): name for name in book.sheetnames}
    if UNITS not in sheets:
        raise UploadError([RowError(_("workbook"), None, "", _(
            "The workbook has no sheet named “units” (it has: %(names)s).")
            % {"names": ", ".join(book.sheetnames)})])
    found: dict[str, list[tuple[int, Row]]] = {HOLDINGS: []}
    for sheet in (UNITS, HOLDINGS):
        if sheet in sheets:
            cells = book[sheets[sheet]].iter_rows(values_only=True)
            found[sheet] = _keyed(sheet, ([_cell_text(v) for v in row] for row in cells))
    book.close()
    return found


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _keyed(sheet: str, rows: Iterator[list[str]]) -> list[tuple[int, Row]]:
    header: list[str] | None = None
    header_row = 1
    keyed: list[tuple[int, Row]] = []
    for number, cells in enumerate(rows, start=1):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and the empty rows a spreadsheet leaves at the end
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            header_row = number
            continue
        if len(keyed) >= MAX_ROWS:
            raise UploadError([RowError(sheet, None, "", _(
                "More than %(rows)s rows: split the exchange or use the API.")
                % {"rows": MAX_ROWS})])
        keyed.append((number, {name: _unguarded(cell.strip()) for name, cell in
                               zip(header, cells, strict=False) if name}))
    if header is None:
        return []
    return [(header_row, dict.fromkeys(header, "")), *keyed]  # the header comes first


def _unguarded(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in _GUARDED else text


# -- rows into the services' input ------------------------------------------------------------


def read_exchange(units: list[tuple[int, Row]], holdings: list[tuple[int, Row]], *,
                  state: str, year: int) -> ExchangeRows:
    """The formations, units and holdings of the rows (from csv_rows or workbook_rows);
    UploadError with every finding, row by row, if any row is wrong."""
    errors: list[RowError] = []
    unit_ins: list[UnitIn] = []
    unit_rows: list[int] = []
    holding_ins: list[HoldingIn] = []
    holding_rows: list[int] = []
    if len(units) < 2:
        errors.append(RowError(UNITS, None, "", _("The units sheet is empty.")))
    for sheet, rows, required, optional in (
            (UNITS, units, UNIT_REQUIRED, UNIT_OPTIONAL),
            (HOLDINGS, holdings, HOLDING_REQUIRED, HOLDING_OPTIONAL)):
        if not rows:
            continue
        columns = set(rows[0][1])
        missing = [c for c in required if c not in columns]
        unknown = sorted(columns - set(required) - set(optional) - set(CHECKED_COLUMNS)
                         - set(IGNORED_COLUMNS))
        if missing:
            errors.append(RowError(sheet, rows[0][0], ", ".join(missing),
                                   _("Missing column.")))
        if unknown:
            errors.append(RowError(sheet, rows[0][0], ", ".join(unknown), _(
                "Unknown column (known: %(columns)s).") % {
                "columns": ", ".join((*required, *optional))}))
    if errors:
        raise UploadError(errors)

    for number, row in units[1:]:
        cell = _Cells(UNITS, number, row, errors, state, year)
        unit = UnitIn(
            designation=cell.text("designation", required=True),
            level=cell.choice("level", ExchangeUnit.Level.values, required=True),
            service=cell.choice("service", ExchangeUnit.Service.values) or "land",
            parent=cell.text("subordinate_to") or None,
            unit_type=cell.text("type"),
            is_combat_unit=cell.boolean("combat_unit", default=True),
            is_active=cell.boolean("active", default=True),
            latitude=cell.number("latitude"),
            longitude=cell.number("longitude"),
            personnel=cell.count("personnel") or 0,
        )
        if not cell.failed:
            unit_ins.append(unit)
            unit_rows.append(number)
    for number, row in holdings[1:]:
        cell = _Cells(HOLDINGS, number, row, errors, state, year)
        holding = HoldingIn(
            category=cell.choice("category", EquipmentCategory.values, required=True),
            quantity=cell.count("quantity", required=True) or 0,
            type_name=cell.text("type_and_version"),
            unit=cell.text("unit") or None,
        )
        if not cell.failed:
            holding_ins.append(holding)
            holding_rows.append(number)
    if errors:
        raise UploadError(errors[:MAX_ERRORS])
    return ExchangeRows(unit_ins, holding_ins, unit_rows, holding_rows)


class _Cells:
    """The cells of one row, read with the row's errors collected rather than raised."""

    def __init__(self, sheet: str, number: int, row: Row, errors: list[RowError], state: str,
                 year: int) -> None:
        self.sheet, self.row_number, self.row, self.errors = sheet, number, row, errors
        self.failed = False  # True once any cell of the row is wrong
        given_state = row.get("state", "")
        if given_state and given_state.upper() != state.upper():
            self._error("state", _("This row is for %(given)s; the exchange is %(state)s's.")
                        % {"given": given_state, "state": state})
        given_year = row.get("year", "")
        if given_year and given_year != str(year):
            self._error("year", _("This row is for %(given)s; the exchange is for %(year)s.")
                        % {"given": given_year, "year": year})

    def _error(self, column: str, message: str) -> None:
        self.failed = True
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(self.sheet, self.row_number, column, message))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.row.get(column, "")
        if NUL in value:
            self._error(column, _("The cell holds a NUL character."))
            return value.replace(NUL, "")
        if required and not value:
            self._error(column, _("Required."))
        longest = _LONGEST.get(column)
        if longest is not None and len(value) > longest:
            self._error(column, _("Longer than %(longest)s characters.") % {"longest": longest})
        return value

    def choice(self, column: str, values: Iterable[str], *, required: bool = False) -> str:
        value = self.text(column, required=required).lower()
        allowed = list(values)
        if value and value not in allowed:
            self._error(column, _("%(value)s is not one of: %(allowed)s.")
                        % {"value": value, "allowed": ", ".join(allowed)})
        return value

    def boolean(self, column: str, *, default: bool) -> bool:
        value = self.text(column).lower()
        if not value:
            return default
        if value in _TRUE | _FALSE:
            return value in _TRUE
        self._error(column, _("Write yes or no."))
        return default

    def number(self, column: str) -> float | None:
        value = self.text(column).replace(",", ".")
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self._error(column, _("%(value)s is not a number.") % {"value": _shown(value)})
            return None
        return number

    def count(self, column: str, *, required: bool = False) -> int | None:
        value = self.text(column, required=required)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()):
            self._error(column, _("%(value)s is not a whole number of 0 or more.")
                        % {"value": value})
            return None
        if len(value) > len(str(MAX_COUNT)) or int(value) > MAX_COUNT:
            self._error(column, _("%(value)s is more than %(max)s.")
                        % {"value": _shown(value), "max": MAX_COUNT})
            return None
        return int(value)


def _shown(value: str) -> str:
    """A cell's text as an error quotes it: at most 20 characters."""
    return value if len(value) <= 20 else value[:20] + "…"


def refusal(rows: ExchangeRows, field: str, message: str) -> RowError:
    """A service's refusal (`CsbmError.field`, `.message`) pointed at the row it is about, in
    the reader's language (the service's message is a note)."""
    sheet, number, column = rows.row_of(field)
    return RowError(sheet or _("exchange"), number, column, explain(message))
