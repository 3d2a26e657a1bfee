"""The document library's write path: registering documents, their language versions, changes.

Each function checks permission through `core.access`, validates all its input before it
writes anything, owns its transaction and records the change in the audit trail. Bad input
raises `DocumentError` naming the field; a failure at any point leaves no row and no stored
file behind.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import mimetypes
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, NotRequired, TypedDict, Unpack

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pypdf import PdfReader

from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Invalid
from hofburg.core.models import Affiliation, Classification, LedgerEntry, User
from hofburg.core.services import ledger
from hofburg.core.services.audit import record_change, snapshot
from hofburg.documents.engine.symbols import SymbolError, parse_symbol
from hofburg.documents.models import Document, DocumentFile

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = frozenset({
    "symbol", "title", "date", "originator", "original_language", "classification",
    "shared_with", "is_exercise",
})
_PDF_MAGIC = b"%PDF-"
_SAFE_EXTENSION = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
LEDGER_KIND_ADOPTED = "document.adopted"


class DocumentError(Invalid):
    """The input for a document is not acceptable; `field` names the part that is wrong."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


@dataclass(frozen=True)
class _Upload:
    """An upload that passed validation, with what was learnt reading it once."""

    language: str
    upload: UploadedFile
    filename: str
    size: int
    sha256: str
    content_type: str
    text: str


class DocumentMetadata(TypedDict):
    """A new document's metadata, as `register_document` takes it by keyword."""

    symbol: str
    title: str
    date: datetime.date
    originator: str
    original_language: str
    classification: str
    shared_with: NotRequired[Iterable[Affiliation]]
    is_exercise: NotRequired[bool]


def register_document(
    actor: AnyUser,
    *,
    files: Sequence[tuple[str, UploadedFile]] = (),
    **metadata: Unpack[DocumentMetadata],
) -> Document:
    """Register a document owned by the actor's affiliation, with any language versions given.

    The symbol is stored in its normalised form and must not be registered yet. `shared_with`
    is allowed only for confidential documents. Raises AccessDenied for users who may not
    register documents and DocumentError for bad input; in both cases nothing is stored.
    """
    if not access.can_register_documents(actor) or not isinstance(actor, User):
        raise AccessDenied(_("You may not register documents."))
    fields = _clean_metadata(actor, {"is_exercise": False, **metadata},
                             owner_id=actor.affiliation_id)
    fields.pop("shared_with", None)
    sharing = _clean_sharing(fields["classification"], metadata.get("shared_with", ()))
    uploads = _read_uploads(files, existing_languages=())

    stored: list[str] = []
    try:
        with transaction.atomic():
            document = Document.objects.create(
                owner_affiliation=actor.affiliation,
                text=_join_text("", *(u.text for u in uploads)),
                **fields,
            )
            document.shared_with.set(sharing)
            for upload in uploads:
                _store(document, upload, stored)
            record_change(actor, "create", document, None, document_snapshot(document))
    except IntegrityError as exc:
        _discard(stored)
        if Document.objects.filter(symbol=fields["symbol"],
                                   owner_affiliation_id=actor.affiliation_id).exists():
            raise DocumentError("symbol", _duplicate_symbol_message()) from exc
        raise
    except BaseException:
        _discard(stored)
        raise
    return document


def add_language_version(
    actor: AnyUser, document: Document, language: str, uploaded_file: UploadedFile
) -> DocumentFile:
    """Add the file of one more language version; a language that has a version already is refused.

    Its text is added to the document's search text. Raises AccessDenied for users who may not
    edit the document and DocumentError for bad input; in both cases nothing is stored.
    """
    if not access.can_edit(actor, document):
        raise AccessDenied(_("You may not change this document."))
    existing = set(document.files.values_list("language", flat=True))
    [upload] = _read_uploads([(language, uploaded_file)], existing_languages=existing)

    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            before = document_snapshot(locked)
            document_file = _store(locked, upload, stored)
            locked.text = _join_text(locked.text, upload.text)
            locked.save(update_fields=["text", "updated_at"])
            record_change(actor, "update", locked, before, document_snapshot(locked))
    except IntegrityError as exc:
        _discard(stored)
        raise DocumentError("language", _version_exists_message(language)) from exc
    except BaseException:
        _discard(stored)
        raise
    return document_file


