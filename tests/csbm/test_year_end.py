"""The Vienna Document desk at the year's end, with the clock stopped on 6 December, 16 December
and 10 January: the texts' calendar decides what is current, due and overdue (the exchange is
valid as of 1 January and due by 15 December before it (10); the calendar by 15 November (61);
a notification 42 days before the start (38))."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hofburg.core.models import Classification
from hofburg.csbm import services
from tests.conftest import Cast
from tests.csbm.test_exchange_pages import austrian_holdings, austrian_units
from tests.registry.factories import freeze_today

PANEL = 'id="csbm-panel-heading"'


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _exchange(state: str, year: int, submitted_on: date,
              classification: str = Classification.RESTRICTED) -> None:
    services.submit_exchange(None, services.ExchangeSubmission(
        state=state, year=year, submitted_on=submitted_on, units=austrian_units(),
        holdings=austrian_holdings(), declared_evaluation_quota=1,
        classification=classification))


@pytest.fixture
def year_end(states: Any) -> None:
    """Austria and Finland sent the exchange and calendar for 2026 on time and the calendar for
    2027; Austria sent its exchange for 2027 on 1 December 2026, Finland has not yet. Poland
    plans an activity for 10 January 2027 over the notification threshold and has not notified
    it (due 29 November 2026: 42 days before), and has nothing else on file."""
    for state in ("AT", "FI"):
        _exchange(state, 2026, date(2025, 12, 10))
        for year in (2026, 2027):
            services.submit_calendar(None, state=state, year=year,
                                     submitted_on=date(year - 1, 11, 10), activities=[])
    _exchange("AT", 2027, date(2026, 12, 1))
    services.record_activity(None, services.ActivityRecord(
        state="PL", reference="winter-shield", name="Winter Shield", start=date(2027, 1, 10),
        end=date(2027, 1, 20), details={"troops": 14000}))


def test_on_6_december_a_january_notification_overdue_gives_the_state_a_panel(
        year_end: None, cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, date(2026, 12, 6))
    page = _page(cast.client(cast.bob), reverse("registry:state", args=["PL"]))
    assert PANEL in page
    assert "Winter Shield" in page  # coming up, although it starts next year
    overdue = page[page.index(">Overdue<"):]
    assert "notify the activity and invite observers: winter-shield" in overdue
    assert "(due 29 November 2026)" in overdue
    # The public is told of no overdue item, and sees no panel for a restricted plan.
    assert PANEL not in _page(Client(), reverse("registry:state", args=["PL"]))


def test_on_6_december_the_exchange_page_opens_on_the_exchanges_arriving(
        year_end: None, cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, date(2026, 12, 6))
    page = _page(cast.client(cast.bob), reverse("csbm:exchanges"))
    assert "Annual exchanges of military information 2027" in page
    assert "Austria" in page
    # A reader who sees no exchange of 2027 (the public: all are restricted) opens on the year
    # in force.
    assert "Annual exchanges of military information 2026" in _page(
        Client(), reverse("csbm:exchanges"))


def test_before_15_december_no_state_is_red_for_next_years_exchange(
        year_end: None, cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, date(2026, 12, 6))
    home = _page(cast.client(cast.carol), reverse("csbm:home"))
    assert "(2027): <span class=\"status-missing\">annual exchange missing" not in home
    # Poland sent nothing for 2026: that is overdue, and said so.
    assert "Poland</a> (2026): <span class=\"status-missing\">annual exchange missing" in home
    assert "Submissions for 2026 and 2027" in home
    # The overdue January notification is listed under the year it belongs to.
    poland_2027 = home[home.index("Poland</a> (2027):"):].split("</li>")[0]
    assert "annual calendar missing" in poland_2027  # due 15 November 2026
    assert "1 notification overdue" in poland_2027
    scorecard = _page(cast.client(cast.carol), reverse("csbm:scorecard") + "?year=2027")
    finland = scorecard[scorecard.index('id="state-FI"'):].split("</tr>")[0]
    assert "not yet due" in finland and "status-missing" not in finland


def test_from_16_december_a_missing_exchange_for_next_year_is_overdue(
        year_end: None, cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, date(2026, 12, 16))
    home = _page(cast.client(cast.carol), reverse("csbm:home"))
    assert "Finland</a> (2027): <span class=\"status-missing\">annual exchange missing" in home
    assert "Austria</a> (2027)" not in home


def test_on_10_january_the_new_year_is_current(
        year_end: None, cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, date(2027, 1, 10))
    page = _page(cast.client(cast.bob), reverse("csbm:exchanges"))
    assert "Annual exchanges of military information 2027" in page
    home = _page(cast.client(cast.carol), reverse("csbm:home"))
    assert "Submissions for 2027." in home
    assert "Finland</a> (2027): <span class=\"status-missing\">annual exchange missing" in home


@pytest.mark.parametrize(("day", "exchange_year"), [
    (date(2026, 12, 6), 2026), (date(2026, 12, 16), 2027), (date(2027, 1, 10), 2027)])
def test_the_demo_holds_what_states_would_have_sent_by_the_day(
        states: Any, cast: Cast, time_machine: TimeMachineFixture, day: date,
        exchange_year: int) -> None:
    """Loaded on 6 December, the demo's exchanges are 2026's (2027's are not due yet), so the
    desk is not red for every State; from 16 December next year's are on file too."""
    from hofburg.csbm import demo
    from hofburg.csbm.models import AnnualExchange

    freeze_today(time_machine, day)
    demo.load_synthetic(states.codes, today=day, total_units=200, activities=40)
    years = set(AnnualExchange.objects.values_list("year", flat=True))
    assert max(years) == exchange_year and day.year in years
    assert not AnnualExchange.objects.filter(submitted_on__gt=day).exists()
    home = _page(cast.client(cast.carol), reverse("csbm:home"))
    assert home.count("annual exchange missing") < len(states.codes)
    exchanges = _page(cast.client(cast.carol), reverse("csbm:exchanges"))
    assert f"Annual exchanges of military information {exchange_year}" in exchanges
