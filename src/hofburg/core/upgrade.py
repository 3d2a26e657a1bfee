"""What an upgrade would change in the database: the migrations not yet applied."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def pending_migrations() -> list[str]:
    """`app.name` of every migration `hofburg init` would apply, in the order it would."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan
            if not backwards]
