"""A State's exchange as a collapsible tree, its units on a map and the changes between two
versions, as the named cast and the public see them.

Austria's exchange for 2027 is restricted: version 1 has a corps over two divisions and
their brigades, an air wing on its own and a brigade without a location; version 2 (a
correction) adds a brigade, drops another, and changes a third. Finland published a
one-version exchange.
"""

from __future__ import annotations

import json
import re
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
from hofburg.csbm.models import AnnualExchange, ExchangeUnit
from hofburg.csbm.services import HoldingIn, UnitIn
from tests.conftest import Cast
from tests.registry.factories import freeze_today

TODAY = date(2027, 3, 1)


def austrian_units(*, third_personnel: int = 3000, fourth: bool = False,
                   second: bool = True) -> list[UnitIn]:
    units = [
        UnitIn("1. Corps", level="formation", unit_type="corps", personnel=400,
               latitude=48.20, longitude=16.37),
        UnitIn("1. Division", level="formation", parent="1. Corps", personnel=1000,
               latitude=48.21, longitude=16.38),
        UnitIn("2. Division", level="formation", parent="1. Corps", personnel=900,
               latitude=47.07, longitude=15.44),
        UnitIn("1. Brigade", parent="1. Division", unit_type="mechanized", personnel=3000,
               latitude=48.30, longitude=16.40),
        UnitIn("3. Brigade", parent="2. Division", unit_type="artillery",
               personnel=third_personnel, latitude=47.10, longitude=15.40),
        UnitIn("7. Air Wing", service="air", unit_type="fighter", personnel=800,
               latitude=47.00, longitude=13.00),
        UnitIn("9. Brigade", parent="2. Division", personnel=2000),  # no location
    ]
    if second:
        units.append(UnitIn("2. Brigade", parent="1. Division", personnel=2500,
                            latitude=48.31, longitude=16.41))
    if fourth:
        units.append(UnitIn("4. Brigade", parent="2. Division", personnel=2800))
    return units


def austrian_holdings(tanks: int = 40) -> list[HoldingIn]:
    return [HoldingIn("battle_tanks", tanks, "Type A", unit="1. Brigade"),
            HoldingIn("acvs", 50, unit="1. Brigade"),
            HoldingIn("self_propelled_artillery", 12, unit="3. Brigade"),
            HoldingIn("combat_aircraft", 24, unit="7. Air Wing"),
            HoldingIn("towed_artillery", 6)]


@pytest.fixture
def exchanges(cast: Cast, states: Any, time_machine: TimeMachineFixture) -> AnnualExchange:
    freeze_today(time_machine, TODAY)
    services.submit_exchange(cast.alice, services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=date(2026, 12, 10), units=austrian_units(),
        holdings=austrian_holdings(), declared_evaluation_quota=2, is_exercise=True))
    services.submit_exchange(None, services.ExchangeSubmission(
        state="FI", year=2027, submitted_on=date(2026, 12, 12),
        units=[UnitIn("Karelia Brigade", latitude=61.0, longitude=28.2)],
        classification=Classification.PUBLIC))
    return services.submit_exchange(cast.alice, services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=date(2027, 1, 20),
        units=austrian_units(third_personnel=3100, fourth=True, second=False),
        holdings=austrian_holdings(tanks=44), declared_evaluation_quota=3, is_exercise=True))


def page_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


def url(name: str, iso2: str = "AT", year: int = 2027) -> str:
    return reverse(f"csbm:{name}", args=[iso2, year])


def unit_id(designation: str, version: int = 2) -> int:
    """The unit's number in its version of the exchange (1, 2, 3... in the order sent)."""
    designations = list(ExchangeUnit.objects.filter(
        exchange__state="AT", exchange__version=version).order_by("id")
        .values_list("designation", flat=True))
    return designations.index(designation) + 1


def details_opened(page: str) -> list[str]:
    """The designations of the branches shown open."""
    return re.findall(r'<details open><summary><span class="designation">([^<]+)<', page)


# -- the hierarchy ---------------------------------------------------------------------------


