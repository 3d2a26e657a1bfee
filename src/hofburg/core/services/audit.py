"""Recording the audit trail. Called by every service that changes a domain record."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core import serializers
from django.db.models import Model

from hofburg.core.logging import current_request_id
from hofburg.core.models import AuditEntry, User


def snapshot(instance: Model) -> dict[str, Any]:
    """The record's stored fields (many-to-many included) as JSON-ready data."""
    data = json.loads(serializers.serialize("json", [instance]))[0]["fields"]
    return dict(data)


_ACTION_LENGTH = AuditEntry._meta.get_field("action").max_length or 8


def record_change(
    actor: User | AnonymousUser | None,
    action: str,
    instance: Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Append one audit entry. Must run inside the service's transaction.

    `action` is a short verb ("create", "update", "verify", "issue" ...) that fits the column
    on every database: SQLite would store a longer one that PostgreSQL refuses."""
    if not 0 < len(action) <= _ACTION_LENGTH:
        raise ValueError(f"audit action {action!r}: 1 to {_ACTION_LENGTH} characters")
    user = actor if isinstance(actor, User) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=user.username if user else "system",
        action=action,
        model_label=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        request_id=current_request_id(),
        before=before,
        after=after,
    )
