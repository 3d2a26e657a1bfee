"""The monitoring map draws offline: base layer, EXERCISE reference lines, withdrawal zones and
disengagement areas, and hexagons of the published figures; the time slider narrows them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.monitoring.models import Event
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
    expect(page.locator("#map-day-label")).to_contain_text("2026-03-10")
    expect(page.locator("#map-summary")).to_contain_text("3 published violations")
    page.locator("#map-category").select_option("shot")
    expect(page.locator("#map-summary")).to_contain_text("0 published violations")
