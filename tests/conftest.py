"""The named cast every test can use.

- alice: delegate of Austria (editor), bob: delegate of Finland (editor),
- carol: Secretariat analyst in the Conflict Prevention Centre,
- mona: monitor in a field operation,
- dora: administrator in the Secretariat,
- nick: a registered reader with no affiliation (a journalist, say),
- and the anonymous visitor, who is simply an unauthenticated client.

Everyone's password is `PASSWORD`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation
from time_machine import TimeMachineFixture

from hofburg.core import metrics
from hofburg.core.models import Affiliation, Role, User

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True, scope="session")
def _data_folder_of_this_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """What a test process writes into the data folder goes into a folder of its own, never
    into the checkout's `var/`: its metrics file (a /metrics page sums every file of the
    folder, so a test counting requests would count another process's), stored files and the
    vault's key file (made on first use: two processes making it at once would seal with two
    keys). `pytest -n` runs one such process per worker (xdist gives each a temporary folder
    of its own); commands the tests start inherit the folder unless they name their own."""
    folder = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as patch, override_settings(
            DATA_DIR=folder, MEDIA_ROOT=folder / "media", CASES_KEY_FILE=folder / "cases.keys"):
        patch.setenv("HOFBURG_DATA_DIR", str(folder))
        patch.setenv("HOFBURG_MEDIA_DIR", str(folder / "media"))
        yield folder
        metrics.flush()  # here, not into the checkout's folder when the process exits


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Gives the tests that run `hofburg` as a process an SQLite file with every migration
    applied and nothing else, as `hofburg init` leaves it after its first step: `fresh(path)`
    copies it to `path`. The migrations run once per test process (about 20 s) instead of once
    per installation; `init` then finds none pending and does the rest as on a new file.
    `hofburg demo` on an empty folder is still run as a newcomer runs it (`tests/test_cli.py`)."""
    built: list[Path] = []

    def fresh(path: Path) -> Path:
        if not built:
            folder = tmp_path_factory.mktemp("migrated")
            template = folder / "migrated.sqlite3"
            env = {**os.environ, "HOFBURG_DATA_DIR": str(folder),
                   "HOFBURG_DATABASE_URL": f"sqlite:///{template}",
                   "DJANGO_SETTINGS_MODULE": "hofburg.settings"}
            done = subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v0"],
                                  env=env, capture_output=True, text=True, timeout=600,
                                  check=False)
            assert done.returncode == 0, done.stderr
            built.append(template)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], path)
        return path

    return fresh


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters and other cached state never leak from one test into the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def _interface_language() -> Iterator[None]:
    """Every test starts in the default language: one that switched language (a page asked
    for in Russian) does not leave the next test reading Russian."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


STILL_AT = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)  # 1,800,000,000 seconds after the epoch


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    """The clock (time, datetime, Django's now) standing still unless the test moves it with
    `clock.shift(seconds)`: a sign-in limiter's counting window never ends in the middle of a
    test by chance (each key's window starts at its own second). Tests that count sign-ins
    use it; time-machine puts the real clock back after the test."""
    time_machine.move_to(STILL_AT, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The production hasher is slow on purpose; tests need speed, not brute-force resistance.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    alice: User
    bob: User
    carol: User
    mona: User
    dora: User
    nick: User
    austria: Affiliation
    finland: Affiliation
    cpc: Affiliation
    mission: Affiliation

    def client(self, user: User | None) -> Client:
        """A test client signed in as `user`, or anonymous for None."""
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def _user(username: str, affiliation: Affiliation | None, roles: list[str]) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, affiliation=affiliation,
                                    roles=roles)
    return user


@pytest.fixture
def cast(db: None) -> Cast:
    austria = Affiliation.objects.create(
        code="delegation-at", name="Delegation of Austria", kind=Affiliation.Kind.DELEGATION,
        state_iso2="AT")
    finland = Affiliation.objects.create(
        code="delegation-fi", name="Delegation of Finland", kind=Affiliation.Kind.DELEGATION,
        state_iso2="FI")
    cpc = Affiliation.objects.create(
        code="cpc", name="Conflict Prevention Centre", kind=Affiliation.Kind.SECRETARIAT_UNIT)
    mission = Affiliation.objects.create(
        code="mission", name="Test Monitoring Mission", kind=Affiliation.Kind.FIELD_OPERATION)
    return Cast(
        alice=_user("alice", austria, [Role.READER, Role.EDITOR]),
        bob=_user("bob", finland, [Role.READER, Role.EDITOR]),
        carol=_user("carol", cpc, [Role.READER, Role.ANALYST]),
        mona=_user("mona", mission, [Role.READER, Role.EDITOR]),
        dora=_user("dora", cpc, [Role.READER, Role.ADMINISTRATOR]),
        nick=_user("nick", None, [Role.READER]),
        austria=austria,
        finland=finland,
        cpc=cpc,
        mission=mission,
    )
