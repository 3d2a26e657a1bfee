"""Bad input to the `hofburg` command: one line on stderr, never a traceback, exit code 2 for
bad arguments and 1 for a refused run; nothing changed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from hofburg import cli

HOFBURG = str(Path(sys.executable).parent / "hofburg")


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory,
                migrated_sqlite: Callable[[Path], Path]) -> dict[str, str]:
    data = tmp_path_factory.mktemp("hofburg-bad-input")
    migrated_sqlite(data / "cli.sqlite3")
    env = {**os.environ, "HOFBURG_DATA_DIR": str(data),
           "HOFBURG_DATABASE_URL": f"sqlite:///{data / 'cli.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("HOFBURG_DEBUG", None)
    subprocess.run([HOFBURG, "init"], env=env, check=True, capture_output=True)
    return env


def hofburg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HOFBURG, *args], env=env, capture_output=True, text=True,
                          check=False, timeout=120)


def one_line(result: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stderr
    assert len(lines) == 1 and lines[0].startswith("hofburg: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


CLASSIFY = ["csbm", "classify", "--type", "land", "--start", "2026-06-01", "--end", "2026-06-10"]


@pytest.mark.parametrize(("args", "words"), [
    pytest.param(["csbm", "classify", "--type", "land", "--start", "0001-01-01", "--end",
                  "0001-01-05", "--troops", "100000"], ["--start", "1900-01-01"],
                 id="classify-day-0001"),
    pytest.param(["csbm", "classify", "--type", "land", "--start", "9999-12-01", "--end",
                  "9999-12-31"], ["--start", "2999-12-31"], id="classify-day-9999"),
    pytest.param([*CLASSIFY, "--troops", str(10**30)], ["--troops", "2147483647"],
                 id="classify-troops-huge"),
    pytest.param([*CLASSIFY, "--alert", "--duration-hours", str(2**31)], ["--duration-hours"],
                 id="classify-duration-beyond-int32"),
    pytest.param([*CLASSIFY, "--ruleset", "vd3000"], ["unknown ruleset"],
                 id="classify-unknown-ruleset"),
    pytest.param(["csbm", "quota", "--units", str(10**30)], ["--units"], id="quota-units-huge"),
])
def test_bad_csbm_arguments_are_one_line_and_exit_2(args: list[str], words: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",
                                                            "HOFBURG_DEBUG")}
    one_line(subprocess.run([HOFBURG, *args], env=env, capture_output=True, text=True,
                            check=False, timeout=120), 2, *words)


def test_importing_a_directory_is_one_line_and_exit_2(environment: dict[str, str],
                                                      tmp_path: Path) -> None:
    one_line(hofburg(environment, "monitoring", "import", str(tmp_path)), 2, "directory")


@pytest.mark.parametrize("content", [
    pytest.param(bytes(range(256)) * 8, id="binary"),
    pytest.param("observation_id,observed_at\nÄ,1\n".encode("latin-1"), id="latin-1"),
])
def test_importing_an_unreadable_file_is_one_line_and_exit_1(
        environment: dict[str, str], tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "observations.csv"
    path.write_bytes(content)
    one_line(hofburg(environment, "monitoring", "import", str(path)), 1)


def test_importing_a_count_beyond_the_column_imports_nothing(
        environment: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "observations.csv"
    path.write_text(
        "observation_id,observed_at,observer_id,observer_kind,observer_lon,observer_lat,"
        "method,category,count,bearing_deg\n"
        "BIG-1,2026-01-01T00:00:00+00:00,P,patrol,-29.9,48,saw,explosion_undetermined,"
        f"{2**31},45\n", encoding="utf-8")
    result = hofburg(environment, "monitoring", "import", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "count: must be a whole number from 1 to 2147483647" in result.stderr
    database = environment["HOFBURG_DATABASE_URL"].removeprefix("sqlite:///")
    stored = sqlite3.connect(database).execute(
        "select count(*) from monitoring_observation where observation_id = 'BIG-1'")
    assert stored.fetchone()[0] == 0


def test_a_token_for_an_unknown_user_is_one_line_and_exit_1(
        environment: dict[str, str]) -> None:
    one_line(hofburg(environment, "token", "nobody"), 1, "no user named 'nobody'")


def test_an_unforeseen_error_is_one_line_and_exit_1(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> None:
        raise OverflowError("date value out of range")

    monkeypatch.delenv("HOFBURG_DEBUG", raising=False)
    monkeypatch.setattr(cli, "app", broken)
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["hofburg: unexpected error: OverflowError: date value out of range "
                   "(set HOFBURG_DEBUG=1 to see the traceback)"]


def test_an_exit_asked_for_by_a_command_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    def exits() -> None:
        raise typer.Exit(2)

    monkeypatch.setattr(cli, "app", exits)
    with pytest.raises(typer.Exit):
        cli.main()
