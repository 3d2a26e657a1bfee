"""A delegation officer checks whether a neighbour's exercise should have been notified."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_checker_answers_as_the_officer_types_without_reloading_the_page(
    page: Page, live_server: object
) -> None:
    page.goto(str(live_server) + "/csbm/checker/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity checker")
    # A marker on the window survives only if the page is never reloaded.
    page.evaluate("() => { window.notReloaded = true; }")

    page.get_by_label("Ruleset").select_option("vd2011")
    page.get_by_label("Type of activity").select_option("land")
    page.get_by_label("Start", exact=True).fill("2026-09-01")
    page.get_by_label("End", exact=True).fill("2026-09-10")
    page.get_by_label("Troops", exact=True).fill("9500")

    verdict = page.locator("#notification-verdict")
    expect(verdict).to_have_text("Subject to prior notification")
    answer = page.locator("#checker-answer")
    expect(answer).to_contain_text("(40.1.1)")
    expect(answer).to_contain_text("Notify by")
    expect(answer).to_contain_text("UNCONFIRMED")

    page.get_by_label("Troops", exact=True).fill("8999")
    expect(verdict).to_have_text("Not subject to prior notification")
    expect(answer).not_to_contain_text("Notify by")
    assert page.evaluate("() => window.notReloaded") is True


def test_a_proposal_is_marked_as_such_in_the_answer(page: Page, live_server: object) -> None:
    page.goto(str(live_server) + "/csbm/checker/")
    page.get_by_label("Ruleset").select_option("joint-proposal-2019")
    page.get_by_label("Troops", exact=True).fill("6000")
    expect(page.locator("#checker-answer")).to_contain_text("Proposal — not agreed text.")
    expect(page.locator("#notification-verdict")).to_have_text("Subject to prior notification")
