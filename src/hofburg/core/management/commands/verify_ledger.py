from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hofburg.core.services.ledger import ledger_head, verify_ledger


class Command(BaseCommand):
    help = ("Verify the hash chain of the ledger and rebuild every entry's payload from the record "
            "it vouches for; fails listing every break and every altered or deleted record.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--expect-head", default=None,
                            help="Head digest kept from an earlier `ledger_head`.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify_ledger(expected_head=options["expect_head"])
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"the ledger is broken: {len(problems)} problem(s) found")
        sequence, digest = ledger_head()
        self.stdout.write(f"Ledger intact: {sequence} entries, head {digest}; every record "
                          "matches its entry")
