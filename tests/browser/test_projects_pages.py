"""A donor delegate on a phone reads the portfolio, filters it, opens a project with its
logframe and indicator chart, sees the State's contributions panel; every page passes axe,
fits the screen and runs under the Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.conftest import PASSWORD, Cast
from tests.projects.samples import World, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def test_portfolio_project_and_state_panel_on_a_phone(phone: Page, live_server: object,
                                                      world: World) -> None:
    base = str(live_server)
    problems = watch(phone)
    phone.goto(base + "/accounts/login/?next=/projects/")
    phone.get_by_label("Username").fill("alice")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    phone.wait_for_url(re.compile(r"/projects/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Projects")
    expect(phone.get_by_role("heading", name="2 projects")).to_be_visible()
    fits_and_passes_axe(phone)

    phone.get_by_label("Theme").select_option("climate_security")
    phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_role("heading", name="1 project")).to_be_visible()
    phone.get_by_role("link", name="P-200").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("P-200")
    expect(phone.get_by_role("cell", name=re.compile("1.1.1 Prosecutors trained"))).to_be_visible()
    chart = phone.locator("canvas[id^=indicator-chart-]").first
    expect(chart).to_have_attribute("data-ready", "true")
    fits_and_passes_axe(phone)

    phone.goto(base + "/projects/contributions/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Contributions of Austria")
    fits_and_passes_axe(phone)

    phone.goto(base + "/projects/map/")
    expect(phone.locator("#projects-map")).to_have_attribute("data-ready", "true")
    expect(phone.get_by_role("link", name="Moldova")).to_be_visible()
    fits_and_passes_axe(phone)

    phone.goto(base + "/projects/personnel/?field_operation=mission-to-moldova")
    expect(phone.get_by_role("heading", name="Largest single contributors")).to_be_visible()
    fits_and_passes_axe(phone)

    phone.goto(base + "/projects/donors/")
    expect(phone.get_by_role("link", name="European Union", exact=True)).to_be_visible()
    fits_and_passes_axe(phone)

    phone.goto(base + "/projects/budget/")
    expect(phone.get_by_role("cell", name="2018", exact=True)).to_be_visible()
    fits_and_passes_axe(phone)

    phone.goto(base + "/registry/states/AT/")
    expect(phone.locator("#projects-contributions-chart")).to_have_attribute("data-ready",
                                                                             "true")
    fits_and_passes_axe(phone)
    assert problems == []
