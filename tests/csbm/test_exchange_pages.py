"""The exchanged-data pages: the index of a year's exchanges and a State's exchange, as the
named cast and the public see them. Austria's exchange for 2027 is restricted (version 1 on
time, a correction after the deadline); Finland published its exchange."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from time_machine import TimeMachineFixture

from hofburg.core.models import Classification
from hofburg.csbm import services
from hofburg.csbm.models import AnnualExchange
from hofburg.csbm.services import HoldingIn, UnitIn
from tests.conftest import Cast
from tests.registry.factories import freeze_today

TODAY = date(2027, 3, 1)


def austrian_units(brigades: int = 3) -> list[UnitIn]:
    return [UnitIn("1. Division", level="formation", personnel=1000),
            *[UnitIn(f"{n}. Brigade", parent="1. Division", unit_type="mechanized",
                     personnel=3000) for n in range(1, brigades + 1)]]


def austrian_holdings(brigades: int = 3, tanks: int = 40) -> list[HoldingIn]:
    return [*[HoldingIn("battle_tanks", tanks, "Type A", unit=f"{n}. Brigade")
              for n in range(1, brigades + 1)],
            HoldingIn("acvs", 50, unit="1. Brigade"), HoldingIn("towed_artillery", 12)]


@pytest.fixture
def exchanges(cast: Cast, states: Any, time_machine: TimeMachineFixture) -> AnnualExchange:
    freeze_today(time_machine, TODAY)
    services.submit_exchange(cast.alice, services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=date(2026, 12, 10), units=austrian_units(),
        holdings=austrian_holdings(), declared_evaluation_quota=2, is_exercise=True))
    services.submit_exchange(None, services.ExchangeSubmission(
        state="FI", year=2027, submitted_on=date(2026, 12, 20), units=[UnitIn("Karelia Brigade")],
        holdings=[HoldingIn("mortars", 30, unit="Karelia Brigade")], declared_evaluation_quota=1,
        classification=Classification.PUBLIC))
    return services.submit_exchange(cast.alice, services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=date(2027, 1, 20),
        units=[*austrian_units(), UnitIn("4. Brigade", parent="1. Division")],
        holdings=austrian_holdings(tanks=44), declared_evaluation_quota=2, is_exercise=True))


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


def exchange_url(iso2: str, year: int = 2027) -> str:
    return reverse("csbm:exchange", args=[iso2, year])


def test_the_index_lists_what_the_reader_may_see_with_status_and_counts(
        exchanges: AnnualExchange, cast: Cast) -> None:
    page = text(cast.client(cast.bob).get(reverse("csbm:exchanges"), {"year": 2027}))
    assert "Austria" in page and "Finland" in page
    austria = page.split('id="state-AT"')[1].split("</tr>")[0]
    # The first version came before 15 December 2026: on time, though corrected later.
    assert "on time" in austria and ">2<" in austria  # version 2
    assert ">5<" in austria  # a division and four brigades
    assert ">194<" in austria  # 3 x 44 tanks, 50 ACVs, 12 towed artillery
    finland = page.split('id="state-FI"')[1].split("</tr>")[0]
    assert "late" in finland  # sent on 20 December
    assert "EXERCISE DATA" in page


def test_the_public_sees_only_published_exchanges_and_a_404_for_the_rest(
        exchanges: AnnualExchange, cast: Cast, client: Client) -> None:
    for reader in (client, cast.client(cast.nick)):
        page = text(reader.get(reverse("csbm:exchanges"), {"year": 2027}))
        assert "Finland" in page and 'id="state-AT"' not in page
        assert "restricted to participating States" in page
        assert reader.get(exchange_url("AT")).status_code == 404
        assert reader.get(exchange_url("AT"), {"version": 1}).status_code == 404
        assert reader.get(exchange_url("AT"), {"part": "units",
                                               "format": "csv"}).status_code == 404
        assert reader.get(exchange_url("FI")).status_code == 200
    assert client.get(exchange_url("PL")).status_code == 404


def test_the_exchange_page_shows_hierarchy_holdings_quota_and_history(
        exchanges: AnnualExchange, cast: Cast) -> None:
    page = text(cast.client(cast.carol).get(exchange_url("at")))
    assert "Exchanged data of Austria, 2027" in page
    assert "EXERCISE DATA" in page
    # the brigades come after their division, in its branch
    assert page.index("1. Division") < page.index("1. Brigade") < page.index("4. Brigade")
    division = page.split('class="tree-branch"')[1]
    assert division.index("1. Division") < division.index("</summary><ul>") < division.index(
        "4. Brigade") < division.index("</ul></details></li>")
    # totals per category, and per unit
    tanks = page.split("<th scope=\"row\">battle tanks</th>")[1].split("</tr>")[0]
    assert ">132<" in tanks and ">3<" in tanks  # 3 x 44, held by three brigades
    assert "3,000 personnel · battle tanks 44 · armoured combat vehicles 50" in page
    # four units reported: the engine computes 1 evaluation; Austria declared 2
    assert "4 units reported" in page
    assert "does not match the declared quota" in page
    # the history: who sent each version, and what changed
    assert "alice" in page
    assert "(+1)" in page and "(+12)" in page  # a brigade more; 3 x 4 tanks more


def test_an_earlier_version_is_shown_as_superseded(exchanges: AnnualExchange,
                                                   cast: Cast) -> None:
    page = text(cast.client(cast.bob).get(exchange_url("AT"), {"version": 1}))
    assert "superseded" in page and "see the current version" in page
    assert "4. Brigade" not in page
    assert cast.client(cast.bob).get(exchange_url("AT"), {"version": 7}).status_code == 404


def test_the_exchange_downloads_as_csv_and_xlsx(exchanges: AnnualExchange, cast: Cast) -> None:
    reader = cast.client(cast.bob)
    csv = reader.get(exchange_url("AT"), {"part": "units", "format": "csv", "version": 1})
    assert csv.status_code == 200
    assert 'aemi-AT-2027-v1-units.csv' in csv["Content-Disposition"]
    assert len(csv.content.decode().splitlines()) == 1 + 4
    xlsx = reader.get(exchange_url("AT"), {"part": "holdings", "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    assert reader.get(exchange_url("AT"), {"part": "units", "format": "pdf"}).status_code == 400


def test_the_page_reads_with_the_same_number_of_queries_whatever_the_units(
        cast: Cast, states: Any) -> None:
    reader = cast.client(cast.bob)

    def queries_for(state: str, brigades: int) -> int:
        services.submit_exchange(None, services.ExchangeSubmission(
            state=state, year=2027, submitted_on=date(2026, 12, 1), units=austrian_units(brigades),
            holdings=austrian_holdings(brigades)))
        services.submit_exchange(None, services.ExchangeSubmission(
            state=state, year=2027, submitted_on=date(2026, 12, 2), units=austrian_units(brigades),
            holdings=austrian_holdings(brigades)))
        with CaptureQueriesContext(connection) as captured:
            assert reader.get(exchange_url(state)).status_code == 200
        return len(captured)

    assert queries_for("AT", 3) == queries_for("PL", 175)
    with CaptureQueriesContext(connection) as few:
        reader.get(reverse("csbm:exchanges"), {"year": 2027})
    services.submit_exchange(None, services.ExchangeSubmission(
        state="BY", year=2027, submitted_on=date(2026, 12, 1), units=austrian_units(60),
        holdings=austrian_holdings(60)))
    with CaptureQueriesContext(connection) as more:
        reader.get(reverse("csbm:exchanges"), {"year": 2027})
    assert len(few) == len(more)


def test_the_state_panel_and_the_scorecard_link_to_the_exchange(
        exchanges: AnnualExchange, cast: Cast) -> None:
    reader = cast.client(cast.bob)
    profile = text(reader.get(reverse("registry:state", args=["AT"])))
    assert f'href="{exchange_url("AT")}"' in profile
    assert "version 2 of" in profile
    scorecard = text(reader.get(reverse("csbm:scorecard"), {"year": 2027}))
    assert f'href="{exchange_url("AT")}"' in scorecard
    public_scorecard = text(Client().get(reverse("csbm:scorecard"), {"year": 2027}))
    assert f'href="{exchange_url("AT")}"' not in public_scorecard
    assert f'href="{exchange_url("FI")}"' in public_scorecard
