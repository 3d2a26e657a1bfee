"""A mission's officer on a phone reads the rounds of a format, opens one, and records a
commitment with a link to the monitoring desk's evidence; every page passes axe."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.decisions.models import NegotiationRound
from hofburg.decisions.services import rounds as services
from tests.browser.axe import serious_violations
from tests.browser.problems import watch
from tests.decisions.samples_rounds import make_formats

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def negotiation_round(transactional_db: None) -> NegotiationRound:
    make_formats()
    mission = Affiliation.objects.create(code="mission", name="Test Mission",
                                         kind=Affiliation.Kind.FIELD_OPERATION)
    officer = User.objects.create_user("mo", password=PASSWORD, affiliation=mission,
                                       roles=[Role.READER, Role.EDITOR])
    services.record_round(officer, services.RoundInput(
        format_code="five-plus-two", number=None, starts_on=date(2011, 12, 1), ends_on=None,
        place="Vilnius", date_precision="month", classification="public"))
    return services.record_round(officer, services.RoundInput(
        format_code="five-plus-two", number=None, starts_on=date(2018, 5, 29),
        ends_on=date(2018, 5, 30), place="Rome", documents=["Rome Protocol"],
        classification="public"))


def _no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def _check(page: Page) -> None:
    _no_horizontal_overflow(page)
    assert serious_violations(page) == [], page.url


def test_rounds_and_a_commitment_on_a_phone(
    phone: Page, live_server: object, negotiation_round: NegotiationRound
) -> None:
    base = str(live_server)
    problems = watch(phone)
    phone.goto(base + "/accounts/login/?next=/decisions/rounds/")
    phone.get_by_label("Username").fill("mo")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    phone.wait_for_url(re.compile(r"/decisions/rounds/$"))

    expect(phone.get_by_role("heading", level=1)).to_have_text("Negotiation rounds")
    rows = phone.locator("#format-five-plus-two tbody tr")
    expect(rows.first).to_contain_text("Rome")  # newest first
    expect(rows.nth(1)).to_contain_text("December 2011")
    _check(phone)

    phone.get_by_label("Format").select_option("five-plus-two")
    phone.get_by_role("button", name="Filter").click()
    expect(phone).to_have_url(re.compile(r"format=five-plus-two"))
    phone.locator("#format-five-plus-two a", has_text="29 May 2018").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("round in Rome")
    expect(phone.get_by_role("cell", name="Moldova")).to_be_visible()
    expect(phone.get_by_text("Rome Protocol")).to_be_visible()
    _check(phone)

    phone.get_by_label("Commitment").fill("Weapons withdrawn to the agreed lines.")
    phone.get_by_label("Kind").select_option("withdrawal_of_weapons")
    phone.get_by_label("Evidence on the monitoring desk").fill("javascript:alert(1)")
    phone.get_by_role("button", name="Record").click()
    expect(phone.get_by_role("alert").filter(
        has_text="Give the path of a page of the monitoring desk")).to_be_visible()
    _check(phone)

    phone.get_by_label("Evidence on the monitoring desk").fill("/monitoring/map/")
    phone.get_by_role("button", name="Record").click()
    evidence = phone.get_by_role("link", name="Evidence on the monitoring desk")
    expect(evidence).to_have_attribute("href", "/monitoring/map/")
    _check(phone)

    phone.goto(base + "/decisions/rounds/new/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Record a negotiation round")
    _check(phone)
    assert problems == []
