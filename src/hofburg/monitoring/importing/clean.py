"""A clean observations file read at C speed, with Apache Arrow.

The import's general reader (`importing.reading`) reads a file with Python's csv module and
checks it a column at a time (`engine.columns.observation_columns`), handing every doubtful row
to the engine's own rule. For a million rows that is about twelve processor-seconds, most of it
in Python, and it comes before anything else can start.

Most large files are clean: written by a program, every row valid. `read_clean` reads such a
file with Arrow's CSV reader (in batches of rows, parsed in C++) and checks it with Arrow's
compute functions and numpy, under rules stricter than the general reader's. A file it accepts
reads to the same columns, value for value, as the general reader makes of it, with no problem
found. A file that breaks any of its rules (one bad row, a doubled quote, a time written
another way) is answered with None, and the general reader reads it: every problem, row number
and message is the general reader's.

The rules, and why the two readers agree on a file that keeps them:

- The bytes: no NUL, no blank line, every carriage return right before a line feed, and a
  double quote only around a whole field (right after a comma or a line start, right before a
  comma or a line end) that holds no quote, carriage return or line feed. Fields are then what
  lies between commas and line ends, less the quotes around them, for both readers. Invalid
  UTF-8, a row of the wrong width or a field over the csv module's size limit: None.
- Required fields are not empty. Ids and observer ids begin or end with a printable ASCII
  character other than a space (so none is white space alone), are at most 64 bytes (so at
  most 64 characters), and no id repeats. Weapon classes, where given, hold an ASCII letter
  or digit.
- Times are `YYYY-MM-DD`, `T` or a space, `hh:mm:ss`, 1 to 6 decimals or none, and `Z` or
  `+hh:mm` / `-hh:mm`, with a year from 1900 to 2999 and every part in range. The seconds since
  the epoch are the whole microseconds divided by a million, as `datetime.timestamp` computes.
- Numbers are an optional `-`, digits, and optionally a point and digits, which Python's
  `float` and Arrow both read to the correctly rounded double; counts are 1 to 18 digits.
- Observer kinds, methods, categories and sectors are exact members of their lists.
- The ranges are those of `observation_columns`: coordinates, counts of at least one, bearings
  from 0 to 360 or else a sector (exactly one of the two), distance bands given whole and in
  order.
"""

from __future__ import annotations

import csv
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hofburg.monitoring.engine.columns import (
    CATEGORIES,
    METHODS,
    OBSERVER_KINDS,
    FloatArray,
    ObservationColumns,
    sector_texts,
)
from hofburg.monitoring.engine.observations import MAX_COUNT, MAX_DISTANCE_KM, REQUIRED_FIELDS
from hofburg.monitoring.importing.tuning import DEFAULT_TUNING, ImportTuning

ID_MAX = 64  # bytes here; the database keeps ids of up to 64 characters
_NUMBER = r"^-?[0-9]+(?:\.[0-9]+)?$"
_WHOLE = r"^[0-9]{1,18}$"
_TIME = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
         r"(?:Z|[+-][0-9]{2}:[0-9]{2})$")
_YEARS = (1900, 2999)


class _NotClean(Exception):
    """The file breaks a rule: the general reader reads it."""


def read_clean(path: Path, header: Sequence[str], tuning: ImportTuning = DEFAULT_TUNING
               ) -> ObservationColumns | None:
    """The rows of a clean file (see the module), or None where the general reader must read
    it (also when pyarrow is not installed). `header` is the file's first row as the general
    reader read and checked it.

    No thread of this reader outlives the call: the import forks its merge workers later, and
    nothing may fork while threads run (decision 0010)."""
    try:
        import pyarrow as pa
        from pyarrow import csv as arrow_csv
    except ImportError:
        return None
    # The bytes are checked in a thread while Arrow parses (both let go of the interpreter);
    # nothing is answered until they pass.
    checking = ThreadPoolExecutor(1, thread_name_prefix="plain-bytes")
    stop = threading.Event()
    plain = checking.submit(_plain_file, path, stop, tuning.scan_block)
    try:
        # A batch of rows at a time: the file's text is never all held at once.
        batches = arrow_csv.open_csv(
            path,
            read_options=arrow_csv.ReadOptions(column_names=list(header), skip_rows=1,
                                               block_size=tuning.arrow_block),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=False,
                                                 ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False))
        parts = _checked_batches(batches, plain, tuning.batches_ahead)
        if not plain.result():
            raise _NotClean
        return ObservationColumns.concat(parts) if parts else None
    except (_NotClean, pa.ArrowException, OSError, ValueError, IndexError):
        # Whatever stops this reader, the general reader reads the file and has the last word.
        return None
    finally:
        stop.set()
        # The byte check stops within a block once told to: wait for its thread to end.
        checking.shutdown(wait=True)
        pa.default_memory_pool().release_unused()  # back to the system before the merge forks


