"""Idempotent writes: a retry of the same request gets the stored record, nothing new.

The rule every desk follows (decision 0021): a write is recognised by its key, either a key the
client sends (the monitoring desk's `client_id`) or the record's own content (a request for a
visit is the same request when everything in it is the same). An identical retry is answered
with the record stored the first time, marked as a replay, and stores nothing; content that
differs under the same client key is a conflict naming the fields that differ. Concurrent
retries are settled by a unique constraint on the key: the loser reads the winner's record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from hofburg.core.chain import payload_digest

Record = TypeVar("Record")

_REPLAY = "_idempotent_replay"
_ABSENT = object()


def content_key(content: Mapping[str, Any]) -> str:
    """A record's content as a key: the SHA-256 of its canonical JSON (dates as ISO text)."""
    return payload_digest(content)


def differing_fields(stored: Mapping[str, Any], submitted: Mapping[str, Any]) -> list[str]:
    """The names whose values differ between two contents, sorted; [] when they are the same."""
    return sorted(name for name in stored.keys() | submitted.keys()
                  if stored.get(name, _ABSENT) != submitted.get(name, _ABSENT))


def as_replay(record: Record) -> Record:
    """Mark `record` as the answer to a retry: it was stored before, by the first request."""
    setattr(record, _REPLAY, True)
    return record


def is_replay(record: object) -> bool:
    """True when a service answered with a record stored by an earlier identical request."""
    return bool(getattr(record, _REPLAY, False))
