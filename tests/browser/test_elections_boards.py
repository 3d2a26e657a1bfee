"""The election observation desk's boards in the browser, on a phone and on a desktop: the
deployment board with its coverage map (stations reachable with the keyboard, a legend with
counts), planning a visit; every page fits the screen and passes axe."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import (
    MissionRecord,
    add_member,
    create_mission,
    import_frame,
)
from hofburg.elections.services.submissions import receive
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.screens import screens
from tests.elections.samples import submission_xml, xlsform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


screen = screens("en-desktop", "en-phone")


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
                 "lon,lat\nP001,School One,North,N1,urban,1000,20.40,44.80\n"
                 "P002,Hall Two,South,S1,rural,500,20.90,44.10\n"
                 "P003,Club Three,South,S2,rural,400,21.20,43.90\n")
    add_form(core, mission, xlsform())
    observer = User.objects.create_user("sto-a", password=PASSWORD, affiliation=eom,
                                        roles=[Role.READER])
    add_member(core, mission, observer, "sto", "T01")
    receive(observer, submission_xml(station="P001", overall="good"))
    return mission.code


def _sign_in(page: Page, base: str, then: str) -> None:
    page.goto(f"{base}/accounts/login/?next={then}")
    page.get_by_label("Username").fill("core")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.wait_for_url(re.compile(re.escape(then) + "$"))


def test_planning_the_deployment_on_the_coverage_map(screen: Page, live_server: object,
                                                    mission_code: str) -> None:
    base = str(live_server)
    problems = watch(screen)
    path = f"/elections/{mission_code}/deployment/"
    _sign_in(screen, base, path)
    expect(screen.locator("#coverage-map")).to_have_attribute("data-ready", "true")
    legend = screen.locator("#coverage-legend")
    expect(legend).to_contain_text("1 station visited")
    expect(legend).to_contain_text("2 stations not yet visited")
    markers = screen.locator("#coverage-map [data-station]")
    expect(markers).to_have_count(3)
    expect(screen.locator("#coverage-map .station-marker.visited")).to_have_count(1)
    # The stations are reachable with the keyboard and named.
    screen.locator("#coverage-map").focus()
    for _ in range(40):
        screen.keyboard.press("Tab")
        if screen.evaluate("() => !!document.activeElement.dataset.station"):
            break
    label = screen.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert re.match(r"P00\d · ", label or ""), label
    fits_and_passes_axe(screen)
    screen.get_by_label("Team", exact=True).select_option("T01")
    screen.get_by_label("Polling station id").fill("P002")
    screen.get_by_label("Day", exact=True).fill("2026-12-06")
    screen.get_by_role("button", name="Add to the plan").click()
    expect(screen.get_by_text("The team is on the plan.")).to_be_visible()
    expect(screen.get_by_role("cell", name="P002 · Hall Two")).to_be_visible()
    expect(screen.locator("#coverage-map")).to_have_attribute("data-ready", "true")
    expect(screen.locator('#coverage-map [data-station="P002"]')).to_have_attribute(
        "aria-label", re.compile("teams planned: T01"))
    fits_and_passes_axe(screen)
    screen.get_by_role("button", name="Remove team T01 from station P002").click()
    expect(screen.get_by_text("The assignment is off the plan.")).to_be_visible()
    fits_and_passes_axe(screen)
    assert problems == []


def test_the_pvt_board_and_its_convergence_chart(screen: Page, live_server: object,
                                                 mission_code: str) -> None:
    from hofburg.elections.models import Mission
    from hofburg.elections.services.pvt import set_up_pvt
    from tests.elections.samples import results_xlsform, results_xml

    mission = Mission.objects.get(code=mission_code)
    core = User.objects.get(username="core")
    observer = User.objects.get(username="sto-a")
    add_form(core, mission, results_xlsform())
    set_up_pvt(core, mission, form_id="results", candidates=["cand_a", "cand_b"],
               strata=["region"], sample=["P001", "P002", "P003"])
    for station, a, b in (("P001", 60, 40), ("P002", 45, 55), ("P003", 52, 48)):
        receive(observer, results_xml(station, 100, a, b))
    base = str(live_server)
    problems = watch(screen)
    path = f"/elections/{mission_code}/pvt/"
    _sign_in(screen, base, path)
    expect(screen.locator("#pvt-convergence-chart")).to_have_attribute("data-ready", "true")
    expect(screen.get_by_text("3 stations sampled, 3 results received")).to_be_visible()
    expect(screen.get_by_role("cell", name="South")).to_be_visible()
    fits_and_passes_axe(screen)
    screen.get_by_text("The chart's figures").click()
    expect(screen.get_by_role("region", name="Convergence figures")).to_be_visible()
    screen.get_by_label(re.compile("at least this many valid votes")).fill("101")
    screen.get_by_role("button", name="Save the set-up").click()
    expect(screen.get_by_text("The PVT is set up.")).to_be_visible()
    expect(screen.get_by_text("No result counts as reported yet.")).to_be_visible()
    fits_and_passes_axe(screen)
    assert problems == []


def test_provisioning_a_device_by_qr_code(screen: Page, live_server: object,
                                          mission_code: str) -> None:
    base = str(live_server)
    problems = watch(screen)
    path = f"/elections/{mission_code}/devices/"
    _sign_in(screen, base, path)
    expect(screen.get_by_text("No device token yet.")).to_be_visible()
    fits_and_passes_axe(screen)
    screen.get_by_label("Observer").select_option("sto-a")
    screen.get_by_label(re.compile("^Device")).fill("T01 phone")
    screen.get_by_role("button", name="Issue the token and show its QR code").click()
    qr = screen.get_by_role("img", name=re.compile("ODK Collect settings QR code"))
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 200, box  # large enough to scan from a screen
    expect(screen.locator("#issued-secret")).to_contain_text("hbd_")
    fits_and_passes_axe(screen)
    screen.goto(base + path)
    expect(screen.locator("#issued-secret")).to_have_count(0)
    screen.get_by_role("button", name="Revoke T01 phone").click()
    expect(screen.get_by_text("The device token is revoked.")).to_be_visible()
    expect(screen.get_by_role("cell", name="revoked")).to_be_visible()
    fits_and_passes_axe(screen)
    assert problems == []
