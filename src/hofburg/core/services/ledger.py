"""Appending to and verifying the hash-chained ledger.

Each entry vouches for a record (a Vienna Document notification, an adopted document): its
payload digest is the digest of the record's canonical payload when it was appended. The chain
alone proves the entries were not changed; the records are proved by rebuilding each payload
from the record as it stands now. Core knows no desk, so a desk registers, per entry kind, the
function that rebuilds its records' payloads (`register_record_kind`, from its AppConfig.ready).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from itertools import groupby
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hofburg.core.chain import (
    GENESIS_DIGEST,
    ChainEntry,
    ChainProblem,
    payload_digest,
    payload_problem,
    verify_chain,
)
from hofburg.core.models import LedgerEntry

_APPEND_ATTEMPTS = 5
_VERIFY_CHUNK = 2000


@dataclass(frozen=True)
class VouchedRecord:
    """The record an entry vouches for, as stored now: a label naming it for people (model, id
    and symbol or reference) and its canonical payload, rebuilt as `append_entry` was given it."""

    label: str
    payload: Mapping[str, Any] | bytes


# Given entries of one kind, the records they vouch for, by entry sequence number. An entry
# left out is an entry whose record no longer exists.
RecordRebuilder = Callable[[Sequence[LedgerEntry]], Mapping[int, VouchedRecord]]

_rebuilders: dict[str, RecordRebuilder] = {}


def register_record_kind(kind: str, rebuild: RecordRebuilder) -> None:
    """Let a desk vouch for the records behind entries of `kind` (replaces an earlier one)."""
    _rebuilders[kind] = rebuild


def registered_record_kinds() -> list[str]:
    return sorted(_rebuilders)


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


def verify_payloads() -> list[ChainProblem]:
    """Every entry whose record no longer gives its payload digest, in sequence order.

    Each entry's payload is rebuilt from its record as stored now; a record that was changed
    (bypassing the services, say) or deleted is named beside its entry. An entry of a kind no
    desk registered cannot be checked, and says so: an unchecked entry is not an intact one.
    """
    problems: list[ChainProblem] = []
    entries = LedgerEntry.objects.order_by("sequence")
    last = 0
    while chunk := list(entries.filter(sequence__gt=last)[:_VERIFY_CHUNK]):
        last = chunk[-1].sequence
        for kind, group in groupby(sorted(chunk, key=lambda e: (e.kind, e.sequence)),
                                   key=lambda e: e.kind):
            of_kind = list(group)
            rebuild = _rebuilders.get(kind)
            if rebuild is None:
                problems.extend(
                    ChainProblem(e.sequence, f"{_as_chain_entry(e).describe()}: no desk "
                                             f"vouches for records of kind {kind!r}, so its "
                                             "payload cannot be checked")
                    for e in of_kind)
                continue
            records = rebuild(of_kind)
            for entry in of_kind:
                record = records.get(entry.sequence)
                problem = payload_problem(
                    _as_chain_entry(entry), record.label if record else None,
                    payload_digest(record.payload) if record else None)
                if problem is not None:
                    problems.append(problem)
    return sorted(problems, key=lambda p: p.sequence)


def verify_ledger(expected_head: str | None = None) -> list[ChainProblem]:
    """Every break in the chain and every record that no longer matches its entry, in order."""
    problems = verify_chain(iter_chain(), expected_head=expected_head) + verify_payloads()
    return sorted(problems, key=lambda p: p.sequence)


def ledger_head() -> tuple[int, str]:
    last = LedgerEntry.objects.order_by("-sequence").first()
    return (last.sequence, last.entry_digest) if last else (0, GENESIS_DIGEST)
