"""The monitoring map draws offline: base layer, EXERCISE reference lines, withdrawal zones and
disengagement areas, and hexagons of the published figures; the time slider narrows them."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.monitoring.models import Event
from tests.browser.axe import fits_and_passes_axe
from tests.browser.screens import screens
from tests.monitoring.rows import release
from tests.monitoring.test_pages import crossing_pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(transactional_db: None) -> None:
    mission = Affiliation.objects.create(code="mission", name="Exercise Monitoring Mission",
                                         kind=Affiliation.Kind.FIELD_OPERATION, is_exercise=True)
    mona = User.objects.create_user("mona", password="a-long-enough-passphrase",
                                    affiliation=mission, roles=[Role.READER, Role.EDITOR])
    crossing_pair(mona)
    for event in Event.objects.all():
        release(mona, event)


def test_a_visitor_sees_the_map_drawn_offline_with_lines_and_hexagons(
    page: Page, live_server: object, published: None
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(str(live_server) + "/monitoring/map/")
    element = page.locator("#monitoring-map")
    expect(element).to_have_attribute("data-ready", "true")
    expect(element).to_have_attribute("data-line-count", "2")
    expect(element).to_have_attribute("data-area-count", "3")
    expect(element).to_have_attribute("data-mode", "cells")
    assert int(element.get_attribute("data-cell-count") or 0) >= 1
    assert int(element.get_attribute("data-zone-count") or 0) == 8
    assert page.locator("#monitoring-map path.h3-cell").count() >= 1 or \
        page.locator("#monitoring-map canvas").count() >= 1
    assert page.locator("#monitoring-map img.leaflet-tile").count() == 0
    assert all(url.startswith(str(live_server)) for url in requests)  # nothing from elsewhere
    expect(page.locator("#map-summary")).to_contain_text("3 published violations")

    # The slider moves to a period with nothing in it and back.
    page.locator("#map-day").evaluate(
        "(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
    expect(page.locator("#map-all-days")).not_to_be_checked()
    expect(page.locator("#map-day-label")).to_contain_text("10 March 2026")
    expect(page.locator("#map-summary")).to_contain_text("3 published violations")
    page.locator("#map-category").select_option("shot")
    expect(page.locator("#map-summary")).to_contain_text("0 published violations")
    expect(page.locator("#map-counts")).to_contain_text("0 violations in")


def test_the_address_keeps_the_view_layers_category_and_period(
    page: Page, live_server: object, published: None
) -> None:
    """A map is shared as it is seen: the address follows the view, the layers shown, the
    category and the period, and opening that address shows the same again."""
    page.goto(str(live_server) + "/monitoring/map/")
    element = page.locator("#monitoring-map")
    expect(element).to_have_attribute("data-ready", "true")
    page.locator("#map-category").select_option("shot")
    page.locator("#map-day").evaluate(
        "(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
    page.get_by_label("Reference lines (EXERCISE)").uncheck()
    page.wait_for_url("**hide=lines**")
    shared = page.url
    asked = parse_qs(urlsplit(shared).query)
    assert asked["category"] == ["shot"] and asked["day"] == ["2026-03-10"]
    assert asked["hide"] == ["lines"] and len(asked["view"][0].split(",")) == 3

    page.goto(shared)
    expect(element).to_have_attribute("data-ready", "true")
    expect(page.locator("#map-category")).to_have_value("shot")
    expect(page.locator("#map-all-days")).not_to_be_checked()
    expect(element).to_have_attribute("data-day", "2026-03-10")
    expect(page.get_by_label("Reference lines (EXERCISE)")).not_to_be_checked()
    expect(page.get_by_label("Withdrawal zones (EXERCISE)")).to_be_checked()


def test_play_steps_through_the_periods_and_stops_at_the_last(
    page: Page, live_server: object, published: None
) -> None:
    page.goto(str(live_server) + "/monitoring/map/")
    element = page.locator("#monitoring-map")
    expect(element).to_have_attribute("data-ready", "true")
    play = page.get_by_role("button", name="Play")
    expect(play).to_be_visible()
    last = page.locator("#map-day").get_attribute("max")
    play.click()
    expect(page.locator("#map-all-days")).not_to_be_checked()
    expect(page.locator("#map-day")).to_have_value(last or "0", timeout=15000)
    expect(page.locator("#map-play")).to_have_attribute("aria-pressed", "false", timeout=5000)
    expect(page.locator("#map-play")).to_have_text("Play")
    expect(element).to_have_attribute("data-day", "2026-03-10")


def test_an_event_opens_in_a_popup_that_links_to_its_page(
    page: Page, live_server: object, published: None
) -> None:
    """Zoomed in, an entitled reader clicks an event: a popup says what it is and links to it
    (the marker no longer leaves the map on a click)."""
    event = Event.objects.exclude(lat=None).first()
    assert event is not None
    base = str(live_server)
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"{base}/monitoring/map/?view={event.lat},{event.lon},12")
    element = page.locator("#monitoring-map")
    expect(element).to_have_attribute("data-ready", "true")
    expect(element).to_have_attribute("data-mode", "events")
    expect(page.locator("#map-counts li").first).to_be_visible()
    point = element.evaluate(
        "(el, at) => { const p = el.hofburgMap.latLngToContainerPoint(at);"
        " return [p.x, p.y]; }", [event.lat, event.lon])
    element.click(position={"x": point[0], "y": point[1]})
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_text("Open the event")
    expect(link).to_have_attribute("href", f"/monitoring/events/{event.pk}/")
    assert page.url.startswith(f"{base}/monitoring/map/")


screen = screens("en-desktop", "ru-phone")


def test_an_event_is_reached_and_opened_with_the_keyboard(
    screen: Page, live_server: object, published: None
) -> None:
    """Zoomed in, the events are buttons in the tab order: Tab from the filters reaches one,
    Enter opens its popup with the focus on the link, Escape closes it and the focus returns.
    At a desk in English and on a phone in Russian, with axe."""
    page = screen
    event = Event.objects.exclude(lat=None).first()
    assert event is not None
    base = str(live_server)
    page.goto(base + "/accounts/login/")
    page.locator("[name=username]").fill("mona")
    page.locator("[name=password]").fill("a-long-enough-passphrase")
    page.locator("[name=password]").press("Enter")
    page.wait_for_load_state()
    page.goto(f"{base}/monitoring/map/?view={event.lat},{event.lon},12")
    element = page.locator("#monitoring-map")
    expect(element).to_have_attribute("data-ready", "true")
    expect(element).to_have_attribute("data-mode", "events")
    fits_and_passes_axe(page)
    markers = page.locator("#monitoring-map path.event-marker[role=button]")
    expect(markers.first).to_have_attribute("tabindex", "0")
    assert markers.count() == int(element.get_attribute("data-event-count") or "0")
    assert markers.first.get_attribute("aria-label")

    page.locator("#map-all-days").focus()
    for _ in range(10):  # the map itself, then its first event
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('path.event-marker')"):
            break
    focused = page.locator("path.event-marker:focus")
    expect(focused).to_have_count(1)
    label = focused.get_attribute("aria-label")

    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_be_focused()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(label or "")
    fits_and_passes_axe(page)
    assert (link.get_attribute("href") or "").startswith("/monitoring/events/")

    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(page.locator("path.event-marker:focus")).to_have_attribute("aria-label", label or "")
