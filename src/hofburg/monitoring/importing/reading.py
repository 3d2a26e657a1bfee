"""Reading an observations file: the fast reader where it can, else the general reader.

A file on disk is first offered to the fast reader (`importing.clean`, Arrow), which reads a
clean file at C speed or answers None; the general reader then reads it with Python's csv
module, a block of rows at a time, each block checked a column at a time by the engine
(`engine.columns.observation_columns`). Every problem, row number and message is the general
reader's: the fast reader accepts only files on which the two agree.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

import numpy as np

from hofburg.monitoring.engine.columns import METHODS, ObservationColumns, observation_columns
from hofburg.monitoring.engine.observations import ObservationBounds
from hofburg.monitoring.importing.clean import read_clean
from hofburg.monitoring.importing.header import read_header
from hofburg.monitoring.importing.summary import ImportRejected, ImportSummary, RowProblem
from hofburg.monitoring.importing.tuning import DEFAULT_TUNING, ImportTuning

ID_LENGTH = 64  # the database keeps ids of up to 64 characters


@dataclass(frozen=True)
class ReadContext:
    """What reading a file depends on besides the file: the bounds of a possible observation
    (a row outside them is a bad row: after now, before the mandate, farther than its method
    reaches) and the import's tuning."""

    bounds: ObservationBounds
    tuning: ImportTuning = DEFAULT_TUNING


class Reading(NamedTuple):
    """A file read: every valid row as columns, the bad rows as they were (with their row
    numbers), and the header."""

    columns: ObservationColumns
    bad: list[tuple[int, list[str]]]
    header: list[str]


def read_source(source: str | Path | IO[bytes], stream: IO[str], summary: ImportSummary,
                context: ReadContext) -> Reading:
    """The file read (see the module); `stream` is its text, for the general reader."""
    if isinstance(source, str | Path):
        fast = read_clean_file(Path(source), summary, context)
        if fast is not None:
            return fast
    return read_rows(stream, summary, context)


def read_clean_file(path: Path, summary: ImportSummary, context: ReadContext
                    ) -> Reading | None:
    """A clean file read by the fast reader, or None: the general reader reads it (also when a
    row lies outside `context.bounds`, so that reader names the row)."""
    try:
        with path.open("rb") as handle:
            first = handle.readline().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if '"' in first or "\r" in first.rstrip("\r\n") or not first.endswith("\n"):
        return None
    header = read_header(csv.reader(io.StringIO(first, newline="")), summary)
    columns = read_clean(path, header, context.tuning)
    if columns is None or not within_bounds(columns, context.bounds):
        return None
    summary.read = len(columns)
    return Reading(columns, [], header)


def within_bounds(columns: ObservationColumns, bounds: ObservationBounds) -> bool:
    """Whether every row lies inside `bounds`, checked a column at a time."""
    if not len(columns):
        return True
    times = columns.observed_at
    if bounds.latest is not None and times.max() > bounds.latest.timestamp():
        return False
    if bounds.earliest is not None and times.min() < bounds.earliest.timestamp():
        return False
    if bounds.max_distance_km:
        farthest = np.array([bounds.max_distance_km.get(m, math.inf) for m in METHODS])
        with np.errstate(invalid="ignore"):
            if bool(np.any(columns.distance_km_max > farthest[columns.method])):
                return False
    return True


def read_rows(stream: IO[str], summary: ImportSummary, context: ReadContext) -> Reading:
    """The general reader: every valid row as columns, the bad rows as they were, the header.

    The problems are the engine's, in row order, plus the file's own: a row of the wrong
    width, an id repeated in the file, ids longer than the database keeps. A record the csv
    module cannot read (an unclosed quote, say) rejects the file.
    """
    reader = csv.reader(stream)
    header = read_header(reader, summary)
    rows = _Rows(header, context)
    error = rows.read_all(reader)
    summary.read += rows.read
    if error is not None:
        row, message = error
        raise ImportRejected(summary, f"row {row}: {message}; nothing was imported")
    found = [*rows.found,
             *((RowProblem(row, oid, "observation_id", f"repeats the id of row {first}"), values)
               for row, oid, first, values in rows.repeats)]
    found.sort(key=lambda item: item[0].row)
    summary.problems = [problem for problem, _ in found]
    summary.rejected = len(summary.problems)
    bad = [(problem.row, values) for problem, values in found]
    return Reading(ObservationColumns.concat(rows.blocks), bad, header)


