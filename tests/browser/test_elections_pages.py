"""An analyst of an election observation mission on a phone: the mission, its stations and
forms, freezing the figures at a cut-off and reading them with their breakdowns, the
serious-problems queue and an observer conflict; every page fits 360 px and passes axe."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.elections.models import Submission
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import (
    MissionRecord,
    add_member,
    create_mission,
    import_frame,
)
from hofburg.elections.services.submissions import Media, receive
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.elections.samples import submission_xml, xlsform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def mission_code(transactional_db: None) -> str:
    eom = Affiliation.objects.create(code="eom", name="Test EOM",
                                     kind=Affiliation.Kind.FIELD_OPERATION)
    core = User.objects.create_user("core", password=PASSWORD, affiliation=eom,
                                    roles=[Role.READER, Role.EDITOR])
    mission = create_mission(core, MissionRecord(
        code="TEST-EOM", name="Test election observation mission", state="XE",
        election_date=date(2026, 12, 6), exercise=True))
    import_frame(core, mission, "station_id,name,region,district,urban_rural,registered_voters,"
                 "lon,lat\nP001,School One,North,N1,urban,1000,,\nP002,Hall Two,South,S1,"
                 "rural,500,,\n")
    add_form(core, mission, xlsform())
    observers = []
    for name in ("sto-a", "sto-b"):
        user = User.objects.create_user(name, password=PASSWORD, affiliation=eom,
                                        roles=[Role.READER])
        add_member(core, mission, user, "sto", "T01")
        observers.append(user)
    receive(observers[0], submission_xml(station="P001", overall="very_bad"),
            media=(Media("protocol-9_41_7.jpg", "image/jpeg", b"\xff\xd8 a photo"),))
    receive(observers[0], submission_xml(station="P002", overall="good"))
    receive(observers[1], submission_xml(station="P002", overall="bad"))
    Submission.objects.update(received_at=timezone.now() - timedelta(hours=2))
    return mission.code


def test_an_analyst_on_a_phone(phone: Page, live_server: object, mission_code: str) -> None:
    base = str(live_server)
    problems = watch(phone)
    phone.goto(base + "/accounts/login/?next=/elections/")
    phone.get_by_label("Username").fill("core")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    phone.wait_for_url(re.compile(r"/elections/$"))
    fits_and_passes_axe(phone)
    phone.get_by_role("link", name=mission_code).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Test election observation mission")
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/elections/{mission_code}/stations/")
    expect(phone.get_by_role("cell", name="School One")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/elections/{mission_code}/forms/")
    fits_and_passes_axe(phone)
    phone.get_by_role("link", name="List").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Submissions: voting")
    expect(phone.get_by_role("link", name="protocol-9_41_7.jpg")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/elections/{mission_code}/figures/")
    cutoff = timezone.localtime(timezone.now() - timedelta(hours=1))
    phone.get_by_label(re.compile("Cut-off")).fill(cutoff.strftime("%Y-%m-%dT%H:%M%z"))
    phone.get_by_role("button", name="Freeze the figures at this cut-off").click()
    expect(phone.get_by_text("Figures frozen at the cut-off.")).to_be_visible()
    expect(phone.get_by_role("cell", name="1 of 1 (100.0 %)", exact=True)).to_be_visible()
    fits_and_passes_axe(phone)
    # The breakdowns: by region (open), by urban or rural area and by hour of visit (opened
    # one by one), each group's column with its n; each fits the phone and passes axe open.
    by_region = phone.get_by_role("region", name="By region")
    expect(by_region.get_by_role("columnheader", name=re.compile("North"))).to_be_visible()
    overall = by_region.get_by_role("row", name=re.compile("Overall assessment of voting"))
    expect(overall).to_contain_text("n = 1")
    expect(overall).to_contain_text("very_bad: 1 (100.0 %)")
    expect(overall.locator("strong")).to_contain_text("Assessed negatively")
    expect(overall.locator("strong")).to_contain_text("1 of 1 (100.0 %)")
    for title, group in (("By urban or rural area", "urban"),
                         ("By hour of visit", "09:00–09:59")):
        phone.get_by_text(title, exact=True).click()
        table = phone.get_by_role("region", name=title)
        expect(table.get_by_role("columnheader", name=re.compile(group))).to_be_visible()
        expect(table.get_by_role("row", name=re.compile("Overall assessment"))).to_contain_text(
            "n = 1")
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/elections/{mission_code}/coverage/")
    expect(phone.get_by_role("cell", name="T01")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/elections/{mission_code}/problems/")
    expect(phone.get_by_role("cell", name=re.compile("School One"))).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/elections/{mission_code}/conflicts/")
    expect(phone.get_by_text("Answers that differ: overall")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_role("button", name="This form stands").first.click()
    expect(phone.get_by_text("No conflict waiting.")).to_be_visible()
    fits_and_passes_axe(phone)
    assert problems == []
