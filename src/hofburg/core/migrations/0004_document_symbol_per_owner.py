"""A document symbol is unique per owner affiliation, not across the library (decision 0020).

On SQLite both operations rebuild the core_document table, which drops the full-text
triggers of 0002 with the old table: they are created again and the index rebuilt.
"""

from importlib import import_module

from django.db import migrations, models

search = import_module("hofburg.core.migrations.0002_document_search")
TRIGGERS = [s for s in search.SQLITE_FORWARD if s.startswith("CREATE TRIGGER")]


def restore_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in search.SQLITE_BACKWARD[:3]:  # the triggers, if any survived
        schema_editor.execute(statement)
    for statement in TRIGGERS:
        schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO core_document_fts(core_document_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_document_order_index"),
    ]

    operations = [
        # Undoing this migration rebuilds the table again: the triggers come back last.
        migrations.RunPython(migrations.RunPython.noop, restore_search_triggers),
        migrations.AlterField(
            model_name="document",
            name="symbol",
            field=models.CharField(max_length=80, verbose_name="symbol"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(fields=("owner_affiliation", "symbol"),
                                               name="document_one_symbol_per_owner"),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
    ]
