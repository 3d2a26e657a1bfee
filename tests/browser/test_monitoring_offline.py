"""A monitor's form on a bad connection: records wait on the device while offline, are sent
when the connection returns, and a retry after a lost answer makes no duplicate."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, Route, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.monitoring.models import Observation

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