def _checked_batches(batches: Iterable[Any], plain: Future[bool], ahead: int
                     ) -> list[ObservationColumns]:
    """The columns of every batch, two batches checked at once (Arrow's functions and numpy's
    let go of the interpreter); _NotClean as soon as the byte check or a batch fails, or an id
    repeats across batches. The checking threads have ended when this returns or raises."""
    parts: list[ObservationColumns] = []
    seen: set[str] = set()
    with ThreadPoolExecutor(2, thread_name_prefix="clean-batch") as pool:
        pending: deque[Future[ObservationColumns]] = deque()

        def take_oldest() -> None:
            part = pending.popleft().result()
            if not seen.isdisjoint(part.observation_id):
                raise _NotClean
            seen.update(part.observation_id)
            parts.append(part)

        for batch in batches:
            if plain.done() and not plain.result():
                raise _NotClean
            if batch.num_rows:
                pending.append(pool.submit(_columns, dict(zip(
                    batch.schema.names, batch.columns, strict=True))))
            if len(pending) > ahead:
                take_oldest()
        while pending:
            take_oldest()
    return parts


def _plain_file(path: Path, stop: threading.Event, block: int) -> bool:
    """_plain_bytes of the whole file, read a block of whole lines at a time (every rule is
    about bytes within one line, or about a line's start); False once `stop` is set."""
    try:
        with path.open("rb") as handle:
            rest = b""
            while not stop.is_set() and (read := handle.read(block)):
                lines = rest + read
                end = lines.rfind(b"\n") + 1
                if end == 0:
                    rest = lines
                    continue
                if not _plain_bytes(lines[:end], block):
                    return False
                rest = lines[end:]
            return not stop.is_set() and (not rest or _plain_bytes(rest, block))
    except OSError:
        return False


def _plain_bytes(data: bytes, step: int) -> bool:
    """No NUL and no blank line; a carriage return only right before a line feed; a double
    quote only around a whole field (right after a comma or a line start, right before a
    comma or a line end) that holds no quote, carriage return or line feed."""
    everything = np.frombuffer(data, dtype=np.uint8)
    size = len(everything)
    found: dict[int, list[NDArray[np.intp]]] = {b: [] for b in b'\r\n"'}
    for start in range(0, size, step):  # a block at a time: the comparisons' arrays are big
        block = everything[start:start + step]
        if (block == 0).any():
            return False
        for byte, places in found.items():
            places.append(np.flatnonzero(block == byte) + start)
    returns, feeds, quotes = (np.concatenate(found[b]) for b in b'\r\n"')

    def at(places: NDArray[np.intp]) -> NDArray[np.uint8]:
        return everything[np.clip(places, 0, size - 1)]

    if (returns + 1 >= size).any() or (at(returns + 1) != ord("\n")).any():
        return False
    # Line starts: the file's and every one after a line feed but the end. A blank line is a
    # line feed at its start, or a carriage return there (before its line feed).
    starts = np.concatenate([[0], feeds[feeds + 1 < size] + 1])
    if (at(starts) == ord("\n")).any() or (at(starts) == ord("\r")).any():
        return False
    if len(quotes) % 2:
        return False
    opens, closes = quotes[0::2], quotes[1::2]
    before, after = at(opens - 1), at(closes + 1)
    return bool(
        ((before == ord(",")) | (before == ord("\n")) | (opens == 0)).all()
        and ((after == ord(",")) | (after == ord("\n")) | (after == ord("\r"))
             | (closes == size - 1)).all()
        and (closes > opens + 1).all()
        and (np.searchsorted(feeds, opens) == np.searchsorted(feeds, closes)).all()
        and (np.searchsorted(returns, opens) == np.searchsorted(returns, closes)).all())


def _columns(arrays: dict[str, Any]) -> ObservationColumns:
    """The columns of one batch of rows (its ids not repeated within it)."""
    import pyarrow as pa

    n = len(next(iter(arrays.values())))

    def take(name: str) -> Any:
        """A column, let go of here: each is read once after the checks of them all."""
        column = arrays.pop(name, None)
        return column if column is not None else pa.array([""] * n, pa.string())

    _check_texts(arrays)
    ids = take("observation_id").to_pylist()
    if len(set(ids)) != n:
        raise _NotClean
    observers, notes = _shared(take("observer_id")), _shared(take("notes"))
    seconds, offsets = _times(take("observed_at"))
    kinds = _codes(take("observer_kind"), OBSERVER_KINDS)
    methods = _codes(take("method"), METHODS)
    categories = _codes(take("category"), CATEGORIES)
    lon = _numbers(take("observer_lon"))
    lat = _numbers(take("observer_lat"))
    _require((lon >= -180.0) & (lon <= 180.0) & (lat >= -90.0) & (lat <= 90.0))
    count = _counts(take("count"))
    weapon_text = take("weapon_class")
    _require_weapon_classes(weapon_text)
    sector_text = take("sector")
    bearing, centre, half = _directions(take("bearing_deg"), sector_text)
    low, high = _distance_band(take("distance_km_min"), take("distance_km_max"))
    return ObservationColumns(
        observation_id=ids, observed_at=seconds, utc_offset_minutes=offsets,
        observer_id=observers, observer_kind=kinds,
        observer_lon=lon, observer_lat=lat, method=methods, category=categories,
        weapon_class=_shared(weapon_text, empty=None), count=count, bearing_deg=bearing,
        sector=_shared(sector_text, empty=None), compass_points=np.full(n, 16, dtype=np.int8),
        distance_km_min=low, distance_km_max=high, notes=notes,
        centre_deg=centre, half_width_deg=half)


