"""A stored value that looks like HTML stays text wherever a page shows it.

Observer ids, notes, State names and document titles reach the pages both through templates
and through scripts that read JSON (map tooltips, the offline outbox). Each is stored here as
markup that would run if it were parsed as HTML; the pages must show it as the characters it
is, and nothing may set `window.__pwned`.

The hostile values are written straight into the stored records: whatever an input check lets
through today, or an import let through yesterday, the pages must not trust what they read.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.documents.services import register_document
from hofburg.monitoring.models import Event, Observation
from tests.browser import problems
from tests.monitoring.rows import release
from tests.monitoring.test_pages import crossing_pair
from tests.registry.factories import ORIGINAL, create_state, names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "a-long-enough-passphrase"
IMAGE = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"
PROBE = "x"  # the hostile image's own source: a request that fails


@pytest.fixture
def mission(transactional_db: None) -> Affiliation:
    return Affiliation.objects.create(code="mission", name="Exercise Monitoring Mission",
                                      kind=Affiliation.Kind.FIELD_OPERATION, is_exercise=True)


@pytest.fixture
def monitor(mission: Affiliation) -> User:
    return User.objects.create_user("mona", password=PASSPHRASE, affiliation=mission,
                                    roles=[Role.READER, Role.EDITOR])


@pytest.fixture
def hostile_event(monitor: User) -> Event:
    """The crossing pair's event, its two observers named in markup, verified and published."""
    first, second = crossing_pair(monitor)
    Observation.objects.filter(pk=first.pk).update(observer_id=IMAGE, notes=IMAGE)
    Observation.objects.filter(pk=second.pk).update(observer_id=SCRIPT, notes=SCRIPT)
    event = Event.objects.get()
    release(monitor, event)
    return event


def watch(page: Page) -> list[str]:
    """The page's problems, but for the probe of assert_nothing_ran, which fails on purpose."""
    return problems.watch(
        page, ignore=lambda message: message.location.get("url", "").endswith("/" + PROBE))


