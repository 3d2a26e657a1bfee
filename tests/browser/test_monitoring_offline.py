"""A monitor's form on a bad connection: records wait on the device while offline, are sent
when the connection returns, and a retry after a lost answer makes no duplicate; on a phone,
the position is picked on the map and a photo waits with its record and arrives once, without
its GPS."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, Route, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.monitoring.models import Observation, ObservationPhoto
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.monitoring.engine.test_photos import GPS_IFD, jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSPHRASE = "a-long-enough-passphrase"


@pytest.fixture
def monitor(transactional_db: None) -> User:
    mission = Affiliation.objects.create(code="mission", name="Exercise Monitoring Mission",
                                         kind=Affiliation.Kind.FIELD_OPERATION, is_exercise=True)
    return User.objects.create_user("mona", password=PASSPHRASE, affiliation=mission,
                                    roles=[Role.READER, Role.EDITOR])


def sign_in_and_open_the_form(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/?next=/monitoring/observe/")
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/monitoring/observe/$"))
    expect(page.locator("#observation-form")).to_have_attribute("data-ready", "true")


def fill_observation(page: Page, count: str, sector: str) -> None:
    page.get_by_label("Observer (patrol, camera or post)").fill("patrol-7")
    page.get_by_label("Your latitude").fill("48.2")
    page.get_by_label("Your longitude").fill("-30.0")
    page.get_by_label("When").fill("2026-03-10T12:00")
    page.get_by_label("What", exact=True).select_option("explosion_undetermined")
    page.get_by_label("How many (at least)").fill(count)
    page.get_by_label("Direction (compass point)").select_option(sector)
    page.get_by_role("button", name="Save observation").click()


def test_records_wait_on_the_device_offline_and_are_sent_once_online(
    page: Page, live_server: object, monitor: User
) -> None:
    base = str(live_server)
    sign_in_and_open_the_form(page, base)
    expect(page.locator("#observation-form")).to_have_attribute("data-cached", "true")

    page.context.set_offline(True)
    expect(page.locator("#connection-status")).to_have_text(re.compile("Offline"))
    fill_observation(page, "3", "E")
    fill_observation(page, "12", "ENE")

    outbox = page.locator("#outbox li")
    expect(outbox).to_have_count(2)
    expect(outbox.nth(0)).to_contain_text("waiting to send")
    expect(outbox.nth(1)).to_contain_text("waiting to send")
    expect(outbox.nth(0)).to_contain_text(re.compile(r"\d\d:\d\d UTC[+-]\d\d:\d\d"))  # zone
    expect(page.locator("#outbox-notice")).to_contain_text("sent when the connection returns")
    assert Observation.objects.count() == 0

    # The page itself is kept on the device: reloaded offline, it still shows the queue.
    page.reload()
    expect(page.locator("#observation-form")).to_have_attribute("data-ready", "true")
    expect(page.locator("#outbox li")).to_have_count(2)

    # Back online, the first answer is lost on the way: the server stored the record, the
    # phone did not hear so, and sends it again.
    lost = {"count": 0}

    def lose_the_first_answer(route: Route) -> None:
        if lost["count"] == 0:
            lost["count"] += 1
            route.fetch()  # the server receives and stores it
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/monitoring/observations/submit/", lose_the_first_answer)
    page.context.set_offline(False)
    expect(page.locator("#connection-status")).to_have_text("Online")
    expect(page.locator("#outbox li")).to_have_count(0, timeout=30_000)
    expect(page.locator("#sent li")).to_have_count(2)
    expect(page.locator("#outbox-notice")).to_have_text("Everything has been sent.")
    assert lost["count"] == 1
    page.unroute("**/monitoring/observations/submit/")

    # And a replay of a whole submission by hand answers the stored record.
    stored = Observation.objects.get(count=12)  # the time as the device gave it, offset kept
    replayed = page.evaluate("""async (observedAt) => {
        const sent = JSON.parse(localStorage.getItem(
            document.getElementById('observation-form').dataset.outboxKey + '.sent'));
        const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
        const body = {client_id: sent[0].client_id, observed_at: observedAt,
                      observer_id: 'patrol-7', observer_kind: 'patrol', observer_lat: 48.2,
                      observer_lon: -30.0, method: 'heard', category: 'explosion_undetermined',
                      count: 12, sector: 'ENE'};
        const response = await fetch('/monitoring/observations/submit/', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
            body: JSON.stringify(body)});
        return [response.status, (await response.json()).observation_id, sent[0].observation_id];
    }""", stored.observed_at.astimezone(
        datetime.timezone(datetime.timedelta(minutes=stored.utc_offset_minutes))).isoformat())
    assert replayed[0] == 200 and replayed[1] == replayed[2]

    assert Observation.objects.count() == 2
    assert sorted(Observation.objects.values_list("count", flat=True)) == [3, 12]
    assert set(Observation.objects.values_list("submitted_by__username", flat=True)) == {"mona"}


PHONE = {"width": 360, "height": 780}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport=PHONE, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _photos_on_the_device(page: Page) -> int:
    count: int = page.evaluate("""() => new Promise((resolve, reject) => {
        const opened = indexedDB.open('hofburg-monitoring-photos', 1);
        opened.onupgradeneeded = () => opened.result.createObjectStore('photos');
        opened.onsuccess = () => {
            const counting = opened.result.transaction('photos').objectStore('photos').count();
            counting.onsuccess = () => { opened.result.close(); resolve(counting.result); };
            counting.onerror = () => reject(counting.error);
        };
        opened.onerror = () => reject(opened.error);
    })""")
    return count


def _tap_the_map(page: Page, x: int, y: int) -> tuple[str, str]:
    """Tap the position map at (x, y); the fields must then hold that point's position."""
    picker = page.locator("#position-map")
    picker.scroll_into_view_if_needed()
    picker.tap(position={"x": x, "y": y})
    expect(picker).to_have_attribute("data-picked", re.compile(r"^-?\d+\.\d{5},-?\d+\.\d{5}$"))
    lat = page.get_by_label("Your latitude").input_value()
    lon = page.get_by_label("Your longitude").input_value()
    # The position in the fields is the point tapped (within the width of the map's border).
    off = page.evaluate("""([lat, lon, x, y]) => {
        const at = document.getElementById('position-map').hofburgMap
            .latLngToContainerPoint([Number(lat), Number(lon)]);
        return Math.hypot(at.x - x, at.y - y);
    }""", [lat, lon, x, y])
    assert off < 2, f"the position is {off} px from the tap"
    expect(page.locator("#position-picked")).to_contain_text(f"{lat}, {lon}")
    assert picker.get_attribute("data-picked") == f"{lat},{lon}"
    return lat, lon


