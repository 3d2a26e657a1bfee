"""An analyst of tolerance and non-discrimination on a phone: after the password and the second
factor, the statements on intolerance filtered by a Personal Representative's mandate, one
statement and its mandates set from the page, a new statement recorded, and an incident's
mandates, a statement's link to an incident added and removed; every page fits 360 px and
passes axe."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from hofburg.cases.models import Statement
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.second_factor import code_step, password_step
from tests.cases.conftest import (  # noqa: F401 (the desk's fixtures)
    STATEMENT_MARKERS,
    Statements,
    _vault_keys,
    scene,
    statements,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_tags_statements_and_incidents_on_a_phone(
        phone: Page, live_server: object, statements: Statements) -> None:  # noqa: F811
    base = str(live_server)
    s = statements.scene
    # The refused statement is answered 400 on purpose (the error beside the field).
    problems = watch(phone, ignore=lambda message: "status of 400" in message.text)
    password_step(phone, base, "gina", "/cases/tolerance/statements/")
    code_step(phone, TOTPDevice.objects.get(user=s.gina), "/cases/tolerance/statements/")
    expect(phone.get_by_text("3 statements")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_label("Tolerance mandate").select_option("anti_muslim")
    phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_text(re.compile(r"\b1 statement\b"))).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_role("link", name=f"{STATEMENT_MARKERS['restricted']} title").click()
    expect(phone.get_by_role("heading", name=f"{STATEMENT_MARKERS['restricted']} title"))\
        .to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_label("Combating anti-Semitism").check()
    phone.get_by_role("button", name="Save the mandates").click()
    expect(phone.get_by_text(re.compile("Combating anti-Semitism; Combating intolerance"))) \
        .to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(base + "/cases/tolerance/statements/new/")
    fits_and_passes_axe(phone)
    phone.get_by_label("Date of the statement").fill("2024-11-16")
    phone.get_by_label("Speaker or organisation").fill("Exercise Forum (EXERCISE)")
    phone.get_by_label("Title", exact=True).fill("EXERCISE statement from a phone")
    phone.get_by_label("Text", exact=True).fill("EXERCISE text")
    phone.get_by_label("Language (ISO 639-1)").fill("1x")
    phone.get_by_role("button", name="Record the statement").click()
    expect(phone.get_by_role("alert").first).to_be_visible()  # the error beside the field
    fits_and_passes_axe(phone)
    assert Statement.objects.count() == 3
    phone.get_by_label("Language (ISO 639-1)").fill("en")
    phone.get_by_label("Combating racism").check()
    phone.get_by_role("button", name="Record the statement").click()
    expect(phone.get_by_role("heading", name="EXERCISE statement from a phone")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.goto(f"{base}/cases/hate-crime/incidents/{s.confidential_incident.incident_id}/")
    phone.get_by_role("link", name="Tolerance mandates and statements").click()
    expect(phone.get_by_text(f"{STATEMENT_MARKERS['public']} title")).to_be_visible()
    fits_and_passes_axe(phone)
    phone.get_by_label("Combating anti-Semitism").check()
    phone.get_by_role("button", name="Save the mandates").click()
    expect(phone.get_by_role("listitem").filter(has_text="Combating anti-Semitism")) \
        .to_be_visible()
    fits_and_passes_axe(phone)
    # Link a statement to one more incident, then remove that link with the button beside it.
    linking = statements.restricted
    incident_id = s.confidential_incident.incident_id
    phone.goto(f"{base}/cases/tolerance/statements/{linking.statement_id}/incidents/")
    phone.get_by_label("Incidents it speaks of").fill(incident_id)
    phone.get_by_role("button", name="Link the incidents").click()
    remove = phone.get_by_role("button", name=f"Remove the link to {incident_id}")
    expect(remove).to_be_visible()
    fits_and_passes_axe(phone)
    remove.click()
    expect(remove).to_have_count(0)
    expect(phone.get_by_role("link", name=s.restricted_incident.incident_id)).to_be_visible()
    assert list(linking.incidents.values_list("incident_id", flat=True)) == [
        s.restricted_incident.incident_id]
    fits_and_passes_axe(phone)
    assert problems == []
