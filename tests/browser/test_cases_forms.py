"""A media-freedom officer records an alert on a phone and at a desk, in English and in
Russian: after the password and the second factor, a date the service refuses is shown beside
its field with everything typed kept and nothing stored; once corrected the alert is recorded,
and a file is sealed as its evidence with its SHA-256 shown. Every page fits the screen and
passes axe."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import Page, expect

from hofburg.cases.models import Alert, Evidence
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.screens import screens
from tests.browser.second_factor import sign_in_with_code
from tests.cases.conftest import Scene, _vault_keys, scene  # noqa: F401 (the desk's fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4 exercise statement of the submitting partner\n%%EOF\n"


screen = screens("en-phone", "en-desktop", "ru-phone", "ru-desktop")


def _submit(page: Page) -> None:
    page.locator("main form.narrow button[type=submit]").click()


def test_an_officer_records_an_alert_and_its_evidence(
        screen: Page, live_server: object, scene: Scene) -> None:  # noqa: F811 (the fixture)
    page, base = screen, str(live_server)
    # The refusal this test provokes answers 422; the browser logs that, nothing else may.
    problems = watch(page, ignore=lambda message: "status of 422" in message.text)
    sign_in_with_code(page, base, scene.erin, "/cases/media-freedom/")
    # The page speaks the browser's language (Russian for a Russian browser).
    assert page.evaluate("() => document.documentElement.lang") == \
        page.evaluate("() => navigator.language").split("-")[0]
    fits_and_passes_axe(page)

    page.locator("a[href='/cases/media-freedom/new/']").click()
    page.wait_for_url(re.compile(r"/cases/media-freedom/new/$"))
    fits_and_passes_axe(page)
    before = Alert.objects.count()
    page.locator("[name=country]").fill("XE")
    page.locator("[name=submitted_on]").fill("2024-06-01")
    page.locator("[name=occurred_on]").fill("2024-06-05")  # after it was submitted
    page.locator("input[name=violations][value='verbal.insult']").check()
    page.locator("[name=perpetrator_type]").select_option("state_actor")
    page.locator("[name=media_actor_type]").fill("journalist")
    page.locator("[name=severity]").select_option("high")
    page.locator("[name=partner]").fill("Exercise Press Union")
    page.locator("[name=summary]").fill("Detained while filming a rally (EXERCISE)")
    _submit(page)
    expect(page.locator("#id_occurred_on ~ .errors")).to_be_visible()
    expect(page.locator("[name=partner]")).to_have_value("Exercise Press Union")
    expect(page.locator("[name=summary]")).to_have_value(
        "Detained while filming a rally (EXERCISE)")
    expect(page.locator("input[name=violations][value='verbal.insult']")).to_be_checked()
    assert Alert.objects.count() == before
    fits_and_passes_axe(page)

    page.locator("[name=occurred_on]").fill("2024-05-30")
    _submit(page)
    page.wait_for_url(re.compile(r"/cases/media-freedom/MF-\w+/$"))
    alert = Alert.objects.latest("pk")
    assert Alert.objects.count() == before + 1 and alert.partner == "Exercise Press Union"
    expect(page.get_by_role("heading", level=1)).to_contain_text(alert.alert_id)
    fits_and_passes_axe(page)

    page.locator(f"a[href='/cases/media-freedom/{alert.alert_id}/evidence/']").click()
    fits_and_passes_axe(page)
    page.locator("[name=file]").set_input_files(
        {"name": "statement.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.locator("[name=title]").fill("The partner's statement")
    _submit(page)
    expect(page.locator("code.hash")).to_have_text(hashlib.sha256(PDF).hexdigest())
    assert Evidence.objects.get(alert=alert).size == len(PDF)
    expect(page.locator(f"a[href$='/cases/evidence/{Evidence.objects.get().evidence_id}"
                        "/original/']")).to_be_visible()
    fits_and_passes_axe(page)
    assert problems == []