def test_the_exchange_opens_on_its_summary_with_the_tree_collapsed_below_the_top(
        exchanges: AnnualExchange, cast: Cast) -> None:
    page = page_of(cast.client(cast.carol).get(url("exchange")))
    assert "3 formations, 5 units; 14,000 personnel; 136 items of equipment" in page
    assert "In their subordination: 2 at the top level" in page
    assert page.count("<details><summary>") == 3 and details_opened(page) == []
    # the corps counts its whole branch: two divisions, four brigades and their personnel;
    # 44 tanks, 50 ACVs and 12 guns (the wing's aircraft and the towed guns held outside any
    # unit are not the corps')
    corps = page.split('<span class="designation">1. Corps</span>')[1].split("</summary>")[0]
    assert "2 formations below · 4 units below · 13,200 personnel in all" in corps
    assert "106 items of equipment in all" in corps
    wing = page.split('<span class="designation">7. Air Wing</span>')[1].split("</li>")[0]
    assert "air forces · fighter · 800 personnel · combat aircraft 24" in wing


def test_every_branch_opens_on_request_and_a_unit_opens_the_branches_above_it(
        exchanges: AnnualExchange, cast: Cast) -> None:
    reader = cast.client(cast.bob)
    everything = page_of(reader.get(url("exchange"), {"expand": "all"}))
    assert details_opened(everything) == ["1. Corps", "1. Division", "2. Division"]
    brigade = unit_id("3. Brigade")
    focused = page_of(reader.get(url("exchange"), {"unit": brigade}))
    assert details_opened(focused) == ["1. Corps", "2. Division"]
    assert f'id="unit-{brigade}" class="tree-leaf focused" aria-current="true"' in focused
    # the links that do the same without a script, on a chosen version as well
    old = page_of(reader.get(url("exchange"), {"version": 1}))
    assert 'href="?expand=all&amp;version=1#units" data-tree-toggle="open"' in old
    assert 'href="?version=1#units" data-tree-toggle="close"' in old


def test_the_tree_reads_with_the_same_number_of_queries_whatever_its_size(
        cast: Cast, states: Any) -> None:
    def queries_for(state: str, divisions: int) -> int:
        units = [UnitIn("Corps", level="formation")]
        for d in range(divisions):
            units.append(UnitIn(f"{d}. Division", level="formation", parent="Corps"))
            units.extend(UnitIn(f"{d}.{b} Brigade", parent=f"{d}. Division") for b in range(3))
        services.submit_exchange(None, services.ExchangeSubmission(
            state=state, year=2027, submitted_on=date(2026, 12, 1), units=units,
            holdings=[HoldingIn("acvs", 3, unit=u.designation) for u in units]))
        with CaptureQueriesContext(connection) as captured:
            assert cast.client(cast.bob).get(url("exchange", state),
                                             {"expand": "all"}).status_code == 200
        return len(captured)

    assert queries_for("AT", 2) == queries_for("PL", 60)


# -- the map ---------------------------------------------------------------------------------


def test_the_map_groups_located_units_by_place_and_counts_the_others(
        exchanges: AnnualExchange, cast: Cast) -> None:
    response = cast.client(cast.carol).get(url("exchange_map"))
    page = page_of(response)
    assert "6 formations and units with a peacetime location are on the map" in page
    assert "grouped in 3 places" in page
    assert "2 formations and units have no location and are not drawn." in page
    places = json.loads(re.search(
        r'<script id="units-map-places" type="application/json">(.*?)</script>',
        response.content.decode(), re.S).group(1))
    vienna = places[0]  # the corps, the first division and the first brigade
    assert vienna["count"] == 3
    assert vienna["label"].startswith("3 formations and units near 48.24° N, 16.38° E")
    assert [u["designation"] for u in vienna["units"]] == ["1. Corps", "1. Division",
                                                           "1. Brigade"]
    brigade = vienna["units"][2]
    assert "under 1. Division" in brigade["what"]
    assert brigade["href"] == f"{url('exchange')}?unit={unit_id('1. Brigade')}" \
                              f"#unit-{unit_id('1. Brigade')}"
    # without a script, the same places as a list
    assert "The places as a list" in page and ">1. Brigade</a>" in page


def test_the_map_of_an_earlier_version_links_to_that_version(exchanges: AnnualExchange,
                                                             cast: Cast) -> None:
    page = page_of(cast.client(cast.bob).get(url("exchange_map"), {"version": 1}))
    assert f"?version=1&amp;unit={unit_id('2. Brigade', version=1)}" in page
    assert "1 formation or unit has no location and is not drawn." in page


# -- the changes between versions ------------------------------------------------------------


