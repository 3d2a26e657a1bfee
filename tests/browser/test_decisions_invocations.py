"""A delegation officer on a phone reads the mechanisms, records an invocation her State took part
in and finds it in the filtered list; the Chair's officer adopts a decision by
consensus-minus-one, naming the State concerned. Every page fits 360 px and passes axe."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.decisions.models import Draft, Invocation, Meeting
from hofburg.decisions.services.drafts import DraftInput, table_draft
from hofburg.decisions.services.invocations import InvocationInput, record_invocation
from hofburg.registry.models import ParticipatingState
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def draft(transactional_db: None) -> Draft:
    """Austria and Finland in the registry, Austria's delegation officer, the Secretariat's
    officer who chairs, a meeting held an hour ago and a draft to adopt at it."""
    for iso2, iso3, numeric, name in (("AT", "AUT", "040", "Austria"),
                                      ("FI", "FIN", "246", "Finland")):
        ParticipatingState.objects.create(iso2=iso2, iso3=iso3, numeric=numeric,
                                          joined=date(1973, 6, 25), names={"en": name},
                                          source="test")
    austria = Affiliation.objects.create(code="delegation-at", name="Delegation of Austria",
                                         kind=Affiliation.Kind.DELEGATION, state_iso2="AT")
    cpc = Affiliation.objects.create(code="cpc", name="Conflict Prevention Centre",
                                     kind=Affiliation.Kind.SECRETARIAT_UNIT)
    User.objects.create_user("alice", password=PASSWORD, affiliation=austria,
                             roles=[Role.READER, Role.EDITOR])
    chair = User.objects.create_user("sam", password=PASSWORD, affiliation=cpc,
                                     roles=[Role.READER, Role.EDITOR])
    opened = datetime.now(UTC) - timedelta(hours=1)
    Meeting.objects.create(body="PC", number=1400, date=opened.date(), starts_at=opened,
                           journal_symbol="PC.JOUR/1400",
                           classification=Classification.PUBLIC)
    return table_draft(chair, DraftInput(
        body="PC", title="Draft decision on a political step", language="en",
        text="The Permanent Council decides to take a political step.",
        classification="public"))


def _sign_in(page: Page, base: str, username: str, then: str) -> None:
    page.goto(f"{base}/accounts/login/?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.wait_for_url(re.compile(re.escape(then) + "$"))


def test_a_delegation_records_an_invocation_on_a_phone(
    phone: Page, live_server: object, draft: Draft
) -> None:
    base = str(live_server)
    problems = watch(phone)
    _sign_in(phone, base, "alice", "/decisions/mechanisms/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Decision-making rules and mechanisms")
    moscow = phone.locator("#moscow")
    expect(moscow).to_contain_text("SEC.GAL/132/11")
    expect(moscow.locator(".tag.confidence-unconfirmed")).to_have_count(2)
    fits_and_passes_axe(phone)

    moscow.get_by_role("link", name=re.compile("Record an invocation")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Record an invocation of a mechanism")
    expect(phone.get_by_label("Mechanism")).to_have_value("moscow")
    expect(phone.get_by_label("Austria")).to_be_checked()
    fits_and_passes_axe(phone)

    phone.get_by_label("Finland").check()
    phone.get_by_label("Invoked on").fill("2026-03-02")
    phone.get_by_label("What was invoked, and of whom").fill(
        "Invoked to request information on a question of the human dimension.")
    phone.get_by_label("Source").fill("javascript:alert(1)")
    phone.get_by_role("button", name="Record").click()
    expect(phone.get_by_role("alert").filter(has_text="starting with https://")).to_be_visible()
    fits_and_passes_axe(phone)

    phone.get_by_label("Source").fill("PC.DEL/12/26")
    phone.get_by_role("button", name="Record").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Moscow Mechanism")
    expect(phone.locator(".invoking-states")).to_have_text(re.compile(r"Austria\s*Finland"))
    fits_and_passes_axe(phone)

    phone.get_by_role("link", name="Invocations of mechanisms").first.click()
    phone.get_by_label("Invoked by").select_option("FI")
    phone.get_by_role("button", name="Filter").click()
    expect(phone).to_have_url(re.compile(r"state=FI"))
    expect(phone.get_by_role("table").get_by_role("row")).to_have_count(2)
    fits_and_passes_axe(phone)
    assert Invocation.objects.count() == 1
    assert problems == []


def test_the_chair_adopts_by_consensus_minus_one_on_a_phone(
    phone: Page, live_server: object, draft: Draft
) -> None:
    base = str(live_server)
    problems = watch(phone)
    _sign_in(phone, base, "sam", f"/decisions/drafts/{draft.pk}/adopt/")
    phone.get_by_label("Basis").select_option("consensus_minus_one")
    phone.get_by_label("Note on the adoption").fill("Clear, gross and uncorrected violation.")
    phone.get_by_role("button", name="Adopt at a meeting").click()
    expect(phone.get_by_role("alert").filter(has_text="exactly one State")).to_be_visible()
    fits_and_passes_axe(phone)

    phone.get_by_label("State concerned", exact=True).select_option("FI")
    phone.get_by_role("button", name="Adopt at a meeting").click()
    expect(phone.locator(".states-concerned")).to_have_text("Finland")
    expect(phone.locator(".adoption-basis")).to_contain_text("Consensus-minus-one")
    fits_and_passes_axe(phone)

    phone.goto(base + "/decisions/journals/PC.JOUR/1400/")
    expect(phone.locator(".adoption-basis")).to_have_text(
        "Adopted by Consensus-minus-one; the State concerned: Finland.")
    fits_and_passes_axe(phone)
    assert problems == []


def test_a_visitor_reads_the_mechanisms_and_an_invocation_in_russian_on_a_phone(
    phone: Page, live_server: object, draft: Draft
) -> None:
    base = str(live_server)
    alice = User.objects.get(username="alice")
    invocation = record_invocation(alice, InvocationInput(
        mechanism="vienna_human_dimension", states=["AT", "FI"], invoked_on=date(2026, 3, 2),
        body="PC", summary="Invoked to request information.", source="https://www.osce.org/",
        classification=Classification.PUBLIC))
    phone.context.add_cookies([{"name": "django_language", "value": "ru", "url": base}])
    problems = watch(phone)
    for path in ("/decisions/mechanisms/", "/decisions/invocations/",
                 f"/decisions/invocations/{invocation.pk}/"):
        phone.goto(base + path)
        assert phone.locator("html").get_attribute("lang") == "ru"
        fits_and_passes_axe(phone)
    expect(phone.locator('h1 [lang="en"]')).to_have_text("Vienna Human Dimension Mechanism")
    assert problems == []
