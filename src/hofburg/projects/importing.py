"""Import of projects and transactions from an XLSX workbook: all or nothing.

A workbook has a sheet `projects` and/or a sheet `transactions`, with the columns the export
writes (`projects.exports`; columns the import does not take, such as the computed totals, are
ignored). Every row goes through the same services as the API and the pages, inside one
transaction: if any row is refused, every refusal is reported with its sheet and row number and
nothing is stored.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from hofburg.core.access import AnyUser, visible
from hofburg.core.errors import Invalid, ServiceError
from hofburg.projects.models import Project
from hofburg.projects.services.money import TransactionIn, record_transaction
from hofburg.projects.services.projects import ProjectIn, create_project

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
PROJECTS, TRANSACTIONS = "projects", "transactions"
_GUARDED = ("=", "+", "-", "@", "\t", "\r")  # core.tables' formula starts, defused with "'"


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet} row {self.row}"
        return f"{where}, {self.field}: {self.message}" if self.field else \
            f"{where}: {self.message}"


class ImportRefused(Invalid):
    """The workbook was refused; `errors` lists every finding with sheet and row."""

    def __init__(self, errors: list[RowError]) -> None:
        shown = "; ".join(str(e) for e in errors[:50])
        more = f" (and {len(errors) - 50} more)" if len(errors) > 50 else ""
        super().__init__(f"Nothing was imported. {shown}{more}", field="file")
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    projects: int
    transactions: int


Row = dict[str, Any]


def _unguarded(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if value[:1] == "'" and value[1:2] in _GUARDED:
            return value[1:]
    return value


def read_workbook(data: bytes) -> dict[str, list[tuple[int, Row]]]:
    """{sheet: [(row number, {column: value})]} for the sheets the import reads."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([RowError("workbook", 0, "", f"larger than {MAX_BYTES} bytes")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportRefused([RowError("workbook", 0, "", "not an XLSX workbook")]) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRefused([RowError("workbook", 0, "", "unpacks to more than 50 MB")])
    from openpyxl import load_workbook  # only imports need the reader

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ImportRefused([RowError("workbook", 0, "", "cannot be read")]) from exc
    sheets = {name.strip().lower(): name for name in book.sheetnames}
    found: dict[str, list[tuple[int, Row]]] = {}
    for sheet in (PROJECTS, TRANSACTIONS):
        if sheet not in sheets:
            continue
        header: list[str] | None = None
        rows: list[tuple[int, Row]] = []
        for number, cells in enumerate(book[sheets[sheet]].iter_rows(values_only=True),
                                       start=1):
            if not any(c not in (None, "") for c in cells):
                continue
            if header is None:
                header = [str(c or "").strip().lower() for c in cells]
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRefused([RowError(sheet, number, "", f"more than {MAX_ROWS} rows")])
            rows.append((number, {name: _unguarded(value) for name, value in
                                  zip(header, cells, strict=False) if name}))
        found[sheet] = rows
    book.close()
    if not found:
        raise ImportRefused([RowError("workbook", 0, "", "no sheet named 'projects' or "
                                      "'transactions'")])
    return found


class _Bad(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _text(row: Row, name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _required(row: Row, name: str) -> str:
    value = _text(row, name)
    if not value:
        raise _Bad(name, "required")
    return value


def _day(row: Row, name: str) -> date | None:
    value = row.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise _Bad(name, f"not a date (YYYY-MM-DD): {value!r}") from exc


def _decimal(row: Row, name: str) -> Decimal | None:
    value = row.get(name)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise _Bad(name, f"not a number: {value!r}") from exc


def _codes(row: Row, name: str) -> list[str]:
    return [code.strip() for code in _text(row, name).split(",") if code.strip()]


def _project_in(row: Row) -> ProjectIn:
    return ProjectIn(
        number=_required(row, "number"), title=_required(row, "title"),
        dimension=_required(row, "dimension"), theme=_required(row, "theme"),
        description=_text(row, "description"),
        funding=_text(row, "funding") or "extra_budgetary",
        dac_sectors=_codes(row, "dac_sectors"), recipients=_codes(row, "recipients"),
        currency=_text(row, "currency") or "EUR", planned_start=_day(row, "planned_start"),
        planned_end=_day(row, "planned_end"),
        classification=_text(row, "classification") or "restricted")


def _transaction_in(row: Row) -> TransactionIn:
    value = _decimal(row, "original_value") or _decimal(row, "value")
    on = _day(row, "value_date")
    if value is None:
        raise _Bad("value", "required")
    if on is None:
        raise _Bad("value_date", "required")
    original_currency = _text(row, "original_currency")
    return TransactionIn(
        flow=_required(row, "flow"), value=value, value_date=on, donor=_text(row, "donor"),
        currency=original_currency or _text(row, "currency"), rate=_decimal(row, "rate"),
        rate_date=_day(row, "rate_date"), period_start=_day(row, "period_start"),
        period_end=_day(row, "period_end"), earmark=_text(row, "earmark"),
        description=_text(row, "description"))


def import_workbook(user: AnyUser, data: bytes) -> ImportResult:
    """Create the workbook's projects, then record its transactions (a transaction may name a
    project of the same workbook). All or nothing: ImportRefused lists every refusal."""
    sheets = read_workbook(data)
    errors: list[RowError] = []
    counts = {PROJECTS: 0, TRANSACTIONS: 0}
    with transaction.atomic():
        for number, row in sheets.get(PROJECTS, []):
            try:
                create_project(user, _project_in(row))
                counts[PROJECTS] += 1
            except _Bad as bad:
                errors.append(RowError(PROJECTS, number, bad.field, str(bad)))
            except ServiceError as refused:
                errors.append(RowError(PROJECTS, number, refused.field or "", refused.message))
        for number, row in sheets.get(TRANSACTIONS, []):
            try:
                code = _required(row, "project")
                project = visible(Project.objects.all(), user).filter(number=code).first()
                if project is None:
                    raise _Bad("project", f"no project {code!r}")
                record_transaction(user, project.pk, _transaction_in(row))
                counts[TRANSACTIONS] += 1
            except _Bad as bad:
                errors.append(RowError(TRANSACTIONS, number, bad.field, str(bad)))
            except ServiceError as refused:
                errors.append(RowError(TRANSACTIONS, number, refused.field or "",
                                       refused.message))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportRefused(errors)
    return ImportResult(projects=counts[PROJECTS], transactions=counts[TRANSACTIONS])
