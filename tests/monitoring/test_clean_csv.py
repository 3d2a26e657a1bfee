"""A clean file is read with Arrow (monitoring.importing.clean); every other file by the general
reader. Where the Arrow reader answers, the answer must be the general reader's, value for
value and bit for bit; where a file breaks one of its rules, it must not answer."""

from __future__ import annotations

import csv
import io
import math
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hofburg.monitoring import records
from hofburg.monitoring.engine.columns import ObservationColumns
from hofburg.monitoring.importing import pipeline, reading
from hofburg.monitoring.importing.clean import read_clean
from hofburg.monitoring.importing.header import CSV_COLUMNS
from hofburg.monitoring.importing.summary import ImportSummary
from hofburg.monitoring.models import Observation
from tests.monitoring.rows import row

HEADER = list(CSV_COLUMNS)


def _rows(count: int) -> list[dict[str, Any]]:
    """Valid rows of every shape the Arrow reader takes: bearings and sectors, bands and none,
    weapons, counts, times in several offsets and precisions, notes with commas."""
    times = ["2026-01-05T{h:02d}:{m:02d}:{s:02d}+02:00", "2026-03-29 {h:02d}:{m:02d}:{s:02d}Z",
             "2025-12-31T{h:02d}:{m:02d}:{s:02d}.5-05:30",
             "2024-02-29T{h:02d}:{m:02d}:{s:02d}.123456+00:00",
             "2026-10-25T{h:02d}:{m:02d}:{s:02d}.0701-00:00"]
    sectors = ["N", "NNE", "SW-W", "E-SE"]
    rows = []
    for k in range(count):
        h, m, s = k // 3600 % 24, k // 60 % 60, k % 60
        changes: dict[str, Any] = {
            "observed_at": times[k % len(times)].format(h=h, m=m, s=s),
            "observer_id": f"EX-OP-{k % 7}", "observer_lon": f"{-30 + k % 97 / 1000:.6f}",
            "observer_lat": f"{47 + k % 89 / 997:.6f}", "count": ["", "1", "007", "12"][k % 4],
            "notes": ["plain", "with, a comma", "", "EXERCISE DATA - generated"][k % 4]}
        if k % 3 == 0:
            changes.update(bearing_deg="", sector=sectors[k % len(sectors)])
        else:
            changes.update(bearing_deg=["0", "359.99", "360", "45.125"][k % 4])
        if k % 5 == 0:
            changes.update(distance_km_min="", distance_km_max="")
        elif k % 5 == 1:
            changes.update(distance_km_min="0", distance_km_max="0.5")
        if k % 4 == 1:
            changes.update(weapon_class="artillery", category="explosion_weapon")
        rows.append(row(f"EX-{k:06d}", **changes))
    return rows


def _write(path: Path, rows: list[dict[str, Any]], header: list[str] = HEADER,
           line_end: str = "\r\n") -> Path:
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=header, extrasaction="ignore",
                            lineterminator=line_end)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8", newline="")
    return path


def _general(path: Path) -> tuple[ObservationColumns, list[Any], list[str], ImportSummary]:
    summary = ImportSummary()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        columns, bad, header = reading.read_rows(
            stream, summary, reading.ReadContext(records.observation_bounds()))
    return columns, bad, header, summary


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return [name.strip() for name in next(csv.reader(stream))]


def _assert_same(got: ObservationColumns, expected: ObservationColumns) -> None:
    """The same values, of the same types; floats bit for bit (NaN where NaN)."""
    for f in fields(ObservationColumns):
        ours, theirs = getattr(got, f.name), getattr(expected, f.name)
        if isinstance(theirs, list):
            assert isinstance(ours, list), f.name
            assert ours == theirs, f.name
            assert [type(v) for v in ours] == [type(v) for v in theirs], f.name
        else:
            assert ours.dtype == theirs.dtype, f.name
            assert ours.shape == theirs.shape, f.name
            assert ours.tobytes() == theirs.tobytes(), f.name


def _read_both(path: Path) -> tuple[ObservationColumns | None, ObservationColumns, list[Any]]:
    """The fast path's answer (the Arrow reader, then the bounds a column at a time, as
    `reading.read_clean_file` takes them), the general reader's columns and problems."""
    columns, _bad, _header_read, summary = _general(path)
    fast = read_clean(path, _header(path))
    if fast is not None and not reading.within_bounds(fast, records.observation_bounds()):
        fast = None
    return fast, columns, summary.problems


