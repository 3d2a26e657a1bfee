"""Errors read as errors (decision 0045): a refused correction is never on the green success bar
and keeps what was typed; a bad filter value is reported in one alert beside the form on every
list page. On a phone and a desktop, in English and Russian, with axe at zero serious or
critical findings."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import User
from hofburg.monitoring.intake.submit import submit_observation
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.screens import screens
from tests.browser.test_monitoring_offline import PASSPHRASE, monitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["monitor"]  # the fixture, used by name

SUCCESS_GREEN = "rgb(232, 245, 233)"


reader = screens("en-phone", "en-desktop", "ru-phone", "ru-desktop")


def test_a_refused_correction_is_an_error_and_keeps_what_was_typed(
        reader: Page, live_server: object, monitor: User) -> None:
    record, _ = submit_observation(monitor, {
        "observed_at": datetime(2026, 3, 10, 11, 0, tzinfo=UTC).isoformat(),
        "observer_id": "patrol-1", "observer_kind": "patrol", "observer_lon": -30.0,
        "observer_lat": 48.2, "method": "heard", "category": "explosion_undetermined",
        "count": 3, "bearing_deg": 90.0, "distance_km_min": 5.0, "distance_km_max": 9.0},
        client_id="11111111-1111-4111-8111-111111111111", is_exercise=True)
    base = str(live_server)
    # The refusal is answered 400, which the browser logs: provoked here on purpose.
    problems = watch(reader, ignore=lambda message: "status of 400" in message.text)
    reader.goto(f"{base}/accounts/login/?next=/monitoring/observations/{record.pk}/")
    reader.locator("input[name=username]").fill("mona")
    reader.locator("input[name=password]").fill(PASSPHRASE)
    reader.locator("main form button[type=submit]").click()
    expect(reader).to_have_url(re.compile(rf"/monitoring/observations/{record.pk}/$"))

    correction = reader.locator(f"form[action$='/observations/{record.pk}/correct/']")
    # Spaces pass the browser's "required" but are no reason: the server refuses them.
    correction.locator("[name=count]").fill("7")
    correction.locator("[name=reason]").fill("   ")
    correction.locator("button[type=submit]").click()

    error = reader.locator(".messages .message-error")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    assert error.evaluate("e => getComputedStyle(e).backgroundColor") != SUCCESS_GREEN
    expect(reader.locator(".messages .message-success")).to_have_count(0)
    correction = reader.locator(f"form[action$='/observations/{record.pk}/correct/']")
    expect(correction.locator("[name=count]")).to_have_value("7")
    expect(correction.locator(".errors")).to_be_visible()
    fits_and_passes_axe(reader)

    # A correction that succeeds is on the success bar, and only there.
    correction.locator("[name=reason]").fill("the patrol's log says seven")
    correction.locator("button[type=submit]").click()
    success = reader.locator(".messages .message-success")
    expect(success).to_be_visible()
    expect(success).to_have_attribute("role", "status")
    expect(reader.locator(".messages .message-error")).to_have_count(0)
    fits_and_passes_axe(reader)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("address", ["/csbm/calendar/?year=abc",
                                     "/monitoring/reports/?day=someday",
                                     "/registry/chairmanships/?year=abc",
                                     "/documents/?year=nineteen"])
def test_a_bad_filter_value_is_reported_beside_the_form(
        reader: Page, live_server: object, address: str) -> None:
    problems = watch(reader)
    reader.goto(str(live_server) + address)
    alert = reader.locator("#filter-problems")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    typed = address.rsplit("=", 1)[1]
    # What was typed, quoted as the language quotes (“abc” in English, «abc» in Russian).
    expect(alert).to_contain_text(re.compile(rf"[“«]\s?{re.escape(typed)}\s?[”»]"))
    field = reader.locator(f"[name={address.split('?')[1].split('=')[0]}]")
    expect(field).to_have_attribute("aria-invalid", "true")
    # The alert sits beside the filters, before the list: the form comes just before it.
    assert alert.evaluate("e => e.previousElementSibling.tagName") == "FORM"
    fits_and_passes_axe(reader)
    assert problems == [], "\n".join(problems)