def test_the_changes_list_units_added_removed_and_changed_with_old_and_new_values(
        exchanges: AnnualExchange, cast: Cast) -> None:
    page = page_of(cast.client(cast.carol).get(url("exchange_diff")))
    assert "From version 1 to version 2" in page
    assert "1 added" in page and "1 removed" in page and "2 changed" in page
    assert "5 unchanged" in page
    added = page.split('id="added"')[1].split("</ul>")[0]
    assert "4. Brigade" in added and "subordinate to: 2. Division" in added
    removed = page.split('id="removed"')[1].split("</ul>")[0]
    assert "2. Brigade" in removed and "2. Brigade" not in page.split('id="changed"')[1]
    changed = page.split('id="changed"')[1]
    third = changed.split("<strong>3. Brigade</strong>")[1].split("</ul>")[0]
    assert ("peacetime authorized personnel: <del><span class=\"visually-hidden\">was </span>"
            "3,000</del> <span aria-hidden=\"true\">→</span> <ins><span "
            "class=\"visually-hidden\">now </span>3,100</ins>") in third
    first = changed.split("<strong>1. Brigade</strong>")[1].split("</ul>")[0]
    assert "holdings: battle tanks, Type A" in first and ">40</del>" in first \
           and ">44</ins>" in first
    whole = page.split("The exchange as a whole")[1].split("</ul>")[0]
    assert "declared evaluation quota" in whole and ">2</del>" in whole and ">3</ins>" in whole


def test_versions_are_chosen_by_a_form_in_either_order(exchanges: AnnualExchange,
                                                       cast: Cast) -> None:
    reader = cast.client(cast.bob)
    backwards = page_of(reader.get(url("exchange_diff"), {"older": 2, "newer": 1}))
    assert "From version 2 to version 1" in backwards
    assert "4. Brigade" in backwards.split('id="removed"')[1].split("</ul>")[0]
    same = page_of(reader.get(url("exchange_diff"), {"older": 2, "newer": 2}))
    assert "Choose a version other than the one to compare it with." in same
    assert 'id="changes-heading"' not in same
    unknown = page_of(reader.get(url("exchange_diff"), {"older": 1, "newer": 7}))
    assert 'class="errors" role="alert"' in unknown and 'id="changes-heading"' not in unknown
    # htmx asks for the same page and swaps the section in
    assert 'hx-get="/csbm/exchanges/AT/2027/changes/"' in backwards
    assert 'hx-select="#exchange-changes"' in backwards


def test_one_version_leaves_nothing_to_compare(exchanges: AnnualExchange, client: Client) -> None:
    page = page_of(client.get(url("exchange_diff", "FI")))
    assert "There is only one version of this exchange: nothing to compare yet." in page
    assert "Compare versions" not in page_of(client.get(url("exchange", "FI")))


def test_a_version_the_reader_may_not_see_is_not_compared(
        exchanges: AnnualExchange, cast: Cast) -> None:
    services.submit_exchange(cast.alice, services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=date(2027, 2, 1),
        units=[*austrian_units(), UnitIn("Secret Brigade")], holdings=austrian_holdings(),
        classification=Classification.CONFIDENTIAL, is_exercise=True))
    outsider = page_of(cast.client(cast.bob).get(url("exchange_diff"), {"older": 2, "newer": 3}))
    assert "Secret Brigade" not in outsider and 'id="changes-heading"' not in outsider
    owner = page_of(cast.client(cast.alice).get(url("exchange_diff")))
    assert "From version 2 to version 3" in owner and "Secret Brigade" in owner


# -- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["exchange", "exchange_map", "exchange_diff"])
def test_a_hidden_exchange_answers_exactly_as_a_missing_one(
        exchanges: AnnualExchange, cast: Cast, client: Client, name: str) -> None:
    def main(response: Any) -> str:
        html = response.content.decode()
        return html[html.index("<main"):html.index("</main>")]

    for reader in (client, cast.client(cast.nick)):
        hidden = reader.get(url(name, "AT"))
        missing = reader.get(url(name, "PL"))
        assert (hidden.status_code, main(hidden)) == (404, main(missing))
        assert reader.get(url(name, "AT"), {"version": 1}).status_code == 404
        assert reader.get(url(name, "FI")).status_code == 200
    assert cast.client(cast.mona).get(url(name, "AT")).status_code == 200
