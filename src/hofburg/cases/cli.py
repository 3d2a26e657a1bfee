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
    INCIDENTS = "incidents"
    ALERTS = "alerts"
    PROTECTION = "protection"
    SITUATIONS = "situations"


class Published(StrEnum):
    HATE_CRIME = "hate-crime"


def _write(output: Path, kind: str, columns: list[str], rows: list[list[object]]) -> None:
    from hofburg.core.tables import Table, write_csv

    temporary = output.with_name(output.name + ".part")
    try:
        with temporary.open("wb") as stream:
            write_csv(Table(kind, columns, rows), stream)  # type: ignore[arg-type]
        temporary.replace(output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        fail(f"cannot write {output}: {exc.strerror}")


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
    elif dataset == Dataset.ALERTS:
        rows = disclosure.alert_rows(user, list(queries.alerts_for(user)), channel="cli",
                                     action=AccessLog.Action.EXPORT)
    elif dataset == Dataset.PROTECTION:
        rows = disclosure.protection_rows(user, list(queries.protection_cases_for(user)),
                                          channel="cli", action=AccessLog.Action.EXPORT)
    elif dataset == Dataset.SITUATIONS:
        rows = disclosure.situation_rows(user, list(queries.situations_for(user)),
                                         channel="cli", action=AccessLog.Action.EXPORT)
    elif dataset == Dataset.INCIDENTS:
        rows = disclosure.incident_rows(user, list(queries.incidents_for(user)), channel="cli",
                                        action=AccessLog.Action.EXPORT)
    else:
        rows = disclosure.prisoner_rows(user, queries.in_custody(user, day), day=day,
                                        channel="cli", action=AccessLog.Action.EXPORT)
    _write(output, str(dataset), rows.columns, rows.table_rows())
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


@app.command(cls=OneLineErrors)
def publish(
    dataset: Annotated[Published, typer.Option("--dataset", help="The publication.")],
    year: Annotated[int, typer.Option("--year", min=1990, max=2999, help="Reporting year.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The CSV file to write.")],
) -> None:
    """Write the public table of a reporting year: small cells suppressed, property incidents
    as counts only, no incident described; logged as a publication."""
    setup_django()
    from django.conf import settings

    from hofburg.cases.engine.publication import COLUMNS
    from hofburg.cases.models import AccessLog
    from hofburg.cases.queries import public_hate_crime_table
    from hofburg.cases.services.reads import log_access

    rows = public_hate_crime_table(year, settings.CASES_SUPPRESSION_K)
    _write(output, str(dataset), COLUMNS, rows)
    log_access(None, AccessLog.Action.PUBLISH, "incident", [], len(rows), "cli")
    typer.echo(f"{len(rows)} rows of the {year} hate-crime publication written to {output} "
               f"(cells below {settings.CASES_SUPPRESSION_K} suppressed)")


@app.command("import-statistics", cls=OneLineErrors)
def import_statistics(
    path: Annotated[Path, typer.Argument(help="CSV or XLSX of official figures.")],
    as_user: Annotated[str, typer.Option("--as-user", help="The editor importing.")],
    exercise: Annotated[bool, typer.Option(help="Mark as exercise data.")] = False,
) -> None:
    """Import official State figures, all rows or none."""
    _import(path, as_user, exercise, statistics=True)


@app.command("import-incidents", cls=OneLineErrors)
def import_incidents_command(
    path: Annotated[Path, typer.Argument(help="CSV of civil-society incidents.")],
    as_user: Annotated[str, typer.Option("--as-user", help="The editor importing.")],
    exercise: Annotated[bool, typer.Option(help="Mark as exercise data.")] = False,
) -> None:
    """Import civil-society incidents (received, screening pending), all rows or none."""
    _import(path, as_user, exercise, statistics=False)


def _import(path: Path, as_user: str, exercise: bool, *, statistics: bool) -> None:
    setup_django()
    from hofburg.cases.services import hatecrime
    from hofburg.core.errors import ServiceError
    from hofburg.core.models import User

    user = User.objects.filter(username=as_user, is_active=True).first()
    if user is None:
        fail(f"no active user {as_user!r}", 2)
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}", 2)
    try:
        if statistics:
            done = hatecrime.import_official_statistics(user, data, path.name,
                                                        is_exercise=exercise)
        else:
            done = hatecrime.import_incidents(user, data, path.name, is_exercise=exercise)
    except ServiceError as exc:
        fail(exc.message)
    typer.echo(f"{done.created} created, {done.updated} updated")


@app.command("evidence-add", cls=OneLineErrors)
def evidence_add(
    path: Annotated[Path, typer.Argument(help="The file to ingest.")],
    as_user: Annotated[str, typer.Option("--as-user", help="The editor ingesting it.")],
    title: Annotated[str, typer.Option(help="What the file is.")],
    case: Annotated[str, typer.Option(help="The prisoner's case id it belongs to.")] = "",
    alert: Annotated[str, typer.Option(help="The alert id it belongs to.")] = "",
    source_url: Annotated[str, typer.Option(help="Where it was captured.")] = "",
    media_type: Annotated[str, typer.Option(help="Its media type.")] = (
        "application/octet-stream"),
) -> None:
    """Ingest evidence: SHA-256 first, then the original sealed and stored once."""
    setup_django()
    from hofburg.cases import queries
    from hofburg.cases.services import evidence
    from hofburg.core.errors import ServiceError
    from hofburg.core.models import User

    user = User.objects.filter(username=as_user, is_active=True).first()
    if user is None:
        fail(f"no active user {as_user!r}", 2)
    if bool(case) == bool(alert):
        fail("name one --case or one --alert", 2)
    from django.http import Http404

    try:
        subject = (queries.prisoner_case_for(user, case) if case
                   else queries.alert_for(user, alert))
    except Http404:
        fail(f"no case or alert {case or alert!r} visible to {as_user}", 2)
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}", 2)
    try:
        found = evidence.ingest_evidence(user, data, title=title, media_type=media_type,
                                         subject=subject,
                                         capture=evidence.Capture(source_url, "hofburg cli"))
    except ServiceError as exc:
        fail(exc.message)
    typer.echo(f"{found.evidence_id} sha256 {found.sha256}")


@app.command("evidence-verify", cls=OneLineErrors)
def evidence_verify() -> None:
    """Open every original and working copy and check each against its hash; exit 1 naming
    the pieces that fail."""
    setup_django()
    from hofburg.cases.models import Evidence
    from hofburg.cases.services import evidence

    failed = []
    count = 0
    for piece in Evidence.objects.order_by("pk"):
        count += 1
        try:
            evidence.verify_evidence(piece)
        except evidence.EvidenceAltered as exc:
            failed.append(exc.message)
    if failed:
        fail("; ".join(failed))
    typer.echo(f"{count} pieces of evidence intact")
