from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Refresh the query planner's statistics (ANALYZE); run after bulk loads."

    def handle(self, *args: Any, **options: Any) -> None:
        # Without statistics SQLite prefers any index on a filter column, even a three-valued
        # one like `classification`, and then sorts the whole table for the first page.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
