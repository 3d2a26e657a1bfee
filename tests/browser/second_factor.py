"""Signing in to the human-dimension desk in a browser (decision 0041): the password, then the
six-digit code of the account's authenticator. Fields are found by name, so the steps work in
every language the page may speak."""

from __future__ import annotations

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from hofburg.core.models import User
from tests.conftest import PASSWORD


def password_step(page: Page, base: str, username: str, next_path: str) -> None:
    """The sign-in page with its password; ends on the second factor's page (enrolment for an
    account without an authenticator, verification for one with)."""
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/cases/two-factor/"))


def code_step(page: Page, device: TOTPDevice, next_path: str) -> None:
    """The authenticator's current code; ends on the page asked for."""
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.locator("[name=code]").fill(code)
    page.locator("[name=code]").press("Enter")
    page.wait_for_url(re.compile(re.escape(next_path.split("?")[0]) + r"(\?.*)?$"))


def sign_in_with_code(page: Page, base: str, user: User, next_path: str) -> None:
    """A user with a confirmed authenticator signs in and lands on `next_path`."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    password_step(page, base, user.username, next_path)
    code_step(page, device, next_path)