def update_document(actor: AnyUser, document: Document, **changes: Any) -> Document:
    """Change a document's metadata (any of EDITABLE_FIELDS) and return the stored document.

    A document that stops being confidential is no longer shared with anyone. Raises
    AccessDenied for users who may not edit it and DocumentError for bad input or an unknown
    field; in both cases nothing is changed. A call that changes nothing records nothing.
    """
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise DocumentError(unknown[0], _("This field cannot be changed."))
    if not access.can_edit(actor, document) or not isinstance(actor, User):
        raise AccessDenied(_("You may not change this document."))
    cleaned = _clean_metadata(actor, changes, owner_id=document.owner_affiliation_id,
                              exclude_pk=document.pk)
    classification = cleaned.get("classification", document.classification)
    if "shared_with" in changes:
        sharing: list[Affiliation] | None = _clean_sharing(classification, changes["shared_with"])
    elif classification != Classification.CONFIDENTIAL:
        sharing = []
    else:
        sharing = None

    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            before = document_snapshot(locked)
            for name, value in cleaned.items():
                setattr(locked, name, value)
            locked.save()
            if sharing is not None:
                locked.shared_with.set(sharing)
            after = document_snapshot(locked)
            if after == before:
                # Nothing changed: undo the touched `updated_at` and keep the trail quiet.
                transaction.set_rollback(True)
            else:
                record_change(actor, "update", locked, before, after)
    except IntegrityError as exc:
        if "symbol" in cleaned and Document.objects.filter(
                symbol=cleaned["symbol"], owner_affiliation_id=document.owner_affiliation_id
        ).exclude(pk=document.pk).exists():
            raise DocumentError("symbol", _duplicate_symbol_message()) from exc
        raise
    locked.refresh_from_db()
    return locked


