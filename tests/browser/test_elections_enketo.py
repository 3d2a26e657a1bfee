"""An observer fills the desk's voting checklist in the browser with Enketo, on a phone with a
bad connection: the record waits on the device while offline, is sent when the connection
returns, a retry after a lost answer stores nothing twice, and the page fits 360 px, passes
axe and breaks no rule of the Content-Security-Policy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.elections.models import Form, Member, Submission
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import create_mission
from tests.browser.axe import serious_violations
from tests.browser.problems import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
PHONE = {"width": 360, "height": 780}
CHECKLIST = Path("data/elections/voting.md")
YES_NO = ("box_sealed", "ink_checked", "secrecy_respected", "group_voting", "ballot_stuffing",
          "intimidation", "access_disabled")


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def voting(transactional_db: None) -> Form:
    eom = Affiliation.objects.create(code="eom", name="Test EOM",
                                     kind=Affiliation.Kind.FIELD_OPERATION)
    core = User.objects.create_user("core", password=PASSWORD, affiliation=eom,
                                    roles=[Role.READER, Role.EDITOR])
    mission = create_mission(core, code="TEST-EOM", name="Test election observation mission",
                             state="Exercise Republic", election_date=date(2026, 12, 6))
    form, _ = add_form(core, mission, CHECKLIST.read_bytes(), CHECKLIST.name)
    observer = User.objects.create_user("sto-a", password=PASSWORD, affiliation=eom,
                                        roles=[Role.READER])
    Member.objects.create(mission=mission, user=observer, role="sto", team="T01")
    return form


def _fits_and_passes_axe(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"
    assert serious_violations(page) == [], page.url


def _choose(page: Page, question: str, value: str) -> None:
    page.locator(f'input[name="/data/{question}"][value="{value}"]').check()


def _fill_checklist(page: Page, station: str) -> None:
    page.locator('input[name="/data/team"]').fill("T01")
    page.locator('input[name="/data/station_id"]').fill(station)
    page.locator('input[name="/data/voters_on_list"]').fill("1200")
    page.locator('input[name="/data/voted_so_far"]').fill("431")
    for question in YES_NO:
        _choose(page, question, "yes")
    _choose(page, "ballot_stuffing", "no")
    page.locator('input[name="/data/observers_present"][value="citizen"]').check()
    _choose(page, "overall", "good")
    _choose(page, "serious_problem", "no")
    page.locator('[name="/data/remarks"]').fill("Calm; queue of about twenty voters.")


def _sign_in_and_open(page: Page, base: str, address: str) -> None:
    page.goto(base + "/accounts/login/?next=" + address)
    page.get_by_label("Username").fill("sto-a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.wait_for_url(re.compile(re.escape(address) + "$"))
    expect(page.locator("#enketo-entry")).to_have_attribute("data-ready", "true")


def test_an_observer_fills_the_checklist_on_a_phone_offline_and_it_is_stored_once(
        phone: Page, live_server: object, voting: Form) -> None:
    base = str(live_server)
    # Provoked on purpose below: the lost answer, and the service worker's try of the network
    # when the page is reloaded offline. Nothing else may go wrong.
    reloading_offline = {"now": False}
    problems = watch(phone, ignore=lambda message: "ERR_CONNECTION_RESET" in message.text or (
        reloading_offline["now"] and "ERR_INTERNET_DISCONNECTED" in message.text))
    address = f"/elections/TEST-EOM/forms/{voting.form_id}/{voting.version}/enter/"
    _sign_in_and_open(phone, base, address)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Voting (EXERCISE)")
    expect(phone.locator("#enketo-entry")).to_have_attribute("data-cached", "true")
    _fits_and_passes_axe(phone)

    # A required question left empty: Enketo says so and nothing is kept.
    phone.get_by_role("button", name="Save and send").click()
    expect(phone.locator("#enketo-notice")).to_contain_text("missing or not valid")
    expect(phone.locator("#outbox li")).to_have_count(0)

    # Offline: the record waits on the device.
    phone.context.set_offline(True)
    expect(phone.locator("#connection-status")).to_have_text(re.compile("Offline"))
    _fill_checklist(phone, "P017")
    phone.get_by_role("button", name="Save and send").click()
    expect(phone.locator("#outbox li")).to_have_count(1)
    expect(phone.locator("#outbox li").first).to_contain_text("waiting to send")
    expect(phone.locator("#enketo-notice")).to_contain_text("kept on this device")
    # The form is empty again for the next station.
    expect(phone.locator('input[name="/data/station_id"]')).to_have_value("")
    assert Submission.objects.count() == 0
    _fits_and_passes_axe(phone)

    # The page itself is kept on the device: reloaded offline, it still shows the queue.
    reloading_offline["now"] = True
    phone.reload()
    expect(phone.locator("#enketo-entry")).to_have_attribute("data-ready", "true")
    expect(phone.locator("#outbox li")).to_have_count(1)
    reloading_offline["now"] = False

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

    phone.route("**/submission", lose_the_first_answer)
    phone.context.set_offline(False)
    expect(phone.locator("#connection-status")).to_have_text("Online")
    expect(phone.locator("#outbox li")).to_have_count(0, timeout=30_000)
    expect(phone.locator("#sent li")).to_have_count(1)
    expect(phone.locator("#enketo-notice")).to_have_text("Record received by the server.")
    assert lost["count"] == 1
    phone.unroute("**/submission")

    stored = Submission.objects.get()
    assert stored.channel == Submission.Channel.WEB
    assert (stored.form_id, stored.station_id, stored.team) == (voting.pk, "P017", "T01")
    assert stored.submitted_by is not None and stored.submitted_by.username == "sto-a"
    assert stored.instance_id.startswith("uuid:")
    assert stored.data["overall"] == "good"
    assert stored.data["ballot_stuffing"] == "no"
    assert stored.data["observers_present"] == "citizen"
    assert stored.data["voted_so_far"] == "431"
    assert stored.captured_at is not None  # Enketo's start/end preloads

    # A second station, online: sent at once.
    _fill_checklist(phone, "P018")
    phone.get_by_role("button", name="Save and send").click()
    expect(phone.locator("#sent li")).to_have_count(2)
    assert sorted(Submission.objects.values_list("station_id", flat=True)) == ["P017", "P018"]
    _fits_and_passes_axe(phone)
    assert problems == [], "\n".join(problems)
