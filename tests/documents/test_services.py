"""The document services: the only way documents, their files and their changes are written."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hofburg.core.access import AccessDenied
from hofburg.core.models import AuditEntry, Classification
from hofburg.documents import services as document_services
from hofburg.documents.models import Document, DocumentFile
from hofburg.documents.services import (
    DocumentError,
    add_language_version,
    register_document,
    update_document,
)
from tests.conftest import Cast
from tests.documents.library import Library, minimal_pdf, stored_files, text_file

pytestmark = pytest.mark.django_db


def _register(actor: Any, **overrides: Any) -> Document:
    arguments: dict[str, Any] = {
        "symbol": "PC.DEL/10/26",
        "title": "Statement on the situation in the region",
        "date": datetime.date(2026, 2, 3),
        "originator": "Delegation of Austria",
        "original_language": "en",
        "classification": Classification.RESTRICTED,
        "files": [("en", text_file("The delegation welcomes the ceasefire."))],
    }
    arguments.update(overrides)
    return register_document(actor, **arguments)


def _counts() -> tuple[int, int, int]:
    return Document.objects.count(), DocumentFile.objects.count(), AuditEntry.objects.count()


def test_an_editor_registers_a_document_owned_by_their_delegation(cast: Cast) -> None:
    body = b"The delegation welcomes the ceasefire."
    document = _register(cast.alice, files=[("en", SimpleUploadedFile("statement.txt", body))])

    assert document.owner_affiliation == cast.austria
    assert document.classification == "restricted"
    [stored] = document.files.all()
    assert (stored.language, stored.filename, stored.size) == ("en", "statement.txt", len(body))
    assert stored.sha256 == hashlib.sha256(body).hexdigest()
    assert stored.content_type == "text/plain"
    assert stored.file.read() == body
    assert "welcomes the ceasefire" in document.text


def test_the_symbol_is_stored_in_its_normalised_form(cast: Cast) -> None:
    document = _register(cast.alice, symbol="  PC.DEL/10/26 OSCE+ ")
    assert document.symbol == "PC.DEL/10/26"


def test_registering_is_recorded_in_the_audit_trail(cast: Cast) -> None:
    document = _register(cast.alice, shared_with=[cast.cpc],
                         classification=Classification.CONFIDENTIAL)

    entry = AuditEntry.objects.get(model_label="documents.Document", object_id=str(document.pk))
    assert (entry.actor, entry.action, entry.before) == (cast.alice, "create", None)
    assert entry.after is not None
    assert entry.after["symbol"] == "PC.DEL/10/26"
    assert entry.after["shared_with"] == ["cpc"]
    assert entry.after["owner_affiliation"] == "delegation-at"
    assert entry.after["files"][0].startswith("en: document.txt")
    assert "text" not in entry.after


def test_a_symbol_registered_once_cannot_be_registered_again_by_the_same_affiliation(
        cast: Cast, media_root: Path) -> None:
    _register(cast.alice)
    before, files_before = _counts(), stored_files(media_root)

    with pytest.raises(DocumentError) as raised:
        _register(cast.alice, symbol="PC.DEL/10/26 OSCE+", title="Another title")

    assert raised.value.field == "symbol"
    assert "already registered" in raised.value.message
    assert _counts() == before
    assert stored_files(media_root) == files_before


def _too_large() -> SimpleUploadedFile:
    return SimpleUploadedFile("big.txt", b"x" * 65)


# Each case: what is wrong (given the cast), and the field the refusal names.
BAD_INPUT: dict[str, tuple[Callable[[Cast], dict[str, Any]], str]] = {
    "not a symbol": (lambda cast: {"symbol": "PC DEL 10"}, "symbol"),
    "empty title": (lambda cast: {"title": "   "}, "title"),
    "future date": (
        lambda cast: {"date": timezone.localdate() + datetime.timedelta(days=1)}, "date"),
    "a datetime, not a date": (
        lambda cast: {"date": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)}, "date"),
    "empty originator": (lambda cast: {"originator": ""}, "originator"),
    "unofficial original language": (lambda cast: {"original_language": "pt"},
                                     "original_language"),
    "unknown distribution": (lambda cast: {"classification": "secret"}, "classification"),
    "sharing a restricted document": (lambda cast: {"shared_with": [cast.cpc]}, "shared_with"),
    "unofficial file language": (lambda cast: {"files": [("xx", text_file("a"))]}, "language"),
    "two files in one language": (
        lambda cast: {"files": [("en", text_file("a")), ("en", text_file("b"))]}, "language"),
    "an empty file": (
        lambda cast: {"files": [("en", SimpleUploadedFile("empty.txt", b""))]}, "file"),
    "a file over the size limit": (lambda cast: {"files": [("en", _too_large())]}, "file"),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_and_nothing_is_stored(
    case: str, cast: Cast, media_root: Path, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 64
    make_overrides, field = BAD_INPUT[case]
    before = _counts()

    with pytest.raises(DocumentError) as raised:
        _register(cast.alice, **make_overrides(cast))

    assert raised.value.field == field
    assert _counts() == before
    assert stored_files(media_root) == []


def test_the_size_limit_holds_even_when_the_upload_understates_its_size(
    cast: Cast, media_root: Path, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 64
    lying = _too_large()
    lying.size = 10

    with pytest.raises(DocumentError, match="larger than"):
        _register(cast.alice, files=[("en", lying)])
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize("who", ["carol", "nick", "anonymous"])
def test_only_editors_with_an_affiliation_may_register(who: str, cast: Cast) -> None:
    from django.contrib.auth.models import AnonymousUser

    actor = AnonymousUser() if who == "anonymous" else getattr(cast, who)
    with pytest.raises(AccessDenied):
        _register(actor)
    assert Document.objects.count() == 0


def test_a_failure_after_the_files_were_stored_leaves_neither_row_nor_file(
    cast: Cast, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def audit_trail_down(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(document_services, "record_change", audit_trail_down)
    before = _counts()

    with pytest.raises(RuntimeError):
        _register(cast.alice, files=[("en", text_file("a")), ("fr", text_file("b"))])

    assert _counts() == before
    assert stored_files(media_root) == []


def test_the_text_of_a_pdf_is_extracted_for_search(cast: Cast) -> None:
    pdf = SimpleUploadedFile("decision.pdf", minimal_pdf("Decision on the border workshop"),
                             content_type="application/octet-stream")
    document = _register(cast.alice, files=[("en", pdf)])

    assert document.files.get().content_type == "application/pdf"
    assert "border workshop" in document.text


def test_a_damaged_pdf_is_kept_but_adds_no_text(cast: Cast) -> None:
    broken = SimpleUploadedFile("broken.pdf", b"%PDF-1.4\nthis is not a PDF at all")
    document = _register(cast.alice, files=[("en", broken)])

    assert document.files.get().content_type == "application/pdf"
    assert document.text == ""


def test_text_that_is_not_utf8_is_kept_but_adds_no_text(cast: Cast) -> None:
    body = "Stellungnahme zur Lage in Österreich".encode("latin-1")
    latin1 = SimpleUploadedFile("note.txt", body, content_type="text/plain")
    document = _register(cast.alice, files=[("en", latin1)])

    assert document.files.get().content_type == "text/plain"
    assert document.text == ""


def test_other_files_are_stored_as_they_are(cast: Cast) -> None:
    body = b"PK\x03\x04 not really a word document"
    document = _register(cast.alice, files=[("en", SimpleUploadedFile(
        "statement.docx", body, content_type="application/x-something"))])

    stored = document.files.get()
    assert stored.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert stored.file.read() == body
    assert document.text == ""


def test_a_name_ending_in_pdf_does_not_make_a_pdf(cast: Cast) -> None:
    fake = SimpleUploadedFile("fake.pdf", b"MZ\x90\x00", content_type="application/pdf")
    document = _register(cast.alice, files=[("en", fake)])
    assert document.files.get().content_type == "application/octet-stream"


def test_the_owner_adds_a_language_version(cast: Cast) -> None:
    document = _register(cast.alice)
    body = "Делегация приветствует прекращение огня.".encode()

    added = add_language_version(cast.alice, document, "ru", SimpleUploadedFile("ru.txt", body))

    assert added.sha256 == hashlib.sha256(body).hexdigest()
    document.refresh_from_db()
    assert document.languages == ["en", "ru"]
    assert "прекращение огня" in document.text and "welcomes the ceasefire" in document.text
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.before is not None and entry.after is not None
    assert len(entry.before["files"]) == 1 and len(entry.after["files"]) == 2


def test_a_language_that_has_a_version_is_refused(cast: Cast, media_root: Path) -> None:
    document = _register(cast.alice)
    files_before = stored_files(media_root)

    with pytest.raises(DocumentError) as raised:
        add_language_version(cast.alice, document, "en", text_file("again"))

    assert raised.value.field == "language"
    assert document.files.count() == 1
    assert stored_files(media_root) == files_before


def test_only_editors_of_the_owner_add_language_versions(cast: Cast, library: Library) -> None:
    for actor, document in [(cast.bob, library.restricted), (cast.carol, library.shared),
                            (cast.bob, library.confidential)]:
        with pytest.raises(AccessDenied):
            add_language_version(actor, document, "fr", text_file("version française"))
    assert not DocumentFile.objects.filter(language="fr").exists()


def test_the_owner_updates_metadata_and_the_change_is_audited(cast: Cast) -> None:
    document = _register(cast.alice)

    updated = update_document(cast.alice, document, title="A corrected title",
                              date=datetime.date(2026, 2, 4))

    assert (updated.title, updated.date) == ("A corrected title", datetime.date(2026, 2, 4))
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.actor == cast.alice
    changes = {field: (before, after) for field, before, after in entry.changed_fields()}
    assert changes == {
        "title": ("Statement on the situation in the region", "A corrected title"),
        "date": ("2026-02-03", "2026-02-04"),
    }


def test_an_update_that_changes_nothing_records_nothing(cast: Cast) -> None:
    document = _register(cast.alice)
    audit_before = AuditEntry.objects.count()

    update_document(cast.alice, document, title=document.title)

    assert AuditEntry.objects.count() == audit_before


def test_a_document_that_stops_being_confidential_is_shared_with_no_one(cast: Cast) -> None:
    document = _register(cast.alice, classification=Classification.CONFIDENTIAL,
                         shared_with=[cast.cpc, cast.finland])

    updated = update_document(cast.alice, document, classification=Classification.RESTRICTED)

    assert updated.classification == "restricted"
    assert list(updated.shared_with.all()) == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "title"),
    ({"symbol": "nonsense"}, "symbol"),
    ({"symbol": "PC.DEL/11/26"}, "symbol"),
    ({"classification": "top secret"}, "classification"),
    ({"owner_affiliation": None}, "owner_affiliation"),
    ({"text": "replaced"}, "text"),
])
def test_a_bad_update_is_refused_and_changes_nothing(
    changes: dict[str, Any], field: str, cast: Cast
) -> None:
    document = _register(cast.alice)
    _register(cast.alice, symbol="PC.DEL/11/26", files=[])
    before = _counts()

    with pytest.raises(DocumentError) as raised:
        update_document(cast.alice, document, **changes)

    assert raised.value.field == field
    assert _counts() == before
    document.refresh_from_db()
    assert (document.symbol, document.title) == (
        "PC.DEL/10/26", "Statement on the situation in the region")


def test_sharing_a_document_that_is_not_confidential_is_refused(cast: Cast) -> None:
    document = _register(cast.alice)
    with pytest.raises(DocumentError) as raised:
        update_document(cast.alice, document, shared_with=[cast.cpc])
    assert raised.value.field == "shared_with"


@pytest.mark.parametrize("who", ["bob", "carol", "dora"])
def test_only_editors_of_the_owner_update_a_document(who: str, cast: Cast, library: Library
                                                     ) -> None:
    with pytest.raises(AccessDenied):
        update_document(getattr(cast, who), library.public, title="Taken over")
    library.public.refresh_from_db()
    assert library.public.title == "Statement on the public ceasefire report"