def _require(ok: Any) -> None:
    """Every value true (a numpy array's, or an Arrow array's), else _NotClean."""
    import pyarrow.compute as pc

    if not (ok.all() if isinstance(ok, np.ndarray) else pc.all(ok).as_py()):
        raise _NotClean


def _check_texts(arrays: dict[str, Any]) -> None:
    """Every field within the csv module's size limit, the required ones not empty, ids and
    observer ids not white space alone and at most ID_MAX bytes."""
    limit = csv.field_size_limit()
    # Lengths in bytes, which are at least the characters the general reader counts. The
    # required columns are there: the header was checked.
    for name in arrays:
        if _lengths(arrays[name]).max() >= limit:
            raise _NotClean
    for name in REQUIRED_FIELDS:
        if (_lengths(arrays[name]) == 0).any():
            raise _NotClean
    for name in ("observation_id", "observer_id"):
        # Not white space alone: a first or last byte that is printable ASCII, not a space.
        values = arrays[name]
        first, last = _edge_bytes(values)
        if not (_printable(first) | _printable(last)).all() or _lengths(values).max() > ID_MAX:
            raise _NotClean


def _counts(count_text: Any) -> NDArray[np.int64]:
    """Counts of 1 to MAX_COUNT, 1 where empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    given = pc.not_equal(count_text, "")
    _require(pc.or_(pc.invert(given), pc.match_substring_regex(count_text, _WHOLE)))
    count = _to_numpy(pc.cast(pc.if_else(given, count_text, "1"), pa.int64()), np.int64)
    _require((count >= 1) & (count <= MAX_COUNT))
    return count


def _require_weapon_classes(weapon_text: Any) -> None:
    """A weapon class, where given, holds an ASCII letter or digit."""
    import pyarrow.compute as pc

    _require(pc.or_(pc.equal(weapon_text, ""),
                    pc.match_substring_regex(weapon_text, "[0-9A-Za-z]")))


def _directions(bearing_text: Any, sector_text: Any
                ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(bearing, centre, half-width) in degrees: a bearing from 0 to 360 or else a sector of
    the 16-point compass, exactly one of the two; NaN for the bearing where a sector is given."""
    import pyarrow as pa
    import pyarrow.compute as pc

    bearing = _optional_numbers(bearing_text)
    has_bearing = ~np.isnan(bearing)
    has_sector = _to_numpy(pc.not_equal(sector_text, ""), np.bool_)
    _require(has_bearing != has_sector)
    with np.errstate(invalid="ignore"):
        _require(~has_bearing | ((bearing >= 0.0) & (bearing <= 360.0)))
        centre = np.where(has_bearing, np.mod(bearing, 360.0), 0.0)
    half = np.zeros(len(bearing))
    table_of_sectors = sector_texts()
    known = list(table_of_sectors)
    where = pc.index_in(sector_text, value_set=pa.array(known, pa.string()))
    sector_rows = np.flatnonzero(has_sector)
    if len(sector_rows):
        found = _to_numpy(pc.fill_null(where, -1), np.int64)[sector_rows]
        if (found < 0).any():
            raise _NotClean
        intervals = np.array([table_of_sectors[t] for t in known], dtype=np.float64)
        centre[sector_rows] = intervals[found, 0]
        half[sector_rows] = intervals[found, 1]
    return np.where(has_bearing, centre, np.nan), centre, half


def _distance_band(low_text: Any, high_text: Any) -> tuple[FloatArray, FloatArray]:
    """The distance band, given whole and in order where given; NaN where not."""
    low = _optional_numbers(low_text)
    high = _optional_numbers(high_text)
    band = ~np.isnan(low)
    if (band != ~np.isnan(high)).any():
        raise _NotClean
    with np.errstate(invalid="ignore"):
        _require(~band | ((low >= 0) & (high > 0) & (low <= high) & (high <= MAX_DISTANCE_KM)))
    return low, high


