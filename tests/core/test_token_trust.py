"""A server process trusts an API token it verified for a few seconds (core.trust): revocation
and deactivation in the same process take effect at once, in another process within the
window, and the sign-in limiter still comes first."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hofburg.core import api, trust
from hofburg.core.models import ApiToken
from hofburg.core.services.users import issue_api_token, revoke_api_token
from tests.conftest import Cast
from tests.core.conftest import bearer

LIST = "/api/v1/documents"


def _later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The process's monotonic clock `seconds` ahead of now."""
    now = trust.time.monotonic()
    monkeypatch.setattr(trust.time, "monotonic", lambda: now + seconds)


def test_a_token_revoked_in_this_process_is_refused_at_once(cast: Cast) -> None:
    token, key = issue_api_token(cast.bob, "script")
    assert Client().get(LIST, **bearer(key)).status_code == 200
    revoke_api_token(cast.bob, token.pk)
    assert Client().get(LIST, **bearer(key)).status_code == 401


def test_a_user_deactivated_in_this_process_is_refused_at_once(cast: Cast) -> None:
    _token, key = issue_api_token(cast.bob, "script")
    assert Client().get(LIST, **bearer(key)).status_code == 200
    cast.bob.is_active = False
    cast.bob.save(update_fields=["is_active"])
    assert Client().get(LIST, **bearer(key)).status_code == 401


def test_a_revocation_elsewhere_is_seen_once_the_trust_window_passes(
        cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TRUST_SECONDS = 5
    token, key = issue_api_token(cast.bob, "script")
    assert Client().get(LIST, **bearer(key)).status_code == 200
    # As another server process revokes it: this process hears nothing.
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert Client().get(LIST, **bearer(key)).status_code == 200
    _later(monkeypatch, 5.0)
    assert Client().get(LIST, **bearer(key)).status_code == 401


def test_with_no_trust_window_every_call_looks_the_token_up(
        cast: Cast, settings: Any) -> None:
    settings.TRUST_SECONDS = 0
    token, key = issue_api_token(cast.bob, "script")
    assert Client().get(LIST, **bearer(key)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert Client().get(LIST, **bearer(key)).status_code == 401


def test_each_call_gets_its_own_user_object(cast: Cast) -> None:
    _token, key = issue_api_token(cast.bob, "script")
    digest = ApiToken.digest(key)
    assert Client().get(LIST, **bearer(key)).status_code == 200
    first, second = api._trusted_token(digest), api._trusted_token(digest)
    assert first is not None and second is not None
    assert first[0] is not second[0]
    assert first[0].pk == second[0].pk == cast.bob.pk
    assert first[0].username == "bob"


@pytest.mark.usefixtures("clock")
def test_the_sign_in_limiter_comes_before_a_trusted_token(cast: Cast) -> None:
    _token, key = issue_api_token(cast.bob, "script")
    client = Client()
    assert client.get(LIST, **bearer(key)).status_code == 200
    for attempt in range(12):
        client.get(LIST, **bearer(f"hfb_wrong-{attempt}"))
    assert client.get(LIST, **bearer(key)).status_code == 429
