"""`manage.py load_reference`: validate and load the registry's reference data files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import Progress

from hofburg.registry.services import LoadSummary, ReferenceDataError, load_reference


class Command(BaseCommand):
    help = (
        "Validate the registry's reference data files and make the database match them. "
        "Nothing is written if any row is bad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Folder of the registry's data files (default: REFERENCE_DATA_DIR/registry).",
        )

    def handle(self, *args: Any, directory: str | Path | None = None, **options: Any) -> None:
        folder = Path(directory) if directory else Path(settings.REFERENCE_DATA_DIR) / "registry"
        try:
            summary = self._load(folder)
        except ReferenceDataError as error:
            # One line naming file, row and field; the load wrote nothing.
            raise CommandError(str(error)) from error
        for line in summary.lines():
            self.stdout.write(line)
        if summary.changed:
            self.stdout.write(self.style.SUCCESS(f"Loaded {folder}: {summary.changed} changes."))
        else:
            self.stdout.write(f"Loaded {folder}: nothing changed.")

    def _load(self, folder: Path) -> LoadSummary:
        # A progress bar is for people watching a terminal, not for logs or pipes.
        if not self.stdout.isatty():
            return load_reference(folder)
        with Progress(transient=True) as bar:
            task = bar.add_task("Validating", total=None)

            def advance(step: str, done: int, total: int) -> None:
                bar.update(task, description=f"Writing {step}", completed=done, total=total)

            return load_reference(folder, progress=advance)
