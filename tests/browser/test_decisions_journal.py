"""The Chair's officer on a phone: a meeting's page with its agenda and forms, then the
journal of the day, both readable at 360 px and free of serious accessibility problems."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.decisions.models import Meeting
from hofburg.decisions.services.meetings import add_agenda_item, create_meeting
from tests.browser.axe import serious_violations
from tests.browser.problems import watch
from tests.decisions.samples_meetings import (
    MEETING_DAY,
    add_decision,
    add_statement,
    attach,
    place_under_silence,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def meeting(transactional_db: None) -> Meeting:
    """An exercise PC meeting with an agenda, statements, a decision with an attachment and a
    draft under silence; the exercise Secretariat's editor chairs it."""
    secretariat = Affiliation.objects.create(
        code="exercise-secretariat", name="Exercise Secretariat",
        kind=Affiliation.Kind.SECRETARIAT_UNIT, is_exercise=True)
    north = Affiliation.objects.create(code="exercise-north", name="Exercise North",
                                       kind=Affiliation.Kind.DELEGATION, is_exercise=True)
    chair = User.objects.create_user("xena", password=PASSWORD, affiliation=secretariat,
                                     roles=[Role.READER, Role.EDITOR])
    meeting = create_meeting(chair, body="PC", date=MEETING_DAY,
                             chairperson="Exercise Chairperson")
    item = add_agenda_item(chair, meeting, "Review of current issues")
    add_statement(meeting, item, north, speaker="Exercise North-Exercise Union",
                  alignment_note="with the exercise candidate countries in alignment",
                  symbol="PC.DEL/1/26")
    decision = add_decision(meeting, number=1, title="Decision on an exercise seminar",
                            text="The Permanent Council decides to hold an exercise seminar.")
    attach(decision, north, number=1, text="Exercise North reads the decision as ...")
    place_under_silence(meeting, number=2, title="Draft decision on an exercise budget",
                        interim="The interim text of the exercise budget.")
    return meeting


def _no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_the_meeting_and_its_journal_read_on_a_phone(phone: Page, live_server: object,
                                                     meeting: Meeting) -> None:
    base = str(live_server)
    problems = watch(phone)
    phone.goto(base + f"/accounts/login/?next=/decisions/meetings/{meeting.pk}/")
    phone.get_by_label("Username").fill("xena")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    phone.wait_for_url(re.compile(rf"/decisions/meetings/{meeting.pk}/$"))

    expect(phone.get_by_role("heading", level=1)).to_contain_text("PC.JOUR/1")
    phone.get_by_label("Title of the agenda item").fill("Any other business")
    phone.get_by_role("button", name="Add the agenda item").click()
    expect(phone.locator("ol.agenda li")).to_have_count(2)
    _no_horizontal_overflow(phone)
    assert serious_violations(phone) == []

    phone.get_by_role("link", name="The journal of the day").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("EXERCISE — Journal No. 1")
    expect(phone.locator("main")).to_contain_text(
        "The Permanent Council adopted Decision No. 1 (PC.DEC/1) on an exercise seminar")
    expect(phone.locator("main")).to_contain_text("(interim text attached)")
    expect(phone.locator("main")).to_contain_text("10:00 CET")
    _no_horizontal_overflow(phone)
    assert serious_violations(phone) == []
    assert problems == []
