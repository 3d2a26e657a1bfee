"""On a phone, after the password and the second factor: the protection-case publication
previewed by an analyst (small counts suppressed) and released, and an analyst linking a
statement on intolerance to one more incident; every page fits 360 px and passes axe."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.second_factor import sign_in_with_code
from tests.cases.conftest import (  # noqa: F401 (the desk's fixtures)
    Records,
    Statements,
    _vault_keys,
    records,
    scene,
    statements,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_protection_publication_previewed_on_a_phone(
        phone: Page, live_server: object, records: Records) -> None:  # noqa: F811
    from hofburg.cases.services import protection

    base = str(live_server)
    problems = watch(phone)
    for _ in range(11):  # with the scene's trafficking case, a stratum of twelve
        protection.create_protection_case(
            records.scene.erin, records.scene.other, protection.ProtectionRecord(
                concern="trafficking", country="XE", opened_on=date(2024, 5, 1), consent=True,
                gender="masculine"))
    sign_in_with_code(phone, base, records.scene.gina, "/cases/protection/publication/")
    phone.get_by_label("Year the cases were opened").fill("2024")
    phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_text("Not released yet for this year.")).to_be_visible()
    preview = phone.get_by_role("region", name="What a release would hold now")
    expect(preview.get_by_role("cell", name="12", exact=True)).to_be_visible()
    expect(preview.get_by_role("cell", name="suppressed").first).to_be_visible()
    expect(phone.get_by_text(records.trafficking.case_id)).to_have_count(0)
    fits_and_passes_axe(phone)
    phone.get_by_label("Why this release").fill("the annual publication (EXERCISE)")
    phone.get_by_role("button", name="Release this table").click()
    expect(phone.get_by_text("Release 1, made by gina")).to_be_visible()
    released = phone.get_by_role("region", name="The release in force")
    expect(released.get_by_role("cell", name="12", exact=True)).to_be_visible()
    expect(phone.get_by_role("link", name="Download this table (CSV)")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_label("Year the cases were opened").fill("2023")
    phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_text("Not released yet for this year.")).to_be_visible()
    expect(phone.get_by_text("Nothing to publish for this year.")).to_be_visible()
    assert problems == []


def test_an_analyst_links_a_statement_to_one_more_incident_on_a_phone(
        phone: Page, live_server: object, statements: Statements) -> None:  # noqa: F811
    base = str(live_server)
    # The refused link answers 400 on purpose; the browser logs that status.
    problems = watch(phone, lambda message: "status of 400" in message.text)
    statement = statements.confidential
    incident = statements.scene.restricted_incident.incident_id
    sign_in_with_code(phone, base, statements.scene.gina,
                      f"/cases/tolerance/statements/{statement.statement_id}/")
    phone.get_by_role("link", name="Link to more incidents").click()
    expect(phone.get_by_text("No incident you may see is linked.")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_label("Incidents it speaks of").fill("HI-000000000000")
    phone.get_by_role("button", name="Link the incidents").click()
    expect(phone.get_by_text("no incident HI-000000000000")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_label("Incidents it speaks of").fill(incident)
    phone.get_by_role("button", name="Link the incidents").click()
    expect(phone.get_by_role("link", name=incident)).to_be_visible()
    fits_and_passes_axe(phone)
    assert problems == []
