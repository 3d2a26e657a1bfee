"""An adopted document's ledger entry vouches for its language versions as adopted."""

from __future__ import annotations

import datetime

import pytest

from hofburg.core.models import Classification
from hofburg.core.services.ledger import verify_ledger
from hofburg.documents.models import Document, DocumentFile
from hofburg.documents.services import add_language_version, record_adoption, register_document
from tests.conftest import Cast
from tests.documents.library import text_file

pytestmark = pytest.mark.django_db


def _adopted(cast: Cast) -> Document:
    document = register_document(
        cast.alice, symbol="PC.DEC/1500", title="Decision on the exercise",
        date=datetime.date(2026, 2, 3), originator="Permanent Council",
        original_language="en", classification=Classification.PUBLIC,
        files=[("en", text_file("The Permanent Council decides.")),
               ("fr", text_file("Le Conseil permanent décide."))])
    record_adoption(cast.alice, document)
    return document


def test_an_adopted_document_as_adopted_verifies_intact(cast: Cast) -> None:
    document = _adopted(cast)
    assert verify_ledger() == []
    # A translation added after the adoption is not part of what was adopted.
    add_language_version(cast.alice, document, "ru", text_file("Постоянный совет решает."))
    assert verify_ledger() == []


def test_a_language_version_swapped_in_the_database_is_named(cast: Cast) -> None:
    document = _adopted(cast)
    DocumentFile.objects.filter(document=document, language="fr").update(sha256="0" * 64)
    [problem] = verify_ledger()
    assert f"documents.Document #{document.pk} (PC.DEC/1500)" in problem.problem
    assert "the record was altered" in problem.problem


def test_a_deleted_adopted_document_is_named_by_its_entry(cast: Cast) -> None:
    document = _adopted(cast)
    Document.objects.filter(pk=document.pk).delete()
    [problem] = verify_ledger()
    assert "document.adopted PC.DEC/1500" in problem.problem
    assert "no longer exists" in problem.problem
