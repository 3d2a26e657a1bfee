"""A delegate on a phone searches the delegations' statements for a Russian word and opens the
statement in Russian: readable at 360 px and free of serious accessibility problems."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.decisions.services.statements import (
    StatementInput,
    add_statement_translation,
    record_statement,
)
from tests.browser.axe import serious_violations
from tests.browser.problems import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def statements(transactional_db: None) -> None:
    """Exercise statements of the exercise delegation North, one with a Russian version."""
    north = Affiliation.objects.create(code="exercise-north", name="Exercise Delegation North",
                                       kind=Affiliation.Kind.DELEGATION, is_exercise=True)
    User.objects.create_user("nora", password=PASSWORD, affiliation=north,
                             roles=[Role.READER, Role.EDITOR])
    nora = User.objects.get(username="nora")
    water = record_statement(nora, StatementInput(
        body="PC", original_language="en", delivered_on=date(2026, 3, 5), distribute=True,
        title="On the security of shared rivers",
        aligned=["Exercise Delegation South", "Exercise Group of Friends of Rivers"],
        texts={"en": "Riparian States share the basin and its security. " * 8},
        classification=Classification.PUBLIC))
    add_statement_translation(nora, water, "ru",
                              "Прибрежные государства делят бассейн и его безопасность. " * 8)
    for n in range(3):
        record_statement(nora, StatementInput(
            body="PC", original_language="en", delivered_on=date(2026, 2, n + 1),
            title=f"On the exercise budget, part {n + 1}",
            texts={"en": "The budget of the exercise mission."},
            classification=Classification.RESTRICTED))


def _no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_a_delegate_searches_statements_in_russian_on_a_phone(
        phone: Page, live_server: object, statements: None) -> None:
    base = str(live_server)
    problems = watch(phone)
    phone.goto(base + "/accounts/login/?next=/decisions/statements/")
    phone.get_by_label("Username").fill("nora")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    phone.wait_for_url(re.compile(r"/decisions/statements/$"))
    expect(phone.locator("ol.statement-hits > li")).to_have_count(4)

    phone.get_by_label("Search").fill("безопасность")
    phone.get_by_role("button", name="Search").click()
    hits = phone.locator("ol.statement-hits > li")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("PC.DEL/1/26")
    expect(hits.first).to_contain_text("Exercise Group of Friends of Rivers")
    expect(hits.first).to_contain_text("безопасность")
    _no_horizontal_overflow(phone)
    assert serious_violations(phone) == []

    hits.first.get_by_role("link").click()
    phone.get_by_role("navigation", name="Language versions").get_by_role(
        "link", name=re.compile("Russian")).click()
    expect(phone.locator("section[lang=ru]")).to_contain_text("Прибрежные государства")
    _no_horizontal_overflow(phone)
    assert serious_violations(phone) == []
    assert problems == []
