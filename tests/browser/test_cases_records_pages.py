"""A trafficking officer and the High Commissioner's adviser on a phone: after the password and
the second factor, the protection cases, one case with its movement, risks, referrals and
assistance, the national-minority situations, one situation with its assessment history, and
a new escalation assessment recorded from the page; every page fits 360 px and passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.second_factor import sign_in_with_code
from tests.cases.conftest import (  # noqa: F401 (the desk's fixtures)
    PROTECTION_MARKERS,
    SITUATION_MARKERS,
    Records,
    _vault_keys,
    records,
    scene,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_protection_cases_and_situations_on_a_phone(
        phone: Page, live_server: object, records: Records) -> None:  # noqa: F811
    base = str(live_server)
    problems = watch(phone)
    sign_in_with_code(phone, base, records.scene.erin, "/cases/protection/")
    expect(phone.get_by_text("2 protection cases")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_role("link", name=records.trafficking.case_id).click()
    expect(phone.get_by_text(PROTECTION_MARKERS["movement"])).to_be_visible()
    expect(phone.get_by_text(PROTECTION_MARKERS["referral"])).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(base + "/cases/situations/")
    expect(phone.get_by_text("2 situations")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_role("link", name=records.situation.situation_id).click()
    expect(phone.get_by_text(SITUATION_MARKERS["source"])).to_be_visible()
    phone.get_by_label("Escalation level").select_option("risk_of_conflict")
    phone.get_by_label("Reason").fill("rhetoric escalates before the local elections")
    phone.get_by_role("button", name="Record the assessment").click()
    expect(phone.get_by_text("rhetoric escalates before the local elections")).to_be_visible()
    fits_and_passes_axe(phone)
    assert problems == []
