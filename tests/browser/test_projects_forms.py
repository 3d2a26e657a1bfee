"""A project owner on a phone and at a desk: creates a project, fills its logframe,
indicator, target, progress report, budget and money, links a library document, corrects
a transaction and is refused deleting an element others depend on, adds a donor; a field
operation records its seconded personnel. A bad value is shown beside its field with what was
typed kept. Every form passes axe and fits the screen."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Classification
from hofburg.documents.models import Document
from hofburg.projects.models import (
    ActualChange,
    Correction,
    Donor,
    LogframeElement,
    Project,
    ProjectDocument,
    Secondment,
    Transaction,
)
from tests.browser.axe import serious_violations
from tests.browser.problems import watch
from tests.browser.screens import screens
from tests.conftest import PASSWORD, Cast
from tests.projects.samples import World, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


screen = screens("en-phone", "en-desktop")


@pytest.fixture
def world(cast: Cast) -> World:
    world = make_world(cast)
    Document.objects.create(symbol="SEC.GAL/7/25", title="Mid-term evaluation",
                            date=datetime.date(2025, 9, 1), originator="Secretariat",
                            original_language="en", classification=Classification.PUBLIC,
                            owner_affiliation=cast.cpc)
    return world


def _check(page: Page) -> None:
    page.wait_for_load_state()  # a form's answer may still be loading after the click
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(
        e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)""")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen: {wide}"
    assert serious_violations(page) == [], page.url


