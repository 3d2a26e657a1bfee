"""The offline observation form on a phone checks what the server checks (decisions 0036 and
0074), in English and in Russian: each rule and bound is refused on the device with the
server's own message beside the field, and nothing enters the outbox; a record that passes is
queued, and the form it leaves is clean but for who observed and from where, which the page
says it kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from hofburg.core.models import User
from hofburg.monitoring.forms import ObservationForm
from hofburg.monitoring.models import Observation
from tests.browser.axe import fits_and_passes_axe
from tests.browser.english_words import english_left
from tests.browser.problems import watch
from tests.browser.screens import PHONE, opened
from tests.browser.test_monitoring_offline import PASSPHRASE, monitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["monitor"]  # the fixture, used by name

ZONE = "Europe/Vienna"  # the device's and the server's (settings.TIME_ZONE) local time
NOW = datetime.now(ZoneInfo(ZONE))
YESTERDAY = (NOW - timedelta(days=1)).strftime("%Y-%m-%dT12:00")
VALID = {"observer_id": "patrol-7", "observer_kind": "camera", "observer_lat": "48.2",
         "observer_lon": "-30.0", "observed_at": YESTERDAY, "method": "saw",
         "category": "explosion_undetermined", "count": "2", "weapon_class": "mortar_up_to_120mm",
         "sector": "E", "bearing_deg": "", "distance_km_min": "2", "distance_km_max": "4",
         "notes": "two flashes, then the sound"}
# What breaks one check each, and the field whose message the monitor must be shown.
BROKEN = [
    ({"bearing_deg": "90"}, "bearing_deg"),                              # not both
    ({"sector": ""}, "sector"),                                          # not neither
    ({"distance_km_max": ""}, "distance_km_max"),                        # both ends
    ({"distance_km_min": ""}, "distance_km_min"),
    ({"distance_km_min": "5", "distance_km_max": "2"}, "distance_km_min"),  # from <= to
    ({"distance_km_min": "0", "distance_km_max": "0"}, "distance_km_max"),  # to > 0
    ({"observed_at": "2014-03-20T12:00"}, "observed_at"),                # before the mandate
    ({"observed_at": (NOW + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")}, "observed_at"),
    ({"distance_km_max": "41"}, "distance_km_max"),                      # farther than seen
    ({"category": ""}, "category"),                                      # chosen afresh
    ({"count": "0"}, "count"),
    ({"sector": "", "bearing_deg": "400"}, "bearing_deg"),               # its own bound only
]
MANDATE = {"en": "21 March 2014", "ru": "21 марта 2014"}


@pytest.fixture(params=["en", "ru"])
def phone(request: pytest.FixtureRequest, browser: Browser,
          live_server: object) -> Iterator[tuple[Page, str]]:
    """A phone with the interface in English or Russian, on the mission's local time."""
    language = request.param
    screen = opened(browser, "ru-RU" if language == "ru" else "en-GB", PHONE,
                    is_mobile=True, has_touch=True, timezone_id=ZONE)
    page = next(screen)
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": str(live_server)}])
    yield page, language
    screen.close()


