"""The general reader (importing.reading.read_rows): records taken a block at a time, checked a
block at a time. The answer (rows, problems and their row numbers, rows read, the message of a
record that stops the reader) must not depend on where the blocks fall."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from hofburg.monitoring.importing.header import CSV_COLUMNS
from hofburg.monitoring.importing.reading import ReadContext, read_rows
from hofburg.monitoring.importing.summary import ImportRejected, ImportSummary
from hofburg.monitoring.importing.tuning import ImportTuning
from hofburg.monitoring.records import observation_bounds
from tests.monitoring.rows import row


def _rows(count: int) -> list[dict[str, Any]]:
    """Valid rows with notes that make reading hard: commas, doubled quotes, line ends."""
    notes = ["plain", "with, a comma", 'said "twice"', "two\nlines", 'end "quoted"\n',
             "", "\r\nleading line end"]
    return [row(f"EX-{k:05d}", observed_at=f"2026-01-05T{k // 3600 % 24:02d}:"
                f"{k // 60 % 60:02d}:{k % 60:02d}+02:00", notes=notes[k % len(notes)])
            for k in range(count)]


def _write(path: Path, rows: list[dict[str, Any]], *, extra: str = "") -> Path:
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(CSV_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(text.getvalue() + extra, encoding="utf-8", newline="")
    return path


def _read(path: Path, block: int = 50_000) -> tuple[Any, ...]:
    summary = ImportSummary()
    context = ReadContext(observation_bounds(), ImportTuning(read_block=block))
    with path.open(encoding="utf-8-sig", newline="") as stream:
        columns, bad, header = read_rows(stream, summary, context)
    values = {}
    for f in fields(columns):
        column = getattr(columns, f.name)
        values[f.name] = [None if isinstance(v, float) and math.isnan(v) else v
                          for v in (column if isinstance(column, list) else column.tolist())]
    return values, bad, header, summary.read, summary.rejected, summary.problems


def test_problems_come_in_row_order_with_the_rows_as_they_were(tmp_path: Path) -> None:
    rows = _rows(3000)
    rows[10]["category"] = "thunder"
    rows[2990]["bearing_deg"] = 400
    rows[1500]["observation_id"] = rows[1499]["observation_id"]  # repeated
    rows[1200]["observation_id"] = "X" * 70  # too long
    path = _write(tmp_path / "o.csv", rows, extra="\r\n,,\n")  # a short row at the end
    _values, bad, _header, read, rejected, problems = _read(path, block=700)
    assert read == 3001 and rejected == 5
    assert [p.row for p in problems] == [12, 1202, 1502, 2992, 3003]
    assert [number for number, _values in bad] == [p.row for p in problems]
    assert {p.field for p in problems} == {"category", "bearing_deg", "observation_id", "row"}
    assert str(problems[2]) == "row 1502: observation_id: repeats the id of row 1501"


@pytest.mark.parametrize("block", [1, 2, 7, 1000])
def test_the_answer_does_not_depend_on_the_block_size(tmp_path: Path, block: int) -> None:
    """Records are taken from the reader a block at a time, and a block of rows all as wide as
    the header is taken whole; blank lines, short rows, repeated and long ids and a record that
    stops the reader may fall anywhere in a block or at its edge."""
    rows = _rows(1500)
    rows[10]["category"] = "thunder"
    rows[700]["observation_id"] = rows[699]["observation_id"]
    rows[701]["observation_id"] = rows[3]["observation_id"]  # repeated from an earlier block
    rows[1200]["observation_id"] = "X" * 70
    path = _write(tmp_path / "o.csv", rows, extra="\r\n\r\n,,\n")
    text = path.read_text(encoding="utf-8")
    lines = text.split("\nEX-00900,")
    path.write_text(lines[0] + "\n\n\nEX-00900," + lines[1], encoding="utf-8",
                    newline="")
    expected = _read(path)  # with blocks of 50,000: one block
    assert _read(path, block) == expected
    _values, _bad, _header, read, rejected, problems = expected
    assert read == 1501 and rejected == 5
    # Two blank lines before row 904; the short row at the end after two more.
    assert [p.row for p in problems] == [12, 702, 703, 1204, 1506]

    broken = tmp_path / "broken.csv"
    broken.write_text(text + "X," + "y" * (csv.field_size_limit() + 10) + "\r\n",
                      encoding="utf-8", newline="")
    with pytest.raises(ImportRejected) as whole:
        _read(broken)
    with pytest.raises(ImportRejected) as caught:
        _read(broken, block)
    assert str(caught.value) == str(whole.value)
    assert str(whole.value).startswith("row 1505: field larger than field limit")
    assert whole.value.summary.read == caught.value.summary.read