def test_a_clean_file_reads_to_the_general_readers_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "o.csv", _rows(3000))
    got, expected, problems = _read_both(path)
    assert problems == []
    assert got is not None and len(got) == 3000
    _assert_same(got, expected)
    # What the rows hold: the shapes the test means to cover are there.
    assert set(got.utc_offset_minutes.tolist()) == {120, 0, -330}
    assert np.isnan(got.bearing_deg).sum() == 1000 and "SW-W" in got.sector
    assert got.count.tolist()[:4] == [1, 1, 7, 12]
    assert got.weapon_class[1] == "artillery" and got.weapon_class[0] is None


@pytest.mark.parametrize("variant", ["lf", "bom", "order", "missing", "no-final-line-end"])
def test_the_ways_a_clean_file_may_be_written(tmp_path: Path, variant: str) -> None:
    rows, header, line_end = _rows(500), HEADER, "\r\n"
    if variant == "lf":
        line_end = "\n"
    if variant == "order":
        header = list(reversed(HEADER))
    if variant == "missing":  # the optional columns may be left out
        header = [name for name in HEADER if name not in ("weapon_class", "notes", "count")]
    path = _write(tmp_path / "o.csv", rows, header, line_end)
    if variant == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    if variant == "no-final-line-end":
        path.write_bytes(path.read_bytes().rstrip(b"\r\n"))
    got, expected, problems = _read_both(path)
    assert problems == [] and got is not None
    _assert_same(got, expected)


def _replace_first(path: Path, old: str, new: str) -> Path:
    text = path.read_bytes().decode("utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    return path


# Each edit makes the file one the Arrow reader leaves to the general reader: a rule of the
# bytes, a row the general reader rejects, or a value it reads that the strict forms do not.
NOT_CLEAN = {
    "doubled quote": (',"with, a comma"', ',"said ""twice"""'),
    "quote inside a field": (",plain", ",5'11\" plain"),
    "quote after a space": (',"with, a comma"', ', "with, a comma"'),
    "quoted line end": (',"with, a comma"', ',"with\na comma"'),
    "empty quoted field": (",plain", ',""'),
    "blank line": ("\r\nEX-000010,", "\r\n\r\nEX-000010,"),
    "bare carriage return": (",plain", ",pla\rin"),
    "NUL": (",plain", ",pla\0in"),
    "unknown kind": ("observation_point", "lighthouse"),
    "repeated id": ("EX-000011,", "EX-000010,"),
    "long id": ("EX-000011,", "X" * 65 + ","),
    "blank id": ("EX-000011,", " ,"),
    "exponent": (",45.125,", ",4.5125e1,"),
    "plus sign": (",359.99,", ",+359.99,"),
    "nan bearing": (",359.99,", ",nan,"),
    "out of range bearing": (",359.99,", ",360.5,"),
    "bearing and sector": (",359.99,,", ",359.99,N,"),
    "lower case sector": (",NNE,", ",nne,"),
    "half a band": (",0,0.5,", ",,0.5,"),
    "count of zero": (",12,", ",0,"),
    "far year": ("2026-01-05T", "1899-01-05T"),
    "no such day": ("2024-02-29T", "2025-02-29T"),
    "hour 24": ("2026-01-05T00", "2026-01-05T24"),
    "offset seconds": ("+02:00,", "+02:00:30,"),
    "no offset": ("+02:00,", ","),
    "short row": ("\r\nEX-000010,", "\r\nEX-000010,\r\nEX-000010,"),
    "field over the limit": (",plain", "," + "y" * (csv.field_size_limit() + 10)),
}


@pytest.mark.parametrize("edit", sorted(NOT_CLEAN))
def test_a_file_that_breaks_a_rule_is_left_to_the_general_reader(
        tmp_path: Path, edit: str) -> None:
    old, new = NOT_CLEAN[edit]
    path = _replace_first(_write(tmp_path / "o.csv", _rows(60)), old, new)
    assert read_clean(path, _header(path)) is None


def test_invalid_utf8_is_left_to_the_general_reader(tmp_path: Path) -> None:
    path = _write(tmp_path / "o.csv", _rows(60))
    path.write_bytes(path.read_bytes().replace(b",plain", b",pl\xffain", 1))
    assert read_clean(path, HEADER) is None


def test_the_import_takes_the_arrow_reader_for_a_clean_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Any) -> None:
    answers: list[bool] = []

    def spy(path: Path, header: Any, tuning: Any) -> Any:
        columns = read_clean(path, header, tuning)
        answers.append(columns is not None)
        return columns

    monkeypatch.setattr(reading, "read_clean", spy)
    clean = _write(tmp_path / "clean.csv", _rows(300))
    summary = pipeline.import_observations(clean, is_exercise=True)
    assert (summary.read, summary.inserted, summary.rejected) == (300, 300, 0)
    dirty = _replace_first(_write(tmp_path / "dirty.csv", [
        row(f"EX-B-{k}", observed_at=f"2026-02-01T10:{k:02d}:00+02:00") for k in range(40)]),
        "observation_point", "lighthouse")
    summary = pipeline.import_observations(dirty, skip_bad=True, is_exercise=True)
    assert (summary.read, summary.inserted, summary.rejected) == (40, 39, 1)
    assert summary.problems[0].row == 2 and summary.problems[0].field == "observer_kind"
    assert answers == [True, False]
    assert Observation.objects.count() == 339
    stored = Observation.objects.get(observation_id="EX-000002")
    assert stored.utc_offset_minutes == -330 and stored.count == 7


