"""`hofburg cases ...`: exports as a named user may see them, vault key rotation, a grant
revoked and a record's grant history (`revoke`, `grants`), and the access log's verification
and retention (`verify-log`, `prune-log`).

An export runs as the user it names (`--as-user`): the same narrowing by `core.access`, the
same need-to-know grants and the same field classification as that user's pages and API, and
one entry in the access log. The operator runs the command; the user is who the file is for.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hofburg.core.clitools import OneLineErrors, fail, setup_django

if TYPE_CHECKING:
    from hofburg.cases.models import Person, Situation
    from hofburg.core.models import User

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


class Dataset(StrEnum):
    PERSONS = "persons"
    PRISONERS = "prisoners"
    INCIDENTS = "incidents"
    ALERTS = "alerts"
    PROTECTION = "protection"
    SITUATIONS = "situations"
    STATEMENTS = "statements"


class Published(StrEnum):
    HATE_CRIME = "hate-crime"
    HATE_CRIME_INCIDENTS = "hate-crime-incidents"
    PROTECTION = "protection"


def _write(output: Path, kind: str, columns: list[str], rows: list[list[object]]) -> None:
    from hofburg.core.tables import Table, write_csv

    stream = io.BytesIO()
    write_csv(Table(kind, columns, rows), stream)  # type: ignore[arg-type]
    _write_bytes(output, stream.getvalue())


def _write_bytes(output: Path, data: bytes) -> None:
    """Write the file whole or not at all (a part file moved into place)."""
    temporary = output.with_name(output.name + ".part")
    try:
        temporary.write_bytes(data)
        temporary.replace(output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        fail(f"cannot write {output}: {exc.strerror}")


def _desk_user(as_user: str) -> User:
    """The active user a command acts as or writes for, answered as the desk's API answers
    them: an account without a confirmed second-factor device reaches nothing protected
    there (decision 0041), so the command refuses it in one line (decision 0076)."""
    from hofburg.cases.twofactor import confirmed_device
    from hofburg.core.models import User

    user = User.objects.filter(username=as_user, is_active=True).first()
    if user is None:
        fail(f"no active user {as_user!r}", 2)
    if confirmed_device(user) is None:
        fail(f"{as_user!r} has no confirmed second-factor device: the desk answers such an "
             "account as a visitor; enrol at /cases/two-factor/ first", 2)
    return user


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

    user = _desk_user(as_user)
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
    elif dataset == Dataset.STATEMENTS:
        rows = disclosure.statement_rows(user, list(queries.statements_for(user)),
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
                                              "HOFBURG_CASES_KEYS, or to finish a run that "
                                              "stopped).")] = False,
    drop_unreferenced: Annotated[bool, typer.Option(
        "--drop-unreferenced", help="Then remove from the key file the old keys nothing in "
        "the database or the media folder is sealed under (backups taken before keep "
        "needing them).")] = False,
) -> None:
    """Add a new key for each classification and seal again under it every vault field, every
    sealed free-text field and every evidence file (the files replaced once the new one is
    written and recorded). Says which old keys are still needed and which are not.

    The old keys stay in the key file unless --drop-unreferenced: backups taken before the
    rotation still open. The digest key for duplicate detection is not rotated (the digests
    would all change)."""
    setup_django()
    from hofburg.cases import sealed, vault
    from hofburg.cases.services.evidence import evidence_key_ids, reseal_evidence
    from hofburg.cases.services.persons import reseal_all, vault_key_ids

    purposes = ("restricted", "strictly_confidential")
    if print_only:
        for purpose in purposes:
            typer.echo(vault.new_key_line(purpose))
        return
    try:
        ring = vault.load_keyring() if reseal_only else vault.add_keys(purposes)
        fields = reseal_all(ring)
        texts = sealed.reseal_all(ring)
        files = reseal_evidence(ring)
    except vault.VaultKeyError as exc:
        fail(str(exc))
    typer.echo(f"{fields} vault fields, {texts} sealed texts and {files} evidence files "
               f"sealed again under {', '.join(ring.active_id(p) for p in purposes)}")
    active = {ring.active_id(p) for p in (*purposes, "digest")}
    used = set(vault_key_ids()) | set(evidence_key_ids()) | set(sealed.key_ids())
    still = sorted(used - active)
    unused = sorted(set(ring.keys) - active - used)
    typer.echo("old keys still sealing records: " + (", ".join(still) or "none"))
    if drop_unreferenced and unused:
        vault.drop_keys(set(unused))
        typer.echo("old keys dropped from the key file, nothing sealed under them: "
                   + ", ".join(unused))
    else:
        typer.echo("old keys nothing is sealed under (kept for the backups taken before; "
                   "--drop-unreferenced removes them): " + (", ".join(unused) or "none"))


@app.command(cls=OneLineErrors)
def publish(
    dataset: Annotated[Published, typer.Option("--dataset", help="The publication.")],
    year: Annotated[int, typer.Option("--year", min=1990, max=2999, help="Reporting year.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The CSV file to write.")],
    as_user: Annotated[str, typer.Option("--as-user", help="protection: the member of staff "
                                         "the release is written for, or the publisher "
                                         "making one.")] = "",
    exercise: Annotated[bool, typer.Option("--exercise/--real", help="count the exercise "
                                           "records (every row marked) instead of the real "
                                           "ones.")] = False,
    release: Annotated[bool, typer.Option("--release", help="protection: count the cases now "
                                          "and make the table the year's release (an analyst "
                                          "of the owner affiliation, with --reason).")] = False,
    reason: Annotated[str, typer.Option("--reason", help="protection: why this release (kept "
                                        "with it).")] = "",
) -> None:
    """Write the public table of a year: counts only, every count below
    HOFBURG_CASES_SUPPRESSION_K suppressed, with a second cell where a total would give one
    back; or with hate-crime-incidents the short public summaries of the released incidents
    against people whose counts the table shows, whitelisted fields only. Logged as a
    publication. The protection table is the release in force of the user's affiliation,
    frozen; --release makes a new one."""
    setup_django()
    from django.conf import settings

    from hofburg.cases.models import AccessLog
    from hofburg.cases.services.reads import log_access

    k = settings.CASES_SUPPRESSION_K
    if reason and not release:
        fail("--reason goes with --release", 2)
    if dataset == Published.PROTECTION:
        _publish_protection(year, output, as_user, exercise=exercise, k=k,
                            reason=reason if release else None)
        return
    if as_user or release or reason:
        fail("--as-user, --release and --reason belong to --dataset protection; the "
             "hate-crime table counts the released incidents", 2)
    if dataset == Published.HATE_CRIME_INCIDENTS:
        from hofburg.cases.engine.publication import DESCRIBED_FIELDS, DESCRIPTION_COLUMNS
        from hofburg.cases.queries import public_hate_crime_descriptions

        described = public_hate_crime_descriptions(year, k, exercise=exercise)
        _write(output, str(dataset), DESCRIPTION_COLUMNS, described)
        log_access(None, AccessLog.Action.PUBLISH, "incident", DESCRIBED_FIELDS,
                   len(described), "cli")
        kind = "EXERCISE hate-crime" if exercise else "hate-crime"
        typer.echo(f"{len(described)} incident descriptions of the {year} {kind} publication "
                   f"written to {output} (none where a count below {k} is suppressed)")
        return
    from hofburg.cases.engine.publication import COLUMNS
    from hofburg.cases.queries import public_hate_crime_table

    rows = public_hate_crime_table(year, k, exercise=exercise)
    _write(output, str(dataset), COLUMNS, rows)
    log_access(None, AccessLog.Action.PUBLISH, "incident", [], len(rows), "cli")
    kind = "EXERCISE hate-crime" if exercise else "hate-crime"
    typer.echo(f"{len(rows)} rows of the {year} {kind} publication written to {output} "
               f"(cells below {k} suppressed)")


def _publish_protection(year: int, output: Path, as_user: str, *, exercise: bool, k: int,
                        reason: str | None) -> None:
    """Write the release in force for AS_USER's affiliation, or (`reason` given: --release)
    make a new one first (decision 0076)."""
    from hofburg.cases.services import releases
    from hofburg.core.errors import ServiceError

    if not as_user:
        fail("--dataset protection needs --as-user: the member of staff the release is "
             "written for, or the publisher making one", 2)
    user = _desk_user(as_user)
    kind = "EXERCISE protection" if exercise else "protection"
    if reason is not None:
        try:
            made = releases.release_protection_table(user, year, exercise=exercise,
                                                     reason=reason, k=k, channel="cli")
        except ServiceError as exc:
            fail(exc.message, 2)
    else:
        found = releases.latest_release(user, year, exercise=exercise)
        if found is None:
            fail(f"no release of the {year} {kind} table for the affiliation of {as_user} "
                 "yet: a publisher makes one with --release --reason TEXT", 2)
        made = found
    _write_bytes(output, releases.release_csv(user, made, channel="cli"))
    typer.echo(f"{len(made.rows)} rows of the {year} {kind} publication, release "
               f"{made.number} of {made.released_at:%Y-%m-%d}, written to {output} (cells "
               f"below {made.k} suppressed)")


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

    user = _desk_user(as_user)
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

    user = _desk_user(as_user)
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


def _grantable(as_user: str, person: str, situation: str) -> tuple[User, Person | Situation]:
    """(the acting user, the person or situation they may grant), or one line and exit 2: a
    record the user may not grant for is named as one that does not exist."""
    from django.http import Http404

    from hofburg.cases import permissions, queries

    user = _desk_user(as_user)
    if bool(person) == bool(situation):
        fail("name one --person or one --situation", 2)
    record: Person | Situation | None
    try:
        record = (queries.person_for(user, person) if person
                  else queries.situation_for(user, situation))
    except Http404:
        record = None
    if record is not None and permissions.may_give_grants(user, record):
        return user, record
    fail(f"no {'person' if person else 'situation'} {person or situation!r} whose grants "
         f"{as_user} gives", 2)


@app.command(cls=OneLineErrors)
def revoke(
    as_user: Annotated[str, typer.Option("--as-user", help="Who revokes: an editor of the "
                                         "owner affiliation holding a grant.")],
    user: Annotated[str, typer.Option("--user", help="The holder whose grant is withdrawn.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the grant history).")],
    person: Annotated[str, typer.Option(help="The person's surrogate id.")] = "",
    situation: Annotated[str, typer.Option(help="The situation's id.")] = "",
) -> None:
    """Withdraw USER's need-to-know for a person or a situation, as on its page (decision 0064)."""
    setup_django()
    from hofburg.cases.services.grants import withdraw_grant
    from hofburg.core.errors import ServiceError

    actor, record = _grantable(as_user, person, situation)
    held = record.grants.filter(user__username=user).select_related("user").first()
    if held is None:
        fail(f"{user!r} holds no grant for {person or situation}", 2)
    try:
        revoked = withdraw_grant(actor, record, held.user, reason, channel="cli")
    except ServiceError as exc:
        fail(exc.message, 2 if exc.status == 422 else 1)
    typer.echo(f"{user}'s {revoked.level} grant for {person or situation} revoked "
               f"({revoked.revoked_at.astimezone():%Y-%m-%d %H:%M %Z})")


