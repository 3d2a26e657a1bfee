"""A trafficking officer and the High Commissioner's adviser on a phone: after the password and
the second factor, the protection cases, one case with its movement, risks, referrals and
assistance, the national-minority situations, one situation with its assessment history, and
a new escalation assessment recorded from the page; every page fits 360 px and passes axe."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import serious_violations
from tests.browser.problems import watch
from tests.cases.conftest import (  # noqa: F401 (the desk's fixtures)
    PROTECTION_MARKERS,
    SITUATION_MARKERS,
    Records,
    _vault_keys,
    records,
    scene,
)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _check(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"
    assert serious_violations(page) == [], page.url


def test_protection_cases_and_situations_on_a_phone(
        phone: Page, live_server: object, records: Records) -> None:  # noqa: F811
    base = str(live_server)
    problems = watch(phone)
    device = TOTPDevice.objects.create(user=records.scene.erin, name="phone", confirmed=True)
    phone.goto(base + "/accounts/login/?next=/cases/protection/")
    phone.get_by_label("Username").fill("erin")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    phone.wait_for_url(re.compile(r"/cases/two-factor/verify/"))
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    phone.get_by_label(re.compile("Six-digit code")).fill(code)
    phone.get_by_role("button", name="Verify").click()
    phone.wait_for_url(re.compile(r"/cases/protection/$"))
    expect(phone.get_by_text("2 protection cases")).to_be_visible()
    _check(phone)
    phone.get_by_role("link", name=records.trafficking.case_id).click()
    expect(phone.get_by_text(PROTECTION_MARKERS["movement"])).to_be_visible()
    expect(phone.get_by_text(PROTECTION_MARKERS["referral"])).to_be_visible()
    _check(phone)
    phone.goto(base + "/cases/situations/")
    expect(phone.get_by_text("2 situations")).to_be_visible()
    _check(phone)
    phone.get_by_role("link", name=records.situation.situation_id).click()
    expect(phone.get_by_text(SITUATION_MARKERS["source"])).to_be_visible()
    phone.get_by_label("Escalation level").select_option("risk_of_conflict")
    phone.get_by_label("Reason").fill("rhetoric escalates before the local elections")
    phone.get_by_role("button", name="Record the assessment").click()
    expect(phone.get_by_text("rhetoric escalates before the local elections")).to_be_visible()
    _check(phone)
    assert problems == []
