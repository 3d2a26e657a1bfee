"""`hofburg cases ...`: exports as a named user may see them, and vault key rotation.

An export runs as the user it names (`--as-user`): the same narrowing by `core.access`, the
same need-to-know grants and the same field classification as that user's pages and API, and
one entry in the access log. The operator runs the command; the user is who the file is for.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hofburg.core.clitools import OneLineErrors, fail, setup_django

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


class Dataset(StrEnum):
    PERSONS = "persons"
    PRISONERS = "prisoners"


@app.command(cls=OneLineErrors)
def export(
    dataset: Annotated[Dataset, typer.Argument(help="What to export.")],
    as_user: Annotated[str, typer.Option("--as-user", help="The user the file is for.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The CSV file to write.")],
    on: Annotated[str, typer.Option(help="prisoners: in custody at the end of this day "
                                    "(YYYY-MM-DD, today when left out).")] = "",
) -> None:
    """Write exactly what AS_USER may see of DATASET as CSV (a person's name only with a grant)."""
    setup_django()
    from django.utils import timezone

    from hofburg.cases import disclosure, queries
    from hofburg.cases.models import AccessLog
    from hofburg.core.models import User
    from hofburg.core.tables import Table, write_csv

    user = User.objects.filter(username=as_user, is_active=True).first()
    if user is None:
        fail(f"no active user {as_user!r}", 2)
    day = timezone.localdate()
    if on:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            fail(f"--on {on!r}: a day is written YYYY-MM-DD", 2)
        if not 1900 <= day.year <= 2999:
            fail("--on: a day between 1900 and 2999", 2)
    if dataset == Dataset.PERSONS:
        rows = disclosure.person_rows(user, list(queries.persons_for(user)), channel="cli",
                                      action=AccessLog.Action.EXPORT)
    else:
        rows = disclosure.prisoner_rows(user, queries.in_custody(user, day), day=day,
                                        channel="cli", action=AccessLog.Action.EXPORT)
    temporary = output.with_name(output.name + ".part")
    try:
        with temporary.open("wb") as stream:
            write_csv(Table(str(dataset), rows.columns, rows.table_rows()), stream)
        temporary.replace(output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        fail(f"cannot write {output}: {exc.strerror}")
    typer.echo(f"{len(rows.rows)} {dataset} rows for {as_user} written to {output} "
               f"({datetime.now().astimezone():%Y-%m-%d %H:%M %Z})")


@app.command("rotate-keys", cls=OneLineErrors)
def rotate_keys(
    print_only: Annotated[bool, typer.Option("--print", help="Print new key lines for "
                                             "HOFBURG_CASES_KEYS instead of changing "
                                             "anything.")] = False,
    reseal_only: Annotated[bool, typer.Option("--reseal", help="Add no key: seal again under "
                                              "the active keys (after new lines were added to "
                                              "HOFBURG_CASES_KEYS).")] = False,
) -> None:
    """Add a new key for each classification and seal every vault field again under it.

    The old keys stay in the key file: backups taken before the rotation still open. The
    digest key for duplicate detection is not rotated (the digests would all change)."""
    setup_django()
    from hofburg.cases import vault
    from hofburg.cases.services.persons import reseal_all

    purposes = ("restricted", "strictly_confidential")
    if print_only:
        for purpose in purposes:
            typer.echo(vault.new_key_line(purpose))
        return
    try:
        ring = vault.load_keyring() if reseal_only else vault.add_keys(purposes)
        count = reseal_all(ring)
    except vault.VaultKeyError as exc:
        fail(str(exc))
    typer.echo(f"{count} vault fields sealed again under "
               f"{', '.join(ring.active_id(p) for p in purposes)}")
