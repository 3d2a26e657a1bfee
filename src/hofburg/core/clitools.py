"""Helpers shared by the `hofburg` command and the desks' sub-commands.

Imported before Django is set up, so it imports no models at module level.
"""

from __future__ import annotations

import os
from typing import Any, NoReturn

import typer
from typer.core import TyperCommand


def setup_django() -> None:
    """Configure Django from HOFBURG_* settings; a configuration error is one line, exit 1."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        fail(f"configuration error: {exc}")


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `hofburg: message` on stderr and exit with `code` (2 for bad arguments)."""
    typer.echo(f"hofburg: {message}", err=True)
    raise typer.Exit(code)


def call(command: str, *args: Any, **options: Any) -> None:
    """Run a management command, turning its errors into one line and exit code 1."""
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import Error as DatabaseError

    try:
        call_command(command, *args, **options)
    except CommandError as exc:
        fail(str(exc), getattr(exc, "returncode", 1) or 1)
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        fail(f"database error: {first_line}")


# Typer carries its own copy of click and exports only BadParameter from it; its base class is
# the UsageError that an unknown option or a missing value raises.
_USAGE_ERROR: Any = typer.BadParameter.__mro__[1]


class OneLineErrors(TyperCommand):
    """Usage errors (an unknown option, a missing value) as one line and exit code 2.

    Use as `@app.command(cls=OneLineErrors)`.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return list(super().parse_args(ctx, args))
        except _USAGE_ERROR as exc:
            typer.echo(f"hofburg: {exc.format_message()}", err=True)
            ctx.exit(2)
            raise  # not reached: ctx.exit raises
