"""API tokens for the desk's writes: the token of an account with a confirmed second factor
(any other token is anonymous to the desk, decision 0041)."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from hofburg.core.models import User
from hofburg.core.services.users import issue_api_token


def enrol(*users: User) -> None:
    """Give each account a confirmed second-factor device (the desk's API and command line
    answer an account without one as a visitor, or refuse it)."""
    for user in users:
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def bearer(user: User | None, *, enrolled: bool = True) -> dict[str, str]:
    """The headers of a token of `user` (none for anonymous); the account enrolled in the second
    factor unless told otherwise."""
    if user is None:
        return {}
    if enrolled:
        enrol(user)
    _token, key = issue_api_token(user, "script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
