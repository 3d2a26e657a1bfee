"""`hofburg decisions ...`: the status table and the journal of the day.

Commands set Django up lazily and read through the desk's queries, so what they print is what
the user named by `--as-user` may see (the public's view by default, like `hofburg export`).
Errors are one line on stderr; bad arguments exit with code 2.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from hofburg.core.clitools import OneLineErrors, fail, setup_django

app = typer.Typer(help="The decisions desk: drafts, decisions, journals.", no_args_is_help=True,
                  rich_markup_mode=None)


@app.callback()
def decisions() -> None:
    """The decisions desk: drafts, decisions, journals."""


@app.command("status-table", cls=OneLineErrors)
def status_table(
    body: Annotated[str | None, typer.Option(help="Only this body's drafts: PC, FSC, MC or "
                                                  "SUMMIT.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array of rows.")] = False,
    as_user: Annotated[str | None, typer.Option(
        help="Show the drafts this user may see (default: what the public sees).")] = None,
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
        rows = table(_viewer(as_user), body=code, now=clock.now())
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
