"""One limiter for every way to sign in: both sign-in pages, API tokens and HTTP Basic.

Failed attempts are counted per client address and, where the attempt names an account, per
username, in fixed windows of `settings.LOGIN_RATE` (e.g. `10/m`: ten failures a minute). While
either count is at the limit every attempt is refused before the password or token is even
looked at, so a right password after the limit has been reached is refused until the window
passes. Successful attempts do not count: a user signing in often is never locked out.

The counters live in Django's cache (django-ratelimit's keys and windows): a deployment with
several processes needs a shared cache (`HOFBURG_REDIS_URL`). The client address is the
connection's, or behind a reverse proxy the one the proxy passes on (`client_address`).

Entry points:
- `limit_sign_in(view)` wraps a sign-in page (the site's and the admin site's);
- `check_sign_in` and `record_failed_sign_in` are called around a token lookup (`core.api`);
- `authenticate_with_limit` is what an HTTP Basic authenticator calls with the credentials
  it decoded: it checks, authenticates and counts in one step.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

GROUP = "hofburg.signin"
UNKNOWN_ADDRESS = "::"  # the unspecified address: no client has it
logger = logging.getLogger("hofburg.signin")


def client_address(request: HttpRequest) -> str:
    """The client's address: the last one in `settings.CLIENT_ADDRESS_HEADER` when set (the
    one the deployment's own proxy added; earlier ones the client may have forged), else the
    connection's. A header that is missing or not an address falls back to the connection's."""
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        passed = str(request.META.get(meta_key, "")).split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(passed))
        except ValueError:
            pass
    address = str(request.META.get("REMOTE_ADDR", ""))
    if not address:
        # Every such connection shares one count: stricter, never looser, than one per client.
        # Refusing the request instead would turn a proxy's misconfiguration into an outage.
        logger.warning("A request came without a client address (a proxy on a Unix socket?): "
                       "set HOFBURG_CLIENT_ADDRESS_HEADER to the header the proxy passes it "
                       "in; until then such requests share one sign-in count.")
        return UNKNOWN_ADDRESS
    return address


class SignInRefused(Exception):
    """Too many failed attempts from this address or for this account; `retry_after` seconds
    until the window passes."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"Too many failed sign-in attempts; try again in {self.retry_after} s.")


def _keys(username: str | None) -> list[Any]:
    keys: list[Any] = ["ip"]
    name = (username or "").strip().lower()
    if name:
        keys.append(lambda _group, _request: f"user:{name}")
    return keys


def _usages(request: HttpRequest, username: str | None, *, increment: bool) -> list[dict[str, Any]]:
    found = []
    for key in _keys(username):
        usage = get_usage(request, group=GROUP, key=key, rate=settings.LOGIN_RATE,
                          increment=increment)
        if usage is not None:
            found.append(usage)
    return found


def check_sign_in(request: HttpRequest, username: str | None = None) -> None:
    """Raise SignInRefused while the address or the account has used up its failures."""
    waits = [usage["time_left"] for usage in _usages(request, username, increment=False)
             if usage["count"] >= usage["limit"]]
    if waits:
        raise SignInRefused(max(waits))


def record_failed_sign_in(request: HttpRequest, username: str | None = None) -> None:
    """Count one failed attempt against the address and, if given, the account."""
    _usages(request, username, increment=True)


def authenticate_with_limit(
    request: HttpRequest, username: str, password: str
) -> AbstractBaseUser | None:
    """The user these credentials name, or None; SignInRefused while the limit holds.

    For authenticators that receive a username and password on every request (HTTP Basic):
    the same counters as the sign-in pages, so a password cannot be guessed through a side door.
    """
    check_sign_in(request, username)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        record_failed_sign_in(request, username)
        return None
    return user


def refused_page(request: HttpRequest, refusal: SignInRefused) -> HttpResponse:
    response = render(request, "core/rate_limited.html", status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


def limit_sign_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a sign-in page: a POST is refused (429) while the limit holds, and a POST that
    does not end with the user signed in counts as a failure."""

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        username = str(request.POST.get("username", ""))
        try:
            check_sign_in(request, username)
        except SignInRefused as refusal:
            return refused_page(request, refusal)
        response = view(request, *args, **kwargs)
        signed_in = SESSION_KEY in getattr(request, "session", {})
        if not signed_in or response.status_code != 302:
            record_failed_sign_in(request, username)
        return response

    return limited
