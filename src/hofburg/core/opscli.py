"""`hofburg backup` and `hofburg restore`: the operator's commands, mounted by `hofburg.cli`.

Imported before Django is set up: models and Django-bound modules are imported inside the
commands. `restore` checks the archive before it configures Django against the target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from hofburg.core.archive import ArchiveError, Manifest, unpack_verified
from hofburg.core.clitools import fail, setup_django


def backup(
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Archive file to write.")] = None,
    directory: Annotated[Path | None, typer.Option(
        help="Write hofburg-YYYYmmddTHHMMSSZ.tar into this folder instead (for schedules).",
    )] = None,
    keep: Annotated[int | None, typer.Option(
        help="With --directory: keep only the newest N archives there.", min=1)] = None,
) -> None:
    """Write one consistent archive of the database, uploaded files and a manifest, while the
    service serves. Keys are never archived: the manifest names the key ids it needs."""
    if (output is None) == (directory is None):
        fail("give either --output FILE or --directory DIR", 2)
    if keep is not None and directory is None:
        fail("--keep needs --directory", 2)
    setup_django()
    from django.db import Error as DatabaseError

    from hofburg.core.backup import BackupError, rotate, rotated_name, take_backup

    target = output if output is not None else directory / rotated_name()  # type: ignore[operator]
    try:
        manifest = take_backup(target)
        removed = rotate(directory, keep) if directory is not None and keep else []
    except (BackupError, OSError, DatabaseError) as exc:
        fail(f"backup failed: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc}")
    typer.echo(f"Backup written to {target}")
    typer.echo(describe(manifest))
    for path in removed:
        typer.echo(f"Removed old backup {path.name}")


def restore(
    archive: Annotated[Path, typer.Argument(help="Archive written by `hofburg backup`.")],
    data_dir: Annotated[Path, typer.Option(
        help="Data folder to restore into: the media files go to DIR/media and, unless "
             "--database-url names PostgreSQL, the database to DIR/hofburg.sqlite3.")],
    database_url: Annotated[str | None, typer.Option(
        help="Restore the database here instead (an empty PostgreSQL database).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace a target that is not empty.")] = False,
) -> None:
    """Check an archive, restore it into an empty target, migrate it if it is older, and check
    the result against the manifest (counts, file hashes, ledger head). Exit 1 on any problem."""
    if not archive.is_file():
        fail(f"no archive at {archive}", 2)
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        typer.echo(f"Checking {archive}")
        try:
            staged = unpack_verified(archive, staging)
        except ArchiveError as exc:
            fail(f"refused: {exc}")
        except OSError as exc:
            fail(f"cannot read the archive: {exc}")
        typer.echo(describe(staged.manifest))
        _configure_target(data_dir, database_url)
        setup_django()
        from django.db import Error as DatabaseError

        from hofburg.core.restore import RestoreError, restore_staged

        try:
            report = restore_staged(staged, force=force, say=typer.echo)
        except RestoreError as exc:
            fail(f"refused: {exc}")
        except DatabaseError as exc:
            fail(f"restore failed: database error: {str(exc).strip().splitlines()[0]}")
    finally:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
    for problem in report.problems:
        typer.echo(f"hofburg: {problem}", err=True)
    if not report.ok:
        fail(f"restored, but {len(report.problems)} check(s) failed against the manifest")
    typer.echo(f"Restored and checked: {sum(report.manifest.counts.values())} rows, "
               f"{len(report.manifest.media_parts())} files, ledger head "
               f"#{report.manifest.ledger_sequence} verified")


def describe(manifest: Manifest) -> str:
    """One line saying what an archive holds."""
    keys = ", ".join(manifest.keys_needed) or "none"
    return (f"Hofburg {manifest.hofburg_version}, {manifest.database_vendor}, "
            f"taken {manifest.created_at}: {len(manifest.counts)} tables, "
            f"{sum(manifest.counts.values())} rows, {len(manifest.media_parts())} files, "
            f"ledger #{manifest.ledger_sequence} {manifest.ledger_head[:16]}; keys needed: {keys}")


def _configure_target(data_dir: Path, database_url: str | None) -> None:
    """Point the settings at the target before Django reads them."""
    os.environ["HOFBURG_DATA_DIR"] = str(data_dir)
    os.environ["HOFBURG_MEDIA_DIR"] = str(data_dir / "media")
    os.environ["HOFBURG_DATABASE_URL"] = database_url or f"sqlite:///{data_dir / 'hofburg.sqlite3'}"
