"""The reference data engine: pure validation of the registry's files, without a database.

The documents are the real files under data/registry/, read with the engine's own YAML reader;
the ISO 3166 and CLDR lookups are a fake built from the codes the files use.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hofburg.registry.engine import reference
from hofburg.registry.engine.reference import Country, ReferenceDataError, parse_reference

DATA = Path(__file__).resolve().parents[2] / "data" / "registry"

Documents = dict[str, dict[str, Any]]

_REAL = {
    file: reference.read_document((DATA / file).read_text("utf-8"), file)
    for file in reference.FILES
}


@pytest.fixture
def documents() -> Documents:
    return copy.deepcopy(_REAL)


@pytest.fixture
def countries() -> dict[str, Country]:
    codes = {row["iso2"] for row in _REAL["participating_states.yaml"]["participating_states"]}
    codes |= {row["iso2"] for row in _REAL["partners.yaml"]["partners"]}
    codes |= {"XK", "JP"}  # JP is also a Partner; XK stands for any code that is not a State here
    return {
        code: Country(
            iso3=f"{code}X",
            numeric=f"{index:03d}",
            names={language: f"{code} in {language}" for language in reference.OFFICIAL_LANGUAGES},
        )
        for index, code in enumerate(sorted(codes), start=1)
    }


def _rows(documents: Documents, file: str) -> list[dict[str, Any]]:
    header_keys = {"schema_version", "data_as_of", "sources"}
    (rows_key,) = set(documents[file]) - header_keys
    rows: list[dict[str, Any]] = documents[file][rows_key]
    return rows


def _row(documents: Documents, file: str, key: str, value: object) -> tuple[int, dict[str, Any]]:
    """The 1-based position and the row of `file` whose `key` is `value`."""
    for index, row in enumerate(_rows(documents, file), start=1):
        if row.get(key) == value:
            return index, row
    raise AssertionError(f"no row with {key}={value} in {file}")


def _error(documents: Documents, countries: dict[str, Country]) -> ReferenceDataError:
    with pytest.raises(ReferenceDataError) as raised:
        parse_reference(documents, countries)
    return raised.value


# --- valid data -------------------------------------------------------------------------------


def test_the_real_files_are_valid(documents: Documents, countries: dict[str, Country]) -> None:
    data = parse_reference(documents, countries)
    assert len(data.participating_states) == 57
    assert len(data.partners) == 11
    assert [chair.year for chair in data.chairmanships] == list(range(1991, 2027))
    assert sum(1 for operation in data.field_operations if operation.is_current) == 12


def test_it_takes_codes_and_names_from_the_lookup_and_applies_overrides(
    documents: Documents, countries: dict[str, Country]
) -> None:
    data = parse_reference(documents, countries)
    states = {state.iso2: state for state in data.participating_states}
    assert states["AT"].iso3 == countries["AT"].iso3
    assert states["AT"].numeric == countries["AT"].numeric
    assert dict(states["AT"].names) == dict(countries["AT"].names)
    assert states["VA"].names["en"] == "Holy See"
    assert states["RU"].names["en"] == "Russian Federation"
    assert states["RU"].names["fr"] == "RU in fr"  # no French override: CLDR's name stays


def test_each_row_carries_its_confidence_and_the_citations_of_its_sources(
    documents: Documents, countries: dict[str, Country]
) -> None:
    data = parse_reference(documents, countries)
    serbia = next(state for state in data.participating_states if state.iso2 == "RS")
    assert serbia.confidence == "disputed"
    assert serbia.source_ids[0] == "azkurs-table"
    assert serbia.source.startswith("Participating States of the OSCE")
    assert "(azkurs.org)" in serbia.source


def test_it_reads_a_date_known_only_to_the_month_or_the_year(
    documents: Documents, countries: dict[str, Country]
) -> None:
    data = parse_reference(documents, countries)
    events = {
        state.iso2: [(event.date, event.date_precision) for event in state.status_events]
        for state in data.participating_states
    }
    assert events["RU"] == [(dt.date(1991, 12, 1), "month")]
    assert events["DE"] == [(dt.date(1990, 1, 1), "year")]
    assert (dt.date(1992, 7, 8), "day") in events["RS"]


def test_it_lists_parent_units_before_their_units(
    documents: Documents, countries: dict[str, Country]
) -> None:
    units = parse_reference(documents, countries).secretariat_units
    position = {unit.code: index for index, unit in enumerate(units)}
    for unit in units:
        if unit.parent:
            assert position[unit.parent] < position[unit.code]


# --- the error names file, row and field ------------------------------------------------------


def test_it_rejects_a_bad_date_naming_file_row_and_field(
    documents: Documents, countries: dict[str, Country]
) -> None:
    index, france = _row(documents, "participating_states.yaml", "iso2", "FR")
    france["joined"] = "1973-13-01"
    error = _error(documents, countries)
    assert str(error) == (
        f"participating_states.yaml, row {index} (iso2=FR), field 'joined': "
        "not a date: '1973-13-01'"
    )
    assert (error.file, error.row, error.field) == ("participating_states.yaml", index, "joined")


def test_it_rejects_an_unknown_confidence_label(
    documents: Documents, countries: dict[str, Country]
) -> None:
    index, _chair = _row(documents, "chairmanships.yaml", "year", 2013)
    _chair["confidence"] = "probable"
    error = _error(documents, countries)
    assert (error.file, error.row, error.key, error.field) == (
        "chairmanships.yaml", index, "year=2013", "confidence"
    )
    assert "'probable' is not one of confirmed, secondary, unconfirmed, disputed" in str(error)


def test_it_rejects_a_source_id_that_the_file_does_not_list(
    documents: Documents, countries: dict[str, Country]
) -> None:
    _index, partner = _row(documents, "partners.yaml", "iso2", "JP")
    partner["source_ids"] = ["osce-partners-page", "wikipedia"]
    error = _error(documents, countries)
    assert error.field == "source_ids"
    assert "'wikipedia' is not among this file's sources" in str(error)


def test_it_rejects_a_row_without_sources(
    documents: Documents, countries: dict[str, Country]
) -> None:
    _index, operation = _row(documents, "field_operations.yaml", "code", "mission-to-serbia")
    del operation["source_ids"]
    assert _error(documents, countries).field == "source_ids"


def test_it_rejects_a_missing_required_field(
    documents: Documents, countries: dict[str, Country]
) -> None:
    index, institution = _row(documents, "institutions.yaml", "code", "odihr")
    del institution["seat"]
    assert str(_error(documents, countries)) == (
        f"institutions.yaml, row {index} (code=odihr), field 'seat': required"
    )


def test_it_rejects_an_unknown_field(documents: Documents, countries: dict[str, Country]) -> None:
    _index, austria = _row(documents, "participating_states.yaml", "iso2", "AT")
    austria["jioned"] = "1973-06-25"
    error = _error(documents, countries)
    assert (error.field, error.message) == ("jioned", "unknown field")


def test_it_rejects_a_duplicate_iso2(documents: Documents, countries: dict[str, Country]) -> None:
    index, belgium = _row(documents, "participating_states.yaml", "iso2", "BE")
    belgium["iso2"] = "AT"
    error = _error(documents, countries)
    assert (error.row, error.field) == (index, "iso2")
    assert "duplicate iso2: 'AT'" in str(error)


def test_it_rejects_a_duplicate_year(documents: Documents, countries: dict[str, Country]) -> None:
    index, chair = _row(documents, "chairmanships.yaml", "year", 2025)
    chair["year"] = 2024
    error = _error(documents, countries)
    assert (error.file, error.row, error.field) == ("chairmanships.yaml", index, "year")


def test_it_rejects_a_duplicate_code(documents: Documents, countries: dict[str, Country]) -> None:
    index, operation = _row(documents, "field_operations.yaml", "code", "mission-to-latvia")
    operation["code"] = "mission-to-estonia"
    error = _error(documents, countries)
    assert (error.file, error.row, error.field) == ("field_operations.yaml", index, "code")
    assert "duplicate code" in error.message


def test_it_rejects_a_code_that_is_not_a_country(
    documents: Documents, countries: dict[str, Country]
) -> None:
    _index, austria = _row(documents, "participating_states.yaml", "iso2", "AT")
    austria["iso2"] = "QQ"
    error = _error(documents, countries)
    assert error.field == "iso2"
    assert "not a known ISO 3166 alpha-2 code: 'QQ'" in error.message


def test_it_requires_exactly_57_participating_states(
    documents: Documents, countries: dict[str, Country]
) -> None:
    _rows(documents, "participating_states.yaml").pop()
    error = _error(documents, countries)
    assert error.file == "participating_states.yaml"
    assert "56 participating States; there are 57" in str(error)


def test_it_requires_exactly_11_partners(
    documents: Documents, countries: dict[str, Country]
) -> None:
    _rows(documents, "partners.yaml").append(
        {"iso2": "XK", "group": "asian", "since": "2030", "confidence": "unconfirmed",
         "source_ids": ["osce-partners-page"]}
    )
    assert "12 Partners; there are 11" in str(_error(documents, countries))


def test_it_rejects_a_chair_that_is_not_a_participating_state(
    documents: Documents, countries: dict[str, Country]
) -> None:
    index, chair = _row(documents, "chairmanships.yaml", "year", 2022)
    chair["state"] = "JP"
    assert str(_error(documents, countries)) == (
        f"chairmanships.yaml, row {index} (year=2022), field 'state': "
        "'JP' is not a participating State"
    )


def test_it_rejects_a_host_that_is_not_a_participating_state(
    documents: Documents, countries: dict[str, Country]
) -> None:
    index, operation = _row(documents, "field_operations.yaml", "code", "mission-in-kosovo")
    del operation["host_label"]
    operation["host"] = "XK"
    error = _error(documents, countries)
    assert (error.file, error.row, error.field) == ("field_operations.yaml", index, "host")


def test_it_rejects_a_format_participant_that_is_not_a_participating_state(
    documents: Documents, countries: dict[str, Country]
) -> None:
    index, conflict = _row(documents, "conflicts.yaml", "code", "transdniestria")
    conflict["formats"][0]["participants"][0]["state"] = "JP"
    error = _error(documents, countries)
    assert (error.row, error.field) == (index, "formats[1].participants[1].state")


def test_it_rejects_a_participant_with_both_a_state_and_a_name(
    documents: Documents, countries: dict[str, Country]
) -> None:
    _index, conflict = _row(documents, "conflicts.yaml", "code", "georgia")
    conflict["formats"][0]["participants"][0]["state"] = "GE"
    assert _error(documents, countries).field == "formats[1].participants[1].state"


def test_it_rejects_an_unknown_participant_role(
    documents: Documents, countries: dict[str, Country]
) -> None:
    _index, conflict = _row(documents, "conflicts.yaml", "code", "ukraine")
    conflict["formats"][1]["participants"][0]["role"] = "guarantor"
    assert _error(documents, countries).field == "formats[2].participants[1].role"


def test_it_needs_a_state_or_a_historical_name_for_a_chairmanship(
    documents: Documents, countries: dict[str, Country]
) -> None:
    _index, chair = _row(documents, "chairmanships.yaml", "year", 1992)
    chair["state"] = "CZ"
    assert _error(documents, countries).field == "state"


def test_it_rejects_a_bad_date_in_a_status_event(
    documents: Documents, countries: dict[str, Country]
) -> None:
    index, russia = _row(documents, "participating_states.yaml", "iso2", "RU")
    russia["status_events"][0]["date"] = "December 1991"
    assert str(_error(documents, countries)) == (
        f"participating_states.yaml, row {index} (iso2=RU), field 'status_events[1].date': "
        "not a date, a year-month or a year: 'December 1991'"
    )


def test_it_rejects_a_unit_whose_parent_is_not_in_the_file(
    documents: Documents, countries: dict[str, Country]
) -> None:
    index, unit = _row(documents, "secretariat_units.yaml", "code", "operations-service")
    unit["parent"] = "operations-department"
    error = _error(documents, countries)
    assert (error.row, error.field) == (index, "parent")


def test_it_rejects_units_whose_parents_form_a_cycle(
    documents: Documents, countries: dict[str, Country]
) -> None:
    _index, centre = _row(documents, "secretariat_units.yaml", "code", "conflict-prevention-centre")
    centre["parent"] = "operations-service"
    assert "cycle" in _error(documents, countries).message


def test_it_rejects_a_citation_longer_than_the_source_column(
    documents: Documents, countries: dict[str, Country]
) -> None:
    documents["chairmanships.yaml"]["sources"][0]["title"] = "A very long title " * 30
    assert _error(documents, countries).field == "source_ids"


def test_it_rejects_another_schema_version(
    documents: Documents, countries: dict[str, Country]
) -> None:
    documents["conflicts.yaml"]["schema_version"] = 2
    assert str(_error(documents, countries)) == (
        "conflicts.yaml, field 'schema_version': must be 1, not 2"
    )


def test_it_reports_a_missing_file(documents: Documents, countries: dict[str, Country]) -> None:
    del documents["institutions.yaml"]
    assert str(_error(documents, countries)) == "institutions.yaml: file is missing"


# --- reading YAML -----------------------------------------------------------------------------


def test_it_keeps_dates_as_text_and_norway_as_a_country_code() -> None:
    document = reference.read_document("iso2: NO\njoined: 1973-13-01\nok: true\n", "x.yaml")
    assert document == {"iso2": "NO", "joined": "1973-13-01", "ok": True}


def test_it_rejects_malformed_yaml_naming_the_file_and_line() -> None:
    with pytest.raises(ReferenceDataError) as raised:
        reference.read_document("schema_version: 1\nsources: [unclosed\n", "partners.yaml")
    assert str(raised.value).startswith("partners.yaml: not valid YAML at line 3")


def test_it_rejects_a_file_that_is_not_a_mapping() -> None:
    with pytest.raises(ReferenceDataError, match=r"^partners\.yaml: the file must hold a mapping"):
        reference.read_document("- just\n- a list\n", "partners.yaml")


# --- what the loader fills in -----------------------------------------------------------------


def test_it_refuses_a_field_the_loader_fills_in(
    documents: Documents, countries: dict[str, Country]
) -> None:
    index, japan = _row(documents, "partners.yaml", "iso2", "JP")
    japan["iso3"] = "JPN"
    assert str(_error(documents, countries)) == (
        f"partners.yaml, row {index} (iso2=JP), field 'iso3': unknown field"
    )


def test_it_names_a_missing_parent_further_up_the_chain(
    documents: Documents, countries: dict[str, Country]
) -> None:
    # A unit whose parent's parent is missing: the missing one is named, wherever the walk starts.
    _index, first = _row(documents, "secretariat_units.yaml", "code", "gender-issues-programme")
    first["parent"] = "operations-service"
    index, centre = _row(documents, "secretariat_units.yaml", "code", "conflict-prevention-centre")
    centre["parent"] = "nowhere"
    error = _error(documents, countries)
    assert (error.row, error.field) == (index, "parent")
    assert error.message == "no unit with code 'nowhere'"