class _Rows:
    """The general reader's state: rows taken from the csv reader a block at a time, checked a
    block at a time."""

    def __init__(self, header: list[str], context: ReadContext) -> None:
        self.header = header
        self.width = len(header)
        self.index_of_id = header.index("observation_id")
        self.bounds = context.bounds
        self.block = context.tuning.read_block
        self.blocks: list[ObservationColumns] = []
        self.found: list[tuple[RowProblem, list[str]]] = []
        # (row, id, the row that had it first, values)
        self.repeats: list[tuple[int, str, int, list[str]]] = []
        self.seen: dict[str, int] = {}
        self.records: list[list[str]] = []  # taken, not yet checked
        self.lines: list[int] = []  # their row numbers
        self.read = 0  # rows read (blank lines are not rows)
        self.line = 1  # the row number of the last record taken

    def read_all(self, reader: Iterator[list[str]]) -> tuple[int, str] | None:
        """Take and check every record; the row and message of an error that stopped the
        csv reader, if one did."""
        taken: list[list[str]] = []
        while True:
            # Records are taken a block at a time at C speed; a record that stops the reader
            # leaves those before it in the block (list.extend keeps what it has taken).
            taken.clear()
            problem: Exception | None = None
            try:
                taken.extend(itertools.islice(reader, self.block))
            except (csv.Error, UnicodeDecodeError) as stopped:
                problem = stopped
            self._take(taken)
            if problem is not None:
                return self.line + 1, str(problem)
            ended = len(taken) < self.block
            if len(self.records) >= self.block or (ended and self.records):
                self._check_block()
            if ended:
                return None

    def _take(self, taken: list[list[str]]) -> None:
        if taken and set(map(len, taken)) == {self.width}:
            # Every record is a row as wide as the header (no blank line): taken as they are.
            self.read += len(taken)
            self.records.extend(taken)
            self.lines.extend(range(self.line + 1, self.line + 1 + len(taken)))
            self.line += len(taken)
            return
        for values in taken:
            self.line += 1
            if not values or (len(values) == 1 and not values[0].strip()):
                continue  # a blank line is not a row
            self.read += 1
            if len(values) != self.width:
                oid = values[self.index_of_id] if len(values) > self.index_of_id else ""
                self.found.append((RowProblem(self.line, oid, "row", f"has {len(values)} "
                                              f"fields, the header {self.width}"), values))
                continue
            self.records.append(values)
            self.lines.append(self.line)

    def _check_block(self) -> None:
        records, lines = self.records, self.lines
        columns, errors = observation_columns(self.header, records, self.bounds)
        for error in errors:
            self.found.append((RowProblem(lines[error.index], error.observation_id, error.field,
                                          error.message), records[error.index]))
        failed = {error.index for error in errors}
        if failed:
            lines = [line for k, line in enumerate(lines) if k not in failed]
            records = [record for k, record in enumerate(records) if k not in failed]
        ids, observers = columns.observation_id, columns.observer_id
        if (len(set(ids)) == len(ids) and self.seen.keys().isdisjoint(ids)
                and max(map(len, ids), default=0) <= ID_LENGTH
                and max(map(len, observers), default=0) <= ID_LENGTH):
            # The common case, settled a column at a time: no id repeats, none is too long.
            self.seen.update(zip(ids, lines, strict=True))
            self.blocks.append(columns)
        else:
            keep = self._settle_ids(columns, lines, records)
            self.blocks.append(columns if len(keep) == len(columns) else columns.take(keep))
        self.records = []
        self.lines = []

    def _settle_ids(self, columns: ObservationColumns, lines: list[int],
                    records: list[list[str]]) -> list[int]:
        """The rows of a checked block to keep, one by one: a repeated id or one too long is a
        problem."""
        keep = []
        for position, (oid, observer) in enumerate(zip(columns.observation_id,
                                                       columns.observer_id, strict=True)):
            line = lines[position]
            first = self.seen.setdefault(oid, line)
            if first != line:
                self.repeats.append((line, oid, first, records[position]))
            elif len(oid) > ID_LENGTH or len(observer) > ID_LENGTH:
                self.found.append((RowProblem(line, oid[:ID_LENGTH], "observation_id",
                                              f"ids are at most {ID_LENGTH} characters"),
                                   records[position]))
            else:
                keep.append(position)
        return keep
