"""A database from before the library left core migrates to the `documents` app and keeps
every document: rows, files, sharing, full-text index, content types with their permissions and
the audit history (decision 0028)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hofburg.core.models import AuditEntry
from hofburg.documents.models import Document
from hofburg.documents.search import search_documents
from tests.conftest import Cast

BEFORE = [("core", "0006_auditentry_request_id")]


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_finds_its_documents_after_it(cast: Cast) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old_document = old.get_model("core", "Document")
    stored = old_document.objects.create(
        symbol="PC.DEL/77/26", title="Statement on the mountain ceasefire", date=date(2026, 3, 1),
        originator="Delegation of Austria", original_language="en",
        text="The mountain ceasefire holds.", classification="confidential",
        owner_affiliation_id=cast.austria.pk)
    stored.shared_with.set([cast.cpc.pk])
    old.get_model("core", "DocumentFile").objects.create(
        document=stored, language="en", file="documents/2026/statement.txt",
        filename="statement.txt", content_type="text/plain", size=29, sha256="a" * 64)
    old_types = old.get_model("contenttypes", "ContentType")
    document_type = old_types.objects.get(app_label="core", model="document")
    permissions = set(old.get_model("auth", "Permission").objects.filter(
        content_type_id=document_type.pk).values_list("codename", flat=True))
    assert permissions == {"add_document", "change_document", "delete_document",
                           "view_document"}
    old.get_model("core", "AuditEntry").objects.create(
        action="create", model_label="core.Document", object_id=str(stored.pk),
        object_repr=stored.symbol, actor_label="alice")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    document = Document.objects.get(pk=stored.pk)
    assert (document.symbol, document.title, document.classification,
            document.owner_affiliation_id) == (
        "PC.DEL/77/26", "Statement on the mountain ceasefire", "confidential", cast.austria.pk)
    assert list(document.shared_with.all()) == [cast.cpc]
    assert [(f.language, f.sha256) for f in document.files.all()] == [("en", "a" * 64)]
    # The full-text index (an FTS5 table and its triggers on SQLite) still finds it.
    assert list(search_documents(Document.objects.all(), "mountain")) == [document]
    # The content type is the same row under the new label, its permissions still on it.
    moved_type = ContentType.objects.get_for_model(Document)
    assert (moved_type.pk, moved_type.app_label) == (document_type.pk, "documents")
    assert not ContentType.objects.filter(app_label="core", model="document").exists()
    assert set(Permission.objects.filter(content_type=moved_type)
               .values_list("codename", flat=True)) == permissions
    assert AuditEntry.objects.get(object_id=str(stored.pk)).model_label == "documents.Document"


@pytest.mark.django_db(transaction=True)
def test_the_move_is_reversed_without_losing_a_document(cast: Cast) -> None:
    document = Document.objects.create(
        symbol="PC.DEL/78/26", title="Reply", date=date(2026, 3, 2), originator="Delegation",
        original_language="en", classification="public", owner_affiliation_id=cast.austria.pk)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("core", "Document").objects.get(pk=document.pk).symbol == "PC.DEL/78/26"
    assert old.get_model("contenttypes", "ContentType").objects.filter(
        app_label="core", model="document").exists()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    assert Document.objects.get(pk=document.pk).title == "Reply"
