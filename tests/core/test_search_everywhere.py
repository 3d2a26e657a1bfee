"""One search across the desks (`core.finder`): each desk's matches the reader may see, with
a count and a way to the desk's own search; desks with nothing are left out; bad input a
clear 400."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from hofburg.core import finder
from hofburg.registry.models import ParticipatingState
from tests.conftest import Cast
from tests.monitoring.test_pages import REPORT_DATE, crossing_pair

pytestmark = pytest.mark.django_db


def sections(response: object) -> dict[str, finder.Found]:
    return {s.name: s.found for s in response.context["sections"]}  # type: ignore[attr-defined]


@pytest.fixture
def austria(db: None) -> ParticipatingState:
    return ParticipatingState.objects.create(
        iso2="AT", iso3="AUT", numeric="040", joined=date(1973, 6, 25), source="test",
        names={"en": "Austria", "ru": "Австрия", "de": "Österreich"})


def test_a_state_is_found_by_its_name_in_any_language(austria: ParticipatingState) -> None:
    for query in ("Австрия", "osterreich", "AUT"):
        found = sections(Client().get("/search/", {"q": query}))
        assert list(found) == ["states"], query
        [hit] = found["states"].hits
        assert (hit.title, hit.url) == ("Austria", "/registry/states/AT/")
    page = Client().get("/search/", {"q": "Австрия"}).content.decode()
    assert "1 match." in page and 'href="/registry/states/AT/"' in page


def test_a_daily_report_by_its_date_for_those_who_may_read_it(cast: Cast) -> None:
    crossing_pair(cast.mona)
    entitled = sections(cast.client(cast.carol).get("/search/", {"q": REPORT_DATE}))
    assert entitled["reports"].hits[0].url == f"/monitoring/reports/{REPORT_DATE}/"
    # Not released: the public has no report of that day, and no empty section says so.
    assert "reports" not in sections(Client().get("/search/", {"q": REPORT_DATE}))


def test_nothing_matching_and_bad_input() -> None:
    empty = Client().get("/search/", {"q": "no-such-word-anywhere"})
    assert empty.status_code == 200 and sections(empty) == {}
    assert "Nothing you may see matches." in empty.content.decode()
    assert Client().get("/search/").status_code == 200
    long = Client().get("/search/", {"q": "x" * (finder.MAX_QUERY_LENGTH + 1)})
    assert long.status_code == 400
    assert "at most 200 characters" in long.content.decode()


def test_a_delegation_starts_from_its_state(cast: Cast, austria: ParticipatingState) -> None:
    """A member of a State's delegation finds the State's page and what the desks show there
    (deadlines, overdue items, contributions) at the top of the home page; others do not."""
    home = cast.client(cast.alice).get("/").content.decode()
    assert "My State: Austria" in home and 'href="/registry/states/AT/"' in home
    assert home.index("My State: Austria") < home.index("The OSCE at a glance")
    for user in (cast.carol, cast.mona, None):
        assert "My State" not in cast.client(user).get("/").content.decode()
    assert "My State" not in cast.client(cast.bob).get("/").content.decode()  # FI not loaded
