"""A State's exchange on a phone (390 px) and a desktop, in English and Russian, with axe at
zero serious or critical findings: the tree of formations and units opens and closes by
branch and all at once (by mouse and keyboard), the map's markers are reached with the Tab
key and open their list of units by Enter or a tap, and two versions are compared through
the form, swapped in by htmx."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from hofburg.core.models import Classification
from hofburg.csbm import services
from hofburg.registry.models import ParticipatingState
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.csbm.test_exchange_hierarchy_map_and_changes import austrian_holdings, austrian_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
EXCHANGE = "/csbm/exchanges/AT/2027/"


@dataclass
class Reader:
    page: Page
    phone: bool
    problems: list[str]


@pytest.fixture(params=[("en", PHONE), ("en", DESKTOP), ("ru", PHONE), ("ru", DESKTOP)],
                ids=["en-phone", "en-desktop", "ru-phone", "ru-desktop"])
def reader(request: pytest.FixtureRequest, browser: Browser,
           live_server: object) -> Iterator[Reader]:
    language, viewport = request.param
    phone = viewport is PHONE
    context = browser.new_context(locale="ru-RU" if language == "ru" else "en-GB",
                                  viewport=viewport, has_touch=phone, is_mobile=phone)
    context.add_cookies([{"name": "django_language", "value": language,
                          "url": str(live_server)}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page)
    yield Reader(page, phone, problems)
    context.close()


@pytest.fixture
def exchange(transactional_db: None) -> str:
    """Austria's published exchange in two versions (the correction adds, drops and changes
    units); the address of its page."""
    ParticipatingState.objects.create(iso2="AT", iso3="AUT", numeric="040",
                                      joined=date(1973, 6, 25), source="test",
                                      names={"en": "Austria", "ru": "Австрия"})
    for submitted, units, tanks in ((date(2026, 12, 10), austrian_units(), 40),
                                    (date(2027, 1, 20), austrian_units(
                                        third_personnel=3100, fourth=True, second=False), 44)):
        services.submit_exchange(None, services.ExchangeSubmission(
            state="AT", year=2027, submitted_on=submitted, units=units,
            holdings=austrian_holdings(tanks), classification=Classification.PUBLIC,
            is_exercise=True))
    return EXCHANGE


def _open_branches(page: Page) -> int:
    return int(page.evaluate(
        "() => [...document.querySelectorAll('#unit-tree details')].filter(d => d.open).length"))


def test_the_tree_opens_by_branch_and_all_at_once(reader: Reader, live_server: object,
                                                  exchange: str) -> None:
    page = reader.page
    page.goto(f"{live_server}{exchange}")
    assert page.locator("html").get_attribute("lang") in ("en", "ru")
    # the first screen shows what the exchange reports; below the top level all is closed
    expect(page.locator("#exchange-reported")).to_be_in_viewport()
    expect(page.locator("#unit-tree details")).to_have_count(3)
    assert _open_branches(page) == 0
    expect(page.locator("#unit-tree").get_by_text("1. Brigade", exact=True)).not_to_be_visible()
    fits_and_passes_axe(page)

    # a branch opens from the keyboard, as a disclosure does
    page.locator("#unit-tree summary").first.focus()
    page.keyboard.press("Enter")
    assert _open_branches(page) == 1
    expect(page.locator("#unit-tree").get_by_text("1. Division", exact=True)).to_be_visible()

    # all at once, in place (no new page: the address stays)
    page.locator("[data-tree-toggle=open]").click()
    assert _open_branches(page) == 3
    expect(page.locator("#unit-tree").get_by_text("1. Brigade", exact=True)).to_be_visible()
    assert "expand" not in page.url
    fits_and_passes_axe(page)
    page.locator("[data-tree-toggle=close]").click()
    assert _open_branches(page) == 0
    assert reader.problems == [], "\n".join(reader.problems)


def test_the_map_s_markers_are_named_and_open_by_keyboard_and_touch(
        reader: Reader, live_server: object, exchange: str) -> None:
    page = reader.page
    page.goto(f"{live_server}{exchange}map/")
    expect(page.locator("#units-map")).to_have_attribute("data-ready", "true")
    markers = page.locator("#units-map .units-marker")
    expect(markers).to_have_count(3)
    for index in range(3):
        marker = markers.nth(index)
        expect(marker).to_have_attribute("tabindex", "0")
        expect(marker).to_have_attribute("role", "button")
        expect(marker).to_have_attribute("aria-label", re.compile(r"\d.*°.*°"))
    fits_and_passes_axe(page)

    markers.first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup")
    expect(popup).to_be_visible()
    expect(popup.get_by_role("link", name="1. Corps")).to_be_visible()
    expect(popup.get_by_role("link", name="1. Brigade")).to_have_attribute(
        "href", re.compile(r"\?unit=\d+#unit-\d+$"))
    fits_and_passes_axe(page)
    page.locator(".leaflet-popup-close-button").click()
    expect(popup).to_have_count(0)

    second = markers.nth(1)
    second.focus()  # the map brings a focused marker into its view, wherever it was panned
    expect(second).to_be_in_viewport()
    brigade = page.locator(".leaflet-popup").get_by_role("link", name="3. Brigade")
    for _attempt in range(3):  # a tap while the map still pans lands beside the marker
        if reader.phone:
            second.tap()
        else:
            second.click()
        try:
            expect(brigade).to_be_visible(timeout=2000)
            break
        except AssertionError:
            continue
    expect(brigade).to_be_visible()
    # a unit of the list leads to its place in the tree, the branches above it open
    page.locator(".leaflet-popup").get_by_role("link", name="3. Brigade").press("Enter")
    page.wait_for_url(re.compile(r"\?unit=\d+"))
    assert _open_branches(page) == 2
    expect(page.locator("#unit-tree li[aria-current=true]")).to_contain_text("3. Brigade")
    assert reader.problems == [], "\n".join(reader.problems)


def test_two_versions_are_compared_through_the_form(reader: Reader, live_server: object,
                                                   exchange: str) -> None:
    page = reader.page
    page.goto(f"{live_server}{exchange}changes/")
    changed = page.locator("#exchange-changes")
    expect(changed.locator("#added")).to_be_visible()
    expect(changed.locator("ul.unit-changes").first).to_contain_text("4. Brigade")
    fits_and_passes_axe(page)

    page.evaluate("() => { window.sameDocument = true; }")
    page.locator("select[name=older]").select_option("2")
    page.locator("select[name=newer]").select_option("1")
    page.locator("#compare-versions").click()
    page.wait_for_url(re.compile(r"older=2&newer=1"))
    expect(changed.locator("#removed + ul")).to_contain_text("4. Brigade")
    expect(changed.locator("#added + ul")).to_contain_text("2. Brigade")
    assert page.evaluate("() => window.sameDocument === true"), "htmx swaps, no new page"
    fits_and_passes_axe(page)

    page.locator("select[name=newer]").select_option("2")
    page.locator("#compare-versions").click()
    expect(changed.locator(".errors[role=alert]")).to_be_visible()
    expect(changed.locator("#changes-heading")).to_have_count(0)
    assert reader.problems == [], "\n".join(reader.problems)
