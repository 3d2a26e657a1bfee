"""Uploading an annual exchange as files: the format of docs/csbm.md read row by row, and the
upload form on the exchange index, all or nothing, with row numbers in its errors."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from hofburg.csbm import services, uploads
from hofburg.csbm.models import AnnualExchange, ExchangeHolding
from hofburg.csbm.services import HoldingIn, UnitIn, exchanges
from tests.conftest import Cast

UNITS_CSV = """designation,level,service,type,subordinate_to,personnel,latitude,longitude
1. Division,formation,land,division,,900,,
3. Mechanized Brigade,unit,land,mechanized,1. Division,3200,48.2,'-16.4
7. Air Wing,unit,air,fighter,,800,,
"""
HOLDINGS_CSV = """unit,category,type_and_version,quantity
3. Mechanized Brigade,battle_tanks,Type A,40
7. Air Wing,combat_aircraft,,15
,towed_artillery,,6
"""


def rows(text: str, sheet: str) -> list[tuple[int, dict[str, str]]]:
    return uploads.csv_rows(io.BytesIO(text.encode()), sheet)


def read(units: str, holdings: str = "") -> uploads.ExchangeRows:
    return uploads.read_exchange(rows(units, "units"),
                                 rows(holdings, "holdings") if holdings else [],
                                 state="AT", year=2027)


def errors_of(units: str, holdings: str = "") -> list[str]:
    with pytest.raises(uploads.UploadError) as caught:
        read(units, holdings)
    return [str(e) for e in caught.value.errors]


# -- reading ----------------------------------------------------------------------------------


def test_two_csv_files_read_into_units_and_holdings() -> None:
    found = read(UNITS_CSV, HOLDINGS_CSV)
    assert [u.designation for u in found.units] == [
        "1. Division", "3. Mechanized Brigade", "7. Air Wing"]
    brigade = found.units[1]
    assert (brigade.parent, brigade.personnel, brigade.latitude) == ("1. Division", 3200, 48.2)
    assert brigade.longitude == -16.4  # the export's formula guard is taken off
    assert found.units[2].service == "air"
    assert found.holdings[2] == HoldingIn("towed_artillery", 6, "", None)
    assert found.unit_rows == [2, 3, 4]


def test_semicolons_and_a_byte_order_mark_are_read_too() -> None:
    text = "\ufeffdesignation;level;personnel\n1. Brigade;unit;3000\n"
    found = uploads.read_exchange(rows(text, "units"), [], state="AT", year=2027)
    assert found.units == [UnitIn("1. Brigade", personnel=3000)]


def test_every_bad_row_is_reported_with_its_row_number() -> None:
    units = ("designation,level,personnel,combat_unit\n1. Brigade,unit,many,yes\n"
             ",unit,10,perhaps\n2. Brigade,regiment,10,no\n")
    holdings = "category,quantity\nspears,3\nacvs,-2\n"
    assert errors_of(units, holdings) == [
        "units, row 2, personnel: many is not a whole number of 0 or more.",
        "units, row 3, designation: Required.",
        "units, row 3, combat_unit: Write yes or no.",
        "units, row 4, level: regiment is not one of: formation, unit.",
        "holdings, row 2, category: spears is not one of: " + ", ".join(
            uploads.EquipmentCategory.values) + ".",
        "holdings, row 3, quantity: -2 is not a whole number of 0 or more.",
    ]


def test_missing_and_unknown_columns_are_named() -> None:
    assert errors_of("designation,colour\n1. Brigade,red\n") == [
        "units, row 1, level: Missing column.",
        "units, row 1, colour: Unknown column (known: designation, level, service, type, "
        "subordinate_to, combat_unit, active, latitude, longitude, personnel).",
    ]


def test_rows_of_another_state_or_year_are_refused() -> None:
    units = "state,year,designation,level\nFI,2027,1. Brigade,unit\nAT,2026,2. Brigade,unit\n"
    assert errors_of(units) == [
        "units, row 2, state: This row is for FI; the exchange is AT's.",
        "units, row 3, year: This row is for 2026; the exchange is for 2027.",
    ]


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(uploads.UploadError, match="not an XLSX workbook"):
        uploads.workbook_rows(io.BytesIO(b"designation,level\n"))


def test_a_service_refusal_points_at_its_row() -> None:
    found = read(UNITS_CSV, HOLDINGS_CSV)
    error = uploads.refusal(found, "units[2].parent", "No other formation.")
    assert str(error) == "units, row 4, subordinate_to: No other formation."


# -- the upload form --------------------------------------------------------------------------


def upload(client: Client, **files: Any) -> Any:
    data = {"year": "2027", "submitted_on": "2026-12-10", "classification": "restricted",
            "declared_evaluation_quota": "1", **files}
    return client.post(reverse("csbm:exchange_upload"), data)


def csv_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_an_editor_uploads_austrias_exchange_as_two_csv_files(cast: Cast, states: Any) -> None:
    response = upload(cast.client(cast.alice), units_csv=csv_file("units.csv", UNITS_CSV),
                      holdings_csv=csv_file("holdings.csv", HOLDINGS_CSV))
    assert response.status_code == 302
    assert response["Location"] == reverse("csbm:exchange", args=["AT", 2027])
    exchange = AnnualExchange.objects.get()
    assert (exchange.state_id, exchange.version, exchange.units_reported,
            exchange.submitted_by) == ("AT", 1, 2, cast.alice)
    assert exchange.units.get(designation="3. Mechanized Brigade").longitude == -16.4
    assert ExchangeHolding.objects.count() == 3


def test_the_form_is_offered_to_editors_of_a_delegation_only(cast: Cast, states: Any) -> None:
    index = reverse("csbm:exchanges")
    assert "Upload the exchange of AT" in cast.client(cast.alice).get(index).content.decode()
    for user in (cast.carol, cast.nick, None):
        assert 'id="upload"' not in cast.client(user).get(index).content.decode()


def test_a_bad_upload_lists_its_rows_and_stores_nothing(cast: Cast, states: Any) -> None:
    units = UNITS_CSV + "8. Brigade,battalion,land,,,10,,\n"
    response = upload(cast.client(cast.alice), units_csv=csv_file("units.csv", units),
                      holdings_csv=csv_file("holdings.csv", HOLDINGS_CSV + "x,acvs,,2\n"))
    assert response.status_code == 422
    page = " ".join(response.content.decode().split())
    assert "Nothing was stored" in page
    assert "units, row 5, level: battalion is not one of: formation, unit." in page
    assert not AnnualExchange.objects.exists()


def test_a_refusal_by_the_service_names_the_row_and_stores_nothing(
        cast: Cast, states: Any) -> None:
    response = upload(cast.client(cast.alice), units_csv=csv_file("units.csv", UNITS_CSV),
                      holdings_csv=csv_file("holdings.csv", HOLDINGS_CSV + "9. Brigade,acvs,,2\n"))
    assert response.status_code == 422
    assert "holdings, row 5, unit: No formation or unit" in response.content.decode()
    assert not AnnualExchange.objects.exists()


def test_an_exported_workbook_uploads_again_as_the_next_version(cast: Cast,
                                                                states: Any) -> None:
    services.submit_exchange(cast.alice, services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=date(2026, 12, 1),
        units=[UnitIn("1. Division", level="formation"),
               UnitIn("1. Brigade", parent="1. Division", longitude=-3.5)],
        holdings=[HoldingIn("acvs", 12, "Type B", unit="1. Brigade")]))
    reader = cast.client(cast.alice)
    page = reverse("csbm:exchange", args=["AT", 2027])
    book = Workbook()
    book.remove(book.active)
    for part in ("units", "holdings"):
        exported = reader.get(page, {"part": part, "format": "csv"}).content.decode()
        sheet = book.create_sheet(part)
        for line in exported.splitlines():
            sheet.append(line.split(","))
    stream = io.BytesIO()
    book.save(stream)
    response = upload(reader, workbook=SimpleUploadedFile("aemi.xlsx", stream.getvalue()))
    assert response.status_code == 302, response.content.decode()[-2000:]
    first, second = AnnualExchange.objects.order_by("version")
    assert (second.version, second.supersedes, first.is_current) == (2, first, False)
    brigade = second.units.get(designation="1. Brigade")
    assert (brigade.parent.designation if brigade.parent else None,
            brigade.longitude) == ("1. Division", -3.5)
    assert list(second.holdings.values_list("category", "quantity", "type_name")) == [
        ("acvs", 12, "Type B")]


def test_an_upload_needs_one_kind_of_file(cast: Cast, states: Any) -> None:
    response = upload(cast.client(cast.alice))
    assert response.status_code == 422
    assert "Give either an XLSX workbook or a units CSV file." in response.content.decode()


def test_only_a_delegations_editor_may_upload(cast: Cast, states: Any) -> None:
    files = {"units_csv": csv_file("units.csv", UNITS_CSV)}
    assert upload(cast.client(cast.carol), **files).status_code == 403
    assert upload(cast.client(cast.nick), **files).status_code == 403
    assert upload(Client(), **files).status_code == 302  # to the sign-in page
    assert not AnnualExchange.objects.exists()


# -- bad input: bounded, row by row, nothing stored -------------------------------------------


def test_an_oversized_quantity_is_refused_on_its_row(cast: Cast, states: Any) -> None:
    holdings = HOLDINGS_CSV + f",acvs,,{10**30}\n,acvs,,{2**31}\n,acvs,,²\n"
    response = upload(cast.client(cast.alice), units_csv=csv_file("units.csv", UNITS_CSV),
                      holdings_csv=csv_file("holdings.csv", holdings))
    assert response.status_code == 422
    page = " ".join(response.content.decode().split())
    assert "holdings, row 5, quantity: 10000000000000000000… is more than 2147483647." in page
    assert f"holdings, row 6, quantity: {2**31} is more than 2147483647." in page
    assert "holdings, row 7, quantity: ² is not a whole number" in page
    assert not AnnualExchange.objects.exists()


def test_a_circular_hierarchy_is_refused_on_its_row(cast: Cast, states: Any) -> None:
    units = ("designation,level,subordinate_to\n1. Division,formation,3. Division\n"
             "2. Division,formation,1. Division\n3. Division,formation,2. Division\n"
             "4. Brigade,unit,1. Division\n")
    response = upload(cast.client(cast.alice), units_csv=csv_file("units.csv", units))
    assert response.status_code == 422
    page = " ".join(response.content.decode().split())
    assert ("units, row 2, subordinate_to: The subordination goes round in a circle: "
            "1. Division → 3. Division → 2. Division → 1. Division.") in page
    assert not AnnualExchange.objects.exists()


def test_a_formation_under_itself_through_one_other_is_refused() -> None:
    found = read("designation,level,subordinate_to\nA,formation,B\nB,formation,A\n")
    with pytest.raises(services.CsbmError, match="circle"):
        exchanges._check_units(found.units)


def test_nul_long_text_and_numbers_that_are_not_finite_are_refused_on_their_rows() -> None:
    units = ("designation,level,latitude,type\n1. Bri\x00gade,unit,,\n2. Brigade,unit,nan,\n"
             f"3. Brigade,unit,1e400,\n{'x' * 201},unit,,\n5. Brigade,unit,,{'t' * 61}\n")
    assert errors_of(units) == [
        "units, row 2, designation: The cell holds a NUL character.",
        "units, row 3, latitude: nan is not a number.",
        "units, row 4, latitude: 1e400 is not a number.",
        "units, row 5, designation: Longer than 200 characters.",
        "units, row 6, type: Longer than 60 characters.",
    ]
