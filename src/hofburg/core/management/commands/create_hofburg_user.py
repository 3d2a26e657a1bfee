from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hofburg.core.services.accounts import AccountError, create_account


class Command(BaseCommand):
    help = "Create a user with an affiliation and roles; prints a generated password once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--affiliation", default=None)
        parser.add_argument("--roles", nargs="*", default=[])
        parser.add_argument("--password", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user, password = create_account(
                options["username"], affiliation_code=options["affiliation"],
                roles=options["roles"], password=options["password"])
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Created {user.username}")
        if options["password"] is None:
            self.stdout.write(f"Password: {password}")