def _open_the_form(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/?next=/monitoring/observe/")
    page.locator("input[name=username]").fill("mona")
    page.locator("input[name=password]").fill(PASSPHRASE)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/monitoring/observe/$"))
    form = page.locator("#observation-form")
    expect(form).to_have_attribute("data-ready", "true")
    expect(form).to_have_attribute("data-cached", "true")


def _fill(page: Page, values: dict[str, str]) -> None:
    """Type `values` into the form by the fields' names (their labels are in its language)."""
    for name, value in values.items():
        field = page.locator(f"#observation-form [name={name}]")
        if name == "method":
            page.locator(f"#observation-form [name=method][value={value}]").check()
        elif field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def _server_says(values: dict[str, str], language: str) -> dict[str, str]:
    """What the server's form answers the same record: each field's messages."""
    with translation.override(language):
        form = ObservationForm(values)
        form.is_valid()
        return {name: " ".join(str(e) for e in found) for name, found in form.errors.items()}


def _device_says(page: Page) -> dict[str, str]:
    """The messages shown beside the fields, by the name of the field each stands beside."""
    shown: dict[str, str] = page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('#observation-form .errors')].map(note => {
            const box = note.closest('.field, .choices');
            const field = box && box.querySelector('[name]');
            return [field ? field.name : '?', note.textContent.trim()];
        }))""")
    return shown


def _outbox(page: Page) -> list[Any]:
    waiting: list[Any] = page.evaluate("""() => JSON.parse(localStorage.getItem(
        document.getElementById('observation-form').dataset.outboxKey) || '[]')""")
    return waiting


def test_each_rule_is_refused_on_the_device_as_the_server_would_and_nothing_is_queued(
        phone: tuple[Page, str], live_server: object, monitor: User) -> None:
    page, language = phone
    problems = watch(page, ignore=lambda message: "ERR_INTERNET_DISCONNECTED" in message.text)
    _open_the_form(page, str(live_server))
    expect(page.locator(".limits")).to_contain_text(MANDATE[language])
    page.context.set_offline(True)
    expect(page.locator("#connection-status")).to_have_attribute("data-online", "false")

    for changes, field in BROKEN:
        record = {**VALID, **changes}
        server = _server_says(record, language)
        assert list(server) == [field], (changes, server)  # the server refuses it there
        _fill(page, record)
        page.locator("#observation-form button[type=submit]").click()
        expect(page.locator(f".field:has([name={field}]) #check-{field}, "
                            f".choices:has([name={field}]) #check-{field}")).to_be_visible()
        assert _device_says(page) == server, changes
        assert page.evaluate("() => document.activeElement.name") == field
        assert _outbox(page) == []
        expect(page.locator("#outbox li")).to_have_count(0)
        if language == "ru":
            assert english_left(page, "ru") == []
    fits_and_passes_axe(page)  # with a message beside a field

    # Corrected, the message goes as the monitor types; the record is then queued.
    page.locator("#observation-form [name=bearing_deg]").fill("")
    page.locator("#observation-form [name=sector]").select_option("E")
    expect(page.locator("#observation-form .errors")).to_have_count(0)
    _fill(page, VALID)
    page.locator("#observation-form button[type=submit]").click()
    expect(page.locator("#outbox li")).to_have_count(1)
    assert [r["fields"]["sector"] for r in _outbox(page)] == ["E"]
    assert Observation.objects.count() == 0
    assert problems == [], "\n".join(problems)


def test_a_queued_record_leaves_a_clean_form_but_for_who_and_where(
        phone: tuple[Page, str], live_server: object, monitor: User) -> None:
    page, language = phone
    _open_the_form(page, str(live_server))
    page.context.set_offline(True)
    _fill(page, VALID)
    page.locator("#observation-form button[type=submit]").click()
    expect(page.locator("#outbox li")).to_have_count(1)

    values: dict[str, str] = page.evaluate("""() => {
        const form = document.getElementById('observation-form');
        const names = [...new Set([...form.elements].map(e => e.name).filter(Boolean))];
        return Object.fromEntries(names.map(name => [name, form.elements[name].value]));
    }""")
    fresh = {name: ("" if field.initial is None else str(field.initial))
             for name, field in ObservationForm().fields.items()}
    # Who observed and from where are kept, on purpose, and the page says so.
    for name in ("observer_id", "observer_kind", "observer_lat", "observer_lon"):
        assert values[name] == VALID[name]
    kept = page.locator("#kept-notice")
    expect(kept).to_be_visible()
    expect(kept).to_contain_text("patrol-7")
    expect(kept).to_contain_text("48.2, -30.0")
    # Everything that was seen starts afresh: nothing carries over into the next record.
    for name in ("method", "category", "count", "weapon_class", "sector", "bearing_deg",
                 "distance_km_min", "distance_km_max", "notes"):
        assert values[name] == fresh[name], name
    assert (values["method"], values["count"], values["category"]) == ("heard", "1", "")
    assert values["client_id"] == "" and values["observed_at"] != VALID["observed_at"]
    when = datetime.fromisoformat(values["observed_at"]).replace(tzinfo=ZoneInfo(ZONE))
    assert abs(when - datetime.now(ZoneInfo(ZONE))) < timedelta(minutes=2)
    assert page.evaluate("() => document.getElementById('id_photos').files.length") == 0
    expect(page.locator("#id_keep_location")).not_to_be_checked()
    if language == "ru":
        expect(kept).to_contain_text("Сохранено")
        assert english_left(page, "ru") == []

    # Reloaded, the form still starts from who and where only.
    page.reload()
    expect(page.locator("#observation-form")).to_have_attribute("data-ready", "true")
    expect(page.locator("#observation-form [name=observer_id]")).to_have_value("patrol-7")
    expect(page.locator("#observation-form [name=category]")).to_have_value("")
    expect(page.locator("#kept-notice")).to_be_visible()
