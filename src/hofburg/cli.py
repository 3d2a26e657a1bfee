"""The `hofburg` command: set-up, demo, serving, reference data, users, exports and the ledger.

Each command is a thin wrapper over a Django management command (or a service), so scripts,
the CLI and the web all share one code path. Every command honours HOFBURG_DATABASE_URL.
Errors are one clear line on stderr and a non-zero exit code (2 for bad arguments).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from hofburg.cases.cli import app as cases_app
from hofburg.core import opscli, serving
from hofburg.core.clitools import OneLineErrors, call, fail, setup_django
from hofburg.csbm.cli import app as csbm_app
from hofburg.decisions.cli import app as decisions_app
from hofburg.elections.cli import app as elections_app
from hofburg.monitoring.cli import app as monitoring_app
from hofburg.projects.cli import app as projects_app

app = typer.Typer(
    help="Hofburg: open information system for cooperative security in the OSCE area.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
ledger_app = typer.Typer(
    help="The hash-chained ledger of formal communications.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(ledger_app, name="ledger")
affiliations_app = typer.Typer(
    help="The affiliations users belong to (created by `hofburg init` from the registry).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(affiliations_app, name="affiliations")
app.add_typer(cases_app, name="cases",
              help="Human dimension: exports as a user may see them, vault key rotation.")
app.add_typer(csbm_app, name="csbm", help="Vienna Document: classify, quotas, constraints.")
app.add_typer(decisions_app, name="decisions",
              help="Decisions: the status table of drafts and the journal of the day.")
app.add_typer(elections_app, name="elections",
              help="Election observation: PVT samples and estimates, forms, statement figures.")
app.add_typer(monitoring_app, name="monitoring",
              help="Field monitoring: import, locate, demo scenario, recount areas.")
app.add_typer(projects_app, name="projects",
              help="Projects: IATI export, Unified Budget, a State's contributions.")


@app.command(cls=OneLineErrors)
def init() -> None:
    """Create or migrate the database, load the reference data and create an affiliation for
    every body in it (safe to repeat)."""
    setup_django()
    call("migrate", interactive=False, verbosity=0)
    call("load_reference")
    call("ensure_affiliations")
    call("refresh_statistics")


@app.command("load-reference", cls=OneLineErrors)
def load_reference(
    directory: Annotated[Path | None, typer.Option(help="Folder of registry data files.")] = None,
) -> None:
    """Validate and load the registry's reference data; nothing is loaded if any row is bad."""
    setup_django()
    options = {"directory": str(directory)} if directory else {}
    call("load_reference", **options)


@app.command(cls=OneLineErrors)
def demo(
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.", min=1, max=65535)] = 8000,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve after loading.")
    ] = True,
) -> None:
    """Set up the database, load reference and demo data, print demo accounts, and serve."""
    init()
    call("load_demo")
    if serve_after:
        serve(host=host, port=port)


@app.command(cls=OneLineErrors)
def serve(
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.", min=1, max=65535)] = 8000,
    threads: Annotated[int, typer.Option(help="Threads per worker process.", min=1, max=64)] = 8,
    workers: Annotated[
        int,
        typer.Option(
            help="Worker processes sharing the port; more than one uses more than one core.",
            min=1,
            max=serving.MAX_WORKERS,
        ),
    ] = 1,
) -> None:
    """Serve Hofburg with waitress until Ctrl-C (or SIGTERM)."""
    setup_django()
    from waitress import serve as waitress_serve

    from hofburg.core import metrics
    from hofburg.wsgi import application

    metrics.server_starting()  # the service's counters start at zero with it

    try:
        if workers == 1:
            typer.echo(f"Hofburg is at http://{host}:{port}/  (Ctrl-C to stop)")
            waitress_serve(application, host=host, port=port, threads=threads, ident="hofburg")
        else:
            announce = f"Hofburg is at http://{host}:{port}/  ({workers} processes, Ctrl-C to stop)"
            serving.serve_with_workers(application,
                                       serving.listening_sockets(host, port, workers),
                                       workers=workers, threads=threads,
                                       started=lambda: typer.echo(announce))
            typer.echo("Stopped.")
    except OSError as exc:
        fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}")
    except serving.WorkerDied as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("Stopped.")


