from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hofburg.core.services.ledger import ledger_head


class Command(BaseCommand):
    help = (
        "Print the last ledger entry's sequence number and digest (keep it to detect truncation)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sequence, digest = ledger_head()
        self.stdout.write(f"{sequence} {digest}")