def _one_photo_without_its_gps(observation: Observation) -> None:
    photo = ObservationPhoto.objects.get()
    assert photo.observation == observation and not photo.location_kept
    content = bytes(photo.content)
    assert photo.sha256 == hashlib.sha256(content).hexdigest()
    assert dict(Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_IFD)) == {}


def test_a_monitor_on_a_phone_picks_the_position_on_the_map_and_a_photo_arrives_once(
    phone: Page, live_server: object, monitor: User
) -> None:
    base = str(live_server)
    # Provoked on purpose below: the lost answer, and tries of the network while offline.
    offline = {"now": False}
    problems = watch(phone, ignore=lambda message: "ERR_CONNECTION_RESET" in message.text or (
        offline["now"] and "ERR_INTERNET_DISCONNECTED" in message.text))
    sign_in_and_open_the_form(phone, base)
    form = phone.locator("#observation-form")
    expect(form).to_have_attribute("data-cached", "true")
    picker = phone.locator("#position-map")
    expect(picker).to_have_attribute("data-ready", "true")
    fits_and_passes_axe(phone)

    # Offline, on patrol: the position is tapped on the map, a photo taken with the phone's
    # GPS in it is attached, and the record waits on the device with its photo.
    offline["now"] = True
    phone.context.set_offline(True)
    expect(phone.locator("#connection-status")).to_have_text(re.compile("Offline"))
    expected = _tap_the_map(phone, 200, 160)
    phone.get_by_label("Observer (patrol, camera or post)").fill("patrol-9")
    phone.get_by_label("When").fill("2026-03-10T12:00")
    phone.get_by_label("What", exact=True).select_option("explosion_undetermined")
    phone.get_by_label("How many (at least)").fill("2")
    phone.get_by_label("Direction (compass point)").select_option("N")
    phone.get_by_label("Photos", exact=True).set_input_files(
        files=[{"name": "crater.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    phone.get_by_role("button", name="Save observation").click()

    outbox = phone.locator("#outbox li")
    expect(outbox).to_have_count(1)
    expect(outbox.first).to_contain_text("waiting to send")
    expect(outbox.first).to_contain_text("crater.jpg")
    assert _photos_on_the_device(phone) == 1
    assert Observation.objects.count() == 0 and ObservationPhoto.objects.count() == 0
    fits_and_passes_axe(phone)

    # Reloaded without a network, the form, its map and the waiting photo are still there.
    phone.reload()
    expect(form).to_have_attribute("data-ready", "true")
    expect(picker).to_have_attribute("data-ready", "true")
    expect(phone.locator("#outbox li")).to_have_count(1)
    assert _photos_on_the_device(phone) == 1

    # Back online, the answer to the photo is lost: the phone sends the record and the photo
    # again, and the server keeps one of each.
    lost = {"count": 0}

    def lose_the_first_answer(route: Route) -> None:
        if lost["count"] == 0:
            lost["count"] += 1
            route.fetch()  # the server receives and stores it
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route("**/monitoring/observations/submit/photo/", lose_the_first_answer)
    phone.context.set_offline(False)
    offline["now"] = False
    expect(phone.locator("#outbox li")).to_have_count(0, timeout=30_000)
    expect(phone.locator("#sent li")).to_have_count(1)
    expect(phone.locator("#outbox-notice")).to_have_text("Everything has been sent.")
    assert lost["count"] == 1
    phone.unroute("**/monitoring/observations/submit/photo/")

    stored = Observation.objects.get()
    assert (f"{stored.observer_lat:.5f}", f"{stored.observer_lon:.5f}") == expected
    _one_photo_without_its_gps(stored)
    assert _photos_on_the_device(phone) == 0

    # The monitor sees it on the observation's page.
    phone.goto(f"{base}/monitoring/observations/{stored.pk}/")
    expect(phone.get_by_role("img", name=re.compile("crater.jpg"))).to_be_visible()
    fits_and_passes_axe(phone)
    assert problems == [], "\n".join(problems)
