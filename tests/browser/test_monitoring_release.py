"""A period's figures as the public reads them on a phone, and its release as a mission editor
makes it (decision 0035): "not yet released" until the whole period is released, never 0."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from hofburg.core.models import User
from hofburg.monitoring.intake import release, workflow
from hofburg.monitoring.intake.submit import submit_observation
from hofburg.monitoring.models import Event
from tests.browser.test_monitoring_offline import PASSPHRASE, monitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["monitor"]  # the fixture, used by name
WHEN = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


def _ready_event(user: User, client_id: str, when: datetime, count: int) -> Event:
    data = {"observed_at": when.isoformat(), "observer_id": "patrol-1",
            "observer_kind": "patrol", "observer_lon": -30.0, "observer_lat": 48.2,
            "method": "heard", "category": "explosion_undetermined", "count": count,
            "bearing_deg": 90.0, "distance_km_min": 5.0, "distance_km_max": 9.0}
    record, _ = submit_observation(user, data, client_id=client_id, is_exercise=True)
    record.refresh_from_db()
    workflow.verify_observation(user, record)
    event = workflow.verify_event(user, Event.objects.get(pk=record.event_id))
    return workflow.declassify_event(user, event, "cleared for the report")


def test_a_visitor_on_a_phone_reads_not_yet_released_and_an_editor_releases(
        browser: Browser, live_server: object, monitor: User) -> None:
    base = str(live_server)
    _ready_event(monitor, "11111111-1111-4111-8111-111111111111", WHEN, 3)
    _ready_event(monitor, "22222222-2222-4222-8222-222222222222", WHEN - timedelta(days=1), 7)
    release.release_period(monitor, WHEN.date())

    phone = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    visitor = phone.new_page()
    visitor.goto(base + "/monitoring/reports/2026-03-10/")
    expect(visitor.locator(".report-summary")).to_contain_text(
        "3 ceasefire violations, including 3 explosions (previous period: not yet released)")
    visitor.goto(base + "/monitoring/reports/2026-03-09/")
    expect(visitor.locator(".report-areas")).to_contain_text(
        "The figures of this period are not yet released.")
    phone.close()

    desk = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page: Page = desk.new_page()
    page.goto(base + "/accounts/login/?next=/monitoring/reports/2026-03-09/")
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".release-status")).to_contain_text("Not yet released to the public.")
    page.get_by_role("link", name="Release this period…").click()
    expect(page.locator("main")).to_contain_text(
        "1 verified public event (7 violations at least) will be published.")
    page.get_by_role("button", name="Release the period of 9 March 2026").click()
    expect(page.locator(".release-status")).to_contain_text("Released to the public on")
    desk.close()
    assert release.is_released(WHEN.date() - timedelta(days=1))
