"""The scorecard sorts by any column from buttons in its headers, and the calendar marks today
(decision 0045). On a phone and a desktop, in English and Russian, with axe at zero serious or
critical findings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from hofburg.core.models import Classification
from hofburg.csbm import services
from hofburg.registry.models import ParticipatingState
from tests.browser.axe import fits_and_passes_axe
from tests.browser.problems import watch
from tests.browser.screens import screens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# State: how many notifiable activities it holds this year.
STATES = {"AT": ("Austria", 1), "BE": ("Belgium", 2), "HR": ("Croatia", 0)}


reader = screens("en-phone", "en-desktop", "ru-phone", "ru-desktop")


@pytest.fixture
def activities(transactional_db: None) -> int:
    """Public activities of this year: Belgium two notifiable ones, Austria one."""
    year = timezone.localdate().year
    for number, (iso2, (name, count)) in enumerate(STATES.items()):
        ParticipatingState.objects.create(iso2=iso2, iso3=iso2 + "X", numeric=f"{number:03d}",
                                          joined=date(1975, 8, 1), names={"en": name},
                                          source="test")
        for index in range(count):
            start = date(year, 3 + 2 * index + number, 1)
            services.record_activity(None, services.ActivityRecord(
                state=iso2, reference=f"{iso2.lower()}-{index}", name=f"{name} exercise {index}",
                start=start, end=start + timedelta(days=5), classification=Classification.PUBLIC,
                is_exercise=True, details={"troops": 10_000}))
    return year


def _states_in_order(page: Page) -> list[str]:
    return [" ".join(name.split()) for name in
            page.locator("table.scorecard tbody th[scope=row]").all_inner_texts()]


def test_the_scorecard_sorts_by_a_column_from_its_header(
        reader: Page, live_server: object, activities: int) -> None:
    problems = watch(reader)
    reader.goto(f"{live_server}/csbm/scorecard/?year={activities}")
    assert _states_in_order(reader) == ["Austria", "Belgium", "Croatia"]

    notifiable = reader.locator("table.scorecard thead th").nth(3)
    button = notifiable.get_by_role("button")
    expect(button).to_have_count(1)
    button.click()
    expect(notifiable).to_have_attribute("aria-sort", "ascending")
    assert _states_in_order(reader) == ["Croatia", "Austria", "Belgium"]
    button.click()
    expect(notifiable).to_have_attribute("aria-sort", "descending")
    assert _states_in_order(reader) == ["Belgium", "Austria", "Croatia"]
    # Only the sorted column says so; the change is announced in words.
    expect(reader.locator("table.scorecard th[aria-sort]")).to_have_count(1)
    expect(reader.locator("table.scorecard + p[aria-live=polite]")).not_to_be_empty()

    # By keyboard as well: the State column's button, focused and pressed.
    state = reader.locator("table.scorecard thead th").first
    state.get_by_role("button").focus()
    reader.keyboard.press("Enter")
    expect(state).to_have_attribute("aria-sort", "ascending")
    assert _states_in_order(reader) == ["Austria", "Belgium", "Croatia"]
    fits_and_passes_axe(reader)
    assert problems == [], "\n".join(problems)


def test_the_calendar_marks_today_on_this_years_timeline_only(
        reader: Page, live_server: object, activities: int) -> None:
    problems = watch(reader)
    today = timezone.localdate()
    reader.goto(f"{live_server}/csbm/calendar/?year={activities}")
    line = reader.locator(".today-line time")
    expect(line).to_have_attribute("datetime", today.isoformat())
    marks = reader.locator(".tl-today.placed")
    expect(marks).to_have_count(1 + 3)  # the header and each of the three activities
    first = date(today.year, 1, 1)
    expected = 100 * (today - first).days / ((date(today.year, 12, 31) - first).days + 1)
    left = marks.first.evaluate("e => e.style.left")
    assert abs(float(left.rstrip("%")) - expected) < 0.01, left
    fits_and_passes_axe(reader)

    reader.goto(f"{live_server}/csbm/calendar/?year={activities - 1}")
    expect(reader.locator(".today-line")).to_have_count(0)
    expect(reader.locator(".tl-today")).to_have_count(0)
    assert problems == [], "\n".join(problems)
