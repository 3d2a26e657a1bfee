"""The daily report's map and chart in the browser: drawn on the server, named for assistive
technology, within a 360 px phone's width, in English and in Russian, with no serious axe
finding; a visitor's drawing leaves out what is not published, a monitor's holds it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.monitoring.intake.submit import submit_observation
from hofburg.monitoring.models import Event
from tests.browser.axe import fits_and_passes_axe
from tests.browser.screens import screens
from tests.monitoring.rows import release
from tests.monitoring.test_pages import REPORT_DATE, crossing_pair, observation_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSPHRASE = "a-long-enough-passphrase"
REPORT = f"/monitoring/reports/{REPORT_DATE}/"
# The report's date as each language writes it, in the drawings' names.
DAY = {"en": "10 March 2026", "ru": "10 марта 2026"}
MONTH = {"en": "Mar", "ru": "мар."}

reader = screens("en-phone", "en-desktop", "ru-phone", "ru-desktop")
monitor_screen = screens("en-phone", "ru-desktop")


@pytest.fixture
def period(transactional_db: None) -> None:
    """The crossing pair's explosion (3) published and its period released; nine shots far
    south of it stay a provisional, restricted event of the same period."""
    mission = Affiliation.objects.create(code="mission", name="Exercise Monitoring Mission",
                                         kind=Affiliation.Kind.FIELD_OPERATION, is_exercise=True)
    mona = User.objects.create_user("mona", password=PASSPHRASE, affiliation=mission,
                                    roles=[Role.READER, Role.EDITOR])
    crossing_pair(mona)
    release(mona, Event.objects.get())
    submit_observation(mona, observation_data(observer_lat=47.3, observer_lon=-30.2,
                                              category="shot", count=9),
                       client_id="33333333-3333-4333-8333-333333333333", is_exercise=True)


def _language(page: Page) -> str:
    return (page.evaluate("document.documentElement.lang") or "en")[:2]


def _drawings_are_named_and_fit(page: Page, served_from: str, requests: list[str]) -> None:
    language = _language(page)
    drawn = page.locator("#report-map")
    expect(drawn).to_be_visible()
    expect(drawn).to_have_attribute("role", "img")
    expect(drawn).to_have_accessible_name(re.compile(DAY[language]))
    chart = page.locator("#report-chart")
    expect(chart).to_have_accessible_name(re.compile(DAY[language]))
    expect(chart.locator("tspan").filter(has_text=MONTH[language]).first).to_be_attached()
    width = page.evaluate("document.documentElement.clientWidth")
    for element in (drawn, chart):
        box = element.bounding_box()
        assert box is not None and 0 < box["width"] <= width and box["height"] > 0
    assert all(url.startswith(served_from) for url in requests)  # nothing from elsewhere
    fits_and_passes_axe(page)


def test_a_visitor_reads_the_report_with_its_map_and_chart(
        reader: Page, live_server: object, period: None) -> None:
    requests: list[str] = []
    reader.on("request", lambda request: requests.append(request.url))
    reader.goto(str(live_server) + REPORT)
    _drawings_are_named_and_fit(reader, str(live_server), requests)
    legend = reader.locator(".report-map-figure .figure-legend")
    expect(legend.locator("li").first).to_contain_text("3")
    # The nine shots are not published: not drawn, not in the legend.
    assert reader.locator("#report-map circle").count() == 1
    expect(legend).not_to_contain_text("9")
    assert reader.locator(".report-map-figure").get_attribute("data-violations") == "3"


def test_a_monitor_s_map_holds_the_events_not_yet_published(
        monitor_screen: Page, live_server: object, period: None) -> None:
    page = monitor_screen
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server}/accounts/login/?next={REPORT}")
    page.locator("#id_username").fill("mona")
    page.locator("#id_password").fill(PASSPHRASE)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{REPORT}")
    _drawings_are_named_and_fit(page, str(live_server), requests)
    assert page.locator("#report-map circle").count() == 2
    assert page.locator(".report-map-figure").get_attribute("data-violations") == "12"
    expect(page.locator(".report-map-figure .figure-legend")).to_contain_text("9")
