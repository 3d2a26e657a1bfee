"""Need-to-know grants the same way for a person and an HCNM situation (decision 0064): a
revocation's steps and the history of who had access. Giving a grant stays with each record's
service (`persons.grant_access`, `situations.grant_situation`): who may receive one differs."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from hofburg.cases import permissions
from hofburg.cases.models import AccessLog, Person, RevokedAccess, Situation
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Invalid
from hofburg.core.models import User
from hofburg.core.services.audit import record_change

MAX_REASON = 2000  # characters of a revocation's reason


def revocation_reason(reason: str) -> str:
    """Every revocation states why, in 1 to `MAX_REASON` characters."""
    text = (reason or "").strip()
    if not text or len(text) > MAX_REASON:
        raise Invalid(f"every revocation states its reason, 1 to {MAX_REASON} characters",
                      field="reason")
    if "\x00" in text:
        raise Invalid("holds a NUL character", field="reason")
    return text


def withdraw_grant(actor: AnyUser, record: Person | Situation, user: User, reason: str, *,
                   channel: str) -> RevokedAccess:
    """Withdraw `user`'s need-to-know for `record`. Those who may give its grants revoke them,
    never their own (another holder does: a record always keeps one). The reason is checked,
    the live grant locked and moved into the history with who revoked it, when and why; an
    audit entry and an access-log entry say so. From the next request on the user is answered
    as one who never held it."""
    from hofburg.cases.services.reads import log_access

    if not isinstance(actor, User) or not permissions.may_give_grants(actor, record):
        raise AccessDenied("Only an editor of the owner affiliation holding a grant may revoke.")
    kind = "person" if isinstance(record, Person) else "situation"
    text = revocation_reason(reason)
    if user.pk == actor.pk:
        raise Invalid("you do not revoke your own grant: another holder does", field="user")
    with transaction.atomic():
        # Only the grant's own row is locked: on PostgreSQL the nullable granter's side of the
        # join may be empty, and FOR UPDATE cannot lock that.
        grant = record.grants.select_for_update(of=("self",)).filter(user=user) \
            .select_related("granted_by").first()
        if grant is None:
            raise Invalid(f"this user holds no grant for the {kind}", field="user")
        revoked: RevokedAccess = record.revoked_grants.create(
            user=user, user_label=user.username, level=grant.level,
            granted_by_label=grant.granted_by.username if grant.granted_by else "",
            granted_at=grant.granted_at, revoked_by=actor, revoked_by_label=actor.username,
            revoked_at=timezone.now(), reason=text)
        grant.delete()
        record_change(actor, "revoke", record, {"grantee": user.username, "level": grant.level},
                      {"grantee": user.username, "revoked": True})
        log_access(actor, AccessLog.Action.REVOKE, kind, [grant.level], 1, channel)
    return revoked


def grant_history(record: Person | Situation) -> tuple[list[Any], list[RevokedAccess]]:
    """A person's or a situation's grants held now, oldest first, and those revoked, newest
    first: who had access when."""
    return (list(record.grants.select_related("user", "granted_by").order_by("granted_at")),
            list(record.revoked_grants.all()))
