"""`hofburg decisions status-table`: what the public sees by default, what a user sees with
`--as-user`, JSON for scripts, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.core.models import Classification
from hofburg.decisions.services import decide
from hofburg.decisions.services.drafts import DraftInput, table_draft
from tests.conftest import Cast
from tests.core.conftest import media_root
from tests.decisions.samples_drafts import Desk, make_desk, make_meeting

# Stored files (the adopted texts in the library) go to a fresh folder per test.
__all__ = ["media_root"]

HOFBURG = str(Path(sys.executable).parent / "hofburg")


@pytest.fixture
def desk(cast: Cast, clock: TimeMachineFixture) -> Desk:
    desk = make_desk(cast)
    public = table_draft(desk.chair, DraftInput(body="PC", title="Public draft", text="x",
                                                language="en",
                                                classification=Classification.PUBLIC))
    decide.place_under_silence(desk.chair, public, make_meeting(1400),
                               timezone.now() + timedelta(days=2))
    table_draft(desk.chair, DraftInput(body="PC", title="Restricted draft", text="x",
                                       language="en"))
    table_draft(desk.chair, DraftInput(body="FSC", title="FSC draft", text="x",
                                       language="en", classification=Classification.PUBLIC))
    table_draft(desk.exercise_chair, DraftInput(body="PC", title="Exercise draft", text="x",
                                                language="en",
                                                classification=Classification.PUBLIC))
    return desk


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["decisions", "status-table", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.django_db
def test_the_public_sees_public_drafts_only(desk: Desk) -> None:
    code, out, _err = _run("--body", "PC", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["symbol"], r["status"], r["is_exercise"]) for r in rows] == [
        ("PC.DD/1/27", "under_silence", False), ("PC.DD/1/27", "draft", True)]
    code, out, _err = _run("--body", "pc")
    assert code == 0
    assert "Public draft" in out and "EXERCISE Exercise draft" in out
    assert "Restricted draft" not in out and "FSC draft" not in out


@pytest.mark.django_db
def test_a_user_sees_what_the_user_may_see(desk: Desk) -> None:
    code, out, _err = _run("--as-user", "alice", "--json")
    assert code == 0
    assert sorted(r["title"] for r in json.loads(out)) == [
        "Exercise draft", "FSC draft", "Public draft", "Restricted draft"]


@pytest.mark.django_db
def test_errors_are_one_line(desk: Desk) -> None:
    code, _out, err = _run("--body", "UN")
    assert code == 2 and err.count("\n") == 1 and err.startswith("hofburg: --body")
    code, _out, err = _run("--as-user", "nobody")
    assert code == 1 and err == "hofburg: no active user named 'nobody'\n"


def test_an_unknown_option_is_one_line_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "HOFBURG_DATA_DIR": str(tmp_path),
           "HOFBURG_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([HOFBURG, "decisions", "status-table", "--bodies", "PC"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("hofburg: ") and result.stderr.count("\n") == 1