def sign_in(page: Page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def open_every_tooltip(page: Page, map_id: str) -> None:
    page.evaluate(
        """(id) => { document.getElementById(id).hofburgMap.eachLayer((layer) => {
             if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); }
           }); }""", map_id)


def assert_nothing_ran(page: Page) -> None:
    """An image that fails to load has had its error handler run once a second one has failed
    the same way: only then is the absence of `window.__pwned` proof of anything."""
    page.evaluate("""(src) => new Promise((done) => {
                       const probe = new Image(); probe.onerror = done; probe.src = src; })""",
                  PROBE)
    assert page.evaluate("() => window.__pwned") is None


def test_observer_ids_in_markup_stay_text_in_the_event_maps_tooltips(
    page: Page, live_server: object, hostile_event: Event
) -> None:
    base = str(live_server)
    seen = watch(page)
    sign_in(page, base, "mona", f"/monitoring/events/{hostile_event.pk}/")
    element = page.locator("#event-map")
    expect(element).to_have_attribute("data-ready", "true")

    open_every_tooltip(page, "event-map")
    tooltips = page.locator("#event-map .leaflet-tooltip")
    expect(tooltips.filter(has_text=IMAGE)).to_have_count(1)
    expect(tooltips.filter(has_text=SCRIPT)).to_have_count(1)
    expect(tooltips.locator("img, script")).to_have_count(0)
    # The members' table shows the same ids, from the template.
    expect(page.locator("main table.records")).to_contain_text(IMAGE)
    expect(page.locator("main table.records")).to_contain_text(SCRIPT)
    assert_nothing_ran(page)
    assert seen == []


def test_observer_ids_in_markup_stay_text_in_the_desk_maps_tooltips(
    page: Page, live_server: object, hostile_event: Event
) -> None:
    base = str(live_server)
    seen = watch(page)
    sign_in(page, base, "mona", "/monitoring/map/")
    element = page.locator("#monitoring-map")
    expect(element).to_have_attribute("data-ready", "true")

    # Zoomed in, an entitled reader sees single events and the observers' positions.
    page.evaluate("() => { document.getElementById('monitoring-map').hofburgMap"
                  ".setView([48.22, -29.95], 12); }")
    expect(element).to_have_attribute("data-mode", "events")
    expect(element).to_have_attribute("data-observer-count", "2")
    open_every_tooltip(page, "monitoring-map")
    tooltips = page.locator("#monitoring-map .leaflet-tooltip")
    expect(tooltips.filter(has_text=IMAGE)).to_have_count(1)
    expect(tooltips.filter(has_text=SCRIPT)).to_have_count(1)
    expect(tooltips.locator("img, script")).to_have_count(0)
    assert_nothing_ran(page)
    assert seen == []


def test_notes_in_markup_stay_text_on_the_observation_page(
    page: Page, live_server: object, hostile_event: Event
) -> None:
    base = str(live_server)
    seen = watch(page)
    observation = Observation.objects.get(observer_id=IMAGE)
    sign_in(page, base, "mona", f"/monitoring/observations/{observation.pk}/")
    expect(page.locator("main")).to_contain_text(IMAGE)
    expect(page.locator("main img")).to_have_count(0)
    assert_nothing_ran(page)
    assert seen == []


def test_a_state_named_in_markup_stays_text_in_the_osce_maps_tooltip(
    page: Page, live_server: object, transactional_db: None
) -> None:
    create_state("AT", "AUT", "040", names(IMAGE, IMAGE, IMAGE, IMAGE, IMAGE, IMAGE), ORIGINAL)
    seen = watch(page)
    page.goto(str(live_server) + "/registry/map/")
    expect(page.locator("#osce-map")).to_have_attribute("data-ready", "true")

    x, y = page.evaluate(
        "() => { const p = document.getElementById('osce-map').hofburgMap"
        ".latLngToContainerPoint([47.6, 14.3]); return [p.x, p.y]; }")
    page.locator("#osce-map").hover(position={"x": x, "y": y})
    tooltip = page.locator("#osce-map .leaflet-tooltip")
    expect(tooltip).to_have_text(IMAGE)
    expect(tooltip.locator("img")).to_have_count(0)
    assert_nothing_ran(page)
    assert seen == []


def test_an_observer_id_in_markup_stays_text_in_the_offline_outbox(
    page: Page, live_server: object, monitor: User
) -> None:
    base = str(live_server)
    seen = watch(page)
    sign_in(page, base, "mona", "/monitoring/observe/")
    expect(page.locator("#observation-form")).to_have_attribute("data-ready", "true")
    # Offline once the page has kept its files (the base map among them) for use offline.
    expect(page.locator("#observation-form")).to_have_attribute("data-cached", "true")

    page.context.set_offline(True)
    page.get_by_label("Observer (patrol, camera or post)").fill(IMAGE)
    page.get_by_label("Your latitude").fill("48.2")
    page.get_by_label("Your longitude").fill("-30.0")
    page.get_by_label("When").fill("2026-03-10T12:00")
    page.get_by_label("What", exact=True).select_option("explosion_undetermined")
    page.get_by_label("How many (at least)").fill("2")
    page.get_by_label("Direction (compass point)").select_option("E")
    page.get_by_role("button", name="Save observation").click()

    outbox = page.locator("#outbox li")
    expect(outbox).to_have_count(1)
    expect(outbox).to_contain_text(IMAGE)
    expect(outbox.locator("img")).to_have_count(0)
    assert_nothing_ran(page)
    # Offline, the page's own requests fail and say so in the console; nothing else may.
    assert [p for p in seen if "ERR_INTERNET_DISCONNECTED" not in p] == []


def test_a_document_titled_in_markup_stays_text_in_the_library(
    page: Page, live_server: object, transactional_db: None
) -> None:
    north = Affiliation.objects.create(code="north", name="Exercise Delegation North",
                                       kind=Affiliation.Kind.DELEGATION, is_exercise=True)
    edith = User.objects.create_user("edith", password=PASSPHRASE, affiliation=north,
                                     roles=[Role.READER, Role.EDITOR])
    document = register_document(
        edith, symbol="PC.DEL/666/26", title="Statement on water", date=date(2026, 3, 12),
        originator="Exercise Delegation North", original_language="en",
        classification=Classification.PUBLIC, is_exercise=True)
    type(document).objects.filter(pk=document.pk).update(title=SCRIPT + IMAGE,
                                                         originator=IMAGE)
    base = str(live_server)
    seen = watch(page)
    page.goto(base + "/documents/")
    expect(page.locator("main")).to_contain_text(SCRIPT + IMAGE)
    page.goto(f"{base}/documents/{document.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("PC.DEL/666/26")
    expect(page.locator("main")).to_contain_text(SCRIPT + IMAGE)
    expect(page.locator("main img")).to_have_count(0)
    assert_nothing_ran(page)
    assert seen == []
