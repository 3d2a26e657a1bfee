"""`manage.py ensure_affiliations`: an affiliation for every body in the registry (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hofburg.registry.services import AffiliationCodeError, ensure_affiliations


class Command(BaseCommand):
    help = (
        "Create the affiliation of every participating State's and Partner's delegation, "
        "Secretariat unit, institution and field operation in the registry; safe to repeat."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = ensure_affiliations()
        except AffiliationCodeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(summary.line())
