"""The access log's entries as links of a hash chain (`core.chain`): what an entry's digest
covers, computed the same way when an entry is appended, when the log is verified and when the
migration chained the entries written before the chain existed.

An entry's digest covers its sequence, action, time, user label and record type, and a payload
digest over the field names, the count, the channel and, for a retention cut, the last entry
removed. It does not cover the user's id: deleting a user sets it to null, and that must not
read as tampering (the label keeps who it was).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from hofburg.core.chain import ChainEntry, payload_digest


def entry_payload(row: Any) -> dict[str, Any]:
    cut = [row.cut_sequence, row.cut_digest] if row.cut_sequence is not None else None
    return {"fields": list(row.fields), "count": row.count, "channel": row.channel, "cut": cut}


def chain_entry(row: Any) -> ChainEntry:
    """The chain's view of an access-log row (an `AccessLog`, or its historical model in a
    migration), its stored digest beside it."""
    return ChainEntry(
        sequence=row.sequence,
        kind=row.action,
        payload_digest=payload_digest(entry_payload(row)),
        previous_digest=row.previous_digest,
        recorded_at=row.at.astimezone(UTC).isoformat(),
        author=row.user_label,
        reference=row.record_type,
        entry_digest=row.entry_digest,
    )
