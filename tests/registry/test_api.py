"""The registry's JSON API at /api/v1/: public reference data, localized names, problem+json."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from tests.registry.factories import Osce, create_czechoslovak_chair, create_osce, freeze_today

PROBLEM = "application/problem+json"


@pytest.fixture
def osce(db: None) -> Osce:
    return create_osce()


def get(path: str, **headers: Any) -> Any:
    response = Client().get(f"/api/v1{path}", headers=headers)
    return response


def items(path: str) -> list[dict[str, Any]]:
    response = get(path)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_it_lists_the_states_with_codes_names_dates_and_labels(osce: Osce) -> None:
    states = items("/states")

    assert [s["iso2"] for s in states] == ["AT", "CH", "FI", "MD", "MT"]
    austria = states[0]
    assert austria["iso3"] == "AUT"
    assert austria["numeric"] == "040"
    assert austria["name"] == "Austria"
    assert austria["names"]["de"] == "Österreich"
    assert austria["names"]["ru"] == "Австрия"
    assert austria["joined"] == "1973-06-25"
    assert austria["confidence"] == "confirmed"
    assert austria["source"] == "OSCE, Expansion of the CSCE/OSCE"
    assert states[4]["confidence"] == "unconfirmed"


def test_it_gives_the_name_in_the_language_asked_for(osce: Osce) -> None:
    assert items("/states?lang=de")[0]["name"] == "Österreich"
    assert items("/states?lang=ru")[0]["name"] == "Австрия"


def test_it_falls_back_to_the_language_of_the_request(osce: Osce) -> None:
    response = get("/states", **{"Accept-Language": "fr"})

    assert response.json()["items"][0]["name"] == "Autriche"


def test_it_refuses_a_language_that_is_not_official_with_a_problem(osce: Osce) -> None:
    response = get("/states?lang=pt")

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert "lang" in response.json()["detail"]


def test_it_pages_through_the_states(osce: Osce) -> None:
    body = get("/states?limit=2&offset=1").json()

    assert body["count"] == 5
    assert [s["iso2"] for s in body["items"]] == ["CH", "FI"]


def test_it_refuses_a_limit_below_one(osce: Osce) -> None:
    response = get("/states?limit=0")

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM


def test_it_finds_a_state_by_its_name_in_any_language_or_its_code(osce: Osce) -> None:
    assert [s["iso2"] for s in items("/states?q=Швейц")] == ["CH"]
    assert [s["iso2"] for s in items("/states?q=mda")] == ["MD"]
    assert items("/states?q=Atlantis") == []


def test_it_filters_states_by_label_and_joining_date(osce: Osce) -> None:
    assert [s["iso2"] for s in items("/states?confidence=unconfirmed")] == ["CH", "MT"]
    assert [s["iso2"] for s in items("/states?joined_from=1990-01-01")] == ["MD"]
    assert len(items("/states?joined_to=1990-01-01")) == 4


def test_it_refuses_a_malformed_date_with_a_problem(osce: Osce) -> None:
    response = get("/states?joined_from=last-year")

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "joined_from"


def test_a_state_shows_its_history_chairs_operations_and_formats(osce: Osce) -> None:
    moldova = get("/states/md").json()

    assert moldova["iso2"] == "MD"
    assert moldova["status_events"] == [{
        "kind": "admitted", "date": "1992-01-30", "date_precision": "day", "end_date": None,
        "description": "Admitted at the Prague Council",
        "source": "OSCE, Expansion of the CSCE/OSCE", "confidence": "confirmed", "note": "",
    }]
    assert moldova["chairmanship_years"] == []
    assert [op["code"] for op in moldova["field_operations"]] == ["mission-to-moldova"]
    assert moldova["field_operations"][0]["status"] == "current"
    assert moldova["field_operations"][0]["host_iso2"] == "MD"
    assert moldova["formats"] == [{"format_code": "5plus2", "format_name": "5+2 format",
                                   "conflict_code": "transdniestria", "role": "side"}]

    assert get("/states/CH").json()["chairmanship_years"] == [2026]


def test_an_unknown_state_is_a_404_problem(osce: Osce) -> None:
    response = get("/states/XX")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


def test_it_lists_partners_by_group(osce: Osce) -> None:
    assert [p["iso2"] for p in items("/partners")] == ["JP", "MA"]
    mediterranean = items("/partners?group=mediterranean")
    assert [p["iso2"] for p in mediterranean] == ["MA"]
    assert mediterranean[0]["name"] == "Morocco"
    assert mediterranean[0]["source"] == "osce.org, Partners for Co-operation"


def test_it_lists_chairmanships_within_years(osce: Osce) -> None:
    create_czechoslovak_chair()

    chairs = items("/chairmanships")
    assert [c["year"] for c in chairs] == [1992, 2024, 2025, 2026]
    assert chairs[0]["state"] is None
    assert chairs[0]["historical_name"] == "Czechoslovakia"
    assert chairs[0]["chair_name"] == "Czechoslovakia"
    assert chairs[1]["state"] == "MT"
    assert chairs[1]["confidence"] == "confirmed"

    assert [c["year"] for c in items("/chairmanships?from=2025&to=2025")] == [2025]
    assert get("/chairmanships?from=soon").status_code == 422


def test_it_derives_the_troika_of_a_year(osce: Osce) -> None:
    body = get("/troika/2025?lang=fr").json()

    assert body["year"] == 2025
    assert body["previous"]["chair_name"] == "Malte"
    assert body["current"]["state"] == "FI"
    assert body["next"]["state"] == "CH"


def test_a_troika_seat_not_yet_known_is_null(osce: Osce) -> None:
    body = get("/troika/2026").json()

    assert body["previous"]["state"] == "FI"
    assert body["next"] is None


def test_it_lists_field_operations_current_or_closed(osce: Osce) -> None:
    assert {op["code"] for op in items("/field-operations")} == {"mission-to-moldova",
                                                                 "mission-to-georgia"}
    current = items("/field-operations?status=current")
    assert [op["code"] for op in current] == ["mission-to-moldova"]
    assert current[0]["confidence"] == "unconfirmed"
    closed = items("/field-operations?status=closed")
    assert [op["code"] for op in closed] == ["mission-to-georgia"]
    assert closed[0]["host_iso2"] is None
    assert closed[0]["host_label"] == "Georgia"
    assert closed[0]["closed"] == "2009-06-30"
    assert [op["code"] for op in items("/field-operations?host=md")] == ["mission-to-moldova"]


def test_it_refuses_an_unknown_field_operation_status(osce: Osce) -> None:
    response = get("/field-operations?status=paused")

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM


def test_it_lists_conflicts_with_formats_and_participants(osce: Osce) -> None:
    [conflict] = items("/conflicts?lang=de")

    assert conflict["code"] == "transdniestria"
    assert conflict["name"] == "Transnistrischer Beilegungsprozess"
    [five_plus_two] = conflict["formats"]
    assert five_plus_two["confidence"] == "disputed"
    assert five_plus_two["participants"] == [
        {"name": "OSCE", "state_iso2": None, "role": "mediator"},
        {"name": "European Union", "state_iso2": None, "role": "observer"},
        {"name": "Moldau", "state_iso2": "MD", "role": "side"},
        {"name": "Transdniestria", "state_iso2": None, "role": "side"},
    ]


def test_it_lists_institutions_and_secretariat_units(osce: Osce) -> None:
    [odihr] = items("/institutions")
    assert odihr["acronym"] == "ODIHR"
    assert odihr["seat"] == "Warsaw"

    units = {u["code"]: u for u in items("/secretariat-units")}
    assert units["cpc"]["parent"] == "secretariat"
    assert units["cpc"]["confidence"] == "secondary"
    assert units["secretariat"]["parent"] is None


def test_anonymous_callers_read_the_registry(osce: Osce) -> None:
    response = get("/states")

    assert response.status_code == 200
    assert date.fromisoformat(response.json()["items"][0]["joined"]).year == 1973


def test_the_openapi_document_lists_the_registry_endpoints(db: None) -> None:
    paths = get("/openapi.json").json()["paths"]

    for path in ("/api/v1/states", "/api/v1/states/{iso2}", "/api/v1/troika/{year}",
                 "/api/v1/chairmanships", "/api/v1/field-operations", "/api/v1/conflicts"):
        assert path in paths


def test_the_troika_does_not_depend_on_the_calendar(osce: Osce,
                                                     time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, date(2030, 1, 1))

    assert get("/troika/2025").json()["current"]["state"] == "FI"
