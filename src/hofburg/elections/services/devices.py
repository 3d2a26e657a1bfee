"""Per-device tokens for provisioning ODK Collect by QR code.

A mission's manager issues a token for an observer's device; the device signs in to OpenRosa
with the observer's username and the token in place of the password. The token is random
(256 bits), shown once and stored only as its SHA-256: a token is not a password a person
chose, so a fast hash is enough to make a stolen table useless, and it keeps the check to one
indexed lookup per request. A token works for its one mission, until it expires or is revoked;
the account must still be active and on the mission.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.models import User
from hofburg.core.services.audit import record_change
from hofburg.elections import bounds, permissions
from hofburg.elections.models import DeviceToken, Member, Mission

PREFIX = "hbd_"  # marks a device token, so OpenRosa never sends it to the password check
LAST_USED_RESOLUTION = timedelta(minutes=1)  # `last_used_at` is written at most this often


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def is_device_token(secret: str) -> bool:
    return secret.startswith(PREFIX)


def issue_device_token(user: AnyUser | None, mission: Mission, observer: User, label: str,
                       days: int) -> tuple[DeviceToken, str]:
    """A new token for `observer`'s device on `mission`, valid for `days`; (record, secret).
    The secret exists only in the answer."""
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's core team may provision devices.")
    if not Member.objects.filter(mission=mission, user=observer).exists():
        raise Invalid(f"{observer.username} is not on this mission.", field="observer")
    if not observer.is_active:
        raise Invalid(f"{observer.username} cannot sign in.", field="observer")
    label = label.strip()
    if not 1 <= len(label) <= bounds.MAX_DEVICE_LABEL_LENGTH:
        raise Invalid(f"1 to {bounds.MAX_DEVICE_LABEL_LENGTH} characters.", field="label")
    if not 1 <= days <= bounds.MAX_DEVICE_TOKEN_DAYS:
        raise Invalid(f"1 to {bounds.MAX_DEVICE_TOKEN_DAYS} days.", field="days")
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = DeviceToken.objects.create(
            mission=mission, user=observer, label=label, key_hash=hash_token(secret),
            issued_by=user if user is not None and user.is_authenticated else None,
            expires_at=timezone.now() + timedelta(days=days))
        record_change(user, "device", mission, None,
                      {"user": observer.username, "label": label,
                       "expires_at": token.expires_at.isoformat()})
    return token, secret


def revoke_device_token(user: AnyUser | None, mission: Mission, token_id: int) -> DeviceToken:
    """Revoke a token of `mission` at once; Conflict if it was revoked already."""
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's core team may revoke devices.")
    with transaction.atomic():
        token = DeviceToken.objects.select_for_update().filter(
            mission=mission, pk=token_id).first()
        if token is None:
            raise NotFound("No such device token on this mission.", field="token")
        if token.revoked_at is not None:
            raise Conflict("The device token is revoked already.", field="token")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(user, "revoke", mission, {"device": token.label}, None)
    return token


def device_token_for(username: str, secret: str, now: datetime | None = None
                     ) -> DeviceToken | None:
    """The live token `secret` names for `username`: issued to that active account, not revoked,
    not expired. None otherwise (the caller counts a failed sign-in)."""
    now = now or timezone.now()
    token = (DeviceToken.objects.select_related("user", "mission")
             .filter(key_hash=hash_token(secret)).first())
    if (token is None or token.revoked_at is not None or token.expires_at <= now
            or not token.user.is_active or token.user.get_username() != username):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@dataclass(frozen=True)
class CollectSettings:
    """What ODK Collect's "Configure with QR code" reads: its settings JSON, compressed with
    zlib and encoded in base64 (the format of Collect's own settings QR codes)."""

    server_url: str
    username: str
    password: str
    project: str

    def payload(self) -> str:
        settings = {"general": {"server_url": self.server_url, "username": self.username,
                                "password": self.password},
                    "admin": {}, "project": {"name": self.project}}
        text = json.dumps(settings, separators=(",", ":"))
        return base64.b64encode(zlib.compress(text.encode())).decode("ascii")


def qr_svg_path(payload: str) -> tuple[int, str]:
    """The QR code of `payload` (segno) as (size in modules with the quiet zone, an SVG path
    of its dark modules): drawn in the template with no markup from outside."""
    import segno

    code = segno.make(payload, error="m", micro=False)
    parts = []
    rows = list(code.matrix_iter(border=4))
    for y, row in enumerate(rows):
        x = 0
        cells = list(row)
        while x < len(cells):
            if cells[x]:
                start = x
                while x < len(cells) and cells[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return len(rows), "".join(parts)
