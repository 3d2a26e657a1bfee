"""Full-text search over statements: FTS5 on SQLite, a GIN expression index on PostgreSQL
(replaced by a stored column in 0004).

Nothing here changes the model state; each database gets what `hofburg.decisions.search`
reads, written by `hofburg.core.search` (whose output a test pins to the document library's
own migration), and any other database is left untouched.

Mind on SQLite: a later migration that makes Django rebuild the decisions_statement table (most
field changes do) drops these triggers with the old table; such a migration must run the
index's `sqlite_forward()` statements again.
"""

from django.db import migrations

from hofburg.core.search import FullTextIndex

# Frozen here rather than imported from the desk: a migration must not change when the code does.
INDEX = FullTextIndex(table="decisions_statement", columns=("title", "search_text"),
                      weights=(4.0, 1.0), gin_index="decisions_statement_search_gin")


# The GIN expression index this migration created on PostgreSQL; 0004 replaces it by a stored
# column with its own GIN index.
POSTGRESQL_FORWARD = [
    "CREATE INDEX decisions_statement_search_gin ON decisions_statement USING GIN (("
    "setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(search_text, '')), 'B')))",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS decisions_statement_search_gin"]


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": INDEX.sqlite_forward(), "postgresql": POSTGRESQL_FORWARD}
    for statement in statements.get(vendor, []):
        schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": INDEX.sqlite_backward(), "postgresql": POSTGRESQL_BACKWARD}
    for statement in statements.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0002_round_date_precision"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
    ]
