"""The columns of an observations file: the engine's fields (`FILE_FIELDS`), in any order in a
file, the required ones (`REQUIRED_FIELDS`) present; and CSV text written with that header."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from hofburg.core.tables import csv_dict_writer
from hofburg.monitoring.engine.observations import FILE_FIELDS, REQUIRED_FIELDS
from hofburg.monitoring.importing.summary import ImportRejected, ImportSummary

CSV_COLUMNS: tuple[str, ...] = FILE_FIELDS
REQUIRED_COLUMNS: tuple[str, ...] = REQUIRED_FIELDS


def read_header(reader: Iterator[list[str]], summary: ImportSummary) -> list[str]:
    """The file's first row as column names; ImportRejected unless they are the import's."""
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportRejected(summary, "the file is empty: no header row") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportRejected(summary, f"row 1: {error}") from None
    unknown = [name for name in header if name not in CSV_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    doubled = sorted({name for name in header if header.count(name) > 1})
    if unknown or missing or doubled:
        parts = ([f"unknown column(s) {', '.join(unknown)}"] if unknown else []) + \
                ([f"missing column(s) {', '.join(missing)}"] if missing else []) + \
                ([f"repeated column(s) {', '.join(doubled)}"] if doubled else [])
        raise ImportRejected(summary, f"row 1 (header): {'; '.join(parts)}; expected "
                                      f"{','.join(CSV_COLUMNS)} in any order")
    return header


def iter_csv_rows(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """CSV text of observation mappings with the import's header (for tests and the demo)."""
    buffer = io.StringIO()
    writer = csv_dict_writer(buffer, CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
