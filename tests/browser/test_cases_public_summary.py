"""On a phone, after the password and the second factor: an analyst of the owner affiliation
writes an incident's public summary beside its screening and sees it under the publication
preview's table (decision 0065); every page fits 360 px and passes axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.second_factor import sign_in_with_code
from tests.cases.conftest import Scene, _vault_keys, scene  # noqa: F401 (the desk's fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "EXERCISE: a person was shouted at and pushed at a bus stop."


def test_an_analyst_writes_a_public_summary_on_a_phone(
        phone: Page, live_server: object, scene: Scene, settings: Any) -> None:  # noqa: F811
    from hofburg.cases.services import hatecrime

    settings.CASES_SUPPRESSION_K = 1  # one incident: its count shown, so it may be described
    incident = scene.restricted_incident
    hatecrime.screen_incident(scene.erin, incident, "included")
    hatecrime.advance_incident(scene.erin, incident, "consultation")
    base = str(live_server)
    problems = watch(phone)
    sign_in_with_code(phone, base, scene.gina, f"/cases/hate-crime/incidents/"
                                               f"{incident.incident_id}/")
    phone.get_by_label("Public summary").fill(SUMMARY)
    fits_and_passes_axe(phone)
    phone.get_by_role("button", name="Save the public summary").click()
    expect(phone.get_by_text(SUMMARY).first).to_be_visible()
    phone.goto(f"{base}/cases/hate-crime/publication/?year=2024")
    expect(phone.get_by_role("cell", name=SUMMARY)).to_be_visible()
    expect(phone.get_by_text("incident-desc-marker")).to_have_count(0)
    fits_and_passes_axe(phone)
    assert problems == []
