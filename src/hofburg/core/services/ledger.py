"""Appending to and verifying the hash-chained ledger."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hofburg.core.chain import (
    GENESIS_DIGEST,
    ChainEntry,
    ChainProblem,
    payload_digest,
    verify_chain,
)
from hofburg.core.models import LedgerEntry

_APPEND_ATTEMPTS = 5


def _as_chain_entry(entry: LedgerEntry) -> ChainEntry:
    return ChainEntry(
        sequence=entry.sequence,
        kind=entry.kind,
        payload_digest=entry.payload_digest,
        previous_digest=entry.previous_digest,
        recorded_at=entry.recorded_at.astimezone(UTC).isoformat(),
        author=entry.author,
        reference=entry.reference,
        entry_digest=entry.entry_digest,
    )


def append_entry(
    kind: str, payload: Mapping[str, Any] | bytes, author: str, reference: str = ""
) -> LedgerEntry:
    """Append a formal communication to the ledger and return the new entry.

    Concurrent appends race for the next sequence number; the loser retries on the unique
    constraint, so the chain never forks.
    """
    if not kind or not author:
        raise ValueError("A ledger entry needs a kind and an author.")
    digest = payload_digest(payload)
    for _attempt in range(_APPEND_ATTEMPTS):
        try:
            with transaction.atomic():
                last = LedgerEntry.objects.order_by("-sequence").first()
                # Stored to the microsecond in UTC, so the digest is reproducible on any database.
                now = timezone.now().astimezone(UTC)
                chain_entry = ChainEntry(
                    sequence=(last.sequence + 1) if last else 1,
                    kind=kind,
                    payload_digest=digest,
                    previous_digest=last.entry_digest if last else GENESIS_DIGEST,
                    recorded_at=now.isoformat(),
                    author=author,
                    reference=reference,
                )
                return LedgerEntry.objects.create(
                    sequence=chain_entry.sequence,
                    kind=kind,
                    payload_digest=digest,
                    previous_digest=chain_entry.previous_digest,
                    recorded_at=now,
                    author=author,
                    reference=reference,
                    entry_digest=chain_entry.computed_digest(),
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not append to the ledger: too many concurrent writers.")


def iter_chain() -> Iterator[ChainEntry]:
    for entry in LedgerEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        yield _as_chain_entry(entry)


def verify_ledger(expected_head: str | None = None) -> list[ChainProblem]:
    return verify_chain(iter_chain(), expected_head=expected_head)


def ledger_head() -> tuple[int, str]:
    last = LedgerEntry.objects.order_by("-sequence").first()
    return (last.sequence, last.entry_digest) if last else (0, GENESIS_DIGEST)
