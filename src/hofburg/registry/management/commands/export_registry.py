"""`django-admin export_registry KIND --format csv|xlsx|json --output FILE`: open-data files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hofburg.registry import exports


class Command(BaseCommand):
    help = "Export States, partners, chairmanships, field operations or conflicts to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"one of: {', '.join(exports.TABLES)}")
        parser.add_argument("--format", dest="file_format", default="csv",
                            help=f"one of: {', '.join(exports.WRITERS)} (default csv)")
        parser.add_argument("--output", default="-",
                            help="file to write; '-' (the default) writes to standard output")

    def handle(self, *args: Any, kind: str, file_format: str, output: str,
               **options: Any) -> None:
        # Checked before the file is opened, so a typo never leaves an empty file behind.
        try:
            exports.check_export(kind, file_format)
        except exports.ExportError as exc:
            raise CommandError(str(exc)) from exc
        if output == "-":
            exports.write_export(kind, file_format, sys.stdout.buffer)
            sys.stdout.flush()
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        with path.open("wb") as stream:
            exports.write_export(kind, file_format, stream)
        self.stdout.write(f"Wrote {kind} as {file_format} to {path}")
