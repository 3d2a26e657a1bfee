"""Two-factor sign-in for the desk: enrolment with a QR code, verification after the password,
wrong codes limited like wrong passwords."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hofburg.core.services.users import issue_api_token
from tests.cases.conftest import SECRET, Scene
from tests.conftest import PASSWORD, Cast


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_user_enrols_a_device_then_reaches_the_desk(cast: Cast, clock: Any) -> None:
    client = Client()
    signed_in = client.post("/accounts/login/", {"username": "carol", "password": PASSWORD})
    assert signed_in.status_code == 302
    first = client.get("/cases/prisoners/")
    assert first.status_code == 302 and first["Location"].startswith("/cases/two-factor/?next=")
    enrol = client.get(first["Location"])
    assert enrol.status_code == 200
    assert "/cases/two-factor/qr.svg" in enrol.content.decode()
    qr = client.get("/cases/two-factor/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and qr["Cache-Control"] == "no-store"
    assert b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=cast.carol, confirmed=False)
    wrong = client.post("/cases/two-factor/", {"code": "000000" if _code(device) != "000000"
                                               else "111111", "next": "/cases/prisoners/"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    clock.shift(2)  # django-otp makes a device wait a moment after a wrong code
    done = client.post("/cases/two-factor/", {"code": _code(device),
                                              "next": "/cases/prisoners/"})
    assert done.status_code == 302 and done["Location"] == "/cases/prisoners/"
    assert client.get("/cases/prisoners/").status_code == 200
    assert client.get("/cases/two-factor/qr.svg").status_code == 404  # confirmed: no more QR
    device.refresh_from_db()
    assert device.confirmed


def test_a_new_session_asks_for_a_code_and_refuses_a_foreign_next(cast: Cast, clock: Any) -> None:
    device = TOTPDevice.objects.create(user=cast.carol, name="phone", confirmed=True)
    client = Client()
    client.post("/accounts/login/", {"username": "carol", "password": PASSWORD})
    asked = client.get("/cases/")
    assert asked["Location"].startswith("/cases/two-factor/verify/")
    done = client.post("/cases/two-factor/verify/", {"code": _code(device),
                                                     "next": "https://evil.example/"})
    assert done.status_code == 302 and done["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_wrong_codes_are_limited_like_wrong_passwords(cast: Cast, clock: Any,
                                                      settings: Any) -> None:
    settings.LOGIN_RATE = "3/m"
    device = TOTPDevice.objects.create(user=cast.carol, name="phone", confirmed=True)
    client = Client()
    client.force_login(cast.carol)
    wrong = "000000" if _code(device) != "000000" else "111111"
    for _ in range(3):
        assert client.post("/cases/two-factor/verify/", {"code": wrong}).status_code == 200
    refused = client.post("/cases/two-factor/verify/", {"code": _code(device)})
    assert refused.status_code == 429 and "Retry-After" in refused
    assert client.get("/cases/").status_code == 302  # still not verified


def test_anonymous_visitors_are_sent_to_sign_in_from_the_two_factor_pages(db: None) -> None:
    client = Client()
    assert client.get("/cases/two-factor/")["Location"].startswith("/accounts/login")
    assert client.get("/cases/two-factor/qr.svg").status_code == 404
    assert client.get("/cases/").status_code == 200  # public part of the desk


def test_an_api_token_reaches_protected_records_only_once_its_account_has_enrolled(
        scene: Scene) -> None:
    """A token stands for its account, but not for a second factor the account never set up:
    until erin confirms a device her token is answered as an anonymous caller."""
    _token, key = issue_api_token(scene.erin, "script")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    path = f"/api/v1/cases/persons/{scene.person.surrogate_id}"
    before = Client().get(path, **headers)
    assert before.status_code == 404
    assert SECRET["name"] not in before.content.decode()
    assert SECRET["name"] not in Client().get("/api/v1/cases/persons", **headers).content.decode()

    TOTPDevice.objects.create(user=scene.erin, name="phone", confirmed=True)
    after = Client().get(path, **headers)
    assert after.status_code == 200
    assert after.json()["name"] == SECRET["name"]
