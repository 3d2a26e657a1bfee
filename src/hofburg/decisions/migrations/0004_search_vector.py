"""Statements: the search vector stored on PostgreSQL, and an index of visibility.

On PostgreSQL the GIN expression index of 0003_statement_search gives way to a stored generated
`search_vector` column with its own GIN index: ranking then reads the stored vector instead of
re-reading and re-splitting every matching text (decision 0034). SQLite keeps its FTS5 table.
Both databases get an index of who may see each row, so a search counts and orders its matches
without reading their texts.

The SQL is frozen here; `hofburg.core.search.FullTextIndex` must keep producing it (a test
compares them).
"""

from django.db import migrations, models

POSTGRESQL_FORWARD = [
    "DROP INDEX IF EXISTS decisions_statement_search_gin",
    "ALTER TABLE decisions_statement ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(search_text, '')), 'B')) STORED",
    "CREATE INDEX decisions_statement_search_gin ON decisions_statement USING GIN (search_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS decisions_statement_search_gin",
    "ALTER TABLE decisions_statement DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX decisions_statement_search_gin ON decisions_statement USING GIN (("
    "setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(search_text, '')), 'B')))",
]


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_FORWARD:
            schema_editor.execute(statement)
        # Without statistics on the new column the planner takes every search for a rare one.
        schema_editor.execute("ANALYZE decisions_statement")


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0003_statement_search'),
    ]

    operations = [
        migrations.RunPython(add_search_vector, drop_search_vector),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['classification', 'owner_affiliation', 'delivered_on'], name='statement_visibility'),
        ),
    ]
