"""`hofburg decisions ...`: the status table and the journal of the day.

Commands set Django up lazily and read through the desk's queries, so what they print is what
the user named by `--as-user` may see (the public's view by default, like `hofburg export`).
Errors are one line on stderr; bad arguments exit with code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from hofburg.core.clitools import OneLineErrors, fail, setup_django

app = typer.Typer(help="The decisions desk: drafts, decisions, journals.", no_args_is_help=True)
sequence_app = typer.Typer(help="The numbering sequences of the bodies' series.",
                           no_args_is_help=True)
app.add_typer(sequence_app, name="sequence")


@app.command("journal", cls=OneLineErrors)
def journal(
    symbol: Annotated[str, typer.Argument(help="The journal's symbol, e.g. PC.JOUR/1200.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the journal as a PDF to this file.")] = None,
    as_user: Annotated[str | None, typer.Option(
        help="Read the journal as this user may (default: what the public sees).")] = None,
    exercise: Annotated[bool | None, typer.Option(
        "--exercise/--real", help="The exercise meeting or the real one (default: the real "
        "one if there is one).", show_default=False)] = None,
) -> None:
    """Print the journal of the day as text, or write it as a PDF with -o."""
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404
    from django.utils import timezone

    from hofburg.core.models import User
    from hofburg.decisions import journal as journals
    from hofburg.decisions.queries.meetings import journal_meeting

    reader: User | AnonymousUser = AnonymousUser()
    if as_user:
        found = User.objects.filter(username=as_user, is_active=True).first()
        if found is None:
            fail(f"no active user named {as_user!r}")
        reader = found
    try:
        meeting = journal_meeting(reader, symbol, exercise=exercise)
    except Http404:
        fail(f"no journal {symbol!r}")
    built = journals.build_journal(meeting, reader, timezone.now())
    if output is None:
        typer.echo(journals.journal_text(built), nl=False)
        return
    try:
        output.write_bytes(journals.render_journal_pdf(built))
    except OSError as error:
        fail(f"{output}: cannot be written ({error.strerror or error})")
    typer.echo(str(output))


@sequence_app.command("set", cls=OneLineErrors)
def sequence_set(
    body: Annotated[str, typer.Argument(help="PC, FSC or MC.")],
    series: Annotated[str, typer.Argument(help="DEC, DD, JOUR, DEL ...")],
    start: Annotated[int, typer.Argument(help="The next number to give, e.g. 1501.")],
    year: Annotated[int | None, typer.Option(
        help="For a series numbered per year: the year, e.g. 26 or 2026.")] = None,
    exercise: Annotated[bool, typer.Option(
        "--exercise", help="The exercise series rather than the real one.")] = False,
) -> None:
    """Continue a real sequence: the next number of BODY.SERIES will be START (or the one
    after the last given, if that is higher)."""
    setup_django()
    from hofburg.core.errors import ServiceError
    from hofburg.decisions import sequences

    if year is not None and year < 100:
        year += 2000
    try:
        sequences.set_start(body.upper(), series.upper(), start=start, year=year,
                            is_exercise=exercise)
    except ServiceError as error:
        fail(str(error), 2)
    label = f"{body.upper()}.{series.upper()}" + (f" of {year}" if year else "")
    typer.echo(f"{label}: the next number is {start} or the one after the last given")


@app.command("status-table", cls=OneLineErrors)
def status_table(
    body: Annotated[str | None, typer.Option(help="Only this body's drafts: PC, FSC, MC or "
                                                  "SUMMIT.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array of rows.")] = False,
    as_user: Annotated[str | None, typer.Option(
        help="Show the drafts this user may see (default: what the public sees).")] = None,
    earlier: Annotated[bool, typer.Option(
        "--earlier", help="Also the decisions adopted before this year.")] = False,
) -> None:
    """The status table of draft decisions: symbol, latest revision, venue, status and days
    under silence, as of now."""
    setup_django()
    from django.db import DatabaseError

    from hofburg.decisions import clock
    from hofburg.decisions.models import Body
    from hofburg.decisions.queries.drafts import status_table as table

    code = body.strip().upper() if body is not None else None
    if code is not None and code not in Body.values:
        fail(f"--body must be one of {', '.join(Body.values)}, got {body!r}", 2)
    try:
        rows = table(_viewer(as_user), body=code, now=clock.now(), earlier=earlier)
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        fail(f"database error: {first}")
    data = [_row(row) for row in rows]
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_table(data)


def _viewer(username: str | None) -> Any:
    from django.contrib.auth.models import AnonymousUser

    from hofburg.core.models import User

    if not username:
        return AnonymousUser()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        fail(f"no active user named {username!r}")
    return user


def _row(row: Any) -> dict[str, Any]:
    return {"symbol": row.symbol, "title": row.title, "latest_revision": row.latest_revision,
            "latest_symbol": row.latest_symbol, "venue": row.venue,
            "status": row.status.value, "days_under_silence": row.days_under_silence,
            "decision_symbol": row.decision_symbol or None, "is_exercise": row.is_exercise}


_COLUMNS = ("symbol", "latest_symbol", "venue", "status", "days_under_silence",
            "decision_symbol", "title")
_HEADINGS = ("Symbol", "Latest revision", "Venue", "Status", "Days under silence",
             "Decision", "Title")


def _print_table(data: list[dict[str, Any]]) -> None:
    if not data:
        typer.echo("No drafts.")
        return
    cells = [list(_HEADINGS)] + [
        [_cell(row, column) for column in _COLUMNS] for row in data]
    widths = [max(len(line[i]) for line in cells) for i in range(len(_COLUMNS) - 1)]
    for line in cells:
        typer.echo("  ".join([*(value.ljust(width) for value, width in zip(line, widths,
                                                                             strict=False)),
                              line[-1]]).rstrip())


def _cell(row: dict[str, Any], column: str) -> str:
    value = row[column]
    if column == "title" and row["is_exercise"]:
        return f"EXERCISE {value}"
    return "-" if value is None or value == "" else str(value)