def resolve_affiliations(codes: Iterable[str]) -> list[Affiliation]:
    """The affiliations with these codes; an unknown code raises DocumentError on `shared_with`."""
    wanted = sorted({code.strip() for code in codes if code.strip()})
    found = {a.code: a for a in Affiliation.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise DocumentError(
            "shared_with", _("Unknown affiliation: %(codes)s.") % {"codes": ", ".join(missing)})
    return [found[code] for code in wanted]


def document_snapshot(document: Document) -> dict[str, Any]:
    """The audit view of a document: its metadata, sharing by code and its files, not its text."""
    data = snapshot(document)
    for noisy in ("text", "updated_at", "created_at"):
        data.pop(noisy, None)
    data["owner_affiliation"] = (
        document.owner_affiliation.code if document.owner_affiliation else None)
    data["shared_with"] = sorted(document.shared_with.values_list("code", flat=True))
    data["files"] = [
        f"{f.language}: {f.filename}, {f.size} bytes, SHA-256 {f.sha256}"
        for f in document.files.order_by("language")
    ]
    return data


def adoption_payload(symbol: str, files: Sequence[DocumentFile]) -> dict[str, Any]:
    """What an adoption entry in the ledger vouches for: the symbol and the SHA-256 of every
    language version, in language order (as `Document.files`)."""
    return {"symbol": symbol, "sha256": [f.sha256 for f in sorted(files, key=lambda f: f.language)]}


def record_adoption(actor: User, document: Document) -> LedgerEntry:
    """Append the adoption of `document` to the ledger, with its language versions as they
    stand now (`hofburg ledger verify` rebuilds the payload through `documents.ledger`)."""
    return ledger.append_entry(LEDGER_KIND_ADOPTED,
                               adoption_payload(document.symbol, list(document.files.all())),
                               author=actor.username, reference=document.symbol)


# Validation: each helper returns the clean value or raises DocumentError for its field.


def _clean_metadata(actor: User, values: Mapping[str, Any], *, owner_id: int | None,
                    exclude_pk: int | None = None) -> dict[str, Any]:
    """The clean value of each metadata field in `values`, checked in this order; sharing is
    left to `_clean_sharing`, which needs the classification."""
    title_length = Document._meta.get_field("title").max_length
    originator_length = Document._meta.get_field("originator").max_length
    cleaners: dict[str, Callable[[Any], Any]] = {
        "symbol": lambda v: _clean_symbol(v, owner_id=owner_id, exclude_pk=exclude_pk),
        "title": lambda v: _clean_text("title", v, title_length),
        "date": _clean_date,
        "originator": lambda v: _clean_text("originator", v, originator_length),
        "original_language": lambda v: _clean_language("original_language", v),
        "classification": lambda v: _clean_classification(actor, v),
        "is_exercise": bool,
    }
    return {name: clean(values[name]) for name, clean in cleaners.items() if name in values}


def _clean_symbol(text: object, *, owner_id: int | None, exclude_pk: int | None = None) -> str:
    """The normalised symbol, not yet registered by `owner_id`'s affiliation.

    Only the owner's own documents are compared: every one of them is visible to its
    editors, so the answer never tells whether another affiliation's hidden document has
    this symbol (decision 0020).
    """
    if not isinstance(text, str):
        raise DocumentError("symbol", _("Enter a document symbol."))
    try:
        symbol = str(parse_symbol(text))
    except SymbolError:
        raise DocumentError("symbol", _(
            "%(text)s is not an OSCE document symbol (expected e.g. PC.DEL/123/26 or PC.DEC/1234)."
        ) % {"text": repr(text.strip()[:80])}) from None
    taken = Document.objects.filter(symbol=symbol, owner_affiliation_id=owner_id)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DocumentError("symbol", _duplicate_symbol_message())
    return symbol


def _duplicate_symbol_message() -> str:
    return _("A document with this symbol is already registered.")


def _version_exists_message(language: str) -> str:
    return _("The document already has a version in this language (%(language)s).") % {
        "language": language}


def _clean_text(field: str, value: object, max_length: int | None) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise DocumentError(field, _("This field must not be empty."))
    if max_length is not None and len(text) > max_length:
        raise DocumentError(field, _("At most %(count)d characters.") % {"count": max_length})
    return text


def _clean_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise DocumentError("date", _("Enter the document's date."))
    if value > timezone.localdate():
        raise DocumentError("date", _("The date must not be in the future."))
    return value


def _clean_language(field: str, code: object) -> str:
    if code not in settings.OFFICIAL_LANGUAGE_CODES:
        raise DocumentError(field, _("Choose one of the official languages: %(codes)s.") % {
            "codes": ", ".join(settings.OFFICIAL_LANGUAGE_CODES)})
    return str(code)


def _clean_classification(actor: AnyUser, value: object) -> str:
    if value not in Classification.values:
        raise DocumentError("classification", _("Choose one of: %(levels)s.") % {
            "levels": ", ".join(Classification.values)})
    if value not in access.allowed_classifications(actor):
        raise DocumentError("classification", _("You may not give a document this distribution."))
    return str(value)


def _clean_sharing(classification: str, shared_with: Iterable[Affiliation]) -> list[Affiliation]:
    affiliations = list(shared_with)
    if any(not isinstance(a, Affiliation) or a.pk is None for a in affiliations):
        raise DocumentError("shared_with", _("Share only with registered affiliations."))
    if affiliations and classification != Classification.CONFIDENTIAL:
        raise DocumentError(
            "shared_with", _("Only confidential documents are shared with named affiliations."))
    return affiliations


def _read_uploads(
    files: Sequence[tuple[str, UploadedFile]], *, existing_languages: Iterable[str]
) -> list[_Upload]:
    """Validate and read every upload once (size, SHA-256, type, text) before anything is stored."""
    seen = set(existing_languages)
    uploads = []
    for language, uploaded_file in files:
        _clean_language("language", language)
        if language in seen:
            raise DocumentError("language", _version_exists_message(language))
        seen.add(language)
        uploads.append(_read_upload(language, uploaded_file))
    return uploads


def _read_upload(language: str, uploaded_file: UploadedFile) -> _Upload:
    limit = settings.DOCUMENT_MAX_BYTES
    too_large = DocumentError("file", _("The file is larger than %(limit)s.") % {
        "limit": filesizeformat(limit)})
    if uploaded_file is None or not hasattr(uploaded_file, "chunks"):
        raise DocumentError("file", _("Choose a file to upload."))
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise too_large
    digest = hashlib.sha256()
    size = 0
    head = b""
    # The declared size is the client's word: count while streaming, and stop at the limit.
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > limit:
            raise too_large
        if len(head) < len(_PDF_MAGIC):
            head += chunk[: len(_PDF_MAGIC)]
        digest.update(chunk)
    if size == 0:
        raise DocumentError("file", _("The file is empty."))
    filename = PurePath((uploaded_file.name or "document").replace("\\", "/")).name[:255]
    content_type = _content_type(head, filename, uploaded_file.content_type or "")
    return _Upload(
        language=language,
        upload=uploaded_file,
        filename=filename or "document",
        size=size,
        sha256=digest.hexdigest(),
        content_type=content_type,
        text=_extract_text(uploaded_file, content_type),
    )


def _content_type(head: bytes, filename: str, declared: str) -> str:
    """PDF by its signature, plain text as declared; anything else as its name suggests."""
    if head.startswith(_PDF_MAGIC):
        return "application/pdf"
    guessed = mimetypes.guess_type(filename)[0]
    if declared.split(";")[0].strip().lower() == "text/plain" or guessed == "text/plain":
        return "text/plain"
    if guessed is None or guessed == "application/pdf":
        # A name ending in .pdf without the PDF signature is not a PDF.
        return "application/octet-stream"
    return guessed


def _extract_text(uploaded_file: UploadedFile, content_type: str) -> str:
    """Searchable text of UTF-8 plain text and of PDF; empty for anything else or on failure."""
    if content_type == "text/plain":
        try:
            text = b"".join(uploaded_file.chunks()).decode("utf-8-sig")
        except UnicodeDecodeError:
            return ""
    elif content_type == "application/pdf":
        try:
            uploaded_file.seek(0)
            reader = PdfReader(uploaded_file)
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        # pypdf raises a variety of errors on damaged files; the file is kept, only unsearchable.
        except Exception:
            logger.warning("Could not extract text from %s", uploaded_file.name, exc_info=True)
            return ""
    else:
        return ""
    # PostgreSQL text cannot hold NUL characters.
    return text.replace("\x00", "").strip()


def _join_text(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _store(document: Document, upload: _Upload, stored: list[str]) -> DocumentFile:
    """Save the file and its row; the stored name goes into `stored` at once, for clean-up."""
    suffix = PurePath(upload.filename).suffix
    extension = suffix.lower() if _SAFE_EXTENSION.match(suffix) else ""
    name = f"{slugify(document.symbol)}-{upload.language}-{uuid.uuid4().hex[:12]}{extension}"
    document_file = DocumentFile(
        document=document,
        language=upload.language,
        filename=upload.filename,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
    )
    target = document_file.file.field.generate_filename(document_file, name)
    upload.upload.seek(0)
    try:
        stored_name = document_file.file.storage.save(target, upload.upload)
    except BaseException:
        # A partly written file keeps the name asked for; the random part makes it ours alone.
        stored.append(target)
        raise
    stored.append(stored_name)
    document_file.file.name = stored_name
    document_file.save()
    return document_file


def _discard(names: list[str]) -> None:
    """Remove files stored by a write that failed."""
    storage = DocumentFile._meta.get_field("file").storage
    for name in names:
        try:
            if storage.exists(name):
                storage.delete(name)
        except OSError:
            logger.warning("Could not remove %s after a failed write", name, exc_info=True)
