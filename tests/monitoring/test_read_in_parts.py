"""A large file is read in parts, one per core (services._read_file). The answer must be the
one reading the file in one go gives: the same rows, the same problems with the same row
numbers, the same rows read; where that cannot be proved, the file is read in one go."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from hofburg.monitoring import services
from hofburg.monitoring.services import CSV_COLUMNS, ImportRejected, ImportSummary
from tests.monitoring.rows import row


@pytest.fixture(autouse=True)
def _parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "PARALLEL_READ_FROM", 0)
    monkeypatch.setattr(services, "MERGE_WORKERS", 3)
    # These tests are of the parts reader: a clean file would be read by Arrow before it.
    monkeypatch.setattr(services, "read_clean", lambda path, header: None)


def _rows(count: int) -> list[dict[str, Any]]:
    """Valid rows with notes that make cutting hard: commas, doubled quotes, line ends."""
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


def _in_one_go(path: Path) -> tuple[Any, ...]:
    summary = ImportSummary()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        columns, bad, header = services._read_rows(
            stream, summary, services.latest_observation_time())
    return _comparable(columns, bad, header, summary)


def _in_parts(path: Path) -> tuple[Any, ...]:
    summary = ImportSummary()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        columns, bad, header = services._read_file(
            path, stream, summary, services.latest_observation_time())
    return _comparable(columns, bad, header, summary)


def _comparable(columns: Any, bad: Any, header: Any, summary: ImportSummary) -> tuple[Any, ...]:
    values = {}
    for f in fields(columns):
        column = getattr(columns, f.name)
        values[f.name] = [None if isinstance(v, float) and math.isnan(v) else v
                          for v in (column if isinstance(column, list) else column.tolist())]
    return values, bad, header, summary.read, summary.rejected, summary.problems


def _parts_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Spy: how many parts each parallel reading that was kept used."""
    used: list[int] = []
    finish = services._finish_reading

    def spy(parts: Any, *args: Any) -> Any:
        used.append(len(parts))
        return finish(parts, *args)

    monkeypatch.setattr(services, "_finish_reading", spy)
    return used


def test_a_file_read_in_parts_reads_as_in_one_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows(3000)
    rows[10]["category"] = "thunder"  # bad in the first part
    rows[2990]["bearing_deg"] = 400  # bad in the last part
    rows[1500]["observation_id"] = rows[1499]["observation_id"]  # repeated within a part
    rows[1200]["observation_id"] = "X" * 70  # too long
    path = _write(tmp_path / "o.csv", rows, extra="\r\n,,\n")  # a short row at the end
    expected = _in_one_go(path)
    used = _parts_read(monkeypatch)
    got = _in_parts(path)
    assert used == [3]  # it was read in three parts, and kept
    assert got == expected
    _values, bad, _header, read, rejected, problems = got
    assert read == 3001 and rejected == 5
    assert [p.row for p in problems] == sorted(p.row for p in problems)
    assert [number for number, _values in bad] == [p.row for p in problems]
    assert {p.field for p in problems} == {"category", "bearing_deg", "observation_id", "row"}


def test_a_stray_quote_outside_quotes_is_read_as_in_one_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`5'11"` in an unquoted field is text to the reader but throws the count of quote
    characters off: the cut may then fall inside a quoted field, which the mark shows."""
    path = tmp_path / "o.csv"
    _write(path, _rows(2000))
    text = path.read_text(encoding="utf-8")
    assert text.count(",plain\n") > 100
    text = text.replace(",plain\n", ',5\'11" plain\n', 1)
    path.write_text(text, encoding="utf-8", newline="")
    used = _parts_read(monkeypatch)
    assert _in_parts(path) == _in_one_go(path)
    assert used == [1, 1]  # a cut fell inside a quoted field: read again in one go


def test_an_id_repeated_across_parts_is_reported_as_in_one_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows(2000)
    rows[1900]["observation_id"] = rows[5]["observation_id"]
    path = _write(tmp_path / "o.csv", rows)
    used = _parts_read(monkeypatch)
    got = _in_parts(path)
    assert got == _in_one_go(path)
    assert used == [1, 1]  # the parts were dropped; the file was read in one go
    assert [str(p) for p in got[5]] == ["row 1902: observation_id: repeats the id of row 7"]


def test_a_broken_row_in_a_later_part_rejects_the_file_as_in_one_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "o.csv", _rows(2000))
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("X," + "y" * (csv.field_size_limit() + 10) + "\r\n")
    messages = []
    for read in (_in_one_go, _in_parts):
        with pytest.raises(ImportRejected) as caught:
            read(path)
        messages.append((str(caught.value), caught.value.summary.read))
    assert messages[0] == messages[1]
    assert messages[0][0].startswith("row 2002: field larger than field limit")


def test_a_small_file_or_a_header_with_quotes_is_read_in_one_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "o.csv", _rows(50))
    text = path.read_text(encoding="utf-8")
    quoted = tmp_path / "quoted.csv"
    quoted.write_text(text.replace("observation_id,", '"observation_id",', 1), encoding="utf-8",
                      newline="")
    used = _parts_read(monkeypatch)
    assert _in_parts(quoted) == _in_one_go(quoted)
    monkeypatch.setattr(services, "PARALLEL_READ_FROM", 1 << 30)
    assert _in_parts(path) == _in_one_go(path)
    assert used == [1, 1, 1, 1]


def test_the_cuts_never_fall_inside_a_quoted_field(tmp_path: Path) -> None:
    notes = "many\nlines\n" * 200
    path = _write(tmp_path / "o.csv", [row(f"EX-{k}", notes=notes) for k in range(40)])
    data = path.read_bytes()
    cuts = services._cuts(path, 7)
    assert cuts is not None and len(cuts) > 3
    for cut in cuts[1:-1]:
        assert data[cut - 1:cut] == b"\n"
        assert data[:cut].count(b'"') % 2 == 0


@pytest.mark.parametrize("block", [1, 2, 7, 1000])
def test_the_answer_does_not_depend_on_the_block_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """Records are taken from the reader a block at a time, and a block of rows all as wide as
    the header is taken whole; blank lines, short rows, repeated and long ids, the part's
    mark and a record that stops the reader may fall anywhere in a block or at its edge."""
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
    expected = _in_one_go(path)  # with blocks of 50,000: one block
    monkeypatch.setattr(services, "_READ_BLOCK", block)
    assert _in_one_go(path) == expected
    assert _in_parts(path) == expected
    _values, _bad, _header, read, rejected, problems = expected
    assert read == 1501 and rejected == 5
    # Two blank lines before row 904; the short row at the end after two more.
    assert [p.row for p in problems] == [12, 702, 703, 1204, 1506]

    broken = tmp_path / "broken.csv"
    broken.write_text(text + "X," + "y" * (csv.field_size_limit() + 10) + "\r\n",
                      encoding="utf-8", newline="")
    monkeypatch.setattr(services, "_READ_BLOCK", 50_000)
    with pytest.raises(ImportRejected) as whole:
        _in_one_go(broken)
    monkeypatch.setattr(services, "_READ_BLOCK", block)
    for read_file in (_in_one_go, _in_parts):
        with pytest.raises(ImportRejected) as caught:
            read_file(broken)
        assert str(caught.value) == str(whole.value)
        assert caught.value.summary.read == whole.value.summary.read == 1501
    assert str(whole.value).startswith("row 1505: field larger than field limit")
