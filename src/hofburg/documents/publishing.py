"""Texts other desks publish in the library (`core.library.publish`): an adopted decision, say.

Each text becomes a `Document` owned by the affiliation the publishing desk names, with its
distribution and sharing, and a UTF-8 text file per language, stored as an upload would be
(`services._store`), so the library shows, searches and serves it like any other document.
Publishing is idempotent on (owner, symbol): a document the owner already has under that
symbol is left as it is. A real text is also appended to the ledger as an adopted document
(`services.record_adoption`); exercise texts are not, so that an exercise number never stands
on the ledger beside the real document of the same symbol.

Registered from `DocumentsConfig.ready()`; runs inside the publishing desk's transaction.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify

from hofburg.core.library import PublishedText, register_publisher
from hofburg.core.models import User
from hofburg.core.services.audit import record_change
from hofburg.documents import services
from hofburg.documents.models import Document

EXERCISE_MARK = "EXERCISE"


def publish_text(text: PublishedText) -> None:
    """Store `text` as a document with one text file per language (idempotent)."""
    if Document.objects.filter(owner_affiliation_id=text.owner_affiliation_id,
                               symbol=text.symbol).exists():
        return
    files = [(language, _text_file(text, language, body))
             for language, body in sorted(text.texts.items())]
    uploads = services._read_uploads(files, existing_languages=())
    stored: list[str] = []
    try:
        with transaction.atomic():
            document = Document.objects.create(
                symbol=text.symbol,
                title=text.title,
                date=text.date,
                originator=text.originator,
                original_language=text.original_language,
                classification=text.classification,
                owner_affiliation_id=text.owner_affiliation_id,
                is_exercise=text.is_exercise,
                text=services._join_text("", *(u.text for u in uploads)),
            )
            document.shared_with.set(text.shared_with_ids)
            for upload in uploads:
                services._store(document, upload, stored)
            record_change(text.user, "create", document, None,
                          services.document_snapshot(document))
            if not text.is_exercise and isinstance(text.user, User):
                services.record_adoption(text.user, document)
    except BaseException:
        services._discard(stored)
        raise


def _text_file(text: PublishedText, language: str, body: str) -> SimpleUploadedFile:
    heading = f"{EXERCISE_MARK}\n\n" if text.is_exercise else ""
    content = f"{heading}{text.symbol}\n\n{text.title}\n\n{body}\n"
    name = f"{slugify(text.symbol.replace('/', '-').replace('.', '-'))}-{language}.txt"
    return SimpleUploadedFile(name, content.encode(), content_type="text/plain")


def register() -> None:
    register_publisher(publish_text)