def _submit(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def test_an_owner_fills_a_project_through_the_forms(screen: Page, live_server: object,
                                                    world: World) -> None:
    page = screen
    base = str(live_server)
    # The refusals this test provokes answer 422; the browser logs that, nothing else may.
    problems = watch(page, ignore=lambda message: "status of 422" in message.text)
    page.goto(base + "/accounts/login/?next=/projects/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.wait_for_url(re.compile(r"/projects/$"))
    page.get_by_role("link", name="New project").click()
    _check(page)
    page.get_by_label("Project number").fill("P-777")
    page.get_by_label("Title (English)").fill("Water diplomacy")
    page.get_by_label("Description (English)").fill("Basin councils.")
    page.get_by_label("Theme").select_option("climate_security")
    page.get_by_label("Recipient States").fill("MD ZZ")
    page.get_by_label("Planned start").fill("2026-01-01")
    _submit(page, "Create the project")
    error = page.locator("#id_recipients ~ .errors")
    expect(error).to_contain_text("'ZZ'")
    expect(page.get_by_label("Recipient States")).to_have_value("MD ZZ")
    expect(page.get_by_label("Title (English)")).to_have_value("Water diplomacy")
    assert not Project.objects.filter(number="P-777").exists()
    _check(page)
    page.get_by_label("Recipient States").fill("MD")
    _submit(page, "Create the project")
    expect(page.get_by_role("heading", level=1)).to_contain_text("P-777")
    project = Project.objects.get(number="P-777")
    _check(page)
    _logframe(page, project)
    _money(page, project)
    _documents(page, project)
    _corrections(page, project)
    _donor(page, base)
    assert problems == []


def _logframe(page: Page, project: Project) -> None:
    page.get_by_role("link", name="Add to the logframe").click()
    page.get_by_label("Level").select_option("impact")
    page.get_by_label("Code").fill("1")
    page.get_by_label("Title", exact=True).fill("Shared rivers managed together")
    _submit(page, "Add")
    page.get_by_role("link", name="Add an indicator").click()
    _check(page)
    page.get_by_label("Indicator").fill("Basin agreements in force")
    page.get_by_label("Baseline value").fill("not a number")
    page.get_by_label("Baseline year").fill("2025")
    _submit(page, "Add")
    expect(page.locator("#id_baseline ~ .errors")).to_be_visible()
    expect(page.get_by_label("Baseline value")).to_have_value("not a number")
    page.get_by_label("Baseline value").fill("1")
    _submit(page, "Add")
    page.get_by_role("link", name="Set a target").click()
    page.get_by_label("Period start").fill("2026-01-01")
    page.get_by_label("Period end").fill("2026-12-31")
    page.get_by_label("Target").fill("3")
    _submit(page, "Set the target")
    page.get_by_role("link", name="Record a progress report").click()
    _check(page)
    page.get_by_label("Reporting up to").fill("2026-06-30")
    page.get_by_label(re.compile("Basin agreements in force")).fill("2")
    _submit(page, "Record the report")
    expect(page.get_by_role("heading", name="Progress reports")).to_be_visible()
    assert ActualChange.objects.filter(period__indicator__element__project=project).count() == 1


def _money(page: Page, project: Project) -> None:
    page.get_by_role("link", name="Set the budget of a year").click()
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Original budget").fill("250000")
    _submit(page, "Save the budget")
    page.get_by_role("link", name=re.compile("Record a pledge")).click()
    _check(page)
    page.get_by_label("Kind").select_option("contribution")
    page.get_by_label("Donor", exact=True).select_option("fi")
    page.get_by_label("Amount", exact=True).fill("1000")
    page.get_by_label("Currency of the amount").fill("USD")
    page.get_by_label("Exchange rate").fill("0.9")
    page.get_by_label("Date the rate was published").fill("2026-03-05")
    page.get_by_label("Value date").fill("2026-03-02")
    _submit(page, "Record")
    expect(page.locator("#id_rate_date ~ .errors")).to_contain_text("after the value date")
    page.get_by_label("Date the rate was published").fill("2026-03-01")
    _submit(page, "Record")
    expect(page.get_by_role("heading", level=1)).to_contain_text("P-777")
    assert Transaction.objects.get(project=project).value == 900


def _documents(page: Page, project: Project) -> None:
    page.get_by_role("link", name="Link or unlink documents").click()
    page.get_by_label("Document", exact=True).fill("SEC.GAL/7/25")
    page.get_by_label("Kind of document (IATI)").select_option("A07")
    _submit(page, "Link the document")
    expect(page.get_by_role("link", name="SEC.GAL/7/25")).to_be_visible()
    _check(page)
    assert ProjectDocument.objects.filter(project=project).count() == 1


def _corrections(page: Page, project: Project) -> None:
    page.goto(page.url.split("/projects/")[0] + f"/projects/{project.pk}/")
    page.get_by_role("link", name=re.compile("Correct the contribution")).click()
    _check(page)
    page.get_by_label("Amount", exact=True).fill("1100")
    _submit(page, "Record the correction")
    expect(page.locator("#id_reason ~ .errors")).to_be_visible()
    expect(page.get_by_label("Amount", exact=True)).to_have_value("1100")
    page.get_by_label("Reason").fill("The bank's advice shows 1,100 USD")
    _submit(page, "Record the correction")
    expect(page.get_by_role("heading", name="Corrections")).to_be_visible()
    _check(page)
    assert Transaction.objects.get(project=project).value == 990
    assert Transaction.with_history.filter(project=project).count() == 2
    page.get_by_text("Correct or delete an element, indicator or period").click()
    impact = LogframeElement.objects.get(project=project, code="1")
    page.locator(f"a[href$='/logframe/{impact.pk}/delete/']").click()
    page.get_by_label("Reason").fill("Not needed")
    _submit(page, "Delete the element")
    expect(page.locator(".errors")).to_contain_text("indicator")
    _check(page)
    assert LogframeElement.objects.filter(pk=impact.pk).exists()
    assert Correction.objects.filter(project=project).count() == 1


def _donor(page: Page, base: str) -> None:
    page.goto(base + "/projects/donors/")
    page.get_by_role("link", name="Add a donor").click()
    _check(page)
    page.get_by_label("Code").fill("river-fund")
    page.get_by_label("Name").fill("River Fund")
    page.get_by_label("IATI organisation type").select_option("60")
    _submit(page, "Add the donor")
    expect(page.get_by_role("link", name="River Fund", exact=True)).to_be_visible()
    _check(page)
    assert Donor.objects.get(code="river-fund").iati_type == "60"


def test_a_field_operation_records_its_personnel(screen: Page, live_server: object,
                                                 world: World) -> None:
    page = screen
    base = str(live_server)
    problems = watch(page, ignore=lambda message: "status of 422" in message.text)
    page.goto(base + "/accounts/login/?next=/projects/personnel/")
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.wait_for_url(re.compile(r"/projects/personnel/$"))
    page.get_by_role("link", name="Record personnel").click()
    _check(page)
    page.get_by_label("Field operation").select_option("mission-to-moldova")
    page.get_by_label("Seconding State").select_option("AT")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Seconded personnel").fill("3")
    page.get_by_label("Source").fill("Annual report")
    _submit(page, "Record")
    expect(page.locator("#id_source ~ .errors")).to_be_visible()
    _check(page)
    page.get_by_label("Source").fill("")
    _submit(page, "Record")
    expect(page.get_by_role("heading", name="Figures your affiliation recorded")).to_be_visible()
    _check(page)
    assert Secondment.objects.get(seconding_state="AT", year=2025).seconded == 3
    assert problems == []
