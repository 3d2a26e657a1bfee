"""Creating user accounts and affiliations (CLI, demo and administrators)."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from hofburg.core.errors import Invalid
from hofburg.core.models import Affiliation, Role, User
from hofburg.core.services.audit import record_change, snapshot


class AccountError(Invalid):
    """The account cannot be created as asked; the message says why."""


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_account(
    username: str,
    *,
    affiliation_code: str | None,
    roles: list[str],
    password: str | None = None,
    actor: User | None = None,
    signs_in: bool = True,
) -> tuple[User, str]:
    """Create a user with an affiliation and roles; returns the user and the password used.

    Without a password one is generated. Unknown roles or affiliation, a taken username or a
    weak password raise AccountError and create nothing. An account that never signs in
    (`signs_in=False`: one that records generated data) gets an unusable password and "" is
    returned; nothing is hashed.
    """
    username = username.strip()
    if not username:
        raise AccountError("The username is empty.")
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise AccountError(
            f"unknown role(s) {', '.join(unknown)}; choose from {', '.join(Role.values)}"
        )
    affiliation = None
    if affiliation_code:
        affiliation = Affiliation.objects.filter(code=affiliation_code).first()
        if affiliation is None:
            known = ", ".join(Affiliation.objects.values_list("code", flat=True)[:20]) or "none yet"
            raise AccountError(f"unknown affiliation {affiliation_code!r} (known: {known})")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(f"the username {username!r} is taken")
    candidate = User(username=username, affiliation=affiliation, roles=sorted(set(roles)))
    if signs_in:
        password = password if password is not None else generate_password()
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise AccountError("weak password: " + " ".join(exc.messages)) from exc
        candidate.set_password(password)
    else:
        password = ""
        candidate.set_unusable_password()
    with transaction.atomic():
        candidate.is_staff = Role.ADMINISTRATOR in roles
        candidate.save()
        record_change(actor, "create", candidate, None, _without_secrets(snapshot(candidate)))
    return candidate, password


def ensure_actor(username: str, *, affiliation_code: str, roles: list[str]) -> User:
    """The account that records a demo's generated data, created if missing (idempotent). It
    never signs in: its password is unusable, so creating it hashes nothing."""
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user, _password = create_account(username, affiliation_code=affiliation_code, roles=roles,
                                     signs_in=False)
    return user


def ensure_affiliation(code: str, *, name: str, kind: str, state_iso2: str = "",
                       is_exercise: bool = False) -> Affiliation:
    """The affiliation with this code, created if missing (idempotent)."""
    if kind not in Affiliation.Kind.values:
        raise AccountError(f"unknown affiliation kind {kind!r}")
    with transaction.atomic():
        affiliation, created = Affiliation.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "state_iso2": state_iso2,
                                 "is_exercise": is_exercise})
        if created:
            record_change(None, "create", affiliation, None, snapshot(affiliation))
    return affiliation


def _without_secrets(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k not in {"password", "last_login"}}
