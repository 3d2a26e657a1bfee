"""An observer fills the desk's voting checklist in the browser with Enketo, on a phone with a
bad connection: the record waits on the device while offline, is sent when the connection
returns, a retry after a lost answer stores nothing twice, and the page fits 360 px, passes
axe and breaks no rule of the Content-Security-Policy."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.elections.models import Form, Submission
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import MissionRecord, add_member, create_mission
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
CHECKLIST = Path("data/elections/voting.md")
YES_NO = ("box_sealed", "ink_checked", "secrecy_respected", "group_voting", "ballot_stuffing",
          "intimidation", "access_disabled")


@pytest.fixture
def voting(transactional_db: None) -> Form:
    eom = Affiliation.objects.create(code="eom", name="Test EOM",
                                     kind=Affiliation.Kind.FIELD_OPERATION)
    core = User.objects.create_user("core", password=PASSWORD, affiliation=eom,
                                    roles=[Role.READER, Role.EDITOR])
    mission = create_mission(core, MissionRecord(
        code="TEST-EOM", name="Test election observation mission", state="XE",
        election_date=date(2026, 12, 6), exercise=True))
    form, _ = add_form(core, mission, CHECKLIST.read_bytes(), CHECKLIST.name)
    observer = User.objects.create_user("sto-a", password=PASSWORD, affiliation=eom,
                                        roles=[Role.READER])
    add_member(core, mission, observer, "sto", "T01")
    return form


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
    fits_and_passes_axe(phone)

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
    fits_and_passes_axe(phone)

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
    fits_and_passes_axe(phone)
    assert problems == [], "\n".join(problems)


# A form with an XLSForm `image` and `audio` question, as a mission would write one.
MEDIA_FORM = b"""| survey |
|        | type  | name       | label                          | required |
|        | start | start      |                                |          |
|        | end   | end        |                                |          |
|        | text  | station_id | Polling station number         | yes      |
|        | image | protocol   | Photo of the results protocol  | yes      |
|        | audio | statement  | Spoken account of the incident |          |
| settings |
|          | form_id        | form_title              | version |
|          | media_exercise | Media check (EXERCISE)  | 1       |
"""


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def _wav() -> bytes:
    import io
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x01" * 4000)  # half a second
    return out.getvalue()


def test_a_photo_and_a_recording_wait_offline_with_their_record_and_arrive_once(
        phone: Page, live_server: object, voting: Form) -> None:
    from hofburg.elections.models import Attachment

    base = str(live_server)
    core = User.objects.get(username="core")
    form, _ = add_form(core, voting.mission, MEDIA_FORM, "media.md")
    problems = watch(phone, ignore=lambda message: "ERR_CONNECTION_RESET" in message.text)
    address = f"/elections/TEST-EOM/forms/{form.form_id}/{form.version}/enter/"
    _sign_in_and_open(phone, base, address)
    photo, sound = _jpeg(), _wav()

    # Offline: the record and its two files wait on the device.
    phone.context.set_offline(True)
    expect(phone.locator("#connection-status")).to_have_text(re.compile("Offline"))
    phone.locator('input[name="/data/station_id"]').fill("P021")
    phone.locator('input[type="file"][name="/data/protocol"]').set_input_files(
        files=[{"name": "protocol.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    phone.locator('input[type="file"][name="/data/statement"]').set_input_files(
        files=[{"name": "statement.wav", "mimeType": "audio/wav", "buffer": sound}])
    # The widget shows the chosen photo from the page's memory (allowed by this page's policy).
    expect(phone.locator(".question img[src^='blob:']")).to_have_count(1)
    phone.get_by_role("button", name="Save and send").click()
    expect(phone.locator("#outbox li")).to_have_count(1)
    expect(phone.locator("#outbox li").first).to_contain_text("protocol")
    expect(phone.locator("#outbox li").first).to_contain_text(".wav")
    expect(phone.locator('input[name="/data/station_id"]')).to_have_value("")
    assert Submission.objects.filter(form=form).count() == 0
    fits_and_passes_axe(phone)

    # Back online, the first answer is lost: the phone sends the record and its files again.
    lost = {"count": 0}

    def lose_the_first_answer(route: Route) -> None:
        if lost["count"] == 0:
            lost["count"] += 1
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route("**/submission", lose_the_first_answer)
    phone.context.set_offline(False)
    expect(phone.locator("#outbox li")).to_have_count(0, timeout=30_000)
    expect(phone.locator("#sent li")).to_have_count(1)
    assert lost["count"] == 1
    phone.unroute("**/submission")

    stored = Submission.objects.get(form=form)
    assert stored.channel == Submission.Channel.WEB and stored.station_id == "P021"
    files = {a.name: a for a in Attachment.objects.filter(submission=stored)}
    assert set(files) == {stored.data["protocol"], stored.data["statement"]}
    assert stored.data["protocol"].startswith("protocol-")
    assert stored.data["protocol"].endswith(".jpg")
    assert bytes(files[stored.data["protocol"]].content) == photo
    assert files[stored.data["protocol"]].content_type == "image/jpeg"
    assert bytes(files[stored.data["statement"]].content) == sound
    assert files[stored.data["statement"]].content_type == "audio/wav"
    # Nothing of the record is left on the device.
    left = phone.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("hofburg-elections-enketo", 1);
        open.onsuccess = () => {
          const count = open.result.transaction("media").objectStore("media").count();
          count.onsuccess = () => resolve(count.result);
        };
      })""")
    assert left == 0

    # A file of a kind the desk does not take is refused on the phone, and nothing is kept.
    phone.locator('input[name="/data/station_id"]').fill("P022")
    phone.locator('input[type="file"][name="/data/protocol"]').set_input_files(
        files=[{"name": "protocol.gif", "mimeType": "image/gif", "buffer": b"GIF89a" + photo}])
    phone.get_by_role("button", name="Save and send").click()
    expect(phone.locator("#enketo-notice")).to_contain_text("only photos and sound recordings")
    expect(phone.locator("#outbox li")).to_have_count(0)
    assert problems == [], "\n".join(problems)
