"""An ODIHR officer on a phone: the password, then enrolling an authenticator from the QR page,
then the political prisoners in custody on a day, a case, a person behind a grant, the hate
incidents, screening one, and the publication preview; every page fits 360 px and passes axe."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import serious_violations
from tests.browser.problems import watch
from tests.cases.conftest import SECRET, Scene, _vault_keys, scene  # noqa: F401 (the desk's fixtures)
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


def test_an_officer_on_a_phone(phone: Page, live_server: object,
                              scene: Scene) -> None:  # noqa: F811 (the fixture)
    base = str(live_server)
    problems = watch(phone)
    phone.goto(base + "/accounts/login/?next=/cases/prisoners/")
    phone.get_by_label("Username").fill("erin")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    phone.wait_for_url(re.compile(r"/cases/two-factor/"))
    expect(phone.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    _check(phone)
    device = TOTPDevice.objects.get(user=scene.erin)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    phone.get_by_label(re.compile("Six-digit code")).fill(code)
    phone.get_by_role("button", name="Confirm").click()
    phone.wait_for_url(re.compile(r"/cases/prisoners/$"))
    _check(phone)
    phone.get_by_label(re.compile("In custody at the end of")).fill("2024-12-01")
    phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_text(re.compile("3 cases in custody"))).to_be_visible()
    _check(phone)
    phone.get_by_role("link", name=scene.restricted_case.case_id).click()
    expect(phone.get_by_text(SECRET["name"])).to_be_visible()
    _check(phone)
    phone.goto(f"{base}/cases/persons/{scene.person.surrogate_id}/")
    expect(phone.get_by_text(SECRET["medical"])).to_be_visible()
    _check(phone)
    phone.goto(f"{base}/cases/hate-crime/incidents/")
    expect(phone.get_by_text("2 incidents")).to_be_visible()
    _check(phone)
    phone.goto(f"{base}/cases/hate-crime/incidents/{scene.restricted_incident.incident_id}/")
    phone.get_by_label("Screening decision").select_option("excluded_discrimination")
    phone.get_by_label("Reason").fill("discrimination, no criminal offence")
    phone.get_by_role("button", name="Record the decision").click()
    expect(phone.get_by_text("excluded_discrimination")).to_be_visible()
    _check(phone)
    phone.goto(f"{base}/cases/hate-crime/publication/?year=2024")
    expect(phone.get_by_role("cell", name="suppressed").first).to_be_visible()
    _check(phone)
    assert problems == []
