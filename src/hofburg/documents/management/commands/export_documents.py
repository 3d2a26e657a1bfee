from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hofburg.core import access
from hofburg.core.models import User
from hofburg.core.tables import WRITERS, ExportError, check_format
from hofburg.documents.exports import documents_table
from hofburg.documents.models import Document


class Command(BaseCommand):
    help = "Export the document list as a user sees it (by default: what the public sees)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True)
        parser.add_argument("--format", default="csv", help=f"one of: {', '.join(WRITERS)}")
        parser.add_argument("--as-user", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            check_format(options["format"])
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        user: User | AnonymousUser = AnonymousUser()
        if options["as_user"]:
            found = User.objects.filter(username=options["as_user"], is_active=True).first()
            if found is None:
                raise CommandError(f"no active user named {options['as_user']!r}")
            user = found
        documents = access.visible(Document.objects.all(), user)
        table = documents_table(documents, lambda document: f"/documents/{document.pk}/")
        output = Path(options["output"])
        partial = output.with_name(output.name + ".partial")
        try:
            with partial.open("wb") as stream:
                WRITERS[options["format"]](table, stream)
            partial.replace(output)  # never leave a half-written file under the real name
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
        self.stdout.write(f"Wrote {len(table.rows)} documents to {output}")
