"""The checker and What if read as answers (decision 0045): the verdict in plain words with its
paragraphs first, the thresholds and rule keys one click away, blanks as "not given", and the
user's own activity at the top of What if. On a phone and a desktop, in English and Russian,
with axe at zero serious or critical findings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from hofburg.core.models import Classification
from hofburg.csbm import services
from hofburg.registry.models import ParticipatingState
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.screens import screens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RAW_KEY = "notification.formation_qualifier.min_brigades_or_regiments"


reader = screens("en-phone", "en-desktop", "ru-phone", "ru-desktop")


def _replaced_request(message: ConsoleMessage) -> bool:
    """The checker drops a request still in flight when the next keystroke comes
    (hx-sync="this:replace"), which htmx logs as an error; a failed answer is still caught
    (htmx:responseError)."""
    return message.text.startswith(("htmx:sendAbort", "htmx:afterRequest"))


def test_the_checker_leads_with_the_answer_and_its_paragraphs(
        reader: Page, live_server: object) -> None:
    problems = watch(reader, ignore=_replaced_request)
    reader.goto(str(live_server) + "/csbm/checker/")
    reader.locator("[name=ruleset]").select_option("vd2011")
    reader.locator("[name=type]").select_option("land")
    reader.locator("[name=start]").fill("2026-09-01")
    reader.locator("[name=end]").fill("2026-09-10")
    reader.locator("[name=troops]").fill("9500")

    answer = reader.locator("#checker-answer")
    notification = answer.locator("section.verdict").filter(
        has=reader.locator("#notification-verdict"))
    expect(notification).to_have_class("verdict yes")
    # The figure that decided it, the threshold and the paragraph, in the verdict itself.
    reason = notification.locator("li.reason")
    expect(reason).to_have_count(1)
    assert "".join(c for c in reason.inner_text() if c.isdigit()).startswith("95009000"), \
        reason.inner_text()  # 9,500 of the activity against 9,000 of the threshold
    expect(reason).to_contain_text("(40.1.1)")
    expect(notification.locator(".rests-on")).to_contain_text("(40.1.1)")
    expect(notification.locator(".rests-on")).to_contain_text("(38)")
    notify_by = notification.locator("time")
    expect(notify_by).to_have_attribute("datetime", "2026-07-21")
    if reader.evaluate("() => document.documentElement.lang") == "ru":
        expect(notify_by).to_contain_text("июля")  # the genitive month, never "Июль"
    else:
        expect(notify_by).to_contain_text("July")

    # The evidence is there but closed: no rule key and no confidence badge in sight.
    evidence = answer.locator("details.evidence")
    expect(evidence).not_to_have_attribute("open", "")
    expect(answer.get_by_text(RAW_KEY).first).to_be_hidden()
    expect(answer.locator(".verdicts .tag")).to_have_count(0)
    # Blank figures are "not given", never 0, in the thresholds table.
    evidence.locator("summary").click()
    expect(answer.get_by_text(RAW_KEY).first).to_be_visible()
    figures = evidence.locator("table.checks tbody td.number")
    texts = [" ".join(t.split()) for t in figures.all_inner_texts()]
    assert "0" not in texts, texts
    assert sum(1 for t in texts if t.replace(",", "").replace(" ", "") == "9500") == 2, texts
    expect(evidence.locator("em.not-given")).to_have_count(6)
    fits_and_passes_axe(reader)

    # The evidence stays open while the figures change; the answer follows them.
    reader.locator("[name=troops]").fill("8999")
    expect(notification).to_have_class("verdict no")
    expect(answer.locator("details.evidence")).to_have_attribute("open", "")
    expect(answer.locator("p.not-given")).to_be_visible()
    fits_and_passes_axe(reader)
    assert problems == [], "\n".join(problems)


def _stored_activities(count: int) -> None:
    """`count` public activities of one State, enough to make What if a long page."""
    ParticipatingState.objects.create(iso2="AT", iso3="AUT", numeric="040",
                                      joined=date(1995, 1, 1), names={"en": "Austria"},
                                      source="test")
    first = date(2025, 1, 6)
    for number in range(count):
        start = first + timedelta(days=7 * number)
        services.record_activity(None, services.ActivityRecord(
            state="AT", reference=f"exercise-{number}", name=f"Exercise {number}",
            start=start, end=start + timedelta(days=3), classification=Classification.PUBLIC,
            is_exercise=True, details={"troops": 1000 + 500 * number}))


def test_what_if_puts_the_users_own_activity_first_and_adds_no_phantom(
        reader: Page, live_server: object) -> None:
    _stored_activities(40)
    problems = watch(reader)
    reader.goto(str(live_server) + "/csbm/what-if/")
    # Comparing without typing an activity adds none of the user's.
    reader.locator("button[type=submit]").last.click()
    expect(reader.locator("table.whatif tbody tr")).to_have_count(40)
    expect(reader.locator("#typed-heading")).to_have_count(0)
    fits_and_passes_axe(reader)

    reader.locator(".whatif-form details summary").click()
    reader.locator("[name=start]").fill("2026-09-01")
    reader.locator("[name=end]").fill("2026-09-10")
    reader.locator("[name=troops]").fill("6000")
    reader.locator("button[type=submit]").last.click()

    own = reader.locator("section.typed-activity")
    expect(own).to_be_visible()
    expect(own.locator("tbody tr")).to_have_count(1)
    expect(own.locator("tbody tr")).to_have_class("changes")
    # First on the page: above the form and the stored activities, which stay 40.
    top = own.bounding_box()
    form = reader.locator("form.whatif-form").bounding_box()
    assert top is not None and form is not None and top["y"] < form["y"]
    expect(reader.locator("table.whatif tbody tr")).to_have_count(41)  # 40 stored + own
    assert reader.locator("section.typed-activity ~ section table.whatif tbody tr").count() == 40
    fits_and_passes_axe(reader)
    assert problems == [], "\n".join(problems)
