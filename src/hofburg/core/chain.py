"""Hash-chain arithmetic for the ledger: pure functions, no Django.

An entry's digest is the SHA-256 of its canonical fields, including the previous entry's
digest, so changing any stored field of any entry, removing an entry or reordering entries is
detected by `verify_chain`. Removing entries from the tail is detected only against a head
digest kept elsewhere (`expected_head`), which is why `hofburg ledger head` exists. A chain whose
oldest entries were removed on purpose (a retention policy) is verified from the last removed
entry's sequence and digest (`after`), which the chain itself must record.

The chain vouches for the entries; `payload_problem` vouches for the records behind them, by
comparing an entry's payload digest with the digest of the payload rebuilt from its record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_DIGEST = "0" * 64


def payload_digest(payload: Mapping[str, Any] | bytes) -> str:
    """SHA-256 of the payload: raw bytes as given, a mapping as canonical JSON."""
    if isinstance(payload, bytes):
        return hashlib.sha256(payload).hexdigest()
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    sequence: int
    kind: str
    payload_digest: str
    previous_digest: str
    recorded_at: str  # ISO 8601 in UTC
    author: str
    reference: str
    entry_digest: str = ""

    def computed_digest(self) -> str:
        fields = [
            str(self.sequence),
            self.kind,
            self.payload_digest,
            self.previous_digest,
            self.recorded_at,
            self.author,
            self.reference,
        ]
        return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()

    def describe(self) -> str:
        """The entry for people: its digest's first characters, its kind and reference."""
        return f"(digest {self.entry_digest[:12]}, {self.kind} {self.reference or '-'})"


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str

    def __str__(self) -> str:
        return f"entry #{self.sequence}: {self.problem}"


def payload_problem(
    entry: ChainEntry, record: str | None, rebuilt_digest: str | None
) -> ChainProblem | None:
    """The problem with `entry` given the record it vouches for, or None when they match.

    `record` names the record as stored now (None: it no longer exists) and `rebuilt_digest`
    is the `payload_digest` of the payload rebuilt from it.
    """
    if record is None:
        return ChainProblem(
            entry.sequence, f"{entry.describe()}: the record it vouches for no longer exists"
        )
    if rebuilt_digest != entry.payload_digest:
        return ChainProblem(
            entry.sequence,
            f"{entry.describe()}: {record} no longer matches the payload digest: "
            "the record was altered",
        )
    return None


def verify_chain(
    entries: Iterable[ChainEntry], expected_head: str | None = None, *,
    after: tuple[int, str] = (0, GENESIS_DIGEST),
) -> list[ChainProblem]:
    """Every break in the chain, in order; an empty list means the chain is intact.

    `after` is the (sequence, digest) the first entry follows: the genesis for a whole chain,
    the last removed entry for a chain cut by a retention policy.
    """
    problems: list[ChainProblem] = []
    last_sequence, previous = after
    expected_sequence = last_sequence + 1
    for entry in entries:
        if entry.sequence != expected_sequence:
            problems.append(
                ChainProblem(
                    entry.sequence,
                    f"sequence jumps from {expected_sequence - 1} to {entry.sequence}: "
                    "entries were deleted",
                )
            )
        if entry.previous_digest != previous:
            problems.append(
                ChainProblem(entry.sequence, "previous digest does not match the entry before it")
            )
        if entry.computed_digest() != entry.entry_digest:
            problems.append(
                ChainProblem(
                    entry.sequence,
                    "entry digest does not match its contents: the entry was altered",
                )
            )
        previous = entry.entry_digest
        expected_sequence = entry.sequence + 1
        last_sequence = entry.sequence
    if expected_head is not None and previous != expected_head:
        problems.append(
            ChainProblem(
                last_sequence,
                "the last entry is not the expected head: entries were removed or added",
            )
        )
    return problems
