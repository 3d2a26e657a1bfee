"""An editor revokes a colleague's grant for a person on a phone and at a desk, in English and
in Russian: a revocation without its reason is refused beside the field with the holder kept
and nothing changed; with it the grant is revoked and the person's page shows it in the
history. Then a working copy of a piece of evidence is made from the evidence page and
downloaded. Every page fits the screen and passes axe."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hofburg.cases.models import Grant, RevokedGrant, WorkingCopy
from hofburg.cases.services import evidence
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.screens import screens
from tests.browser.second_factor import sign_in_with_code
from tests.cases.conftest import Scene, _vault_keys, scene  # noqa: F401 (the desk's fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4 exercise court record\n%%EOF\n"
REDACTED = b"%PDF-1.4 exercise court record, names blacked out\n%%EOF\n"


screen = screens("en-phone", "ru-desktop")


def _submit(page: Page) -> None:
    page.locator("main form.narrow button[type=submit]").click()


def test_an_editor_revokes_a_grant_and_makes_a_working_copy(
        screen: Page, live_server: object, scene: Scene, settings: Any,  # noqa: F811
        tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    page, base = screen, str(live_server)
    problems = watch(page, ignore=lambda message: "status of 422" in message.text)
    person = f"/cases/persons/{scene.person.surrogate_id}/"
    sign_in_with_code(page, base, scene.erin, person)
    fits_and_passes_axe(page)

    page.locator(f"a[href='{person}grants/revoke/']").click()
    page.wait_for_url(re.compile(r"/grants/revoke/$"))
    fits_and_passes_axe(page)
    page.locator("[name=username]").select_option("gina")
    _submit(page)
    expect(page.locator("#id_reason ~ .errors")).to_be_visible()
    expect(page.locator("[name=username]")).to_have_value("gina")
    assert Grant.objects.filter(person=scene.person, user=scene.gina).exists()
    fits_and_passes_axe(page)
    page.locator("[name=reason]").fill("Moved to another desk (EXERCISE)")
    _submit(page)
    page.wait_for_url(re.compile(re.escape(person) + "$"))
    expect(page.locator("main")).to_contain_text("Moved to another desk (EXERCISE)")
    assert RevokedGrant.objects.get().user == scene.gina
    assert not Grant.objects.filter(person=scene.person, user=scene.gina).exists()
    fits_and_passes_axe(page)

    piece = evidence.ingest_evidence(scene.erin, PDF, title="Court record",
                                     media_type="application/pdf", subject=scene.public_case)
    page.goto(base + f"/cases/prisoners/{scene.public_case.case_id}/evidence/")
    fits_and_passes_axe(page)
    page.locator(f"a[href='/cases/evidence/{piece.evidence_id}/copies/new/']").click()
    page.wait_for_url(re.compile(r"/copies/new/$"))
    fits_and_passes_axe(page)
    page.locator("[name=file]").set_input_files(
        {"name": "redacted.pdf", "mimeType": "application/pdf", "buffer": REDACTED})
    page.locator("[name=label]").fill("redacted")
    _submit(page)
    page.wait_for_url(re.compile(r"/evidence/$"))
    expect(page.locator("ul.copies code.hash")).to_have_text(
        hashlib.sha256(REDACTED).hexdigest())
    assert WorkingCopy.objects.get().label == "redacted"
    fits_and_passes_axe(page)
    assert problems == []
