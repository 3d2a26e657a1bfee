"""Everything the desk's writes do differently on SQLite and on PostgreSQL, in one place.

Decision 0026 lists each trick with its measured gain. On SQLite: constants written into the
statement, flags bound as 0/1, NaN bound for NULL, times bound as Django's text, CHECK
constraints off for the bulk writes, foreign keys unchecked for a large import's transaction,
the event cell's index set aside and built again, primary keys counted here. On PostgreSQL:
COPY for bulk inserts and for large upserts (through a scratch table), primary keys drawn
from the sequence in one statement, an EXCLUSIVE table lock holding writers off a recount.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Model
from numpy.typing import NDArray

from hofburg.monitoring.engine.columns import FloatArray, none_for_nan

# SQLite's historical limit of bound parameters per statement, with room: lists of keys in an
# IN (...) are sent this many at a time, on either database.
IN_BATCH = 900
# Rows per executemany of updates and upserts (and the size from which PostgreSQL upserts
# through COPY): the default of the import's tuning (`ImportTuning.insert_batch`) and of every
# write that is given none.
INSERT_BATCH = 5_000


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def in_batches(values: Sequence[Any], size: int = IN_BATCH) -> Iterator[Sequence[Any]]:
    """`values` a slice of `size` at a time (for IN lists)."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


# --- binding values -----------------------------------------------------------------------


def missing_float(vendor: str) -> float | None:
    """An absent figure as bound: SQLite stores a bound NaN as NULL, and binds it without the
    adapter search a None costs."""
    return math.nan if vendor == "sqlite" else None


def nullable_floats(vendor: str) -> Callable[[FloatArray], list[Any]]:
    """How a column of figures with NaN for absent is bound (see `missing_float`)."""
    return _nan_for_null if vendor == "sqlite" else none_for_nan


def _nan_for_null(values: FloatArray) -> list[float]:
    return list(values.tolist())


def flag(vendor: str) -> Callable[[bool], int | bool]:
    """How a flag is bound: on SQLite as 0 or 1, which it stores for a bool anyway, and binds
    without the driver's adapter search that a bool (or a None) goes through first."""
    return int if vendor == "sqlite" else bool


def database_times(seconds: FloatArray, vendor: str) -> list[Any]:
    """POSIX seconds as the database backend stores a DateTimeField (UTC)."""
    micro = np.round(seconds * 1e6).astype("datetime64[us]")
    if vendor != "sqlite":
        return [moment.replace(tzinfo=UTC) for moment in micro.tolist()]
    # SQLite keeps Django's text form: 'YYYY-MM-DD HH:MM:SS', '.ffffff' only when not zero.
    text = _spaced(np.datetime_as_string(micro, unit="s"))
    fraction = (micro - micro.astype("datetime64[s]")).astype(np.int64)
    if fraction.any():
        text = np.where(fraction != 0, _spaced(np.datetime_as_string(micro, unit="us")), text)
    return list(text.tolist())


def _spaced(iso: NDArray[np.str_]) -> NDArray[np.str_]:
    """ISO times with a space for the 'T': the character is overwritten in place where every
    time is written alike (years 1000 to 9999), else replaced text by text."""
    if not iso.size:
        return iso
    if iso.dtype.itemsize // 4 in (19, 26):
        characters = iso.view(np.uint32).reshape(len(iso), -1)
        if (characters[:, 10] == ord("T")).all() and (characters[:, 4] == ord("-")).all():
            characters[:, 10] = ord(" ")
            return iso
    return np.char.replace(iso, "T", " ")


# --- writing many rows ----------------------------------------------------------------------


def bulk_insert(model: type[Model], names: Sequence[str], rows: Iterable[Sequence[Any]],
                constants: Mapping[str, Any] | None = None) -> None:
    """Many rows at once: COPY on PostgreSQL, one prepared statement on SQLite.

    `constants` are columns with one value for every row. SQLite writes them into the
    statement, where they cost nothing per row; binding a parameter is most of SQLite's cost
    per row from Python.
    """
    fixed = dict(constants or {})
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column)  # type: ignore[union-attr,arg-type]
                        for name in (*names, *fixed))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tail = tuple(fixed.values())
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
            return
        values = ", ".join([*(["?"] * len(names)), *map(sql_literal, fixed.values())])
        cursor.cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({values})",  # noqa: S608
                                  rows)


