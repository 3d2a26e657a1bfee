"""Every CSV and XLSX the platform writes defuses text a spreadsheet would run as a formula.

Each exporter is run with hostile text in its cells and the file is read back: no CSV cell
starts with `= + - @`, tab or carriage return, and no workbook cell is a formula. A guard test
keeps every CSV and XLSX writer in `core.tables`, so a new exporter cannot bypass it.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hofburg.core.models import Classification
from hofburg.core.tables import FORMULA_STARTS, Table, write_csv, write_xlsx
from hofburg.csbm import exports as csbm_exports
from hofburg.csbm import services as csbm_services
from hofburg.csbm.services import HoldingIn, UnitIn
from hofburg.documents.models import Document
from hofburg.monitoring import exports as monitoring_exports
from hofburg.monitoring import queries as monitoring_queries
from hofburg.monitoring import scenario
from hofburg.monitoring.importing import header, pipeline
from hofburg.monitoring.models import DailyCount, Event
from hofburg.registry import exports as registry_exports
from hofburg.registry.models import ParticipatingState
from tests.conftest import Cast
from tests.monitoring.rows import row, same_explosion
from tests.monitoring.rows import write_csv as write_observations

SRC = Path(__file__).resolve().parents[1] / "src" / "hofburg"

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


def csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_csv_defused(text: str, hostile: Iterable[str] = HOSTILE) -> None:
    cells = [cell for line in csv_cells(text) for cell in line]
    dangerous = [cell for cell in cells
                 if cell.startswith(FORMULA_STARTS) and not re.fullmatch(r"-\d+(\.\d+)?", cell)]
    assert dangerous == []
    for value in hostile:
        assert "'" + value in cells, value


def assert_xlsx_defused(data: bytes, hostile: Iterable[str] = HOSTILE) -> None:
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook.worksheets for line in sheet.iter_rows()
             for cell in line]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert [t for t in texts if t.startswith(FORMULA_STARTS)
            and not re.fullmatch(r"-\d+(\.\d+)?", t)] == []
    for value in hostile:
        # Python's XML parser reads a bare carriage return back as a line feed, lxml keeps it.
        assert {"'" + value, "'" + value.replace("\r", "\n")} & set(texts), value


# -- the writers themselves ----------------------------------------------------------------


def _table() -> Table:
    return Table("hostile", ["text", "negative", "date"],
                 [[value, -5, datetime.date(2026, 1, 2)] for value in HOSTILE]
                 + [["-16.4", -2, None]])


def test_the_csv_writer_defuses_text_and_leaves_numbers_alone() -> None:
    stream = io.BytesIO()
    write_csv(_table(), stream)
    text = stream.getvalue().decode()
    assert_csv_defused(text)
    rows = csv_cells(text)[1:]
    assert {r[1] for r in rows} == {"-5", "-2"}
    assert rows[-1][0] == "-16.4"  # a negative number written as text is still a number


def test_the_xlsx_writer_writes_text_as_text_and_numbers_as_numbers() -> None:
    stream = io.BytesIO()
    write_xlsx(_table(), stream)
    assert_xlsx_defused(stream.getvalue())
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    assert sheet is not None
    negatives = [line[1] for line in sheet.iter_rows(min_row=2)]
    assert {(c.value, c.data_type) for c in negatives} == {(-5, "n"), (-2, "n")}


# -- the document library: web download and `hofburg export documents` ----------------------


@pytest.fixture
def hostile_documents(cast: Cast) -> list[Document]:
    return [Document.objects.create(
        symbol=f"PC.DEL/{n}/26", title=value, date=datetime.date(2026, 3, 1), originator=value,
        original_language="en", classification=Classification.PUBLIC,
        owner_affiliation=cast.austria) for n, value in enumerate(HOSTILE, start=1)]


def test_the_document_list_download_is_defused(hostile_documents: list[Document]) -> None:
    response = Client().get(reverse("documents:documents"), {"format": "csv"})
    assert_csv_defused(b"".join(response.streaming_content).decode()
                       if response.streaming else response.content.decode())


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_documents_command_export_is_defused(
        hostile_documents: list[Document], tmp_path: Path, file_format: str) -> None:
    output = tmp_path / f"documents.{file_format}"
    call_command("export_documents", output=str(output), format=file_format,
                 stdout=io.StringIO())
    if file_format == "csv":
        assert_csv_defused(output.read_bytes().decode())
    else:
        assert_xlsx_defused(output.read_bytes())


# -- the registry's open data ---------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_registry_export_is_defused(db: None, file_format: str) -> None:
    for n, value in enumerate(HOSTILE):
        ParticipatingState.objects.create(
            iso2=f"Q{n}", iso3=f"QQ{n}", numeric=f"90{n}", joined=datetime.date(1973, 6, 25),
            names={"en": value}, source=value)
    stream = io.BytesIO()
    registry_exports.write_export("states", file_format, stream)
    if file_format == "csv":
        assert_csv_defused(stream.getvalue().decode())
    else:
        assert_xlsx_defused(stream.getvalue())


# -- the Vienna Document desk: exchanged data --------------------------------------------------


@pytest.fixture
def states(db: None) -> None:
    for iso2, iso3, numeric, name in (("AT", "AUT", "040", "Austria"),
                                      ("FI", "FIN", "246", "Finland")):
        ParticipatingState.objects.create(iso2=iso2, iso3=iso3, numeric=numeric,
                                          joined=datetime.date(1973, 6, 25),
                                          names={"en": name}, source="test")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_exchange_export_is_defused(cast: Cast, states: Any, file_format: str) -> None:
    exchange = csbm_services.submit_exchange(cast.alice, csbm_services.ExchangeSubmission(
        state="AT", year=2027, submitted_on=datetime.date(2026, 12, 10),
        units=[UnitIn(value, unit_type=value[:60]) for value in HOSTILE],
        holdings=[HoldingIn("mortars", 1, value, unit=value) for value in HOSTILE]))
    for table in (csbm_exports.exchange_units_table(exchange),
                  csbm_exports.exchange_holdings_table(exchange)):
        stream = io.BytesIO()
        csbm_exports.write_table(table, file_format, stream)
        if file_format == "csv":
            assert_csv_defused(stream.getvalue().decode())
        else:
            assert_xlsx_defused(stream.getvalue())


def test_the_exchange_download_page_is_defused(cast: Cast, states: Any) -> None:
    csbm_services.submit_exchange(None, csbm_services.ExchangeSubmission(
        state="FI", year=2027, submitted_on=datetime.date(2026, 12, 10),
        units=[UnitIn(value) for value in HOSTILE], classification=Classification.PUBLIC))
    response = Client().get(reverse("csbm:exchange", args=["FI", 2027]),
                            {"part": "units", "format": "xlsx"})
    assert response.status_code == 200
    assert_xlsx_defused(response.content)


# -- the field-monitoring desk: events.csv, daily counts, rejects, import files ---------------


AREA = "@SUM(A1:A9)"  # an area code is at most 32 characters


@pytest.fixture
def hostile_events(cast: Cast, tmp_path: Path) -> Cast:
    pipeline.import_observations(
        write_observations(tmp_path / "o.csv", same_explosion()), actor=cast.mona,
        is_exercise=True)
    events = list(Event.objects.order_by("pk"))
    for event, value in zip(events, HOSTILE, strict=False):
        Event.objects.filter(pk=event.pk).update(event_key=value, weapon_class=value)
    DailyCount.objects.update(area=AREA)
    return cast


def test_the_events_csv_is_defused(hostile_events: Cast) -> None:
    events = monitoring_queries.events_for(hostile_events.alice)
    count = events.count()
    text = "".join(monitoring_exports.events_csv(events))
    assert_csv_defused(text, HOSTILE[:count])
    header, _hashtags, *rows = csv_cells(text)
    assert all(float(r[header.index("lon")]) < 0 for r in rows)  # numbers stay numbers


def test_the_events_csv_download_is_defused(hostile_events: Cast) -> None:
    client = hostile_events.client(hostile_events.alice)
    response = client.get("/api/v1/monitoring/exports/events.csv")
    assert response.status_code == 200
    count = Event.objects.count()
    assert_csv_defused(b"".join(response.streaming_content).decode(), HOSTILE[:count])


def test_the_daily_counts_csv_is_defused(hostile_events: Cast) -> None:
    text = "".join(monitoring_exports.daily_counts_csv(
        monitoring_queries.rollup_scope(hostile_events.mona), start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 1, 31)))
    assert_csv_defused(text, [AREA])


def test_the_rejects_file_is_defused(cast: Cast, tmp_path: Path) -> None:
    bad = [row(f"BAD-{n}", method="smelled", notes=value) for n, value in enumerate(HOSTILE)]
    source = write_observations(tmp_path / "mixed.csv", [row("GOOD-1"), *bad])
    rejects = tmp_path / "rejects.csv"
    pipeline.import_observations(source, actor=cast.mona, skip_bad=True,
                                            rejects_path=rejects)
    text = rejects.read_bytes().decode()
    assert_csv_defused(text)
    assert "-29.95" in text  # the coordinate as it was, so the row can be fixed and re-sent


def test_the_import_files_written_for_tests_and_the_demo_are_defused(tmp_path: Path) -> None:
    rows = [row(f"R-{n}", notes=value) for n, value in enumerate(HOSTILE)]
    assert_csv_defused("".join(header.iter_csv_rows(rows)))
    path = tmp_path / "scenario.csv"
    scenario.write_csv(path, iter([{k: str(v) for k, v in r.items()} for r in rows]),
                       header.CSV_COLUMNS)
    assert_csv_defused(path.read_bytes().decode())


# -- no exporter writes CSV or XLSX except through core.tables -------------------------------


WRITER_PATTERN = re.compile(r"csv\.writer|csv\.DictWriter|DictWriter\(|Workbook\(|"
                            r"openpyxl\.Workbook|from openpyxl import .*\bWorkbook\b")


def test_every_csv_and_xlsx_writer_goes_through_the_one_helper() -> None:
    helper = SRC / "core" / "tables.py"
    offenders = [f"{path.relative_to(SRC)}:{number}"
                 for path in sorted(SRC.rglob("*.py")) if path != helper
                 for number, line in enumerate(path.read_bytes().decode().splitlines(), 1)
                 if WRITER_PATTERN.search(line)]
    assert offenders == [], (
        "write CSV and XLSX through hofburg.core.tables (csv_line, csv_writer, "
        f"csv_dict_writer, write_csv, write_xlsx): {offenders}")
