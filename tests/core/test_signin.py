"""One limiter for every way to sign in: the site's page, the admin's, API tokens, HTTP Basic."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from time_machine import TimeMachineFixture

from hofburg.core import signin
from hofburg.core.signin import SignInRefused, authenticate_with_limit
from tests.conftest import PASSWORD, Cast
from tests.core.conftest import bearer

LIMIT = 10  # settings.LOGIN_RATE is 10/m

pytestmark = pytest.mark.usefixtures("clock")  # the counts here never straddle a window's end


def _sign_in(client: Client, url: str, password: str, username: str = "alice") -> int:
    return client.post(url, {"username": username, "password": password}).status_code


def test_the_admin_sign_in_refuses_the_right_password_after_too_many_wrong_ones(
        cast: Cast) -> None:
    client = Client()
    url = reverse("admin:login")
    statuses = [_sign_in(client, url, f"wrong{i}", "dora") for i in range(LIMIT)]
    assert statuses == [200] * LIMIT
    response = client.post(url, {"username": "dora", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_the_site_and_admin_pages_share_one_count(cast: Cast) -> None:
    client = Client()
    for i in range(LIMIT // 2):
        _sign_in(client, reverse("core:login"), f"wrong{i}")
        _sign_in(client, reverse("admin:login"), f"wrong{i}")
    assert _sign_in(client, reverse("core:login"), PASSWORD) == 429
    assert _sign_in(client, reverse("admin:login"), PASSWORD) == 429


def test_the_limit_counts_per_account_from_any_address(cast: Cast) -> None:
    url = reverse("core:login")
    for i in range(LIMIT):
        Client(REMOTE_ADDR=f"198.51.100.{i + 1}").post(
            url, {"username": "alice", "password": f"wrong{i}"})
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.9"), url, PASSWORD) == 429
    # Another account from a fresh address is not held back.
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.9"), url, PASSWORD, "bob") == 302


def test_successful_sign_ins_do_not_count(cast: Cast) -> None:
    client = Client()
    for _ in range(LIMIT + 5):
        assert _sign_in(client, reverse("core:login"), PASSWORD) == 302
        client.post(reverse("core:logout"))


def test_the_right_password_works_again_once_the_window_has_passed(
        cast: Cast, clock: TimeMachineFixture) -> None:
    client = Client()
    for i in range(LIMIT):
        _sign_in(client, reverse("core:login"), f"wrong{i}")
    assert _sign_in(client, reverse("core:login"), PASSWORD) == 429
    clock.shift(61)
    assert _sign_in(client, reverse("core:login"), PASSWORD) == 302


def test_wrong_api_tokens_are_limited_and_then_even_a_right_one_is_refused(
        cast: Cast, tokens: dict[str, str]) -> None:
    client = Client()
    url = "/api/v1/documents"
    statuses = [client.get(url, **bearer(f"hfb_wrong{i}")).status_code for i in range(LIMIT)]
    assert statuses == [401] * LIMIT
    response = client.get(url, **bearer(tokens["alice"]))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    assert int(response["Retry-After"]) > 0


def test_right_api_tokens_do_not_count(cast: Cast, tokens: dict[str, str]) -> None:
    client = Client()
    for _ in range(LIMIT + 5):
        assert client.get("/api/v1/documents", **bearer(tokens["alice"])).status_code == 200


def test_wrong_passwords_on_the_page_also_hold_back_api_tokens_from_that_address(
        cast: Cast, tokens: dict[str, str]) -> None:
    client = Client()
    for i in range(LIMIT):
        _sign_in(client, reverse("core:login"), f"wrong{i}")
    assert client.get("/api/v1/documents", **bearer(tokens["alice"])).status_code == 429


def _request(address: str = "192.0.2.7") -> Any:
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_the_basic_authentication_entry_point_shares_the_counts(cast: Cast) -> None:
    for i in range(LIMIT):
        assert authenticate_with_limit(_request(), "alice", f"wrong{i}") is None
    with pytest.raises(SignInRefused) as refused:
        authenticate_with_limit(_request(), "alice", PASSWORD)
    assert refused.value.retry_after > 0
    # The account is held back on the sign-in page too, from any address.
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.1"), reverse("core:login"), PASSWORD) == 429


def test_the_basic_authentication_entry_point_lets_the_right_password_in(cast: Cast) -> None:
    assert authenticate_with_limit(_request(), "alice", PASSWORD) == cast.alice
    signin.check_sign_in(_request(), "alice")  # nothing counted


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_passes(
        cast: Cast, settings: Any) -> None:
    settings.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    url = reverse("core:login")
    for i in range(LIMIT):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").post(
            url, {"username": f"nobody{i}", "password": "wrong"})
    # The client that failed is held back, even when it forges an earlier address ...
    held = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.1")
    assert _sign_in(held, url, PASSWORD) == 429
    # ... and another client behind the same proxy is not.
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert _sign_in(other, url, PASSWORD) == 302


def test_requests_without_a_client_address_share_one_count_and_are_answered(cast: Cast) -> None:
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert signin.client_address(request) == signin.UNKNOWN_ADDRESS
    nowhere = Client(REMOTE_ADDR="")
    assert nowhere.get("/api/v1/states").status_code == 200
    for _ in range(LIMIT):
        _sign_in(nowhere, reverse("core:login"), "wrong")
    assert _sign_in(nowhere, reverse("core:login"), PASSWORD) == 429
