"""The `hofburg` command, run as a user runs it: a real process on a fresh SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

HOFBURG = str(Path(sys.executable).parent / "hofburg")


def run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOFBURG_DATA_DIR": str(data_dir),
        "HOFBURG_DATABASE_URL": f"sqlite:///{data_dir / 'cli.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [HOFBURG, *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=900,  # a hang guard: the demo takes minutes on a machine busy with other tests
        check=False,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database set up once by `hofburg demo --no-serve`, shared by the tests below."""
    data_dir = tmp_path_factory.mktemp("hofburg")
    result = run(data_dir, "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    return data_dir


def test_demo_prints_one_account_per_role(demo_dir: Path) -> None:
    result = run(demo_dir, "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    for role in ("reader", "editor", "analyst", "approver", "administrator"):
        assert role in result.stdout
    assert "demo-admin" in result.stdout


def test_running_demo_twice_adds_nothing(demo_dir: Path) -> None:
    db = sqlite3.connect(demo_dir / "cli.sqlite3")
    before = [
        db.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608
        for t in ("core_document", "core_user", "core_ledgerentry", "registry_participatingstate")
    ]
    assert run(demo_dir, "demo", "--no-serve").returncode == 0
    after = [
        db.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608
        for t in ("core_document", "core_user", "core_ledgerentry", "registry_participatingstate")
    ]
    assert before == after
    assert after[3] == 57


def test_ledger_verify_passes_then_catches_tampering(tmp_path: Path, demo_dir: Path) -> None:
    ok = run(demo_dir, "ledger", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "Ledger intact" in ok.stdout
    copy = tmp_path / "tampered"
    copy.mkdir()
    (copy / "cli.sqlite3").write_bytes((demo_dir / "cli.sqlite3").read_bytes())
    db = sqlite3.connect(copy / "cli.sqlite3")
    db.execute("update core_ledgerentry set author = 'mallory' where sequence = 1")
    db.commit()
    bad = run(copy, "ledger", "verify")
    assert bad.returncode == 1
    assert "entry #1" in bad.stderr
    assert "the ledger is broken" in bad.stderr


def test_ledger_verify_names_a_notification_altered_in_the_database(
    tmp_path: Path, demo_dir: Path
) -> None:
    copy = tmp_path / "tampered"
    copy.mkdir()
    (copy / "cli.sqlite3").write_bytes((demo_dir / "cli.sqlite3").read_bytes())
    db = sqlite3.connect(copy / "cli.sqlite3")
    pk, state, reference = db.execute(
        "select n.id, a.state_id, a.reference from csbm_notification n join csbm_activity a"
        " on a.id = n.activity_id order by n.id limit 1").fetchone()
    db.execute("update csbm_notification set sent_on = '2020-01-01',"
               " content = json_set(content, '$.B.troops', 1) where id = ?", (pk,))
    db.commit()
    bad = run(copy, "ledger", "verify")
    assert bad.returncode == 1
    assert f"csbm.Notification #{pk} ({state}/{reference} " in bad.stderr
    assert "sent on 2020-01-01" in bad.stderr
    assert "the record was altered" in bad.stderr


def test_bad_arguments_exit_2_with_a_message(demo_dir: Path) -> None:
    result = run(demo_dir, "serve", "--port", "not-a-port")
    assert result.returncode == 2
    assert "port" in result.stderr.lower()


def test_createuser_rejects_an_unknown_role_and_creates_nothing(demo_dir: Path) -> None:
    result = run(demo_dir, "createuser", "zed", "--role", "emperor")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("hofburg: unknown role(s) emperor")
    db = sqlite3.connect(demo_dir / "cli.sqlite3")
    assert db.execute("select count(*) from core_user where username='zed'").fetchone()[0] == 0


def test_createuser_with_a_password_on_stdin(demo_dir: Path) -> None:
    result = run(
        demo_dir,
        "createuser",
        "yara",
        "--affiliation",
        "exercise-north",
        "--role",
        "reader",
        "--password-stdin",
        stdin="a-long-enough-passphrase\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Password" not in result.stdout


def test_export_of_documents_shows_only_public_ones_by_default(
    demo_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "documents.csv"
    result = run(demo_dir, "export", "documents", "--output", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "PC.DEL/9901/26" in text
    assert "SEC.GAL/9903/26" not in text and "CIO.GAL/9905/26" not in text


def test_export_of_states_as_xlsx(demo_dir: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "states.xlsx"
    result = run(demo_dir, "export", "states", "--format", "xlsx", "--output", str(out))
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.max_row == 58


def test_load_reference_reports_file_row_and_field_and_loads_nothing(
    demo_dir: Path, tmp_path: Path
) -> None:
    import shutil

    source = Path(__file__).resolve().parents[1] / "data" / "registry"
    broken = tmp_path / "registry"
    shutil.copytree(source, broken)
    states = broken / "participating_states.yaml"
    states.write_text(states.read_text().replace("1996-04-25", "1996-13-25", 1))
    result = run(demo_dir, "load-reference", "--directory", str(broken))
    assert result.returncode == 1
    assert "participating_states.yaml" in result.stderr and "joined" in result.stderr
