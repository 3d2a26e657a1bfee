"""CSV (with HXL hashtags) and XLSX tables of projects, indicators and transactions; the XLSX
import of projects and transactions, row-numbered and all or nothing."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.core.services.users import issue_api_token
from hofburg.projects import exports, queries
from hofburg.projects.importing import ImportRefused, import_workbook
from hofburg.projects.models import Project, Transaction
from tests.conftest import Cast
from tests.projects.samples import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def _csv(user: object, kind: str) -> list[list[str]]:
    text = "".join(exports.as_csv(user, kind, queries.visible_projects(user)))  # type: ignore[arg-type]
    return list(csv.reader(io.StringIO(text)))


def test_csv_tables_carry_hxl_hashtags_and_only_visible_rows(cast: Cast, world: World) -> None:
    rows = _csv(AnonymousUser(), "projects")
    assert rows[0][:3] == ["number", "title", "dimension"]
    assert rows[1][:3] == ["#activity+code", "#activity+name", "#sector+dimension"]
    assert [r[0] for r in rows[2:]] == ["P-100"]
    transactions = _csv(cast.alice, "transactions")
    assert transactions[1][0] == "#activity+code"
    assert {r[0] for r in transactions[2:]} == {"P-100", "P-200"}
    assert len(transactions) == 2 + 10  # five transactions in each
    indicators = _csv(world.erin, "indicators")
    assert [r[8:10] for r in indicators[2:4]] == [["40.0000", "30.0000"], ["100.0000", ""]]


def test_formulas_are_defused_in_csv_and_xlsx(world: World) -> None:
    Project.objects.filter(pk=world.public.pk).update(title="=HYPERLINK(\"x\")")
    rows = _csv(AnonymousUser(), "projects")
    assert rows[2][1] == "'=HYPERLINK(\"x\")"
    book = load_workbook(io.BytesIO(exports.as_xlsx(
        AnonymousUser(), "projects", queries.visible_projects(AnonymousUser()))))
    cell = book.active.cell(row=2, column=2)
    assert cell.value == "'=HYPERLINK(\"x\")" and cell.data_type == "s"


def _workbook(projects: list[list[object]] | None, transactions: list[list[object]] | None
              ) -> bytes:
    book = Workbook()
    book.remove(book.active)
    if projects is not None:
        sheet = book.create_sheet("projects")
        sheet.append(["number", "title", "dimension", "theme", "description", "dac_sectors",
                      "recipients", "planned_start", "classification"])
        for row in projects:
            sheet.append(row)
    if transactions is not None:
        sheet = book.create_sheet("transactions")
        sheet.append(["project", "flow", "value", "value_date", "donor", "earmark"])
        for row in transactions:
            sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


GOOD_PROJECT = ["P-700", "Climate security assessment", "economic_environmental",
                "climate_security", "Assessing risks", "41010", "MD", "2026-01-01", "public"]


def test_an_import_creates_projects_and_transactions(world: World) -> None:
    data = _workbook([GOOD_PROJECT], [["P-700", "pledge", 5000, "2026-01-15", "at", ""],
                                      ["P-100", "contribution", 1000.5, "2026-02-01", "eu",
                                       "training"]])
    result = import_workbook(world.erin, data)
    assert (result.projects, result.transactions) == (1, 2)
    project = Project.objects.get(number="P-700")
    assert project.owner_affiliation == world.erin.affiliation and project.dac_sectors == [
        "41010"]
    assert Transaction.objects.get(project=world.public, value=Decimal("1000.50")).earmark == \
        "training"


def test_one_bad_row_refuses_the_whole_workbook_naming_every_row(world: World) -> None:
    before = (Project.objects.count(), Transaction.objects.count())
    data = _workbook(
        [GOOD_PROJECT, ["P-701", "", "economic_environmental", "climate_security", "x",
                        "", "", "", "public"],
         ["P-100", "Taken", "human", "elections", "x", "", "", "", "public"]],
        [["P-700", "pledge", 5000, "2026-01-15", "at", ""],
         ["P-999", "pledge", 1, "2026-01-15", "at", ""],
         ["P-700", "pledge", "lots", "2026-01-15", "at", ""]])
    with pytest.raises(ImportRefused) as refused:
        import_workbook(world.erin, data)
    found = [str(e) for e in refused.value.errors]
    assert found == [
        "projects row 3, title: required",
        "projects row 4, number: Project number P-100 is taken.",
        "transactions row 3, project: no project 'P-999'",
        "transactions row 4, value: not a number: 'lots'",
    ]
    assert (Project.objects.count(), Transaction.objects.count()) == before


def test_a_file_that_is_no_workbook_is_refused(world: World) -> None:
    with pytest.raises(ImportRefused, match="not an XLSX workbook"):
        import_workbook(world.erin, b"number,title\n")


def test_an_exported_workbook_imports_back(world: World) -> None:
    data = exports.as_xlsx(world.erin, "transactions",
                           Project.objects.filter(pk=world.public.pk))
    book = load_workbook(io.BytesIO(data))
    book.active.title = "transactions"
    stream = io.BytesIO()
    book.save(stream)
    count = Transaction.objects.filter(project=world.public).count()
    result = import_workbook(world.erin, stream.getvalue())
    assert result.transactions == count
    assert Transaction.objects.filter(project=world.public).count() == 2 * count


def test_files_through_the_api_and_the_command_line(world: World, tmp_path: Path) -> None:
    response = Client().get("/api/v1/projects/exports/projects?format=csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert response.status_code == 200 and "#activity+code" in text and "P-200" not in text
    xlsx = Client().get("/api/v1/projects/exports/transactions?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    _token, key = issue_api_token(world.erin, "import")
    upload = SimpleUploadedFile("p.xlsx", _workbook([GOOD_PROJECT], None))
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {key}").post(
        "/api/v1/projects/imports", {"file": upload})
    assert answer.status_code == 200 and answer.json() == {"projects": 1, "transactions": 0}
    again = Client(HTTP_AUTHORIZATION=f"Bearer {key}").post(
        "/api/v1/projects/imports", {"file": SimpleUploadedFile(
            "p.xlsx", _workbook([GOOD_PROJECT], None))})
    assert again.status_code == 422
    assert "projects row 2, number" in again.json()["detail"]
    out = tmp_path / "t.csv"
    result = CliRunner().invoke(app, ["projects", "export", "transactions", "-o", str(out),
                                      "--as-user", "alice"])
    assert result.exit_code == 0 and "#activity+code" in out.read_text()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_workbook([GOOD_PROJECT], None))
    result = CliRunner().invoke(app, ["projects", "import", str(bad), "--as-user", "erin"])
    assert result.exit_code == 1
    assert "projects row 2, number: Project number P-700 is taken." in result.stderr
