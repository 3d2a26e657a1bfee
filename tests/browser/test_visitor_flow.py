"""What a visitor sees: the home page, the OSCE-area map, a State profile, another language."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    call_command("load_reference", verbosity=0)


def test_a_visitor_goes_from_the_home_page_through_the_map_to_a_state(
    page: Page, live_server: object, reference_data: None
) -> None:
    base = str(live_server)
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cooperative security in the OSCE area"
    )
    expect(page.get_by_text("57", exact=True).first).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
    expect(page.locator("#osce-map")).to_have_attribute("data-ready", "true")
    # The offline base layer is drawn: every country of the atlas, and no tile images.
    assert int(page.locator("#osce-map").get_attribute("data-feature-count") or 0) > 200
    assert page.locator("#osce-map img.leaflet-tile").count() == 0

    # A person clicks on Austria where it lies on the map.
    x, y = page.evaluate(
        "() => { const p = document.getElementById('osce-map').hofburgMap"
        ".latLngToContainerPoint([47.6, 14.3]); return [p.x, p.y]; }"
    )
    page.locator("#osce-map").hover(position={"x": x, "y": y})
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Austria")
    page.locator("#osce-map").click(position={"x": x, "y": y})
    expect(page).to_have_url(re.compile(r"/registry/states/AT/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Austria")
    expect(page.locator("p.joined time")).to_have_attribute("datetime", "1973-06-25")
    expect(page.locator("p.joined")).to_contain_text("1973")


def test_a_visitor_reads_a_state_profile_in_russian(
    page: Page, live_server: object, reference_data: None
) -> None:
    page.goto(str(live_server) + "/registry/states/FI/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Finland")
    page.locator("#language-switcher").select_option("ru")
    page.locator("form.language").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Финляндия")
    expect(page.locator("nav.main-nav")).to_contain_text("Карта")


def test_an_editor_signs_in_registers_a_restricted_document_and_finds_it(
    page: Page, live_server: object, transactional_db: None, tmp_path: object, settings: object
) -> None:
    from hofburg.core.models import Affiliation, Role, User

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    north = Affiliation.objects.create(code="north", name="Exercise Delegation North",
                                       kind=Affiliation.Kind.DELEGATION, is_exercise=True)
    User.objects.create_user("edith", password="a-long-enough-passphrase", affiliation=north,
                             roles=[Role.READER, Role.EDITOR])
    base = str(live_server)
    page.goto(base + "/accounts/login/?next=/documents/new/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/documents/new/$"))

    page.get_by_label("Symbol").fill("PC.DEL/4711/26")
    page.get_by_label("Title").fill("Statement on border water management")
    page.get_by_label("Date").fill("2026-03-12")
    page.get_by_label("Originating delegation or body").fill("Exercise Delegation North")
    page.get_by_label("Distribution").select_option("restricted")
    page.get_by_role("button", name=re.compile("Register")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("PC.DEL/4711/26")
    expect(page.locator("main")).to_contain_text("Restricted")

    page.goto(base + "/documents/?q=water")
    expect(page.locator("main")).to_contain_text("PC.DEL/4711/26")

    # Signed out, the same search shows nothing and the document does not exist.
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.goto(base + "/documents/?q=water")
    expect(page.locator("main")).not_to_contain_text("PC.DEL/4711/26")
