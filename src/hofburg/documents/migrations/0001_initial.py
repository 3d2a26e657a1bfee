"""The document library's models, moved from core with their tables (decision 0028).

State only for the schema: the tables `core_document`, `core_documentfile` and
`core_document_shared_with` were created by core's migrations 0001-0004 and keep their names
(`db_table`), so no row, index, constraint, full-text table or trigger is touched, on SQLite or
PostgreSQL. Two data steps follow the models' new label:

- the content types `core.document` and `core.documentfile` become `documents.*`, so their
  permissions (attached by id) and anything else pointing at them keep working;
- audit entries recorded under `core.Document` / `core.DocumentFile` are relabelled, so a
  document's history is found under one record type, old changes and new alike.

Both steps are reversed on the way back.
"""

import django.db.models.deletion
from django.db import migrations, models

import hofburg.core.models.classification

MOVED = {"Document": "document", "DocumentFile": "documentfile"}


def _relabel(apps, schema_editor, old_app, new_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")
    alias = schema_editor.connection.alias
    for name, model in MOVED.items():
        taken = ContentType.objects.using(alias).filter(app_label=new_app, model=model).exists()
        # A content type already under the new label was made by a `migrate` that stopped
        # between the two apps; the stale one is left to `remove_stale_contenttypes`, as
        # Django's own RenameModel does on a clash.
        if not taken:
            ContentType.objects.using(alias).filter(app_label=old_app, model=model).update(
                app_label=new_app)
        AuditEntry.objects.using(alias).filter(model_label=f"{old_app}.{name}").update(
            model_label=f"{new_app}.{name}")


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "core", "documents")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "documents", "core")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0007_documents_leave_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Document",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("classification", hofburg.core.models.classification.ClassificationField(db_index=True, default="restricted", verbose_name="classification")),
                        ("symbol", models.CharField(max_length=80, verbose_name="symbol")),
                        ("title", models.CharField(max_length=500, verbose_name="title")),
                        ("date", models.DateField(db_index=True, verbose_name="date")),
                        ("originator", models.CharField(max_length=200, verbose_name="originating delegation or body")),
                        ("original_language", models.CharField(max_length=2, verbose_name="original language")),
                        ("text", models.TextField(blank=True, verbose_name="text")),
                        ("is_exercise", models.BooleanField(default=False, verbose_name="exercise data")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("owner_affiliation", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.affiliation", verbose_name="owner")),
                        ("shared_with", models.ManyToManyField(blank=True, related_name="+", to="core.affiliation", verbose_name="shared with")),
                    ],
                    options={
                        "verbose_name": "document",
                        "verbose_name_plural": "documents",
                        "db_table": "core_document",
                        "ordering": ["-date", "symbol"],
                        "indexes": [models.Index(fields=["-date", "symbol"], name="document_newest_first")],
                        "constraints": [models.UniqueConstraint(fields=("owner_affiliation", "symbol"), name="document_one_symbol_per_owner")],
                    },
                ),
                migrations.CreateModel(
                    name="DocumentFile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("language", models.CharField(max_length=2, verbose_name="language")),
                        ("file", models.FileField(upload_to="documents/%Y/", verbose_name="file")),
                        ("filename", models.CharField(max_length=255, verbose_name="file name")),
                        ("content_type", models.CharField(max_length=100)),
                        ("size", models.PositiveBigIntegerField(verbose_name="size")),
                        ("sha256", models.CharField(db_index=True, max_length=64, verbose_name="SHA-256")),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                        ("document", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="files", to="documents.document")),
                    ],
                    options={
                        "db_table": "core_documentfile",
                        "ordering": ["language"],
                        "constraints": [models.UniqueConstraint(fields=("document", "language"), name="one_file_per_language")],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
