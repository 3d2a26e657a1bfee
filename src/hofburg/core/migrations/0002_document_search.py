"""Full-text search over documents: FTS5 on SQLite, a GIN expression index on PostgreSQL.

Nothing here changes the model state; each database gets what its search backend in
`hofburg.documents.search` reads (then `hofburg.core.search`), and the other database is left untouched.

Mind on SQLite: a later migration that makes Django rebuild the core_document table (most
field changes do) drops these triggers with the old table; such a migration must run
SQLITE_FORWARD's triggers and the 'rebuild' again.
"""

from django.db import migrations

SQLITE_FORWARD = [
    # External content: the index stores no copy of the text, only the words.
    "CREATE VIRTUAL TABLE core_document_fts USING fts5("
    "title, text, content='core_document', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER core_document_fts_insert AFTER INSERT ON core_document BEGIN "
    "INSERT INTO core_document_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
    "END",
    "CREATE TRIGGER core_document_fts_delete AFTER DELETE ON core_document BEGIN "
    "INSERT INTO core_document_fts(core_document_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "END",
    "CREATE TRIGGER core_document_fts_update AFTER UPDATE OF title, text ON core_document BEGIN "
    "INSERT INTO core_document_fts(core_document_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO core_document_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
    "END",
    # Index documents registered before this migration.
    "INSERT INTO core_document_fts(core_document_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_document_fts_update",
    "DROP TRIGGER IF EXISTS core_document_fts_delete",
    "DROP TRIGGER IF EXISTS core_document_fts_insert",
    "DROP TABLE IF EXISTS core_document_fts",
]

# Must stay the very expression `hofburg.documents.search` builds, or the planner will not use it.
POSTGRESQL_FORWARD = [
    "CREATE INDEX core_document_search_gin ON core_document USING GIN (("
    "setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(text, '')), 'B')))",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS core_document_search_gin"]


FORWARD = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}
BACKWARD = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}


def create_search_index(apps, schema_editor):
    for statement in FORWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    for statement in BACKWARD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
    ]
