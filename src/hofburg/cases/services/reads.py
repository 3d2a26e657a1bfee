"""The access log: every read of protected fields and every export, counted, never copied."""

from __future__ import annotations

from collections.abc import Iterable

from hofburg.cases.models import AccessLog
from hofburg.core.access import AnyUser
from hofburg.core.models import User


def log_access(user: AnyUser | None, action: str, record_type: str, fields: Iterable[str],
               count: int, channel: str) -> AccessLog | None:
    """One entry for a read or an export of `count` records; nothing when `count` is 0 for a
    read (an empty page read nothing). Exports are logged even when empty."""
    fields = sorted(set(fields))
    if action == AccessLog.Action.READ and (count == 0 or not fields):
        return None
    actor = user if isinstance(user, User) else None
    return AccessLog.objects.create(
        user=actor, user_label=actor.username if actor else "anonymous", action=action,
        record_type=record_type, fields=fields, count=count, channel=channel)
