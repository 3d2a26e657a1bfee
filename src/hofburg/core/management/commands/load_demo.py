from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hofburg.core.demo import ACCOUNTS_FILE_NAME, DemoError, load_demo
from hofburg.core.services.accounts import AccountError


class Command(BaseCommand):
    help = "Load the exercise (demo) data and print the demo accounts; safe to repeat."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            accounts = load_demo()
        except (AccountError, DemoError) as exc:
            raise CommandError(f"demo data could not be loaded: {exc}") from exc
        self.stdout.write("")
        self.stdout.write("Demo accounts (exercise data; one per role, and a field monitor):")
        width = max(len(username) for username, *_ in accounts)
        for username, password, roles, affiliation in accounts:
            self.stdout.write(f"  {username:<{width}}  {password:<18}  {roles:<24} {affiliation}")
        self.stdout.write(f"(Passwords are kept in {settings.DATA_DIR / ACCOUNTS_FILE_NAME}.)")
        self.stdout.write("")