@app.command(cls=OneLineErrors)
def grants(
    as_user: Annotated[str, typer.Option("--as-user", help="Who the file is for: an editor of "
                                         "the owner affiliation holding a grant.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The CSV file to write.")],
    person: Annotated[str, typer.Option(help="The person's surrogate id.")] = "",
    situation: Annotated[str, typer.Option(help="The situation's id.")] = "",
) -> None:
    """Write a person's or a situation's grant history as CSV: the grants held now, then those
    revoked with who revoked them, when and why. The export is in the access log."""
    setup_django()
    from hofburg.cases import disclosure
    from hofburg.cases.models import AccessLog

    actor, record = _grantable(as_user, person, situation)
    holders, revoked = disclosure.grant_rows(actor, record, channel="cli",
                                             action=AccessLog.Action.EXPORT)
    columns = disclosure.REVOKED_FIELDS
    _write(output, "grants", columns, [[row.get(c) for c in columns]
                                       for row in [*holders, *revoked]])
    typer.echo(f"{len(holders)} grants held and {len(revoked)} revoked for "
               f"{person or situation} written to {output} "
               f"({datetime.now().astimezone():%Y-%m-%d %H:%M %Z})")


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


@app.command("verify-log", cls=OneLineErrors)
def verify_log(
    expect_head: Annotated[str, typer.Option("--expect-head", help="The head digest kept from "
                                             "an earlier run.")] = "",
) -> None:
    """Verify the access log's hash chain from its last retention cut; one line per break on
    stderr and exit 1 when it is broken."""
    setup_django()
    from hofburg.cases.services.reads import access_log_head, access_log_span, verify_access_log

    problems = verify_access_log(expected_head=expect_head or None)
    if problems:
        for problem in problems:
            typer.echo(f"hofburg: access log {problem}", err=True)
        raise typer.Exit(1)
    count, oldest = access_log_span()
    sequence, digest = access_log_head()
    span = f"#{oldest} to #{sequence}" if count else "none"
    typer.echo(f"Access log intact: {count} entries ({span}), head {digest}")


@app.command("prune-log", cls=OneLineErrors)
def prune_log(
    older_than_days: Annotated[int | None, typer.Option(
        "--older-than-days", min=1, max=36_500,
        help="Remove entries older than this many days (default: "
             "HOFBURG_CASES_ACCESS_LOG_RETENTION_DAYS).")] = None,
) -> None:
    """Apply the retention policy: remove the access log's entries older than the period,
    recording the cut in the chain so what is left stays verifiable."""
    setup_django()
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from hofburg.cases.services.reads import prune_access_log

    days = older_than_days or settings.CASES_ACCESS_LOG_RETENTION_DAYS
    cut = prune_access_log(timezone.now() - timedelta(days=days))
    if cut.entry is None:
        typer.echo(f"No access-log entry is older than {days} days; nothing removed")
        return
    typer.echo(f"{cut.removed} access-log entries older than {days} days removed (through "
               f"#{cut.through}); the cut is entry #{cut.entry.sequence}")