_TEXT = st.sampled_from(["", " ", "a", "EX-1", "NE", "N-S", "nne", "1", "0", "-0", "007", "1.5",
                         "1e3", ".5", "5.", "+2", " 3", "3 ", "nan", "inf", "360", "361", "-1",
                         "2026-01-05T20:00:00+02:00", "2026-01-05 20:00:00Z",
                         "2026-01-05T20:00:00.1234567+02:00", "2026-01-05T20:00:00",
                         "2026-02-30T20:00:00+02:00", "2026-01-05T20:00:00+24:00",
                         "patrol", "drone", "heard", "saw", "burst", "shot", "x,y", 'a"b',
                         "\u3000", "é"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(HEADER), _TEXT), min_size=1, max_size=6),
       st.integers(min_value=0, max_value=5))
def test_whenever_the_arrow_reader_answers_it_is_the_general_readers_answer(
        tmp_path: Path, edits: list[tuple[str, str]], which: int) -> None:
    """Rows with a few fields set to awkward texts: where the Arrow reader takes the file, the
    general reader finds no problem and reads the same columns."""
    rows = _rows(6)
    for name, value in edits:
        rows[which][name] = value
    path = _write(tmp_path / f"h{abs(hash((tuple(edits), which)))}.csv", rows)
    got, expected, problems = _read_both(path)
    if got is not None:
        assert problems == []
        _assert_same(got, expected)


def test_the_benchmark_scenario_reads_alike(tmp_path: Path) -> None:
    """The generated scenario the benchmark imports (notes quoted, CRLF line ends)."""
    from benchmarks.monitoring_import import generate

    path = tmp_path / "scenario.csv"
    generate(path, 5000)
    got, expected, problems = _read_both(path)
    assert problems == [] and got is not None and len(got) == 5000
    _assert_same(got, expected)
    assert not any(math.isnan(v) for v in got.observed_at.tolist())


def test_without_pyarrow_the_general_reader_reads_every_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Any) -> None:
    """pyarrow is optional: where it cannot be imported, the fast reader steps aside and the
    import reads, stores and counts exactly as with it."""
    path = _write(tmp_path / "clean.csv", _rows(300))
    with_arrow = read_clean(path, HEADER)
    assert with_arrow is not None
    for name in ("pyarrow", "pyarrow.csv", "pyarrow.compute"):
        monkeypatch.setitem(sys.modules, name, None)  # `import pyarrow` raises ImportError
    with pytest.raises(ImportError):
        import pyarrow  # noqa: F401
    assert read_clean(path, HEADER) is None
    got, expected, problems = _general(path)[0], with_arrow, _general(path)[1]
    assert problems == []
    _assert_same(got, expected)
    summary = pipeline.import_observations(path, is_exercise=True)
    assert (summary.read, summary.inserted, summary.rejected) == (300, 300, 0)
    assert Observation.objects.count() == 300
