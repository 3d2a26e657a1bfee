"""Open-data files of the registry, read back with the csv and openpyxl modules."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from hofburg.registry import exports
from tests.registry.factories import Osce, create_czechoslovak_chair, create_osce


@pytest.fixture
def osce(db: None) -> Osce:
    return create_osce()


def written(kind: str, file_format: str) -> bytes:
    stream = io.BytesIO()
    exports.write_export(kind, file_format, stream)
    return stream.getvalue()


def csv_rows(kind: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(written(kind, "csv").decode("utf-8"))))


def xlsx_rows(data: bytes) -> tuple[str, list[dict[str, object]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    header = [str(cell) for cell in values[0]]
    return sheet.title, [dict(zip(header, row, strict=True)) for row in values[1:]]


def test_every_kind_carries_source_and_confidence_columns(osce: Osce) -> None:
    for kind in exports.TABLES:
        header = written(kind, "csv").decode("utf-8").splitlines()[0].split(",")
        assert "source" in header and "confidence" in header, kind


def test_the_states_csv_holds_codes_names_in_six_languages_and_labels(osce: Osce) -> None:
    rows = {row["iso2"]: row for row in csv_rows("states")}

    assert list(rows) == ["AT", "CH", "FI", "MD", "MT"]
    austria = rows["AT"]
    assert austria["iso3"] == "AUT"
    assert austria["numeric"] == "040"
    assert austria["name_de"] == "Österreich"
    assert austria["name_ru"] == "Австрия"
    assert austria["joined"] == "1973-06-25"
    assert austria["confidence"] == "confirmed"
    assert rows["CH"]["confidence"] == "unconfirmed"
    assert rows["CH"]["note"] == "member of the OSCE since 1973"
    assert rows["CH"]["chairmanship_years"] == "2026"


def test_the_states_xlsx_has_one_sheet_with_real_dates(osce: Osce) -> None:
    title, rows = xlsx_rows(written("states", "xlsx"))

    assert title == "states"
    assert [row["iso2"] for row in rows] == ["AT", "CH", "FI", "MD", "MT"]
    moldova = rows[3]
    assert moldova["joined"] == datetime(1992, 1, 30)
    assert moldova["name_fr"] == "Moldavie"
    assert moldova["source"] == "OSCE, Expansion of the CSCE/OSCE"


def test_the_chairmanships_name_a_state_that_no_longer_exists(osce: Osce) -> None:
    create_czechoslovak_chair()
    rows = csv_rows("chairmanships")

    assert [row["year"] for row in rows] == ["1992", "2024", "2025", "2026"]
    assert rows[0]["state_iso2"] == ""
    assert rows[0]["chair_en"] == "Czechoslovakia"
    assert rows[3]["chair_en"] == "Switzerland"
    assert rows[3]["source"] == "Ministerial Council decision of 30 Dec 2024"


def test_the_field_operations_say_whether_each_is_current(osce: Osce) -> None:
    rows = {row["code"]: row for row in csv_rows("field-operations")}

    assert rows["mission-to-moldova"]["status"] == "current"
    assert rows["mission-to-moldova"]["host_iso2"] == "MD"
    assert rows["mission-to-moldova"]["confidence"] == "unconfirmed"
    assert rows["mission-to-georgia"]["status"] == "closed"
    assert rows["mission-to-georgia"]["host"] == "Georgia"
    assert rows["mission-to-georgia"]["closed"] == "2009-06-30"


def test_the_conflicts_have_one_row_per_participant_with_both_labels(osce: Osce) -> None:
    rows = csv_rows("conflicts")

    assert sorted((row["participant"], row["role"]) for row in rows) == [
        ("European Union", "observer"), ("Moldova", "side"), ("OSCE", "mediator"),
        ("Transdniestria", "side")]
    assert {row["confidence"] for row in rows} == {"disputed"}
    assert {row["conflict_confidence"] for row in rows} == {"confirmed"}
    assert {row["osce_body"] for row in rows} == {"true"}


def test_the_partners_json_is_a_list_of_records(osce: Osce) -> None:
    records = json.loads(written("partners", "json"))

    assert [r["iso2"] for r in records] == ["JP", "MA"]
    assert records[0]["group"] == "asian"
    assert records[0]["name_es"] == "Japón"
    assert records[0]["source"] == "osce.org, Partners for Co-operation"


def test_dates_in_json_are_iso_8601(osce: Osce) -> None:
    records = json.loads(written("field-operations", "json"))

    moldova = next(r for r in records if r["code"] == "mission-to-moldova")
    assert date.fromisoformat(moldova["established"]) == date(1993, 4, 27)
    assert moldova["closed"] is None


def test_an_unknown_kind_or_format_is_refused_by_name(osce: Osce) -> None:
    with pytest.raises(exports.ExportError, match="Unknown kind 'cats'"):
        written("cats", "csv")
    with pytest.raises(exports.ExportError, match="choose one of: csv, xlsx, json"):
        written("states", "pdf")


# --- the export_registry command ------------------------------------------------------------------

def test_the_command_writes_an_xlsx_file(osce: Osce, tmp_path: Path) -> None:
    target = tmp_path / "partners.xlsx"
    out = io.StringIO()

    call_command("export_registry", "partners", "--format", "xlsx", "--output", str(target),
                 stdout=out)

    title, rows = xlsx_rows(target.read_bytes())
    assert title == "partners"
    assert [row["iso2"] for row in rows] == ["JP", "MA"]
    assert str(target) in out.getvalue()


def test_the_command_writes_a_csv_file_by_default(osce: Osce, tmp_path: Path) -> None:
    target = tmp_path / "states.csv"

    call_command("export_registry", "states", "--output", str(target), stdout=io.StringIO())

    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 5


def test_the_command_refuses_an_unknown_kind_in_one_line(osce: Osce, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"

    with pytest.raises(CommandError) as error:
        call_command("export_registry", "cats", "--output", str(target))

    assert str(error.value) == ("Unknown kind 'cats'; choose one of: states, partners, "
                                "chairmanships, field-operations, conflicts.")
    assert not target.exists()


def test_the_command_refuses_an_unknown_format(osce: Osce, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Unknown format 'pdf'"):
        call_command("export_registry", "states", "--format", "pdf",
                     "--output", str(tmp_path / "x.pdf"))


def test_the_command_refuses_a_missing_folder(osce: Osce, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_registry", "states", "--output", str(tmp_path / "no" / "x.csv"))
