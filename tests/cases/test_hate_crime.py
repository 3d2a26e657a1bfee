"""Hate-crime data on the database: imports all or nothing, screening, the publication."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from hofburg.cases import queries
from hofburg.cases.models import AccessLog, Incident, OfficialStatistic
from hofburg.cases.services import hatecrime
from hofburg.cli import app
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Invalid
from hofburg.core.models import Classification
from tests.conftest import Cast

OFFICIAL = """state,year,stage,bias_motivation,count,point_of_contact,source
XE,2024,recorded_by_police,total,120,NPC,exercise
XE,2024,prosecuted,total,not available,NPC,exercise
XE,2024,recorded_by_police,antisemitism,4,NPC,exercise
"""
INCIDENTS_HEADER = ("reporting_year,country,date,incident_type,bias_motivations,source_org,"
                    "source_kind,description\n")


def incidents_csv(rows: list[str]) -> bytes:
    return (INCIDENTS_HEADER + "\n".join(rows) + "\n").encode()


def test_official_figures_import_from_csv_and_xlsx(cast: Cast) -> None:
    done = hatecrime.import_official_statistics(cast.alice, OFFICIAL.encode(), "f.csv")
    assert (done.created, done.updated) == (3, 0)
    assert OfficialStatistic.objects.get(stage="prosecuted").count is None
    book = Workbook()
    sheet = book.active
    for line in OFFICIAL.strip().splitlines():
        sheet.append(line.split(","))
    sheet.append(["XE", 2024, "sentenced", "total", 7, "", ""])
    stream = io.BytesIO()
    book.save(stream)
    again = hatecrime.import_official_statistics(cast.alice, stream.getvalue(), "f.xlsx")
    assert (again.created, again.updated) == (1, 3)


def test_a_bad_row_refuses_the_whole_file_naming_each_row(cast: Cast) -> None:
    bad = OFFICIAL + ("XE,2024,convicted,total,3,,\nXE,1800,sentenced,total,3,,\n"
                      "XE,2024,sentenced,nonsense,-1,,\n")
    with pytest.raises(hatecrime.ImportRefused) as refused:
        hatecrime.import_official_statistics(cast.alice, bad.encode(), "f.csv")
    assert refused.value.errors == [
        "row 5: stage: one of recorded_by_police, prosecuted, sentenced",
        "row 6: year: a year between 1990 and 2999",
        "row 7: bias_motivation: 'nonsense' is not a code of 2024 nor `total`"]
    assert refused.value.field == "file"
    assert OfficialStatistic.objects.count() == 0


def test_incidents_import_and_go_through_screening(cast: Cast) -> None:
    data = incidents_csv([
        "2024,XE,2024-03-01,physical_assault,antisemitism;racism_xenophobia,Exercise NGO,cso,x",
        "2024,XE,,graffiti,anti_muslim,Exercise NGO,cso,y"])
    assert hatecrime.import_incidents(cast.alice, data).created == 2
    person, property_ = Incident.objects.order_by("occurred_on")
    assert {person.target, property_.target} == {"person", "property"}
    assert person.stage == "received" and person.classification == Classification.CONFIDENTIAL
    with pytest.raises(Invalid, match="reason"):
        hatecrime.screen_incident(cast.alice, person, "excluded_hate_speech", "")
    with pytest.raises(AccessDenied):
        hatecrime.screen_incident(cast.bob, person, "included")
    hatecrime.screen_incident(cast.alice, person, "included")
    with pytest.raises(Invalid, match="cannot go"):
        hatecrime.advance_incident(cast.alice, person, "published")
    hatecrime.advance_incident(cast.alice, person, "consultation")
    hatecrime.advance_incident(cast.alice, person, "published")
    assert Incident.objects.get(pk=person.pk).stage == "published"


def test_bad_incident_rows_are_named_and_nothing_is_stored(cast: Cast) -> None:
    data = incidents_csv([
        "2024,XE,2023-12-31,physical_assault,antisemitism,NGO,cso,x",
        "2024,XE,,stabbing,antisemitism,NGO,cso,x",
        "2024,XE,,graffiti,,NGO,cso,x",
        "2024,XE,,graffiti,antisemitism,NGO,blog,x"])
    with pytest.raises(hatecrime.ImportRefused) as refused:
        hatecrime.import_incidents(cast.alice, data)
    assert refused.value.errors == [
        "row 2: date: the date lies outside the reporting year",
        "row 3: incident_type: 'stabbing' is not a code of 2024",
        "row 4: bias_motivations: at least one",
        "row 5: source_kind: one of cso, igo, holy_see, field_operation"]
    assert Incident.objects.count() == 0


def _published(cast: Cast, count: int, kind: str, bias: str) -> None:
    rows = [f"2024,XE,,{kind},{bias},Exercise NGO,cso,desc-marker" for _ in range(count)]
    hatecrime.import_incidents(cast.alice, incidents_csv(rows))
    for incident in Incident.objects.filter(stage="received"):
        hatecrime.screen_incident(cast.alice, incident, "included")
        hatecrime.advance_incident(cast.alice, incident, "consultation")
        hatecrime.advance_incident(cast.alice, incident, "published")


def test_the_publish_command_writes_the_suppressed_public_table(cast: Cast,
                                                                tmp_path: Path) -> None:
    hatecrime.import_official_statistics(cast.alice, OFFICIAL.encode(), "f.csv",
                                         classification=Classification.PUBLIC)
    _published(cast, 12, "physical_assault", "antisemitism")
    _published(cast, 3, "graffiti", "anti_muslim")
    target = tmp_path / "hc.csv"
    result = CliRunner().invoke(app, ["cases", "publish", "--dataset", "hate-crime",
                                      "--year", "2024", "-o", str(target)])
    assert result.exit_code == 0, result.output
    lines = target.read_text().strip().splitlines()
    assert lines[0] == ("state,year,bias_motivation,recorded_by_police,prosecuted,sentenced,"
                        "incidents_against_people,incidents_against_property,is_exercise")
    assert lines[1] == "XE,2024,total,120,not available,not available,12,suppressed,false"
    assert "desc-marker" not in target.read_text() and "Exercise NGO" not in target.read_text()
    assert AccessLog.objects.filter(action="publish").count() == 1
    bad = CliRunner().invoke(app, ["cases", "publish", "--dataset", "hate-crime",
                                   "--year", "20244", "-o", str(target)])
    assert bad.exit_code == 2


def test_exercise_records_are_published_apart_and_marked(cast: Cast, tmp_path: Path) -> None:
    _published(cast, 12, "physical_assault", "antisemitism")
    Incident.objects.update(is_exercise=True)
    real, exercise = tmp_path / "real.csv", tmp_path / "exercise.csv"
    result = CliRunner().invoke(app, ["cases", "publish", "--dataset", "hate-crime",
                                      "--year", "2024", "-o", str(real)])
    assert result.exit_code == 0, result.output
    assert len(real.read_text().strip().splitlines()) == 1  # the header alone
    result = CliRunner().invoke(app, ["cases", "publish", "--dataset", "hate-crime",
                                      "--year", "2024", "--exercise", "-o", str(exercise)])
    assert result.exit_code == 0 and "EXERCISE" in result.output, result.output
    [header, total, *rest] = exercise.read_text().strip().splitlines()
    assert total.startswith("XE,2024,total,") and total.endswith(",12,0,true")
    assert header.endswith(",is_exercise") and all(line.endswith(",true") for line in rest)
    assert queries.preview_hate_crime_table(cast.alice, 2024, 11) == []
    assert queries.preview_hate_crime_table(cast.alice, 2024, 11, exercise=True)[0][6] == 12


def test_the_preview_counts_only_what_the_viewer_may_see(cast: Cast) -> None:
    _published(cast, 12, "physical_assault", "antisemitism")
    assert queries.preview_hate_crime_table(cast.bob, 2024, 11) == []  # alice's confidential
    assert queries.preview_hate_crime_table(cast.alice, 2024, 11)[0][6] == 12