def sql_literal(value: Any) -> str:
    """A constant of our own making as an SQLite literal (never text from a file)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def upsert_adding(model: type[Model], key: Sequence[str], counters: Sequence[str],
                  rows: list[tuple[Any, ...]], *, key_length: int | None = None,
                  batch: int = INSERT_BATCH) -> None:
    """INSERT ... ON CONFLICT DO UPDATE adding the counters to the stored ones; on PostgreSQL,
    more than `batch` rows are COPied into a scratch table and upserted in one statement."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [*key, *counters]
    conflict = ", ".join(quote(name) for name in key[:key_length or len(key)])
    additions = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}"
                          for c in counters)
    columns = ", ".join(quote(n) for n in names)
    update = f"ON CONFLICT ({conflict}) DO UPDATE SET {additions}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > batch:
            scratch = quote(f"upsert_{model._meta.db_table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS "  # noqa: S608
                           f"SELECT {columns} FROM {table} WITH NO DATA")
            with cursor.cursor.copy(f"COPY {scratch} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({columns}) "  # noqa: S608
                           f"SELECT {columns} FROM {scratch} {update}")
            cursor.execute(f"DROP TABLE {scratch}")
            return
        sql = (f"INSERT INTO {table} ({columns}) "  # noqa: S608
               f"VALUES ({', '.join(['%s'] * len(names))}) {update}")
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start:start + batch])


class PrimaryKeys:
    """Primary keys for new rows of a table, reserved in the transaction so that rows pointing
    at them can be written as they come (no second pass to link them)."""

    def __init__(self, model: type[Model]) -> None:
        self.table = model._meta.db_table
        self.next: int | None = None

    def take(self, count: int) -> NDArray[np.int64]:
        with connection.cursor() as cursor:
            if connection.vendor != "sqlite":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                               "FROM generate_series(1, %s)", [self.table, count])
                return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
            if self.next is None:
                # The write lock is held (the transaction began IMMEDIATE and has written).
                cursor.execute(f"SELECT MAX(id) FROM {self.table}")  # noqa: S608
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                row = cursor.fetchone()
                self.next = max(highest, row[0] if row else 0) + 1
        first = self.next
        self.next += count
        return np.arange(first, first + count, dtype=np.int64)


# --- SQLite's switches for a large import ------------------------------------------------


@contextmanager
def references_made_here(large: bool) -> Iterator[None]:
    """On SQLite, a large import's transaction runs with foreign keys unchecked (decision 0014):
    every reference it writes is one it made in the same transaction, the batch it created,
    the events whose keys it reserved and inserted before their observations, the importing
    user and that user's affiliation. Checking them cost a lookup per reference per row, about
    a twentieth of the importing process's work for a million observations. The pragma can
    only change outside a transaction, so an import inside the caller's transaction keeps the
    checks; they are back on when the import ends, by an error too."""
    if connection.vendor != "sqlite" or not large or connection.in_atomic_block:
        yield
        return
    with connection.constraint_checks_disabled():
        yield


def drop_secondary_indexes(fields: Mapping[type[Model], Sequence[str]]) -> list[str]:
    """On SQLite, drop the plain (not unique) indexes on the given fields; return the
    statements that build them again. Inside the import's transaction, so a failure restores
    them with everything else; PostgreSQL's COPY needs none of this."""
    if connection.vendor != "sqlite":
        return []
    statements = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, names in fields.items():
            columns = {model._meta.get_field(name).column  # type: ignore[union-attr]
                       for name in names}
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name = %s AND sql IS NOT NULL", [model._meta.db_table])
            for name, sql in cursor.fetchall():
                cursor.execute(f"PRAGMA index_info({quote(name)})")
                indexed = {row[2] for row in cursor.fetchall()}
                if not sql.upper().startswith("CREATE UNIQUE") and indexed <= columns:
                    cursor.execute(f"DROP INDEX {quote(name)}")
                    statements.append(sql)
    return statements


def build_indexes(statements: Sequence[str], threads: int) -> None:
    """Build the indexes `drop_secondary_indexes` set aside, sorting on `threads` threads."""
    if not statements:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA threads = {int(threads)}")
        for sql in statements:
            cursor.execute(sql)


def check_constraints(on: bool) -> None:
    """On SQLite, turn CHECK constraints off for the bulk writes of merged stretches, and on
    again. Every value they would check is made by the import from validated input: counts
    of at least one, compass points from the sector table, explanations written by a JSON
    encoder (the JSON_VALID check parsed each again, about a second for a million
    observations). NOT NULL and UNIQUE are still enforced (foreign keys too, but in a large
    import's own transaction: see `references_made_here`). Changing the pragma expires every
    prepared statement, so none keeps the setting it was compiled under. The pragma goes to
    the driver's connection itself: a failed write must not stop it from being turned back
    on, and it outlives the transaction."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.execute(
            f"PRAGMA ignore_check_constraints = {'OFF' if on else 'ON'}")


@contextmanager
def checks_off() -> Iterator[None]:
    """`check_constraints` off for the block, on again after it (by an error too)."""
    check_constraints(False)
    try:
        yield
    finally:
        check_constraints(True)


def hold_off_writers(model: type[Model]) -> None:
    """Inside a transaction, make other writers of `model`'s table wait until it commits while
    readers go on: PostgreSQL's EXCLUSIVE table lock. SQLite needs nothing: its transactions
    are IMMEDIATE (settings), one writer at a time."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
