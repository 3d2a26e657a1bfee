"""`hofburg cases export` and `hofburg cases rotate-keys` on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from hofburg.cases import vault
from hofburg.cases.models import AccessLog, VaultEntry
from hofburg.cases.services.persons import read_vault
from hofburg.cli import app
from tests.cases.conftest import SECRET, Scene

runner = CliRunner()


def test_an_export_is_logged_with_its_count_and_never_its_values(scene: Scene,
                                                                tmp_path: Path) -> None:
    target = tmp_path / "persons.csv"
    result = runner.invoke(app, ["cases", "export", "persons", "--as-user", "gina",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    header, row = target.read_text().strip().splitlines()
    assert header.split(",") == ["surrogate_id", "protection_level", "is_exercise", "created_at",
                                 "name"]
    assert SECRET["name"] in row and SECRET["medical"] not in row
    entry = AccessLog.objects.get(action="export")
    assert (entry.user_label, entry.record_type, entry.count, entry.fields, entry.channel) == (
        "gina", "person", 1, ["name"], "cli")
    assert SECRET["name"] not in str(entry.__dict__)


def test_export_refuses_an_unknown_user_and_a_bad_day_in_one_line(scene: Scene,
                                                                 tmp_path: Path) -> None:
    result = runner.invoke(app, ["cases", "export", "persons", "--as-user", "nobody",
                                 "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "no active user" in result.output
    result = runner.invoke(app, ["cases", "export", "prisoners", "--as-user", "gina",
                                 "--on", "1.12.2024", "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_rotate_keys_reseals_the_vault(scene: Scene) -> None:
    old = set(VaultEntry.objects.values_list("key_id", flat=True))
    result = runner.invoke(app, ["cases", "rotate-keys"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("5 vault fields sealed again")
    new = set(VaultEntry.objects.values_list("key_id", flat=True))
    assert not old & new
    assert read_vault(vault.load_keyring(), scene.person, ["name"]) == {"name": SECRET["name"]}


def test_rotate_keys_with_keys_in_the_environment(scene: Scene, settings: Any) -> None:
    lines = vault.key_file().read_text()
    settings.CASES_KEYS = lines
    refused = runner.invoke(app, ["cases", "rotate-keys"])
    assert refused.exit_code == 1 and "HOFBURG_CASES_KEYS" in refused.output
    printed = runner.invoke(app, ["cases", "rotate-keys", "--print"])
    assert printed.exit_code == 0 and len(printed.output.splitlines()) == 2
    settings.CASES_KEYS = lines + printed.output
    resealed = runner.invoke(app, ["cases", "rotate-keys", "--reseal"])
    assert resealed.exit_code == 0, resealed.output
    assert read_vault(vault.load_keyring(), scene.person, list(SECRET)) == SECRET
