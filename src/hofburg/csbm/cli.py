"""The `hofburg csbm ...` commands (wired into hofburg/cli.py)."""

import typer

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
