"""The access log: every read of protected fields and every export, counted, never copied.

The log is a hash chain (`core.chain`, the ledger's arithmetic; `cases.logchain` says what an
entry's digest covers). Writers are serialised so the chain never forks: a PostgreSQL
transaction-level advisory lock around reading the head and appending (SQLite's transactions
take the write lock when they begin, `transaction_mode` IMMEDIATE), with the unique sequence
number as the guarantee beneath it; a writer that still loses the race retries, as the
ledger's do.

A retention cut (`prune_access_log`) first appends a `prune` entry recording the last entry it
removes, then removes the entries before it: what is left is verified from that entry's
sequence and digest, and the `prune` entry itself is covered by the chain (decision 0056).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hofburg.cases.logchain import chain_entry
from hofburg.cases.models import AccessLog
from hofburg.core.access import AnyUser
from hofburg.core.chain import GENESIS_DIGEST, ChainEntry, ChainProblem, verify_chain
from hofburg.core.models import User

_APPEND_ATTEMPTS = 5
# The advisory lock of the access log's chain on PostgreSQL (any 64-bit number of its own).
_CHAIN_LOCK = 0x4361_7365_734C_6F67  # "CasesLog"
PRUNED_RECORD_TYPE = "access_log"


def log_access(user: AnyUser | None, action: str, record_type: str, fields: Iterable[str],
               count: int, channel: str) -> AccessLog | None:
    """One entry for a read or an export of `count` records; nothing when `count` is 0 for a
    read (an empty page read nothing). Exports are logged even when empty."""
    fields = sorted(set(fields))
    if action == AccessLog.Action.READ and (count == 0 or not fields):
        return None
    actor = user if isinstance(user, User) else None
    return _append(user=actor, user_label=actor.username if actor else "anonymous",
                   action=action, record_type=record_type, fields=fields, count=count,
                   channel=channel)


def _lock_chain() -> None:
    """Hold the chain until the end of the transaction (PostgreSQL; see the module's doc)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def _append_locked(**values: Any) -> AccessLog:
    """Append after the head, inside a transaction that holds the chain."""
    last = AccessLog.objects.order_by("-sequence").only("sequence", "entry_digest").first()
    entry = AccessLog(
        sequence=(last.sequence + 1) if last else 1,
        previous_digest=last.entry_digest if last else GENESIS_DIGEST,
        # To the microsecond in UTC, so the digest is reproducible on either database.
        at=timezone.now().astimezone(UTC), **values)
    entry.entry_digest = chain_entry(entry).computed_digest()
    entry.save(force_insert=True)
    return entry


def _append(**values: Any) -> AccessLog:
    for _attempt in range(_APPEND_ATTEMPTS):
        try:
            with transaction.atomic():
                _lock_chain()
                return _append_locked(**values)
        except IntegrityError:
            continue
    raise RuntimeError("Could not append to the access log: too many concurrent writers.")


@dataclass(frozen=True)
class Cut:
    """What a retention cut did: how many entries it removed, through which sequence number,
    and the `prune` entry that records it (None when there was nothing to remove)."""

    removed: int
    through: int
    entry: AccessLog | None


def prune_access_log(older_than: datetime, operator: str = "retention policy") -> Cut:
    """Remove the entries recorded before `older_than`, keeping what is left verifiable.

    The cut is a prefix of the chain: it stops before the first entry recorded at or after
    `older_than`, so no newer entry is removed even if a clock went back. Nothing is removed
    (and nothing appended) when no entry is that old.
    """
    with transaction.atomic():
        _lock_chain()
        head = AccessLog.objects.order_by("-sequence").only("sequence").first()
        if head is None:
            return Cut(0, 0, None)
        first_kept = AccessLog.objects.filter(at__gte=older_than).order_by(
            "sequence").values_list("sequence", flat=True).first()
        through = head.sequence if first_kept is None else first_kept - 1
        last_removed = AccessLog.objects.filter(sequence=through).only(
            "sequence", "entry_digest").first()
        if last_removed is None:  # nothing older than the period is left
            return Cut(0, 0, None)
        removable = AccessLog.objects.filter(sequence__lte=through)
        count = removable.count()
        entry = _append_locked(user=None, user_label=operator, action=AccessLog.Action.PRUNE,
                               record_type=PRUNED_RECORD_TYPE, fields=[], count=count,
                               channel="cli", cut_sequence=through,
                               cut_digest=last_removed.entry_digest)
        removable.delete()
    return Cut(count, through, entry)


def _chain() -> Iterator[ChainEntry]:
    for row in AccessLog.objects.order_by("sequence").iterator(chunk_size=2000):
        yield chain_entry(row)


def verify_access_log(expected_head: str | None = None) -> list[ChainProblem]:
    """Every break in the access log's chain, in order; empty when it is intact.

    The chain is verified from the last retention cut recorded in it (the genesis when there
    was none): removing the `prune` entry, or entries after its cut, is a break.
    """
    cut = AccessLog.objects.filter(action=AccessLog.Action.PRUNE).order_by("-sequence").first()
    after = (0, GENESIS_DIGEST)
    if cut is not None and cut.cut_sequence is not None:
        after = (cut.cut_sequence, cut.cut_digest)
    return verify_chain(_chain(), expected_head=expected_head, after=after)


def access_log_head() -> tuple[int, str]:
    """The sequence number and digest of the newest entry, to keep and check against later."""
    last = AccessLog.objects.order_by("-sequence").only("sequence", "entry_digest").first()
    return (last.sequence, last.entry_digest) if last else (0, GENESIS_DIGEST)


def access_log_span() -> tuple[int, int]:
    """How many entries the log holds, and the sequence of the oldest (0 when empty)."""
    oldest = AccessLog.objects.order_by("sequence").values_list("sequence", flat=True).first()
    return AccessLog.objects.count(), oldest or 0
