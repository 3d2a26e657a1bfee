"""A Chair's officer on a phone reads the status table of drafts, opens a draft and compares
two of its revisions without reloading the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.decisions.models import Draft
from hofburg.decisions.services.drafts import DraftInput, RevisionInput, add_revision, table_draft
from tests.browser.axe import serious_violations
from tests.browser.problems import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def drafts(transactional_db: None) -> Draft:
    """A public draft with a revision, an exercise draft, and the Secretariat editor who
    tabled them."""
    secretariat = Affiliation.objects.create(
        code="cpc", name="Conflict Prevention Centre", kind=Affiliation.Kind.SECRETARIAT_UNIT)
    exercise = Affiliation.objects.create(
        code="exercise-secretariat", name="Exercise Secretariat",
        kind=Affiliation.Kind.SECRETARIAT_UNIT, is_exercise=True)
    chair = User.objects.create_user("sam", password=PASSWORD, affiliation=secretariat,
                                     roles=[Role.READER, Role.EDITOR])
    rehearsal = User.objects.create_user("exa", password=PASSWORD, affiliation=exercise,
                                         roles=[Role.READER, Role.EDITOR])
    draft = table_draft(chair, DraftInput(
        body="PC", title="Draft decision on the dates of the Human Dimension Implementation "
        "Meeting", text="The Permanent Council decides to hold the meeting in October in Warsaw.",
        language="en", venue="human_dimension_committee", classification="public"))
    add_revision(chair, draft, RevisionInput(
        text="The Permanent Council decides to hold the meeting in November in Warsaw.",
        note="Dates moved"))
    table_draft(rehearsal, DraftInput(body="FSC", title="Exercise draft on a small arms guide",
                                      text="The Forum decides.", language="en",
                                      classification="public"))
    return draft


def _sign_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/?next=/decisions/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.wait_for_url(re.compile(r"/decisions/$"))


def _no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_the_status_table_and_a_draft_read_on_a_phone(
    phone: Page, live_server: object, drafts: Draft
) -> None:
    base = str(live_server)
    problems = watch(phone)
    _sign_in(phone, base)

    expect(phone.get_by_role("heading", level=1)).to_have_text("Status of draft decisions")
    table = phone.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table).to_contain_text(f"{drafts.symbol}/Rev.1")
    expect(table.locator(".tag.exercise")).to_have_count(1)
    _no_horizontal_overflow(phone)
    assert serious_violations(phone) == []

    table.get_by_role("link", name=drafts.symbol).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(drafts.symbol)
    expect(phone.locator("#revision-text")).to_contain_text("November")
    _no_horizontal_overflow(phone)
    assert serious_violations(phone) == []

    # A marker on the window survives only if the page is never reloaded.
    phone.evaluate("() => { window.notReloaded = true; }")
    diff = phone.locator("#revision-diff")
    expect(diff.locator("del")).to_contain_text("October")
    phone.get_by_label("From").select_option(label=f"{drafts.symbol}/Rev.1")
    expect(diff.locator("del")).to_have_count(0)
    _settled(phone)
    phone.get_by_label("From").select_option(label=drafts.symbol)
    expect(diff.locator("ins")).to_contain_text("November")
    _settled(phone)
    phone.locator("#text-revision").select_option(label=drafts.symbol)
    expect(phone.locator("#revision-text")).to_contain_text("October")
    assert phone.evaluate("() => window.notReloaded") is True
    _no_horizontal_overflow(phone)
    assert serious_violations(phone) == []
    assert problems == []


def _settled(page: Page) -> None:
    """Wait until htmx has swapped and settled the new content: a change made before it has
    wired the new form's triggers would be lost."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
