"""How durably SQLite stores a commit is the operator's choice (decision 0078): NORMAL by
default (a commit survives a crash of the process), FULL on request (a power loss too), and
anything else refused before the first request, naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ASK = ("import django; django.setup(); from django.db import connection; "
       "cursor = connection.cursor(); cursor.execute('PRAGMA synchronous'); "
       "print(cursor.fetchone()[0])")


def _run(tmp_path: Path, value: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOFBURG_DATA_DIR": str(tmp_path),
           "HOFBURG_DATABASE_URL": f"sqlite:///{tmp_path / 'durable.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "hofburg.settings", "HOFBURG_SECRET_KEY": "x" * 50}
    env.pop("HOFBURG_SQLITE_SYNCHRONOUS", None)
    if value is not None:
        env["HOFBURG_SQLITE_SYNCHRONOUS"] = value
    return subprocess.run([sys.executable, "-c", ASK], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize(("value", "level"), [(None, "1"), ("NORMAL", "1"), ("full", "2")])
def test_the_connection_syncs_as_the_setting_says(tmp_path: Path, value: str | None,
                                                  level: str) -> None:
    done = _run(tmp_path, value)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == level  # SQLite: 1 NORMAL, 2 FULL


def test_another_value_is_refused_naming_the_setting(tmp_path: Path) -> None:
    done = _run(tmp_path, "OFF")
    assert done.returncode != 0
    assert "HOFBURG_SQLITE_SYNCHRONOUS must be NORMAL or FULL" in done.stderr
