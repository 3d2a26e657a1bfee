"""`hofburg cases export`, `rotate-keys`, `revoke` and `grants` on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from hofburg.cases import vault
from hofburg.cases.models import (
    AccessLog,
    Grant,
    RevokedGrant,
    RevokedSituationGrant,
    SituationGrant,
    VaultEntry,
)
from hofburg.cases.services.persons import read_vault
from hofburg.cli import app
from hofburg.core.models import AuditEntry
from tests.cases.conftest import SECRET, Records, Scene
from tests.cases.tokens import enrol

runner = CliRunner()


def test_an_export_is_logged_with_its_count_and_never_its_values(scene: Scene,
                                                                tmp_path: Path) -> None:
    enrol(scene.erin, scene.gina)
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
    enrol(scene.erin, scene.gina)
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
    assert result.output.startswith("5 vault fields, 5 sealed texts and 0 evidence files "
                                    "sealed again")
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


# -- revoking a grant and exporting the grant history (decision 0064) --------------------------


def test_revoke_withdraws_a_person_grant_from_the_command_line(scene: Scene,
                                                              tmp_path: Path) -> None:
    enrol(scene.erin, scene.gina)
    person = scene.person.surrogate_id
    result = runner.invoke(app, ["cases", "revoke", "--as-user", "erin", "--user", "gina",
                                 "--person", person, "--reason", "left the desk"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"gina's restricted grant for {person} revoked (")
    assert not Grant.objects.filter(person=scene.person, user=scene.gina).exists()
    kept = RevokedGrant.objects.get()
    assert (kept.user_label, kept.revoked_by_label, kept.reason) == ("gina", "erin",
                                                                     "left the desk")
    assert AccessLog.objects.get(action="revoke").channel == "cli"

    target = tmp_path / "grants.csv"
    result = runner.invoke(app, ["cases", "grants", "--as-user", "erin", "--person", person,
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"1 grants held and 1 revoked for {person} written to")
    header, held, revoked = target.read_text().strip().splitlines()
    assert header.split(",") == ["username", "level", "granted_by", "granted_at", "revoked_by",
                                 "revoked_at", "reason"]
    assert held.split(",")[:3] == ["erin", "strictly_confidential", "erin"]
    assert revoked.split(",")[0] == "gina" and revoked.endswith(",left the desk")
    entry = AccessLog.objects.get(action="export")
    assert (entry.user_label, entry.record_type, entry.count, entry.channel) == (
        "erin", "person_grant", 2, "cli")


def test_revoke_and_grants_refuse_in_one_line_and_change_nothing(scene: Scene,
                                                                 tmp_path: Path) -> None:
    enrol(scene.erin, scene.gina)
    person = scene.person.surrogate_id
    before = (Grant.objects.count(), AccessLog.objects.count(), AuditEntry.objects.count())
    revoke = ["cases", "revoke", "--person", person, "--reason", "r"]
    refusals = [
        ([*revoke, "--as-user", "nobody", "--user", "gina"], "no active user 'nobody'"),
        # gina holds a grant but may not give one: the person is named as absent
        ([*revoke, "--as-user", "gina", "--user", "erin"], f"no person '{person}' whose"),
        (["cases", "revoke", "--as-user", "erin", "--user", "gina", "--reason", "r",
          "--person", "P-000000000000"], "no person 'P-000000000000' whose"),
        ([*revoke, "--as-user", "erin", "--user", "nick"], "'nick' holds no grant"),
        ([*revoke, "--as-user", "erin", "--user", "erin"], "your own grant"),
        (["cases", "revoke", "--as-user", "erin", "--user", "gina", "--person", person,
          "--reason", "   "], "states its reason"),
        (["cases", "revoke", "--as-user", "erin", "--user", "gina", "--reason", "r"],
         "name one --person or one --situation"),
    ]
    for args, message in refusals:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and len(result.output.strip().splitlines()) == 1
    target = tmp_path / "grants.csv"
    hidden = runner.invoke(app, ["cases", "grants", "--as-user", "gina", "--person", person,
                                 "-o", str(target)])
    missing = runner.invoke(app, ["cases", "grants", "--as-user", "gina", "--person",
                                  "P-000000000000", "-o", str(target)])
    assert hidden.exit_code == missing.exit_code == 2
    assert hidden.output.replace(person, "P-000000000000") == missing.output
    assert not target.exists()
    assert (Grant.objects.count(), AccessLog.objects.count(),
            AuditEntry.objects.count()) == before


def test_revoke_withdraws_a_situation_grant(records: Records) -> None:
    enrol(records.scene.erin)
    situation = records.situation.situation_id
    result = runner.invoke(app, ["cases", "revoke", "--as-user", "erin", "--user", "gina",
                                 "--situation", situation, "--reason", "rotation"])
    assert result.exit_code == 0, result.output
    kept = RevokedSituationGrant.objects.get()
    assert (kept.situation_id, kept.user_label, kept.reason) == (records.situation.pk, "gina",
                                                                 "rotation")
    assert not SituationGrant.objects.filter(situation=records.situation,
                                             user__username="gina").exists()


def test_a_user_without_a_second_factor_is_refused_by_every_command_in_one_line(
        scene: Scene, tmp_path: Path) -> None:
    """The API answers an account without a confirmed device as a visitor (decision 0041);
    the command line refuses to act or write for it, whatever it is asked (decision 0076)."""
    person = scene.person.surrogate_id
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"exercise photograph")
    target = tmp_path / "out.csv"
    commands = [
        ["export", "persons"], ["export", "protection"],
        ["grants", "--person", person],
        ["revoke", "--person", person, "--user", "gina", "--reason", "r"],
        ["evidence-add", str(source), "--case", scene.restricted_case.case_id, "--title", "t"],
        ["import-incidents", str(source)],
        ["publish", "--dataset", "protection", "--year", "2024"],
    ]
    for command in commands:
        result = runner.invoke(app, ["cases", *command, "--as-user", "erin",
                                     "-o", str(target)] if command[0] in (
            "export", "grants", "publish") else ["cases", *command, "--as-user", "erin"])
        assert result.exit_code == 2, (command, result.output)
        assert result.output.strip() == (
            "hofburg: 'erin' has no confirmed second-factor device: the desk answers such an "
            "account as a visitor; enrol at /cases/two-factor/ first"), command
        assert not target.exists()
    assert not AccessLog.objects.filter(channel="cli").exists()
    assert Grant.objects.filter(person=scene.person, user=scene.gina).exists()
    enrol(scene.erin)
    result = runner.invoke(app, ["cases", "export", "persons", "--as-user", "erin",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert SECRET["medical"] in target.read_text()
