"""Helpers shared by the `hofburg` command and the desks' sub-commands.

Imported before Django is set up, so it imports no models at module level.
"""

from __future__ import annotations

import os
from typing import Any, NoReturn

import typer


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
