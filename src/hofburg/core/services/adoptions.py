"""Adopted documents in the ledger: the entry vouches for the symbol and the SHA-256 of every
language version on file when the decision was adopted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hofburg.core.models import Document, DocumentFile, LedgerEntry, User
from hofburg.core.services import ledger

LEDGER_KIND_ADOPTED = "document.adopted"


def adoption_payload(symbol: str, files: Sequence[DocumentFile]) -> dict[str, Any]:
    """What an adoption entry vouches for; files in language order, as `Document.files`."""
    return {"symbol": symbol, "sha256": [f.sha256 for f in sorted(files, key=lambda f: f.language)]}


def record_adoption(actor: User, document: Document) -> LedgerEntry:
    """Append the adoption of `document`, with its language versions as they stand now."""
    return ledger.append_entry(LEDGER_KIND_ADOPTED,
                               adoption_payload(document.symbol, list(document.files.all())),
                               author=actor.username, reference=document.symbol)


def adopted_documents(entries: Sequence[LedgerEntry]) -> Mapping[int, ledger.VouchedRecord]:
    """Each entry's document as stored now, with the language versions uploaded by the time of
    the entry (a translation added after the adoption is not part of what was adopted)."""
    documents = {d.symbol: d for d in
                 Document.objects.filter(symbol__in={e.reference for e in entries})
                 .prefetch_related("files")}
    found: dict[int, ledger.VouchedRecord] = {}
    for entry in entries:
        document = documents.get(entry.reference)
        if document is None:
            continue
        files = [f for f in document.files.all() if f.uploaded_at <= entry.recorded_at]
        found[entry.sequence] = ledger.VouchedRecord(
            label=f"core.Document #{document.pk} ({document.symbol})",
            payload=adoption_payload(document.symbol, files))
    return found


def register() -> None:
    ledger.register_record_kind(LEDGER_KIND_ADOPTED, adopted_documents)
