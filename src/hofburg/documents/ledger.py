"""The records this desk's ledger entries vouch for, rebuilt for `hofburg ledger verify`: an
adopted document's symbol and the SHA-256 of every language version on file when the decision
was adopted (the entries are written by `services.record_adoption`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hofburg.core.models import LedgerEntry
from hofburg.core.services import ledger
from hofburg.documents.models import Document
from hofburg.documents.services import LEDGER_KIND_ADOPTED, adoption_payload


def adopted_documents(entries: Sequence[LedgerEntry]) -> Mapping[int, ledger.VouchedRecord]:
    """Each entry's document as stored now, with the language versions uploaded by the time of
    the entry (a translation added after the adoption is not part of what was adopted)."""
    # An exercise document may carry a real decision's symbol (the exercise series are numbered
    # apart): the real one, read last, is the one a real entry vouches for.
    documents = {d.symbol: d for d in
                 Document.objects.filter(symbol__in={e.reference for e in entries})
                 .order_by("-is_exercise", "pk").prefetch_related("files")}
    found: dict[int, ledger.VouchedRecord] = {}
    for entry in entries:
        document = documents.get(entry.reference)
        if document is None:
            continue
        files = [f for f in document.files.all() if f.uploaded_at <= entry.recorded_at]
        found[entry.sequence] = ledger.VouchedRecord(
            label=f"{Document._meta.label} #{document.pk} ({document.symbol})",
            payload=adoption_payload(document.symbol, files))
    return found


def register() -> None:
    ledger.register_record_kind(LEDGER_KIND_ADOPTED, adopted_documents)
