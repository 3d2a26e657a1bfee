"""Reading the CSV files the PVT commands take, with row-numbered errors (row 1 is the header).

- a polling-station frame (`station_id,...` plus the strata columns) for drawing a sample;
- PVT results: `station_id,stratum,registered,valid,<one column per candidate>`, optional
  `rejected,blank`; a sampled station whose `valid` is empty has not reported yet;
- a PVT frame: `stratum,stations`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from hofburg.elections.engine.pvt import Station

MAX_ERRORS = 20
RESERVED = ("station_id", "stratum", "registered", "valid", "rejected", "blank")


@dataclass(frozen=True)
class ValidReport:
    """Which sampled rows count as reported (Apollo issue #203: users want to choose).

    By default a row reports when `valid` is given and at least `min_valid`, and its
    candidates' votes add up to more than zero; `require_registered` also asks for registered
    voters above zero (Apollo's own default)."""

    min_valid: int = 1
    require_registered: bool = False

    def accepts(self, valid: int, votes: int, registered: int | None) -> bool:
        """Whether a result with `valid` valid votes, `votes` for the candidates together and
        `registered` voters (None where unknown) counts as reported."""
        return (valid >= self.min_valid and votes > 0
                and (not self.require_registered or bool(registered)))


class FileError(ValueError):
    """A file's rows are wrong; the message lists them by row number."""


def _raise(errors: list[str]) -> None:
    if errors:
        shown = errors[:MAX_ERRORS]
        more = f"; and {len(errors) - MAX_ERRORS} more" if len(errors) > MAX_ERRORS else ""
        raise FileError("; ".join(shown) + more)


def _rows(text: str, required: tuple[str, ...]) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise FileError(f"row 1: missing column(s) {', '.join(missing)}")
    if len(set(header)) != len(header):
        raise FileError("row 1: a column name repeats")
    rows = [{(k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
             for k, v in raw.items()} for raw in reader]
    return header, rows


def _count(text: str, row: int, column: str, errors: list[str]) -> int:
    try:
        value = int(text)
    except ValueError:
        errors.append(f"row {row}: {column} {text!r} is not a whole number")
        return 0
    if value < 0:
        errors.append(f"row {row}: {column} is negative")
    return value


def read_station_frame(text: str, strata: list[str]) -> list[tuple[str, str]]:
    """(station_id, stratum) per station; the stratum joins the strata columns' values with /."""
    _header, rows = _rows(text, ("station_id", *strata))
    errors: list[str] = []
    seen: dict[str, int] = {}
    stations = []
    for number, row in enumerate(rows, start=2):
        station_id = row["station_id"]
        if not station_id:
            errors.append(f"row {number}: station_id is empty")
        elif station_id in seen:
            errors.append(f"row {number}: station_id {station_id} repeats row {seen[station_id]}")
        seen.setdefault(station_id, number)
        values = [row[c] for c in strata]
        for column, value in zip(strata, values, strict=True):
            if not value:
                errors.append(f"row {number}: {column} is empty")
        stations.append((station_id, "/".join(values)))
    _raise(errors)
    if not stations:
        raise FileError("the frame has no stations")
    return stations


def read_pvt_frame(text: str) -> dict[str, int]:
    _header, rows = _rows(text, ("stratum", "stations"))
    errors: list[str] = []
    frame: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        name = row["stratum"]
        if not name:
            errors.append(f"row {number}: stratum is empty")
        elif name in frame:
            errors.append(f"row {number}: stratum {name} repeats")
        size = _count(row["stations"], number, "stations", errors)
        if size == 0 and row["stations"].lstrip("-").isdigit():
            errors.append(f"row {number}: a stratum needs at least one station")
        frame[name] = size
    _raise(errors)
    if not frame:
        raise FileError("the frame has no strata")
    return frame


def read_pvt_results(text: str, rule: ValidReport = ValidReport()
                     ) -> tuple[list[str], list[Station]]:
    """The candidate columns and one Station per row; `rule` decides which rows report."""
    header, rows = _rows(text, ("station_id", "stratum", "registered", "valid"))
    candidates = [c for c in header if c not in RESERVED and c]
    if not candidates:
        raise FileError("row 1: no candidate columns after station_id,stratum,registered,valid")
    errors: list[str] = []
    seen: dict[str, int] = {}
    stations = []
    for number, row in enumerate(rows, start=2):
        station_id, stratum = row["station_id"], row["stratum"]
        if not station_id:
            errors.append(f"row {number}: station_id is empty")
        elif station_id in seen:
            errors.append(f"row {number}: station_id {station_id} repeats row {seen[station_id]}")
        seen.setdefault(station_id, number)
        if not stratum:
            errors.append(f"row {number}: stratum is empty")
        registered = (_count(row["registered"], number, "registered", errors)
                      if row["registered"] else None)
        if not row["valid"]:
            stations.append(Station(station_id, stratum, 0, {}, registered, reported=False))
            continue
        valid = _count(row["valid"], number, "valid", errors)
        votes = {c: _count(row.get(c, "") or "", number, c, errors) for c in candidates}
        extra = {c: _count(row[c], number, c, errors) if row.get(c) else 0
                 for c in ("rejected", "blank")}
        if sum(votes.values()) > valid:
            errors.append(f"row {number}: the candidates' votes add up to more than valid")
        if registered is not None and valid + extra["rejected"] + extra["blank"] > registered:
            errors.append(f"row {number}: more votes than registered voters")
        reported = rule.accepts(valid, sum(votes.values()), registered)
        stations.append(Station(station_id, stratum, valid, votes, registered,
                                extra["rejected"], extra["blank"], reported=reported))
    _raise(errors)
    return candidates, stations
