"""API tokens: issuing one (its key shown once) and revoking it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hofburg.core.errors import Invalid
from hofburg.core.models import ApiToken, User
from hofburg.core.services.audit import record_change


class TokenError(Invalid):
    """The token cannot be issued as asked; the message says why."""


def issue_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token for `user` and return it with its key, the only time the key is known.

    Only the key's SHA-256 is stored. A blank or overlong name raises TokenError.
    """
    name = name.strip() if isinstance(name, str) else ""
    max_length = ApiToken._meta.get_field("name").max_length or 100
    if not name:
        raise TokenError(_("Give the token a name, so you know later where it is used."))
    if len(name) > max_length:
        raise TokenError(_("At most %(count)d characters.") % {"count": max_length})
    if not user.is_active:
        raise TokenError(_("An inactive account cannot have API tokens."))
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_digest=ApiToken.digest(key))
        record_change(user, "create", token, None, _token_snapshot(token))
    return token, key


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens; revoking a revoked token changes nothing.

    Raises ApiToken.DoesNotExist for a token that is not the user's.
    """
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
        if token.revoked_at is None:
            before = _token_snapshot(token)
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record_change(user, "update", token, before, _token_snapshot(token))
    return token


def _token_snapshot(token: ApiToken) -> dict[str, Any]:
    # The key's digest stays out of the audit trail.
    return {
        "user": token.user.username,
        "name": token.name,
        "created_at": token.created_at.isoformat() if token.created_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }
