"""The observation form checks on the device what the server checks (decision 0036): a record
heard 450 km away or dated before the mission's mandate never enters the outbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import User
from hofburg.monitoring.models import Observation
from tests.browser.test_monitoring_offline import monitor, sign_in_and_open_the_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["monitor"]  # the fixture, used by name


def _fill(page: Page, when: str, far: str) -> None:
    page.get_by_label("Observer (patrol, camera or post)").fill("patrol-7")
    page.get_by_label("Your latitude").fill("48.2")
    page.get_by_label("Your longitude").fill("-30.0")
    page.get_by_label("When").fill(when)
    page.get_by_label("What", exact=True).select_option("explosion_undetermined")
    page.get_by_label("Direction (compass point)").select_option("E")
    page.get_by_label("Distance from (km)").fill("1")
    page.get_by_label("Distance to (km)").fill(far)
    page.get_by_role("button", name="Save observation").click()


def test_the_device_refuses_what_the_server_would(page: Page, live_server: object,
                                                  monitor: User) -> None:
    sign_in_and_open_the_form(page, str(live_server))
    expect(page.locator(".limits")).to_contain_text(
        "Accepted: times from 2014-03-21 (the mission's mandate) until now; distances up to 40 km "
        "heard, 40 km seen, 40 km recorded.")

    _fill(page, "2026-03-10T12:00", "450")
    message = page.get_by_label("Distance to (km)").evaluate("el => el.validationMessage")
    assert "at most 40 km" in message
    expect(page.locator("#outbox li")).to_have_count(0)

    _fill(page, "1990-06-01T12:00", "5")
    message = page.get_by_label("When").evaluate("el => el.validationMessage")
    assert "before the mission's mandate began (2014-03-21)" in message
    expect(page.locator("#outbox li")).to_have_count(0)

    # Corrected, the record goes into the outbox and on to the server.
    _fill(page, "2026-03-10T12:00", "5")
    expect(page.locator("#outbox li, #sent li")).not_to_have_count(0)
    expect(page.locator("#sent li")).to_have_count(1)
    assert Observation.objects.filter(distance_km_max=5).count() == 1
