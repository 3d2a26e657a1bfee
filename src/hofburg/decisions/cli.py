"""`hofburg decisions ...`: the status table and the journal of the day."""

from __future__ import annotations

import typer

app = typer.Typer(help="The decisions desk: drafts, decisions, journals.", no_args_is_help=True)
