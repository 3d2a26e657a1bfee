"""Taking a backup while the service serves: one archive of the database, the uploaded files
and a manifest (format in `core.archive`; decision 0024).

Consistency:

- SQLite: the online backup API copies the database in one step inside one read transaction.
  In WAL mode writers go on meanwhile; the copy is the database as of that moment. Counts,
  migration state and ledger head are read from the copy.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; `pg_dump --snapshot` dumps
  exactly that snapshot, and the counts, migration state and ledger head are read in the same
  transaction.
- Files are read after the database snapshot, so every file a record of the snapshot refers
  to was complete before it (services store the file before the record commits).

Keys that protect encrypted data are never archived. A desk that encrypts data registers a
function naming the key ids its records need (`register_key_source`); the manifest lists them
in `keys_needed`. No desk encrypts anything yet, so the list is empty today.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from hofburg.core.archive import ArchiveWriter, Manifest, Part

KeySource = Callable[[], Iterable[str]]
_key_sources: dict[str, KeySource] = {}

GENESIS_DIGEST = "0" * 64
ROTATED_NAME = re.compile(r"^hofburg-\d{8}T\d{6}Z\.tar$")


class BackupError(RuntimeError):
    """The backup could not be taken; nothing was left at the output path."""


def register_key_source(name: str, source: KeySource) -> None:
    """Let a desk name the key ids its encrypted records need (call from `AppConfig.ready`)."""
    _key_sources[name] = source


def keys_needed() -> list[str]:
    return sorted({key for source in _key_sources.values() for key in source()})


def hofburg_version() -> str:
    try:
        return version("hofburg")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


@dataclass(frozen=True)
class _Snapshot:
    migrations: dict[str, list[str]]
    ledger_sequence: int
    ledger_head: str
    counts: dict[str, int]


def backup_tables() -> list[str]:
    """The tables whose rows a backup counts: every model's table, plus the migration record."""
    names = connection.introspection.django_table_names(only_existing=True,
                                                        include_views=False)
    return sorted({*names, "django_migrations"})


def take_backup(output: Path) -> Manifest:
    """Write a backup archive to `output` and return its manifest.

    The archive is written beside `output` under a temporary name and renamed when complete,
    so `output` is either a whole archive or absent. Raises BackupError.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"cannot back up a {vendor} database")
    if connection.in_atomic_block:
        # SQLite would copy this connection's uncommitted writes (or wait on its own locks).
        raise BackupError("cannot back up inside a transaction")
    work = Path(tempfile.mkdtemp(prefix=".hofburg-backup-", dir=output.parent))
    partial = work / "archive.tar"
    writer = ArchiveWriter(partial)
    try:
        snapshot = _copy_database(vendor, work)
        database_part = "database/hofburg.sqlite3" if vendor == "sqlite" else (
            "database/hofburg.pgdump")
        writer.add_file(database_part, work / Path(database_part).name)
        (work / Path(database_part).name).unlink()
        _add_media(writer, Path(settings.MEDIA_ROOT))
        manifest = Manifest(
            hofburg_version=hofburg_version(),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            database_vendor=vendor,
            migrations=snapshot.migrations,
            ledger_sequence=snapshot.ledger_sequence,
            ledger_head=snapshot.ledger_head,
            counts=snapshot.counts,
            keys_needed=keys_needed(),
        )
        writer.finish(manifest)
        os.replace(partial, output)
    except BaseException:
        writer.abandon()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` rotated archives (`hofburg-YYYYmmddTHHMMSSZ.tar`) in
    `directory`; return the deleted paths. Other files are never touched."""
    archives = sorted(p for p in directory.iterdir() if ROTATED_NAME.match(p.name))
    doomed = archives[:-keep] if keep > 0 else archives
    for path in doomed:
        path.unlink()
    return doomed


def rotated_name(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(UTC)
    return f"hofburg-{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar"


# -- the database ---------------------------------------------------------------------------


def _copy_database(vendor: str, work: Path) -> _Snapshot:
    tables = backup_tables()
    if vendor == "sqlite":
        return _copy_sqlite(work / "hofburg.sqlite3", tables)
    return _dump_postgresql(work / "hofburg.pgdump", tables)


def _copy_sqlite(target: Path, tables: Sequence[str]) -> _Snapshot:
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the whole database inside one read transaction, so the copy is
        # consistent; in WAL mode writers are not held up meanwhile.
        source.backup(copy, pages=-1)
        return _read_snapshot(copy.cursor(), tables, '"')
    finally:
        copy.close()


def _dump_postgresql(target: Path, tables: Sequence[str]) -> _Snapshot:
    import psycopg

    params = postgres_params(settings.DATABASES["default"])
    with psycopg.connect(**params.connect_kwargs()) as pg:
        pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        pg.read_only = True
        with pg.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None
            snapshot_id = str(row[0])
            snapshot = _read_snapshot(cursor, tables, '"')
            command = ["pg_dump", "--format=custom", "--no-owner",
                       "--no-privileges",
                       f"--snapshot={snapshot_id}", f"--file={target}", *params.cli_args()]
            # The PostgreSQL client on PATH, arguments from the settings, no shell.
            done = subprocess.run(command, env=params.cli_env(),  # noqa: S603
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {_first_line(done.stderr)}")
        pg.rollback()
    return snapshot


def _read_snapshot(cursor: Any, tables: Sequence[str], quote: str) -> _Snapshot:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote}{table}{quote}")  # noqa: S608 - table names from introspection
        counts[table] = int(cursor.fetchone()[0])
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    cursor.execute(
        "SELECT sequence, entry_digest FROM core_ledgerentry ORDER BY sequence DESC LIMIT 1")
    head = cursor.fetchone()
    sequence, digest = (int(head[0]), str(head[1])) if head else (0, GENESIS_DIGEST)
    return _Snapshot(migrations, sequence, digest, counts)


# -- files ----------------------------------------------------------------------------------


def _add_media(writer: ArchiveWriter, media_root: Path) -> list[Part]:
    added: list[Part] = []
    if not media_root.is_dir():
        return added
    for folder, directories, files in os.walk(media_root):
        directories.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(media_root).as_posix()
            part = writer.add_file(f"media/{relative}", path)
            if part is not None:
                added.append(part)
    return added


# -- PostgreSQL connection parameters, shared with the restore -------------------------------


@dataclass(frozen=True)
class PostgresParams:
    name: str
    user: str
    password: str
    host: str
    port: str

    def connect_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"dbname": self.name}
        for key, value in (("user", self.user), ("password", self.password),
                           ("host", self.host), ("port", self.port)):
            if value:
                kwargs[key] = value
        return kwargs

    def cli_args(self) -> list[str]:
        args = [f"--dbname={self.name}"]
        if self.host:
            args.append(f"--host={self.host}")
        if self.port:
            args.append(f"--port={self.port}")
        if self.user:
            args.append(f"--username={self.user}")
        return [*args, "--no-password"]

    def cli_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def postgres_params(database: Mapping[str, Any]) -> PostgresParams:
    return PostgresParams(
        name=str(database.get("NAME") or ""),
        user=str(database.get("USER") or ""),
        password=str(database.get("PASSWORD") or ""),
        host=str(database.get("HOST") or ""),
        port=str(database.get("PORT") or ""),
    )


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "no message"
