"""An ODIHR officer on a phone: the password, then enrolling an authenticator from the QR page,
then the political prisoners in custody on a day, a case, a person behind a grant, the hate
incidents, screening one, and the publication preview; every page fits 360 px and passes axe."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.second_factor import code_step, password_step
from tests.cases.conftest import SECRET, Scene, _vault_keys, scene  # noqa: F401 (the desk's fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_on_a_phone(phone: Page, live_server: object,
                              scene: Scene) -> None:  # noqa: F811 (the fixture)
    base = str(live_server)
    problems = watch(phone)
    password_step(phone, base, "erin", "/cases/prisoners/")
    expect(phone.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    fits_and_passes_axe(phone)
    code_step(phone, TOTPDevice.objects.get(user=scene.erin), "/cases/prisoners/")
    fits_and_passes_axe(phone)
    phone.get_by_label(re.compile("In custody at the end of")).fill("2024-12-01")
    phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_text(re.compile("3 cases in custody"))).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_role("link", name=scene.restricted_case.case_id).click()
    expect(phone.get_by_text(SECRET["name"])).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/cases/persons/{scene.person.surrogate_id}/")
    expect(phone.get_by_text(SECRET["medical"])).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/cases/hate-crime/incidents/")
    expect(phone.get_by_text("2 incidents")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/cases/hate-crime/incidents/{scene.restricted_incident.incident_id}/")
    phone.get_by_label("Screening decision").select_option("excluded_discrimination")
    phone.get_by_label("Reason").fill("discrimination, no criminal offence")
    phone.get_by_role("button", name="Record the decision").click()
    expect(phone.get_by_text("excluded_discrimination")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/cases/hate-crime/publication/?year=2024")
    expect(phone.get_by_role("cell", name="suppressed").first).to_be_visible()
    fits_and_passes_axe(phone)
    assert problems == []
