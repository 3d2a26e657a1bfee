"""`ReferenceDataError`, and how a pydantic validation error becomes one.

pydantic locates an error by a path such as `("conflicts.yaml", "conflicts", 2, "formats", 0,
"participants", 6, "role")`; a reader is told `conflicts.yaml, row 3 (code=ukraine), field
'formats[1].participants[7].role': ...`: the file, the 1-based row with its natural key, and
the field with 1-based positions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from hofburg.registry.engine.reference.fields import show


class ReferenceDataError(ValueError):
    """A reference data file is missing, malformed or breaks a rule.

    `row` is the 1-based index of the row within its list (or a label such as `sources[2]`),
    `key` the row's natural key (`iso2=FR`), `field` the field at fault.
    """

    def __init__(
        self,
        file: str,
        row: int | str | None,
        field: str | None,
        message: str,
        *,
        key: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.field = field
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}" if isinstance(self.row, int) else f", {self.row}"
        if self.key:
            where += f" ({self.key})"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


# How each file lists its rows: the key of the list and the fields of a row's natural key.
Layout = tuple[str, tuple[str, ...]]

_MESSAGES = {
    "missing": "required",
    "extra_forbidden": "unknown field",
    "model_type": "must be a mapping of fields, not {input}",
    "model_attributes_type": "must be a mapping of fields, not {input}",
    "dict_type": "must be a mapping, not {input}",
    "list_type": "must be a list, not {input}",
    "tuple_type": "must be a list, not {input}",
    "string_type": "not a text: {input}",
}


def from_validation_error(
    error: ValidationError, documents: Mapping[str, Any], layouts: Mapping[str, Layout]
) -> ReferenceDataError:
    """The first of pydantic's errors, told the way the files are written."""
    detail = error.errors()[0]
    path = (*detail["loc"], *detail.get("ctx", {}).get("at", ()))
    file, rest = str(path[0]), path[1:]
    if not rest and detail["type"] == "missing":
        return ReferenceDataError(file, None, None, "file is missing")
    document = documents.get(file)
    rows_key, key_fields = layouts.get(file, ("", ()))
    row: int | str | None = None
    key = None
    if len(rest) >= 2 and isinstance(rest[1], int) and rest[0] in (rows_key, "sources"):
        raw = _raw_row(document, str(rest[0]), rest[1])
        if rest[0] == rows_key:
            row, key = rest[1] + 1, _key(raw, key_fields)
        else:
            row, key = f"sources[{rest[1] + 1}]", _key(raw, ("id",))
        rest = rest[2:]
    message = _message(detail)
    if detail["type"] == "extra_forbidden" and row is None and len(rest) == 1:
        message = "unknown top-level key"
    return ReferenceDataError(file, row, _field(rest), message, key=key)


def _message(detail: ErrorDetails) -> str:
    context = detail.get("ctx", {})
    if "message" in context:
        return str(context["message"])
    template = _MESSAGES.get(detail["type"])
    return template.format(input=show(detail["input"])) if template else detail["msg"]


def _raw_row(document: object, rows_key: str, index: int) -> object:
    rows = document.get(rows_key) if isinstance(document, dict) else None
    return rows[index] if isinstance(rows, list) and index < len(rows) else None


def _key(raw: object, fields: Sequence[str]) -> str | None:
    """`iso2=FR` from the row as written, when every field of the key is a plain value."""
    if not isinstance(raw, dict) or not fields:
        return None
    values = [raw.get(name) for name in fields]
    if not all(isinstance(value, str | int) and not isinstance(value, bool) for value in values):
        return None
    return ", ".join(f"{name}={value}" for name, value in zip(fields, values, strict=True))


def _field(path: Sequence[int | str]) -> str | None:
    """`formats[1].participants[7].role` from `("formats", 0, "participants", 6, "role")`."""
    written = ""
    for part in path:
        if isinstance(part, int):
            written += f"[{part + 1}]"
        else:
            written += f".{part}" if written else str(part)
    return written or None