@app.command(cls=OneLineErrors)
def createuser(
    username: Annotated[str, typer.Argument(help="Login name.")],
    affiliation: Annotated[str | None, typer.Option(help="Affiliation code.")] = None,
    role: Annotated[list[str] | None, typer.Option(help="Role; repeat for several.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user; without --password-stdin a password is generated and printed once."""
    setup_django()
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    call(
        "create_hofburg_user",
        username,
        affiliation=affiliation,
        roles=role or [],
        password=password,
    )


@app.command(cls=OneLineErrors)
def token(
    username: Annotated[str, typer.Argument(help="The user the token acts for.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
) -> None:
    """Issue an API token for a user and print it (it is shown only once)."""
    setup_django()
    call("issue_api_token", username, name=name)


@app.command(cls=OneLineErrors)
def export(
    kind: Annotated[
        str,
        typer.Argument(
            help="states, partners, chairmanships, field-operations, conflicts or documents."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, xlsx or json.")] = "csv",
    as_user: Annotated[
        str | None,
        typer.Option(
            help="Export documents as this user sees them (default: what the public sees)."
        ),
    ] = None,
) -> None:
    """Export registry data or the document list to CSV, XLSX or JSON."""
    setup_django()
    if kind == "documents":
        call("export_documents", output=str(output), format=fmt, as_user=as_user)
    else:
        call("export_registry", kind, format=fmt, output=str(output))


@affiliations_app.command("list", cls=OneLineErrors)
def affiliations_list(
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array of {code, kind, name}.")]
    = False,
) -> None:
    """List every affiliation: code, kind and name (exercise affiliations included)."""
    setup_django()
    call("list_affiliations", as_json=as_json)


@ledger_app.command("verify", cls=OneLineErrors)
def ledger_verify(
    expect_head: Annotated[
        str | None,
        typer.Option(
            help="The head digest kept from `hofburg ledger head`; detects removed tail entries."
        ),
    ] = None,
) -> None:
    """Check every entry and the record it vouches for; exit 1 listing each break, altered or
    deleted entry and altered or deleted record."""
    setup_django()
    call("verify_ledger", expect_head=expect_head)


@ledger_app.command("head", cls=OneLineErrors)
def ledger_head() -> None:
    """Print the sequence number and digest of the last ledger entry."""
    setup_django()
    call("ledger_head")


app.command("backup", cls=OneLineErrors)(opscli.backup)
app.command("restore", cls=OneLineErrors)(opscli.restore)


@app.command(cls=OneLineErrors)
def check() -> None:
    """Say what `hofburg init` would change: pending migrations, reference-data differences and
    affiliations to create or rename.

    Exit 0 when nothing would change, 1 when something would, 3 when it cannot be told.
    """
    setup_django()
    from django.conf import settings
    from django.db import Error as DatabaseError

    from hofburg.core.upgrade import pending_migrations
    from hofburg.registry.services import (
        AffiliationCodeError,
        ReferenceDataError,
        compare_reference,
    )

    try:
        pending = pending_migrations()
    except DatabaseError as exc:
        fail(f"cannot read the migration state: {str(exc).strip().splitlines()[0]}", 3)
    typer.echo(f"Pending migrations: {len(pending)}")
    for name in pending:
        typer.echo(f"  {name}")
    folder = Path(settings.REFERENCE_DATA_DIR) / "registry"
    try:
        summary = compare_reference(folder)
    except (ReferenceDataError, AffiliationCodeError) as exc:
        fail(f"the reference data cannot be read: {exc}", 3)
    except DatabaseError as exc:
        if not pending:
            fail(f"cannot compare the reference data: {str(exc).strip().splitlines()[0]}", 3)
        typer.echo("Reference data: compared after the migrations (the tables are not ready)")
        raise typer.Exit(1) from exc
    typer.echo(f"Reference data differences ({folder}): {summary.changed}")
    for line in summary.lines():
        typer.echo(f"  {line}")
    if pending or summary.changed:
        raise typer.Exit(1)


def main() -> None:
    """Run the command; an error nobody foresaw is one line too (its traceback with
    HOFBURG_DEBUG=1), and exit code 1."""
    try:
        app()
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if os.environ.get("HOFBURG_DEBUG", "").lower() in ("1", "true", "yes", "on"):
            raise
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        typer.echo(f"hofburg: unexpected error: {type(exc).__name__}"
                   + (f": {message}" if message else "")
                   + " (set HOFBURG_DEBUG=1 to see the traceback)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
