"""The document library leaves core for its own app, `documents` (decision 0028).

State only: Django forgets `core.Document` and `core.DocumentFile`, the tables stay as they are
(`core_document`, `core_documentfile`, `core_document_shared_with`, and on SQLite the full-text
table `core_document_fts` with its triggers). `documents` 0001 takes the same tables over under
its own label. Core knows no desk: nothing here names the new app.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_auditentry_request_id"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DocumentFile"),
                migrations.DeleteModel(name="Document"),
            ],
            database_operations=[],
        ),
    ]
