"""The `hofburg monitoring` commands, run as a user would: the real executable."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.monitoring.rows import row, same_explosion, write_csv

ROOT = Path(__file__).resolve().parents[2]
HOFBURG = str(ROOT / ".venv" / "bin" / "hofburg")


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory,
                migrated_sqlite: Callable[[Path], Path]) -> dict[str, str]:
    data = tmp_path_factory.mktemp("hofburg-cli")
    migrated_sqlite(data / "cli.sqlite3")
    env = {**os.environ, "HOFBURG_DATA_DIR": str(data),
           "HOFBURG_DATABASE_URL": f"sqlite:///{data / 'cli.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([HOFBURG, "init"], env=env, check=True, capture_output=True)
    return env


def hofburg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HOFBURG, "monitoring", *args], env=env, capture_output=True,
                          text=True, check=False)


def test_import_prints_a_json_summary_and_a_second_run_changes_nothing(
        environment: dict[str, str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "o.csv", same_explosion())
    first = hofburg(environment, "import", str(path), "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert {k: summary[k] for k in ("read", "inserted", "duplicates", "rejected", "events")} == \
        {"read": 3, "inserted": 3, "duplicates": 0, "rejected": 0, "events": 2}
    again = json.loads(hofburg(environment, "import", str(path), "--json").stdout)
    assert (again["inserted"], again["duplicates"], again["events"]) == (0, 3, 0)


def test_import_of_a_bad_file_lists_the_rows_and_exits_1(environment: dict[str, str],
                                                         tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [row("BAD-1", method="smelled")])
    done = hofburg(environment, "import", str(path))
    assert done.returncode == 1
    assert "row 2: method" in done.stderr and "nothing was imported" in done.stderr


def test_import_with_skip_bad_writes_the_rejects_file(environment: dict[str, str],
                                                      tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mixed.csv", [row("GOOD-1"), row("BAD-2", count=-1)])
    done = hofburg(environment, "import", str(path), "--skip-bad", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["inserted"], summary["rejected"]) == (1, 1)
    assert "BAD-2" in Path(summary["rejects_path"]).read_text()


def test_import_of_a_missing_file_is_one_line_and_exit_2(environment: dict[str, str]) -> None:
    done = hofburg(environment, "import", "/no/such/file.csv")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "no such file" in done.stderr


def test_locate_prints_the_fix_and_its_error_ellipse(environment: dict[str, str]) -> None:
    done = hofburg(environment, "locate", "--bearing", "-29.95,48.0,45", "--bearing",
                   "-29.85,48.0,315", "--json")
    assert done.returncode == 0, done.stderr
    fix = json.loads(done.stdout)
    assert fix["lon"] == pytest.approx(-29.9, abs=1e-3)
    assert set(fix["error_ellipse_m"]) >= {"semi_major", "semi_minor", "orientation_deg"}


@pytest.mark.parametrize("args", [
    ["--bearing", "-29.95,48.0"],
    ["--bearing", "a,b,c", "--bearing", "1,2,3"],
    ["--bearing", "-29.95,48.0,45"],
    ["--bearing", "-29.95,48.0,45", "--bearing", "-29.85,48.0,999"],
    ["--colour", "red"],
])
def test_locate_with_bad_arguments_is_one_line_and_exit_2(environment: dict[str, str],
                                                          args: list[str]) -> None:
    done = hofburg(environment, "locate", *args)
    assert done.returncode == 2
    assert done.stderr.startswith("hofburg: ") and done.stderr.strip().count("\n") == 0


def test_demo_scenario_loads_exercise_data_once(environment: dict[str, str]) -> None:
    first = json.loads(hofburg(environment, "demo-scenario", "--days", "1", "--seed", "3",
                               "--json").stdout)
    assert first["exercise"] is True and first["inserted"] > 100 and first["events"] > 0
    again = json.loads(hofburg(environment, "demo-scenario", "--days", "1", "--seed", "3",
                               "--json").stdout)
    assert again["inserted"] == 0 and again["duplicates"] == first["inserted"]


def test_recount_areas_moves_the_events_to_a_redrawn_file_once(
        environment: dict[str, str], tmp_path: Path) -> None:
    hofburg(environment, "import", str(write_csv(tmp_path / "o.csv", same_explosion())))
    everywhere = tmp_path / "one-area.geojson"
    everywhere.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "EX-ALL", "name": "All sectors"},
         "geometry": {"type": "Polygon", "coordinates": [
             [[-33, 45], [-27, 45], [-27, 51], [-33, 51], [-33, 45]]]}}]}))
    redrawn = {**environment, "HOFBURG_MONITORING_AREAS": str(everywhere)}

    first = hofburg(redrawn, "recount-areas", "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["moved"] == summary["events"] > 0
    assert summary["areas"]["EX-ALL"] == {"name": "All sectors", "moved_in": summary["moved"],
                                          "moved_out": 0}
    assert summary["areas_file"] == str(everywhere)
    again = hofburg(redrawn, "recount-areas")
    assert again.returncode == 0, again.stderr
    assert f"{summary['events']:,} events, none moved" in again.stdout


def test_recount_areas_with_a_bad_file_is_one_line_and_exit_1(
        environment: dict[str, str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"properties": {}}]}')
    done = hofburg({**environment, "HOFBURG_MONITORING_AREAS": str(broken)}, "recount-areas")
    assert done.returncode == 1
    assert done.stderr == (f"hofburg: areas file {broken}: feature 0: code: is required (a "
                           "short text); nothing was changed\n")


def test_release_publishes_a_period_once_and_withdraws_it_with_a_reason(
        environment: dict[str, str]) -> None:
    listed = subprocess.run([HOFBURG, "affiliations", "list", "--json"], env=environment,
                            capture_output=True, text=True, check=True)
    mission = next(a["code"] for a in json.loads(listed.stdout)
                   if a["kind"] == "field_operation")
    subprocess.run([HOFBURG, "createuser", "release-editor", "--affiliation", mission,
                    "--role", "reader", "--role", "editor"], env=environment,
                   capture_output=True, check=True)
    bad = hofburg(environment, "release", "6 March", "--as", "release-editor")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    nobody = hofburg(environment, "release", "2026-03-06", "--as", "no-such-user")
    assert nobody.returncode == 1 and "no active user" in nobody.stderr
    first = hofburg(environment, "release", "2026-03-06", "--as", "release-editor", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"report_date": "2026-03-06", "released": True,
                                        "published": 0}
    again = hofburg(environment, "release", "2026-03-06", "--as", "release-editor")
    assert again.returncode == 1 and "released already" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    back = hofburg(environment, "release", "2026-03-06", "--as", "release-editor",
                   "--withdraw", "released by mistake")
    assert back.returncode == 0 and "withdrawn" in back.stdout
