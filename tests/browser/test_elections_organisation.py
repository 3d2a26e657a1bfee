"""The core team organises its mission on a phone: moves it into deployment, draws an area of
responsibility from the frame, forms an LTO team, puts an observer on it (incomplete until its
second arrives) and reads the deployment board by area; every page fits 360 px and passes axe."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.elections.models import Member, Mission, Team
from hofburg.elections.services.missions import (
    MissionRecord,
    add_member,
    create_mission,
    import_frame,
)
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def mission_code(transactional_db: None) -> str:
    eom = Affiliation.objects.create(code="eom", name="Test EOM",
                                     kind=Affiliation.Kind.FIELD_OPERATION, is_exercise=True)
    editor = User.objects.create_user("editor", password=PASSWORD, affiliation=eom,
                                      roles=[Role.READER, Role.EDITOR])
    mission = create_mission(editor, MissionRecord(
        code="TEST-EOM", name="Test election observation mission", state="XE",
        election_date=date(2026, 12, 6)))
    import_frame(editor, mission, "station_id,name,region,district,urban_rural,"
                 "registered_voters,lon,lat\nP001,School One,Northmark,Northmark 1,urban,1000,,\n"
                 "P002,Hall Two,Northmark,Northmark 2,rural,500,,\nP003,Club Three,Southvale,"
                 "Southvale 1,rural,400,,\n")
    core = User.objects.create_user("core", password=PASSWORD, affiliation=eom,
                                    roles=[Role.READER])
    add_member(editor, mission, core, Member.Role.CORE)
    for name, role in (("lto-a", Member.Role.LTO), ("sto-a", Member.Role.STO)):
        user = User.objects.create_user(name, password=PASSWORD, affiliation=eom,
                                        roles=[Role.READER])
        add_member(editor, mission, user, role, "T01" if role == Member.Role.STO else "")
    return mission.code


def test_the_core_team_organises_the_mission_on_a_phone(phone: Page, live_server: object,
                                                        mission_code: str) -> None:
    base = str(live_server)
    # The refused area below is answered 400 (the form with its error), as the desk's forms are.
    problems = watch(phone, ignore=lambda message: "status of 400" in message.text)
    phone.goto(f"{base}/accounts/login/?next=/elections/{mission_code}/")
    phone.get_by_label("Username").fill("core")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    phone.wait_for_url(re.compile(rf"/elections/{mission_code}/$"))
    expect(phone.get_by_text("Exercise Republic (EXERCISE)")).to_be_visible()
    fits_and_passes_axe(phone)

    phone.get_by_role("button", name="Move the mission to the next phase: deployment").click()
    expect(phone.get_by_text("The mission is in its next phase.")).to_be_visible()
    expect(phone.locator(".phases [aria-current=step]")).to_have_text(re.compile("deployment"))
    assert Mission.objects.get().phase == "deployment"
    fits_and_passes_axe(phone)

    phone.goto(f"{base}/elections/{mission_code}/areas/")
    fits_and_passes_axe(phone)
    phone.get_by_label("Name of the area").fill("North")
    phone.get_by_label("Northmark: the whole region").check()
    phone.get_by_role("button", name="Draw the area").click()
    expect(phone.get_by_text("The area of responsibility is drawn.")).to_be_visible()
    expect(phone.get_by_role("cell", name="Northmark", exact=True)).to_be_visible()
    # The same region again: refused, and said next to the regions.
    phone.get_by_label("Name of the area").fill("Also north")
    phone.get_by_label("Northmark 1").check()
    phone.get_by_role("button", name="Draw the area").click()
    expect(phone.locator("#places-errors")).to_contain_text("is in the area North already")
    fits_and_passes_axe(phone)

    phone.goto(f"{base}/elections/{mission_code}/teams/")
    phone.get_by_label("Team", exact=True).last.fill("L1")
    phone.get_by_label("Kind").select_option("lto")
    phone.get_by_label("Area of responsibility").last.select_option(label="North")
    phone.get_by_role("button", name="Form the team").click()
    expect(phone.get_by_text("The team is formed.")).to_be_visible()
    phone.get_by_label("Observer").select_option("lto-a")
    phone.get_by_label("Team", exact=True).first.select_option("L1")
    phone.get_by_role("button", name="Put on the team").click()
    expect(phone.get_by_text("The observer is on the team.")).to_be_visible()
    lto_row = phone.get_by_role("row").filter(has=phone.get_by_role("rowheader", name="L1"))
    expect(lto_row).to_contain_text("incomplete: 1 observer missing")
    fits_and_passes_axe(phone)
    assert Member.objects.get(user__username="lto-a").team == "L1"
    assert Team.objects.get(code="L1").area is not None

    phone.goto(f"{base}/elections/{mission_code}/deployment/")
    expect(phone.get_by_role("heading", name="North", level=3)).to_be_visible()
    expect(phone.get_by_role("heading", name="Teams in no area yet")).to_be_visible()
    fits_and_passes_axe(phone)
    assert problems == [], "\n".join(problems)