def _offsets(values: Any) -> tuple[NDArray[np.int64], NDArray[np.uint8]]:
    """Where each string of an Arrow string array begins (and the last ends), and the bytes."""
    _, offsets, data = values.buffers()
    where = np.frombuffer(offsets, dtype=np.int32)[values.offset:values.offset + len(values) + 1]
    return where.astype(np.int64), np.frombuffer(data, dtype=np.uint8) if data else np.zeros(
        1, dtype=np.uint8)


def _lengths(values: Any) -> NDArray[np.int64]:
    return np.diff(_offsets(values)[0])


def _edge_bytes(values: Any) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """The first and last byte of each (non-empty) string."""
    where, data = _offsets(values)
    return data[where[:-1]], data[where[1:] - 1]


def _printable(values: NDArray[np.uint8]) -> NDArray[np.bool_]:
    return (values > 0x20) & (values < 0x7F)


def _to_numpy(array: Any, dtype: Any) -> NDArray[Any]:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=dtype)


def _times(values: Any) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """POSIX seconds and UTC offsets in minutes of times in the strict form (see the module).

    A time that matches the form has its digits at fixed places from either end, so they are
    read straight from the array's bytes."""
    import pyarrow.compute as pc

    if not pc.all(pc.match_substring_regex(values, _TIME)).as_py():
        raise _NotClean
    offsets, data = _offsets(values)
    begin, end = offsets[:-1], offsets[1:]

    def digits(at: NDArray[np.int64], count: int) -> NDArray[np.int64]:
        number = np.zeros(len(at), dtype=np.int64)
        for k in range(count):
            number = number * 10 + (data[at + k].astype(np.int64) - 48)
        return number

    year, month, day = digits(begin, 4), digits(begin + 5, 2), digits(begin + 8, 2)
    hour, minute, second = digits(begin + 11, 2), digits(begin + 14, 2), digits(begin + 17, 2)
    if not ((year >= _YEARS[0]) & (year <= _YEARS[1]) & (month >= 1) & (month <= 12)
            & (hour <= 23) & (minute <= 59) & (second <= 59) & (day >= 1)).all():
        raise _NotClean
    months = (year - 1970) * 12 + (month - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    following = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    if (day > following - first).any():
        raise _NotClean
    utc = data[end - 1] == ord("Z")
    zone_at = end - 6
    sign = np.where(data[np.where(utc, begin, zone_at)] == ord("-"), -1, 1)
    zone_hours = np.where(utc, 0, digits(np.where(utc, begin, zone_at + 1), 2))
    zone_minutes = np.where(utc, 0, digits(np.where(utc, begin, zone_at + 4), 2))
    if ((zone_hours > 23) | (zone_minutes > 59)).any():
        raise _NotClean
    offset = np.where(utc, 0, sign * (zone_hours * 60 + zone_minutes))
    # The decimals, 0 to 6 of them, after the point at place 19, padded to microseconds.
    decimals = np.maximum(end - np.where(utc, 1, 6) - begin - 20, 0)
    micro = np.zeros(len(values), dtype=np.int64)
    for k in range(6):
        place = begin + 20 + k
        micro = micro * 10 + np.where(k < decimals, data[np.minimum(place, len(data) - 1)]
                                      .astype(np.int64) - 48, 0)
    local = (first + day - 1) * 86_400 + hour * 3600 + minute * 60 + second
    microseconds = (local - offset * 60) * 1_000_000 + micro
    return microseconds / 1e6, offset.astype(np.int32)


def _codes(values: Any, members: Sequence[Any]) -> NDArray[np.int8]:
    import pyarrow as pa
    import pyarrow.compute as pc

    where = pc.index_in(values, value_set=pa.array([m.value for m in members], pa.string()))
    if where.null_count:
        raise _NotClean
    return _to_numpy(where, np.int8)


def _numbers(values: Any) -> NDArray[np.float64]:
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pc.all(pc.match_substring_regex(values, _NUMBER)).as_py():
        raise _NotClean
    return _to_numpy(pc.cast(values, pa.float64()), np.float64)


def _optional_numbers(values: Any) -> NDArray[np.float64]:
    """The numbers, NaN where empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    given = pc.not_equal(values, "")
    if not pc.all(pc.or_(pc.invert(given), pc.match_substring_regex(values, _NUMBER))).as_py():
        raise _NotClean
    absent = pa.scalar(None, pa.string())
    return _to_numpy(pc.cast(pc.if_else(given, values, absent), pa.float64()), np.float64)


def _shared(values: Any, empty: str | None = "") -> list[Any]:
    """The texts as a list, each distinct text one string object; "" as `empty`."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(values)
    texts = np.array([empty if t == "" else t for t in encoded.dictionary.to_pylist()],
                     dtype=object)
    return list(texts[_to_numpy(encoded.indices, np.intp)].tolist())

