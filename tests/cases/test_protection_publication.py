"""The protection-case publication (decision 0062) on the database: which cases count, the
command line, k from the settings, and the preview page with its CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hofburg.cases.engine.protection_publication import COLUMNS, SUPPRESSED
from hofburg.cases.models import AccessLog, Person
from hofburg.cases.services import erasure, persons, protection
from hofburg.cli import app
from hofburg.core.models import Classification
from tests.cases.conftest import Scene, verified_client

runner = CliRunner()


def _open(scene: Scene, person: Person, count: int, **values: Any) -> None:
    record: dict[str, Any] = {
        "concern": "trafficking", "country": "XE", "opened_on": date(2024, 3, 1),
        "consent": True, "trafficking_status": "possible_victim", "gender": "feminine",
        "age_at_exploitation": 20, "citizenship": ["XE"],
        "exploitation_types": ["forced_labour"]} | values
    for _ in range(count):
        protection.create_protection_case(scene.erin, person,
                                          protection.ProtectionRecord(**record))


@pytest.fixture
def cases(scene: Scene) -> Scene:
    """Thirteen eligible confidential cases in XE in 2024 (eleven feminine, two masculine),
    and beside them cases that must not count: an exercise case, one found not a victim, one
    without consent, one of 2023, and one whose person awaits an erasure decision."""
    _open(scene, scene.person, 11)
    _open(scene, scene.other, 2, gender="masculine")
    _open(scene, scene.person, 1, is_exercise=True)
    _open(scene, scene.person, 1, trafficking_status="not_a_victim")
    _open(scene, scene.person, 1, consent=False)
    _open(scene, scene.person, 1, opened_on=date(2023, 12, 31))
    asking, _ = persons.create_person(scene.erin, owner=scene.cast.cpc,
                                      vault_values={"name": "Exercise Asker (EXERCISE)"})
    _open(scene, asking, 1)
    erasure.request_erasure(scene.erin, asking, "the person asks to be forgotten")
    return scene


def _publish(tmp_path: Path, *args: str) -> tuple[Any, list[list[str]]]:
    target = tmp_path / "protection.csv"
    result = runner.invoke(app, ["cases", "publish", "--dataset", "protection", "--year",
                                 "2024", "-o", str(target), *args])
    rows = list(csv.reader(io.StringIO(target.read_text()))) if target.exists() else []
    return result, rows


def _line(rows: list[list[str]], dimension: str) -> dict[str, str]:
    return {r[4]: r[5] for r in rows[1:] if r[3] == dimension}


def test_the_command_publishes_only_eligible_real_cases_with_small_cells_suppressed(
        cases: Scene, tmp_path: Path) -> None:
    result, rows = _publish(tmp_path, "--as-user", "erin")
    assert result.exit_code == 0, result.output
    assert "written to" in result.output and "below 11 suppressed" in result.output
    assert rows[0] == COLUMNS
    assert rows[1] == ["2024", "trafficking", "XE", "cases", "all", "13", "false"]
    # two masculine cases are below k; the feminine count would give them back from 13
    assert _line(rows, "gender") == {"feminine": SUPPRESSED, "masculine": SUPPRESSED}
    assert _line(rows, "age_band") == {"18-24": "13"}
    assert _line(rows, "citizenship") == {"XE": "13"}
    assert {r[2] for r in rows[1:]} == {"XE"} and {r[6] for r in rows[1:]} == {"false"}
    entry = AccessLog.objects.get(action="publish")
    assert (entry.user_label, entry.record_type, entry.count, entry.channel) == (
        "erin", "protection", 13, "cli")
    assert "gender" in entry.fields and "summary" not in entry.fields


def test_exercise_cases_go_only_into_an_exercise_table(cases: Scene, tmp_path: Path) -> None:
    result, rows = _publish(tmp_path, "--as-user", "erin", "--exercise")
    assert result.exit_code == 0, result.output
    assert "EXERCISE" in result.output
    assert rows[1:] == []  # one exercise case: below k, left out
    _open(cases, cases.person, 11, is_exercise=True, gender="masculine")
    _result, rows = _publish(tmp_path, "--as-user", "erin", "--exercise")
    assert rows[1] == ["2024", "trafficking", "XE", "cases", "all", "12", "true"]
    assert _line(rows, "gender") == {"feminine": SUPPRESSED, "masculine": SUPPRESSED}
    assert {r[6] for r in rows[1:]} == {"true"}
    _result, rows = _publish(tmp_path, "--as-user", "erin")
    assert rows[1][5] == "13"  # the real table is as it was


def test_k_comes_from_the_settings(cases: Scene, tmp_path: Path, settings: Any) -> None:
    settings.CASES_SUPPRESSION_K = 14
    result, rows = _publish(tmp_path, "--as-user", "erin")
    assert "below 14 suppressed" in result.output
    assert rows[1:] == []
    settings.CASES_SUPPRESSION_K = 2
    _result, rows = _publish(tmp_path, "--as-user", "erin")
    assert _line(rows, "gender") == {"feminine": "11", "masculine": "2"}


def test_an_erased_or_restricted_person_is_not_counted(cases: Scene, tmp_path: Path) -> None:
    Person.objects.filter(pk=cases.other.pk).update(restricted_at=datetime(2024, 6, 1, tzinfo=UTC))
    _result, rows = _publish(tmp_path, "--as-user", "erin")
    assert rows[1][5] == "11" and _line(rows, "gender") == {"feminine": "11"}
    Person.objects.filter(pk=cases.person.pk).update(erased_at=datetime(2024, 6, 1, tzinfo=UTC))
    _result, rows = _publish(tmp_path, "--as-user", "erin")
    assert rows[1:] == []


def test_the_publisher_counts_only_the_cases_they_may_see(cases: Scene,
                                                          tmp_path: Path) -> None:
    _open(cases, cases.person, 12, country="XF", classification=Classification.RESTRICTED)
    result, rows = _publish(tmp_path, "--as-user", "bob")  # another affiliation
    assert result.exit_code == 0, result.output
    assert {r[2] for r in rows[1:]} == {"XF"}
    assert rows[1] == ["2024", "trafficking", "XF", "cases", "all", "12", "false"]


@pytest.mark.parametrize(("args", "message"), [
    ([], "needs --as-user"),
    (["--as-user", "nobody"], "no active user"),
    (["--year", "1800", "--as-user", "erin"], "greater than or equal to 1990"),
])
def test_the_command_refuses_in_one_line(cases: Scene, tmp_path: Path, args: list[str],
                                         message: str) -> None:
    result, rows = _publish(tmp_path, *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output and rows == []


def test_the_hate_crime_table_takes_no_publisher(cases: Scene, tmp_path: Path) -> None:
    result = runner.invoke(app, ["cases", "publish", "--dataset", "hate-crime", "--year", "2024",
                                 "-o", str(tmp_path / "h.csv"), "--as-user", "erin"])
    assert result.exit_code == 2 and "belongs to --dataset protection" in result.output
    assert not (tmp_path / "h.csv").exists()


def test_the_preview_shows_and_downloads_exactly_what_the_command_writes(
        cases: Scene, tmp_path: Path) -> None:
    client = verified_client(cases.erin)
    page = client.get("/cases/protection/publication/", {"year": "2024"})
    assert page.status_code == 200
    _result, rows = _publish(tmp_path, "--as-user", "erin")
    body = page.content.decode()
    for row in rows[1:]:
        assert "".join(f"<td>{v}</td>" for v in row) in body
    download = client.get("/cases/protection/publication/", {"year": "2024", "format": "csv"})
    assert download["Content-Disposition"] == 'attachment; filename="protection-2024.csv"'
    assert download.content == (tmp_path / "protection.csv").read_bytes()
    assert AccessLog.objects.filter(action="export", channel="page", count=13).exists()
    _open(cases, cases.person, 11, is_exercise=True)
    exercise = client.get("/cases/protection/publication/", {"year": "2024", "exercise": "on"})
    assert "<td>true</td>" in exercise.content.decode() and "EXERCISE" in \
        exercise.content.decode()


def test_the_preview_refuses_a_bad_year_and_is_no_page_for_visitors(cases: Scene) -> None:
    client = verified_client(cases.erin)
    assert client.get("/cases/protection/publication/", {"year": "12"}).status_code == 400
    assert verified_client(None).get("/cases/protection/publication/").status_code == 404
