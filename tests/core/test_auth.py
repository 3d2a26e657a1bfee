"""Signing in and out: Django's auth, CSRF on the form, and a rate limit on attempts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, Cast


def test_a_delegate_signs_in_and_sees_their_affiliation(cast: Cast) -> None:
    client = Client()
    response = client.post(reverse("core:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("core:home")).content.decode()
    assert "Delegation of Austria" in page


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(cast: Cast) -> None:
    response = Client().post(reverse("core:login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session


def test_the_sign_in_form_needs_its_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("core:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.usefixtures("clock")  # the count never straddles a window's end
def test_repeated_failed_sign_ins_are_rate_limited(cast: Cast) -> None:
    client = Client()
    statuses = [
        client.post(
            reverse("core:login"), {"username": "alice", "password": f"wrong{i}"}
        ).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
    # Even the right password is refused while the limit holds.
    response = client.post(reverse("core:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


def test_signing_out_needs_a_post_and_ends_the_session(cast: Cast) -> None:
    client = cast.client(cast.alice)
    assert client.get(reverse("core:logout")).status_code == 405
    assert client.post(reverse("core:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_passwords_are_stored_hashed(cast: Cast) -> None:
    assert cast.alice.password.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt", "md5$"))
    assert PASSWORD not in cast.alice.password
