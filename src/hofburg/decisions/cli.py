"""`hofburg decisions ...`: the status table and the journal of the day."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
