"""The calendar as iCalendar and CSV: the activities the calendar page shows the reader, and
a delegation's own deadlines; read back with the library that wrote the format."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from icalendar import Calendar
from time_machine import TimeMachineFixture

from tests.conftest import Cast
from tests.csbm.test_pages import TODAY, Desk, create_desk
from tests.registry.factories import freeze_today


@pytest.fixture
def desk(db: None, time_machine: TimeMachineFixture) -> Desk:
    freeze_today(time_machine, TODAY)
    return create_desk()


def events_of(response: object) -> list[dict[str, object]]:
    assert response.status_code == 200  # type: ignore[attr-defined]
    calendar = Calendar.from_ical(response.content)  # type: ignore[attr-defined]
    return [{"summary": str(e["summary"]), "start": e.decoded("dtstart"),
             "end": e.decoded("dtend"), "class": str(e.get("class", "")),
             "url": str(e["url"])} for e in calendar.walk("VEVENT")]


def test_the_public_gets_the_public_activities_of_the_year(desk: Desk) -> None:
    response = Client().get("/csbm/calendar.ics", {"year": 2026})
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="hofburg-calendar-2026.ics"' in response["Content-Disposition"]
    [alpine] = events_of(response)
    assert alpine["summary"] == "Alpine Shield 2026 (AT)"
    assert (alpine["start"], alpine["end"]) == (date(2026, 7, 20), date(2026, 7, 31))
    assert alpine["class"] == "PUBLIC"
    assert str(alpine["url"]).endswith("/csbm/activities/AT/alpine-shield-2026/")
    zapad = events_of(Client().get("/csbm/calendar.ics", {"year": 2017, "state": "RU"}))
    assert [e["summary"] for e in zapad] == ["Zapad 2017 (RU)"]


def test_a_delegation_gets_what_it_may_see_and_its_own_deadlines(desk: Desk,
                                                                 cast: Cast) -> None:
    events = events_of(cast.client(cast.alice).get("/csbm/calendar.ics", {"year": 2026}))
    summaries = [str(e["summary"]) for e in events]
    assert "EXERCISE: Exercise Danube 2026 (AT)" in summaries
    danube = next(e for e in events if "Danube" in str(e["summary"]))
    assert danube["class"] == "PRIVATE"  # restricted: kept out of shared calendar views
    deadlines = [s for s in summaries if s.startswith(("Due: ", "Overdue: "))]
    assert deadlines and all(s.endswith("(AT)") for s in deadlines)
    assert "Overdue: annual exchange of military information valid from 1 January 2026 (AT)" \
        in deadlines
    # Another delegation's member gets its own State's deadlines, no Austrian one.
    bob = [str(e["summary"]) for e in events_of(
        cast.client(cast.bob).get("/csbm/calendar.ics", {"year": 2026}))]
    assert not set(deadlines) & set(bob)
    assert not any(s.startswith(("Due: ", "Overdue: ")) for s in
                   (str(e["summary"]) for e in events_of(
                       Client().get("/csbm/calendar.ics", {"year": 2026}))))


def test_the_csv_has_the_same_entries_and_bad_filters_a_clear_error(desk: Desk) -> None:
    response = Client().get("/csbm/calendar.csv", {"year": 2026})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["kind"], r["title"], r["start"], r["end"], r["classification"]) for r in rows] \
        == [("activity", "Alpine Shield 2026 (AT)", "2026-07-20", "2026-07-30", "public")]
    assert Client().get("/csbm/calendar.ics", {"year": "soon"}).status_code == 400
    assert Client().get("/csbm/calendar.csv", {"state": "XX"}).status_code == 400
