"""The protection-case publication (decisions 0062, 0076) on the database: which cases count,
the release made once by a publisher and frozen (every download the same until a new release
with a reason), who may preview and release, the command line, k from the settings, and the
page with its CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hofburg.cases.engine.protection_publication import COLUMNS, SUPPRESSED
from hofburg.cases.models import AccessLog, Person, ProtectionRelease
from hofburg.cases.services import erasure, persons, protection
from hofburg.cli import app
from hofburg.core.models import AuditEntry, Classification, Role, User
from tests.cases.conftest import Scene, verified_client
from tests.cases.tokens import enrol
from tests.conftest import PASSWORD

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
    enrol(scene.erin, scene.gina, scene.cast.carol, scene.cast.bob)
    return scene


PAGE = "/cases/protection/publication/"
REASON = "the annual publication (EXERCISE)"


def _publish(tmp_path: Path, *args: str) -> tuple[Any, list[list[str]]]:
    target = tmp_path / "protection.csv"
    target.unlink(missing_ok=True)
    result = runner.invoke(app, ["cases", "publish", "--dataset", "protection", "--year",
                                 "2024", "-o", str(target), *args])
    rows = list(csv.reader(io.StringIO(target.read_text()))) if target.exists() else []
    return result, rows


def _release(tmp_path: Path, who: str = "gina", *args: str,
             reason: str = REASON) -> tuple[Any, list[list[str]]]:
    result, rows = _publish(tmp_path, "--as-user", who, "--release", "--reason", reason, *args)
    assert result.exit_code == 0, result.output
    return result, rows


def _line(rows: list[list[str]], dimension: str) -> dict[str, str]:
    return {r[4]: r[5] for r in rows[1:] if r[3] == dimension}


def test_a_release_counts_the_owner_affiliations_eligible_cases(cases: Scene,
                                                                 tmp_path: Path) -> None:
    result, rows = _release(tmp_path)
    assert "release 1 of" in result.output and "below 11 suppressed" in result.output
    assert rows[0] == COLUMNS
    assert rows[1] == ["2024", "trafficking", "XE", "cases", "all", "13", "false"]
    # two masculine cases are below k; the feminine count would give them back from 13; the
    # withheld values are not named
    assert _line(rows, "gender") == {SUPPRESSED: SUPPRESSED}
    assert _line(rows, "age_band") == {"18-24": "13"}
    assert _line(rows, "citizenship") == {"XE": "13"}
    assert {r[2] for r in rows[1:]} == {"XE"} and {r[6] for r in rows[1:]} == {"false"}
    entry = AccessLog.objects.get(action="publish")
    assert (entry.user_label, entry.record_type, entry.count, entry.channel) == (
        "gina", "protection", 13, "cli")
    assert "gender" in entry.fields and "summary" not in entry.fields
    made = ProtectionRelease.objects.get()
    assert (made.number, made.released_by_label, made.reason, made.counted, made.k) == (
        1, "gina", REASON, 13, 11)
    assert AuditEntry.objects.get(action="release").after["reason"] == REASON


def test_every_download_gives_the_release_until_a_new_one_is_made(cases: Scene,
                                                                   tmp_path: Path) -> None:
    """Downloads before and after a case is added are the same file: the case's gender, age
    and citizenship cannot be read from their difference. Only a new release, with its
    reason, changes what is downloaded."""
    _release(tmp_path)
    erin = verified_client(cases.erin)
    first = erin.get(PAGE, {"year": "2024", "format": "csv"})
    assert first["Content-Disposition"] == \
        'attachment; filename="protection-2024-release-1.csv"'
    _open(cases, cases.person, 1, gender="masculine", age_at_exploitation=50,
          citizenship=["XF"])
    again = erin.get(PAGE, {"year": "2024", "format": "csv"})
    result, rows = _publish(tmp_path, "--as-user", "erin")
    assert result.exit_code == 0, result.output
    assert again.content == first.content == (tmp_path / "protection.csv").read_bytes()
    assert rows[1][5] == "13"
    assert AccessLog.objects.filter(action="export", record_type="protection",
                                    user_label="erin").count() == 3
    _release(tmp_path, "carol", reason="late cases of 2024 entered")
    renewed = erin.get(PAGE, {"year": "2024", "format": "csv"})
    assert renewed.content != first.content and b",cases,all,14," in renewed.content
    assert "Release 2, made by carol" in erin.get(PAGE, {"year": "2024"}).content.decode()
    assert list(ProtectionRelease.objects.values_list("number", "reason")) == [
        (2, "late cases of 2024 entered"), (1, REASON)]


def test_only_the_publishers_preview_and_release(cases: Scene, tmp_path: Path) -> None:
    """Analysts of the owner affiliation (gina, carol) see what a release would hold now and
    release it; erin (an editor) and bob (another affiliation) read only the release."""
    for user in (cases.erin, cases.cast.bob):
        client = verified_client(user)
        page = client.get(PAGE, {"year": "2024"}).content.decode()
        assert "What a release would hold now" not in page and "<td>13</td>" not in page
        refused = client.post(f"{PAGE}?year=2024", {"reason": REASON})
        assert refused.status_code == 403
        result, _rows = _publish(tmp_path, "--as-user", user.username, "--release",
                                 "--reason", REASON)
        assert result.exit_code == 2 and "Only an analyst" in result.output
    assert not ProtectionRelease.objects.exists()
    assert not AccessLog.objects.filter(record_type="protection").exists()
    carol = verified_client(cases.cast.carol)
    page = carol.get(PAGE, {"year": "2024"}).content.decode()
    assert "What a release would hold now" in page and "<td>13</td>" in page
    unreasoned = carol.post(f"{PAGE}?year=2024", {"reason": "  "})
    assert unreasoned.status_code == 422 and not ProtectionRelease.objects.exists()
    done = carol.post(f"{PAGE}?year=2024", {"reason": REASON})
    assert done.status_code == 302 and done["Location"] == f"{PAGE}?year=2024"
    assert ProtectionRelease.objects.get().released_by == cases.cast.carol


def test_nothing_is_downloaded_before_a_release(cases: Scene, tmp_path: Path) -> None:
    result, rows = _publish(tmp_path, "--as-user", "erin")
    assert result.exit_code == 2 and rows == []
    assert "no release of the 2024 protection table" in result.output
    erin = verified_client(cases.erin)
    assert erin.get(PAGE, {"year": "2024", "format": "csv"}).status_code == 404
    assert "Not released yet" in erin.get(PAGE, {"year": "2024"}).content.decode()


def test_the_preview_is_what_a_release_writes(cases: Scene, tmp_path: Path) -> None:
    gina = verified_client(cases.gina)
    body = gina.get(PAGE, {"year": "2024"}).content.decode()
    assert AccessLog.objects.filter(action="read", record_type="protection", count=13).exists()
    _result, rows = _release(tmp_path)
    for row in rows[1:]:
        assert "".join(f"<td>{v}</td>" for v in row) in body
    download = gina.get(PAGE, {"year": "2024", "format": "csv"})
    assert download.content == (tmp_path / "protection.csv").read_bytes()


def test_exercise_cases_go_only_into_an_exercise_table(cases: Scene, tmp_path: Path) -> None:
    result, rows = _release(tmp_path, "gina", "--exercise")
    assert "EXERCISE" in result.output
    assert rows[1:] == []  # one exercise case: below k, left out
    _open(cases, cases.person, 11, is_exercise=True, gender="masculine")
    _result, rows = _publish(tmp_path, "--as-user", "erin", "--exercise")
    assert rows[1:] == []  # frozen
    _result, rows = _release(tmp_path, "gina", "--exercise", reason="exercise cases added")
    assert rows[1] == ["2024", "trafficking", "XE", "cases", "all", "12", "true"]
    assert _line(rows, "gender") == {SUPPRESSED: SUPPRESSED}
    assert {r[6] for r in rows[1:]} == {"true"}
    result, _rows = _publish(tmp_path, "--as-user", "erin")
    assert result.exit_code == 2  # the real table is not released


def test_k_comes_from_the_settings_and_is_kept_with_the_release(cases: Scene, tmp_path: Path,
                                                                settings: Any) -> None:
    settings.CASES_SUPPRESSION_K = 14
    result, rows = _release(tmp_path)
    assert "below 14 suppressed" in result.output and rows[1:] == []
    settings.CASES_SUPPRESSION_K = 2
    result, rows = _publish(tmp_path, "--as-user", "erin")
    assert "below 14 suppressed" in result.output and rows[1:] == []
    _result, rows = _release(tmp_path, reason="k lowered")
    assert _line(rows, "gender") == {"feminine": "11", "masculine": "2"}


def test_an_erased_or_restricted_person_is_not_counted(cases: Scene, tmp_path: Path) -> None:
    Person.objects.filter(pk=cases.other.pk).update(restricted_at=datetime(2024, 6, 1, tzinfo=UTC))
    _result, rows = _release(tmp_path)
    assert rows[1][5] == "11" and _line(rows, "gender") == {"feminine": "11"}
    Person.objects.filter(pk=cases.person.pk).update(erased_at=datetime(2024, 6, 1, tzinfo=UTC))
    _result, rows = _release(tmp_path, reason="an erasure")
    assert rows[1:] == []


def test_a_publisher_counts_only_the_cases_of_their_affiliation(cases: Scene,
                                                                tmp_path: Path) -> None:
    """Restricted cases are seen by every affiliation, but only their owner publishes them."""
    _open(cases, cases.person, 12, country="XF", classification=Classification.RESTRICTED)
    fiona = User.objects.create_user("fiona", password=PASSWORD, affiliation=cases.cast.finland,
                                     roles=[Role.READER, Role.ANALYST])
    enrol(fiona)
    _result, rows = _release(tmp_path, "fiona")
    assert rows[1:] == []
    _result, rows = _release(tmp_path, "gina")
    assert {r[2] for r in rows[1:]} == {"XE", "XF"}
    assert ["2024", "trafficking", "XF", "cases", "all", "12", "false"] in rows


@pytest.mark.parametrize(("args", "message"), [
    ([], "needs --as-user"),
    (["--as-user", "nobody"], "no active user"),
    (["--year", "1800", "--as-user", "gina"], "greater than or equal to 1990"),
    (["--as-user", "gina", "--release"], "every release states its reason"),
    (["--as-user", "gina", "--release", "--reason", " "], "every release states its reason"),
    (["--as-user", "gina", "--reason", "why"], "--reason goes with --release"),
])
def test_the_command_refuses_in_one_line(cases: Scene, tmp_path: Path, args: list[str],
                                         message: str) -> None:
    result, rows = _publish(tmp_path, *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output and rows == []
    assert not ProtectionRelease.objects.exists()


def test_the_hate_crime_table_takes_no_publisher(cases: Scene, tmp_path: Path) -> None:
    for extra in (["--as-user", "erin"], ["--release", "--reason", "why"]):
        result = runner.invoke(app, ["cases", "publish", "--dataset", "hate-crime", "--year",
                                     "2024", "-o", str(tmp_path / "h.csv"), *extra])
        assert result.exit_code == 2 and "belong to --dataset protection" in result.output
    assert not (tmp_path / "h.csv").exists()


def test_the_page_refuses_a_bad_year_and_is_no_page_for_visitors(cases: Scene) -> None:
    client = verified_client(cases.erin)
    assert client.get(PAGE, {"year": "12"}).status_code == 400
    assert verified_client(None).get(PAGE).status_code == 404
