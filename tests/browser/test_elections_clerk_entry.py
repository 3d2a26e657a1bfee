"""A data clerk types a phoned-in voting checklist into the Enketo page on a phone: the channel
and the time the observer filled it in (on the mission's clocks) go with the record and are
stored in place of the browser's own times; a time before the mission is refused on the page,
keeping nothing; the page fits 360 px and passes axe."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Role, User
from hofburg.elections.models import Form, Member, Mission, Submission
from hofburg.elections.services.missions import add_member
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.test_elections_enketo import PASSWORD, _fill_checklist, voting

__all__ = ["voting"]  # the fixture, imported for pytest to find

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_enters_a_phoned_in_form_with_its_time(phone: Page, live_server: object,
                                                        voting: Form) -> None:
    base = str(live_server)
    Mission.objects.update(created_at=datetime(2026, 10, 15, 8, 0, tzinfo=UTC),
                           time_zone="Europe/Vienna")
    clerk = User.objects.create_user("clerk-a", password=PASSWORD,
                                     affiliation=voting.mission.owner_affiliation,
                                     roles=[Role.READER])
    add_member(User.objects.get(username="core"), voting.mission, clerk, Member.Role.CLERK)
    problems = watch(phone)
    address = f"/elections/TEST-EOM/forms/{voting.form_id}/{voting.version}/enter/"
    phone.goto(base + "/accounts/login/?next=" + address)
    phone.get_by_label("Username").fill("clerk-a")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    phone.wait_for_url(re.compile(re.escape(address) + "$"))
    expect(phone.locator("#enketo-entry")).to_have_attribute("data-ready", "true")
    expect(phone.get_by_role("group", name="Entered by a data clerk")).to_be_visible()
    fits_and_passes_axe(phone)

    # Before the mission was set up: refused on the page, nothing kept.
    _fill_checklist(phone, "P021")
    phone.get_by_label(re.compile("phone-in")).check()
    when = phone.get_by_label(re.compile(r"Filled in at \(date and time in Europe/Vienna"))
    when.fill("2026-10-01T09:40")
    phone.get_by_role("button", name="Save and send").click()
    expect(phone.locator("#enketo-notice")).to_contain_text("before the mission was set up")
    expect(when).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#outbox li")).to_have_count(0)

    when.fill("2026-12-06T09:40")
    phone.get_by_role("button", name="Save and send").click()
    expect(phone.locator("#sent li")).to_have_count(1)
    expect(phone.locator("#sent li").first).to_contain_text("2026-12-06 09:40 Europe/Vienna")
    expect(when).to_have_value("")  # the next form has a time of its own
    fits_and_passes_axe(phone)

    stored = Submission.objects.get()
    assert (stored.channel, stored.device, stored.submitted_by) == ("phone", "clerk entry",
                                                                     clerk)
    assert stored.captured_at == datetime(2026, 12, 6, 8, 40, tzinfo=UTC)
    assert (stored.station_id, stored.team) == ("P021", "T01")  # the form's team answer
    assert problems == [], "\n".join(problems)
