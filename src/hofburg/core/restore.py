"""Restoring a backup archive into an empty target, and proving what was restored.

The order matters (decision 0024):

1. the archive is unpacked into a staging folder and every part checked against the manifest
   (`core.archive.unpack_verified`) before the target is touched;
2. the target must be empty (no table in the database, no file in the media folder) unless the
   caller forces it;
3. an archive written by a newer Hofburg (a migration this code does not know) is refused;
4. the database and the files are put in place;
5. the row counts are compared with the manifest's, then the database is migrated if the
   archive is older than the code, then the files' hashes are checked, every file a record
   refers to is looked for, and the ledger is verified against the archived head.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, models
from django.db.migrations.loader import MigrationLoader

from hofburg.core.archive import Manifest, StagedArchive, sha256_of
from hofburg.core.backup import postgres_params

Say = Callable[[str], None]


class RestoreError(RuntimeError):
    """The restore was refused or failed; the message says why."""


@dataclass
class RestoreReport:
    manifest: Manifest
    migrated: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def target_is_empty() -> tuple[bool, str]:
    """Whether the configured database has no table and the media folder no file."""
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
        return False, f"the media folder {media_root} holds files"
    if connection.vendor == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        if path.exists() and path.stat().st_size > 0:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as probe:
                tables = probe.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
                if tables.fetchone()[0]:
                    return False, f"the database {path} holds tables"
        return True, ""
    if connection.introspection.table_names():
        return False, f"the database {settings.DATABASES['default']['NAME']} holds tables"
    return True, ""


def unknown_migrations(manifest: Manifest) -> list[str]:
    """Migrations the archive has applied that this code does not know (a newer archive)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, names in sorted(manifest.migrations.items())
            for name in names
            if (app, name) not in known and app in apps.app_configs]


def restore_staged(staged: StagedArchive, *, force: bool = False,
                   say: Say = lambda _line: None) -> RestoreReport:
    """Put a verified archive in place in the configured database and media folder, migrate,
    and check it. Raises RestoreError when refused; problems found by the checks are in the
    report (the restored data is left for inspection)."""
    manifest = staged.manifest
    vendor = connection.vendor
    if manifest.database_vendor != vendor:
        raise RestoreError(f"the archive holds a {manifest.database_vendor} database; "
                           f"the target is {vendor}")
    newer = unknown_migrations(manifest)
    if newer:
        raise RestoreError(f"the archive was written by a newer Hofburg ({manifest.hofburg_version}"
                           f"): migration {newer[0]} is unknown here")
    empty, why = target_is_empty()
    if not empty and not force:
        raise RestoreError(f"the target is not empty: {why} (use --force to replace it)")

    say(f"Restoring the {vendor} database")
    if vendor == "sqlite":
        _place_sqlite(staged)
    else:
        _restore_postgresql(staged, replace=not empty)
    say(f"Restoring {len(manifest.media_parts())} files")
    _place_media(staged)

    report = RestoreReport(manifest)
    say("Checking row counts against the manifest")
    report.problems += compare_counts(manifest)
    report.migrated = _migrate_if_older(manifest)
    if report.migrated:
        say(f"Applied {len(report.migrated)} migrations the archive did not have")
    say("Checking file hashes and the files records refer to")
    report.problems += check_files(manifest)
    say("Verifying the ledger against the archived head")
    report.problems += check_ledger(manifest)
    return report


def compare_counts(manifest: Manifest) -> list[str]:
    problems = []
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, expected in sorted(manifest.counts.items()):
            if table not in existing:
                problems.append(f"table {table} is missing")
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the manifest, quoted
            found = int(cursor.fetchone()[0])
            if found != expected:
                problems.append(f"table {table}: {found} rows, the manifest says {expected}")
    return problems


def check_files(manifest: Manifest) -> list[str]:
    """Every archived file is in place with its hash, and every file a record names exists."""
    media_root = Path(settings.MEDIA_ROOT)
    problems = []
    for part in manifest.media_parts():
        path = media_root / part.path.removeprefix("media/")
        if not path.is_file():
            problems.append(f"file {part.path} is missing")
        elif sha256_of(path) != (part.size, part.sha256):
            problems.append(f"file {part.path} does not match its SHA-256")
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                names = (model._default_manager.exclude(**{model_field.name: ""})
                         .values_list(model_field.name, flat=True).iterator())
                for name in names:
                    if name and not (media_root / name).is_file():
                        problems.append(f"{model._meta.label}.{model_field.name}: "
                                        f"file {name} is missing")
    return problems


def check_ledger(manifest: Manifest) -> list[str]:
    from hofburg.core.services.ledger import verify_ledger

    return [f"ledger: {problem}" for problem in verify_ledger(expected_head=manifest.ledger_head)]


def _migrate_if_older(manifest: Manifest) -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    archived = {(app, name) for app, names in manifest.migrations.items() for name in names}
    if all(node in loader.applied_migrations for node in loader.graph.nodes):
        return []
    before = set(loader.applied_migrations)
    call_command("migrate", interactive=False, verbosity=0)
    after = set(MigrationLoader(connection, ignore_no_migrations=True).applied_migrations)
    return sorted(f"{app}.{name}" for app, name in after - before - archived)


def _place_sqlite(staged: StagedArchive) -> None:
    target = Path(settings.DATABASES["default"]["NAME"])
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
        leftover.unlink(missing_ok=True)
    shutil.move(staged.path_of(staged.manifest.database_part), target)


def _restore_postgresql(staged: StagedArchive, *, replace: bool) -> None:
    params = postgres_params(settings.DATABASES["default"])
    connections.close_all()
    if replace:
        import psycopg

        with psycopg.connect(**params.connect_kwargs(), autocommit=True) as pg:
            pg.execute("DROP SCHEMA public CASCADE")
            pg.execute("CREATE SCHEMA public")
    command = ["pg_restore", "--exit-on-error", "--single-transaction",
               "--no-owner",
               "--no-privileges", *params.cli_args(),
               str(staged.path_of(staged.manifest.database_part))]
    done = subprocess.run(command, env=params.cli_env(),  # noqa: S603
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise RestoreError(f"pg_restore failed: {lines[0] if lines else done.returncode}")


def _place_media(staged: StagedArchive) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir():
        # Reached only for an empty media folder or with force: the archive's files replace it.
        shutil.rmtree(media_root)
    source = staged.directory / "media"
    if source.is_dir():
        media_root.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, media_root)
    else:
        media_root.mkdir(parents=True, exist_ok=True)
